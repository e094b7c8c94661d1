import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SignJWT, importJWK } from "jose";
import { demoIssuer, DEMO_AUDIENCE } from "../../src/identity/index.ts";
import { call } from "../helpers/gateway.ts";
import { securityGateway, type SecurityGateway } from "./helpers.ts";

/**
 * OWASP ASVS 5.0.0 chapter V6, authentication. Concord has no passwords: people authenticate at their nation's
 * IdP (JWT) and services with nation-scoped API keys, so the password and OTP sections do not apply
 * (docs/security.md lists them); what applies is pathways, defaults, multiple IdPs, assertions and revocation.
 */

// Every route and whether it answers without a credential; the open ones publish only public keys or health.
const OPEN = ["/healthz", "/readyz", "/metrics", "/demo-idp/DEU/jwks.json", "/.well-known/concord/audit-key", "/v1/provenance/key"];
const CLOSED: Array<[string, string]> = [
  ["GET", "/v1/models"], ["POST", "/v1/chat/completions"], ["POST", "/v1/embeddings"], ["POST", "/v1/workloads/documents"],
  ["GET", "/v1/workloads/documents/search?q=x"], ["POST", "/v1/workloads/summarize"], ["POST", "/v1/workloads/detect"],
  ["POST", "/v1/workloads/logistics/plan"], ["POST", "/v1/workloads/translate"], ["POST", "/v1/workloads/comms/analyze"],
  ["GET", "/v1/reviews/rev_x"], ["GET", "/admin/reviews"], ["POST", "/admin/reviews/rev_x/approve"], ["POST", "/admin/reviews/rev_x/reject"],
  ["GET", "/admin/proposals"], ["POST", "/admin/proposals"], ["GET", "/admin/proposals/p_x"], ["POST", "/admin/proposals/p_x/approve"],
  ["POST", "/admin/proposals/p_x/object"], ["GET", "/admin/policy"], ["GET", "/admin/audit/checkpoint"], ["GET", "/admin/audit/entries"],
  ["GET", "/admin/audit/proof/inclusion?index=0"], ["GET", "/admin/audit/proof/consistency?from=1&to=1"], ["POST", "/admin/audit/checkpoint/cosignature"],
  ["GET", "/admin/audit/search?q=x"], ["GET", "/v1/operations/summary"], ["GET", "/v1/alerts"], ["GET", "/v1/alerts/al_x"],
  ["POST", "/v1/alerts/al_x/acknowledge"], ["POST", "/v1/alerts/al_x/assign"], ["POST", "/v1/alerts/al_x/close"], ["POST", "/v1/alerts/al_x/reopen"], ["POST", "/v1/alerts/al_x/notes"],
];

/** Full paths from Fastify's route tree (each nesting level is four characters of tree drawing). */
function fullPaths(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^([│├└─\s]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4 - 1;
    stack.length = depth;
    const path = (depth === 0 ? "" : stack[depth - 1]!) + m[2]!;
    stack.push(path);
    out.push(path);
  }
  return out;
}

