import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import type { Browser } from "playwright-core";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { startGateway } from "../helpers/gateway.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { launch, newPage, skipBrowser } from "./browser.ts";

const AUDIENCE = "urn:concord";
const SECRET_ENV = "CONCORD_TEST_CONSOLE_OIDC_SECRET";

// Sign-in at a nation's own IdP: a real OpenID Connect provider (oidc-provider) with the authorization code flow
// and PKCE, its login page driven in chromium; the access token it issues is what the console sends to the API.
describe("console sign-in through a nation's OpenID Connect provider", { skip: skipBrowser }, () => {
  let upstream: StubUpstream, gw: RunningServer, browser: Browser, idp: http.Server;
  const seen: string[] = [];

  before(async () => {
    idp = http.createServer();
    await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    process.env[SECRET_ENV] = "console-secret-for-tests";
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: {
        NOR: { name: "Norway", residency: ["NOR"], identity: { issuer, jwks_uri: `${issuer}/jwks`, audience: AUDIENCE, console: { client_id: "concord-console", client_secret_env: SECRET_ENV, scope: "openid", resource: AUDIENCE } } },
        DEU: { residency: ["DEU"], identity: "demo" },
      },
      endpoints: [{ id: "nor", url: upstream.url, jurisdiction: "NOR", models: ["m"] }],
    });
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const provider = new Provider(issuer, {
      clients: [{ client_id: "concord-console", client_secret: process.env[SECRET_ENV], grant_types: ["authorization_code"], response_types: ["code"], redirect_uris: [`${gw.url}/console/sign-in/callback`], token_endpoint_auth_method: "client_secret_post" }],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "nor-1", alg: "RS256", use: "sig" }] },
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
      // Consent is the nation's business, not this test's: every sign-in is granted openid and the API audience.
      loadExistingGrant: async (ctx: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any -- oidc-provider's context type is not exported
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope("openid");
        grant.addResourceScope(AUDIENCE, "api");
        await grant.save();
        return grant;
      },
      extraTokenClaims: (_ctx, token) => {
        const account = "accountId" in token ? String(token.accountId ?? "") : "";
        seen.push(account);
        return { roles: [account.replace(/-[^-]*$/, "")] };
      },
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: "api", audience: AUDIENCE, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }),
        },
      },
      pkce: { required: () => true },
    });
    idp.on("request", provider.callback());
    browser = await launch();
  });
  after(async () => {
    delete process.env[SECRET_ENV];
    await browser?.close();
    await gw?.close().catch(() => {});
    await upstream?.close();
    idp?.closeAllConnections();
    await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
  });

  test("an analyst signs in at Norway's IdP (code flow with PKCE) and the gateway accepts the access token", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${gw.url}/console/sign-in`);
    const authorize = page.waitForRequest((r) => r.url().includes("/auth?"));
    await page.getByRole("link", { name: "Sign in with Norway's identity provider" }).click();
    const url = new URL((await authorize).url());
    assert.equal(url.searchParams.get("code_challenge_method"), "S256");
    assert.match(url.searchParams.get("code_challenge") ?? "", /^[A-Za-z0-9_-]{43}$/);
    assert.ok(url.searchParams.get("state") && url.searchParams.get("nonce"));
    assert.equal(url.searchParams.get("resource"), AUDIENCE);

    await page.locator('input[name="login"]').fill("analyst-nora");
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${gw.url}/console`);
    assert.match(await page.locator(".who p").innerText(), /Signed in as analyst-nora \(NOR, analyst\)/);
    await page.goto(`${gw.url}/console/chat`);
    assert.deepEqual(await page.getByLabel("Model").locator("option").allTextContents(), ["m"], "the API answered with NOR's reachable models");
    assert.ok(seen.includes("analyst-nora"));
    await context.close();
  });

  test("a callback without the sign-in this browser started is refused", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${gw.url}/console/sign-in/callback?code=forged&state=forged`);
    assert.match(await page.locator(".error").innerText(), /No sign-in is under way in this browser/);
    await page.goto(`${gw.url}/console/chat`);
    assert.match(page.url(), /\/console\/sign-in\?back=/);
    await context.close();
  });
});
