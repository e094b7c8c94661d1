import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair, exportJWK, SignJWT, importJWK, base64url } from "jose";
import { createHmac } from "node:crypto";
import { startNationIdp, AUDIENCE, type NationIdp } from "../helpers/idp.ts";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import type { RunningServer } from "../../src/server/index.ts";

// Each nation trusts its own real OIDC provider over HTTP; the attacks below must all end in 401.
describe("identity: tokens from each nation's own IdP", () => {
  let deu: NationIdp, fra: NationIdp, upstream: StubUpstream, gw: RunningServer;

  before(async () => {
    [deu, fra, upstream] = await Promise.all([startNationIdp("DEU"), startNationIdp("FRA"), startStubUpstream()]);
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      jurisdictions: { EU: ["DEU", "FRA", "BEL"] },
      nations: {
        DEU: { residency: ["EU"], identity: { issuer: deu.issuer, jwks_uri: deu.jwksUri, audience: AUDIENCE, jwks_cooldown: "0s" } },
        FRA: { residency: ["EU"], identity: { issuer: fra.issuer, jwks_uri: fra.jwksUri, audience: AUDIENCE } },
      },
      endpoints: [{ id: "eu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
  });
  after(async () => {
    await gw.close();
    await Promise.all([deu.close(), fra.close(), upstream.close()]);
  });

  const models = (token: string) => call(gw.url, "/v1/models", { token });
  const forge = async (claims: Record<string, unknown>, opts: { alg?: string; kid?: string; key?: Parameters<SignJWT["sign"]>[0]; exp?: number; iss?: string; aud?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const key = opts.key ?? (await importJWK(deu.privateJwk, "RS256"));
    return new SignJWT({ roles: ["analyst"], ...claims })
      .setProtectedHeader({ alg: opts.alg ?? "RS256", kid: opts.kid ?? (deu.privateJwk.kid as string) })
      .setIssuer(opts.iss ?? deu.issuer).setAudience(opts.aud ?? AUDIENCE).setSubject("mallory")
      .setIssuedAt(now).setExpirationTime(opts.exp ?? now + 600).sign(key);
  };

  test("a token from the nation's IdP is accepted and the nation comes from the issuer", async () => {
    const r = await models(await deu.token("analyst-1"));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data.map((m: { id: string }) => m.id), ["m"]);
  });

  test("an expired token is refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await models(await forge({}, { exp: now - 3600 }));
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, "unauthenticated");
    assert.match(r.json.error.message, /expired/);
  });

  test("a token from an issuer no nation trusts is refused", async () => {
    const r = await models(await forge({}, { iss: "https://idp.attacker.example" }));
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /issuer is not trusted/);
  });

  test("a token for another audience is refused", async () => {
    const r = await models(await forge({}, { aud: "urn:other-service" }));
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /aud/);
  });

  test("an unsigned token (alg: none) is refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify({ iss: deu.issuer, aud: AUDIENCE, sub: "x", exp: now + 600, roles: ["analyst"] }));
    const r = await models(`${header}.${payload}.`);
    assert.equal(r.status, 401);
  });

  test("an HS256 token whose HMAC secret is the issuer's public key is refused", async () => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = deu.privateJwk;
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: "HS256", typ: "JWT", kid: deu.privateJwk.kid }));
    const payload = base64url.encode(JSON.stringify({ iss: deu.issuer, aud: AUDIENCE, sub: "x", exp: now + 600, roles: ["analyst"] }));
    const sig = createHmac("sha256", JSON.stringify(pub)).update(`${header}.${payload}`).digest("base64url");
    const r = await models(`${header}.${payload}.${sig}`);
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /algorithm/);
  });

  test("a token signed by a key the issuer never published (unknown kid) is refused", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const r = await models(await forge({}, { key: privateKey, kid: "rogue-key" }));
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /no key of the issuer/);
  });

  test("a DEU-signed token claiming to be FRA is refused", async () => {
    const r = await models(await deu.token("analyst-1", { nation: "FRA" }));
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /issued by DEU.*claims nation FRA/);
  });

  test("a token naming FRA's issuer but signed with DEU's key is refused", async () => {
    const r = await models(await forge({}, { iss: fra.issuer }));
    assert.equal(r.status, 401);
    assert.match(r.json.error.message, /signature|no key/);
  });

  test("a malformed bearer credential is refused without a server error", async () => {
    for (const token of ["not-a-jwt", "a.b.c", "ck_zz", "ck_0123456789abcdef.short", "x".repeat(12_000)]) {
      const r = await models(token);
      assert.equal(r.status, 401, token.slice(0, 20));
    }
    // Beyond Node's header limit the HTTP layer itself answers 431, still a refusal and not a crash.
    assert.equal((await models("x".repeat(20_000))).status, 431);
    const none = await call(gw.url, "/v1/models");
    assert.equal(none.status, 401);
  });

  test("a role outside the allowed ones cannot chat", async () => {
    const r = await call(gw.url, "/v1/chat/completions", { token: await deu.token("nation-admin-1"), body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "forbidden");
  });

  test("keys rotated at the IdP are picked up from its JWKS, and retired keys stop working", async () => {
    // A minimal JWKS host whose key set the test swaps, as an IdP does when it rotates.
    const http = await import("node:http");
    let jwks: { keys: object[] } = { keys: [] };
    const host = http.createServer((_q, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
    await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
    const issuer = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    const k1 = await generateKeyPair("ES256", { extractable: true });
    const k2 = await generateKeyPair("ES256", { extractable: true });
    jwks = { keys: [{ ...(await exportJWK(k1.publicKey)), kid: "k1", alg: "ES256" }] };
    const rot = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { NLD: { residency: ["NLD"], identity: { issuer, jwks_uri: `${issuer}/jwks`, audience: AUDIENCE, jwks_cooldown: "0s" } } },
    });
    try {
      const mint = (key: Parameters<SignJWT["sign"]>[0], kid: string) => forge({ jti: Math.random().toString(36) }, { alg: "ES256", key, kid, iss: issuer });
      assert.equal((await call(rot.url, "/v1/models", { token: await mint(k1.privateKey, "k1") })).status, 200);
      jwks = { keys: [{ ...(await exportJWK(k2.publicKey)), kid: "k2", alg: "ES256" }] };
      assert.equal((await call(rot.url, "/v1/models", { token: await mint(k2.privateKey, "k2") })).status, 200, "new key accepted after rotation");
      assert.equal((await call(rot.url, "/v1/models", { token: await mint(k1.privateKey, "k1") })).status, 401, "retired key refused");
    } finally {
      await rot.close();
      host.close();
    }
  });
});