describe("ASVS V6 authentication", { timeout: 180_000 }, () => {
  let s: SecurityGateway;
  before(async () => { s = await securityGateway(); });
  after(() => s.close());

  test("ASVS V6.3.4: no undocumented pathway: every API route but the listed public ones refuses a request without a credential", async () => {
    const routes = s.gw.app.printRoutes({ commonPrefix: false });
    for (const [method, path] of CLOSED) {
      const r = await call(s.gw.url, path, { method, ...(method === "POST" ? { body: {} } : {}) });
      assert.equal(r.status, 401, `${method} ${path} answered ${r.status} without a credential`);
      assert.equal(r.json.error.code, "unauthenticated");
    }
    for (const path of OPEN) assert.equal((await call(s.gw.url, path)).status, 200, path);
    // The lists above are the whole API: a new route must be added to one of them (and so to docs/security.md).
    const listed = new Set([...OPEN, ...CLOSED.map(([, p]) => p)].map((p) => p.split("?")[0]!.replace(/rev_x|p_x|al_x/, ":id").replace("/DEU/", "/:nation/")));
    assert.ok(fullPaths(routes).length > CLOSED.length, "the route tree was read");
    const registered = fullPaths(routes).filter((p) => !p.startsWith("/console"));
    for (const p of registered) assert.ok(listed.has(p), `route ${p} is in neither the open nor the closed list`);
  });

  test("ASVS V6.3.2: no default account exists: a fresh gateway has no API key, and a nation with its own IdP gets no demo key", async () => {
    assert.deepEqual(await s.gw.gateway.apiKeys.list(), []);
    const other = await securityGateway({ nations: { DEU: { residency: ["DEU"], identity: "demo" }, NOR: { residency: ["NOR"], identity: { issuer: "https://idp.no.example", jwks_uri: "https://idp.no.example/jwks", audience: "concord" } } } });
    try {
      assert.equal(other.gw.gateway.demoKeys.has("NOR"), false);
      assert.equal((await call(other.gw.url, "/demo-idp/NOR/jwks.json")).status, 404);
    } finally {
      await other.close();
    }
  });

  test("ASVS V6.8.1: one nation's IdP cannot speak for another: a token claiming another nation, or signed by another nation's key, is refused", async () => {
    const fra = s.gw.gateway.demoKeys.get("FRA")!;
    const now = Math.floor(Date.now() / 1000);
    const key = await importJWK(fra.privateJwk, "EdDSA");
    const base = { aud: DEMO_AUDIENCE, sub: "analyst@fra", roles: ["analyst"], iat: now, exp: now + 600 };
    const claimsDeu = await new SignJWT({ ...base, iss: demoIssuer("FRA"), nation: "DEU" }).setProtectedHeader({ alg: "EdDSA", kid: fra.privateJwk.kid ?? "demo" }).sign(key);
    const issuerDeu = await new SignJWT({ ...base, iss: demoIssuer("DEU") }).setProtectedHeader({ alg: "EdDSA", kid: fra.privateJwk.kid ?? "demo" }).sign(key);
    for (const token of [claimsDeu, issuerDeu]) {
      const r = await call(s.gw.url, "/v1/models", { token });
      assert.equal(r.status, 401);
      assert.equal(r.json.error.code, "unauthenticated");
    }
    // The same subject name at two IdPs is two principals: each is its own nation's.
    const sameSub = await new SignJWT({ ...base, iss: demoIssuer("FRA"), sub: "analyst@deu.demo" }).setProtectedHeader({ alg: "EdDSA", kid: fra.privateJwk.kid ?? "demo" }).sign(key);
    const before = await s.gw.gateway.audit.size();
    assert.equal((await call(s.gw.url, "/v1/models", { token: sameSub })).status, 200);
    const [entry] = (await s.gw.gateway.audit.entries({ from: before })).map((e) => e.entry as unknown as { nation: string; subject: string });
    assert.deepEqual([entry?.nation, entry?.subject], ["FRA", "analyst@deu.demo"]);
  });

  test("ASVS V6.8.2: assertions must be signed: an unsigned token (alg none) or one with its signature removed is refused at the HTTP edge", async () => {
    const good = await s.token("DEU");
    const [h, p] = good.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${p}.`;
    for (const token of [none, `${h}.${p}.`, `${h}.${p}`]) {
      const r = await call(s.gw.url, "/v1/models", { token });
      assert.equal(r.status, 401, token);
    }
    assert.equal((await call(s.gw.url, "/v1/models", { token: good })).status, 200, "the control: the signed token works");
  });

  test("ASVS V6.5.6: an authentication factor can be revoked: a revoked API key stops working on the next request", async () => {
    const { key, record } = await s.gw.gateway.apiKeys.create({ nation: "DEU", roles: ["analyst"], name: "svc" });
    assert.equal((await call(s.gw.url, "/v1/models", { token: key })).status, 200);
    await s.gw.gateway.apiKeys.revoke(record.id);
    assert.equal((await call(s.gw.url, "/v1/models", { token: key })).status, 401);
  });

  test("ASVS V6.3.8: failed API-key checks do not tell which part was wrong: unknown id, wrong secret and revoked key answer alike", async () => {
    const { key, record } = await s.gw.gateway.apiKeys.create({ nation: "DEU", roles: ["analyst"] });
    const [id, secret] = key.split(".") as [string, string];
    const wrongSecret = `${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    const unknownId = `ck_${"0".repeat(16)}.${secret}`;
    const a = await call(s.gw.url, "/v1/models", { token: wrongSecret });
    const b = await call(s.gw.url, "/v1/models", { token: unknownId });
    await s.gw.gateway.apiKeys.revoke(record.id);
    const c = await call(s.gw.url, "/v1/models", { token: key });
    assert.deepEqual([a.status, b.status, c.status], [401, 401, 401]);
    assert.equal(a.text, b.text);
    assert.equal(b.text, c.text);
  });
});
