import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { startGateway } from "../helpers/gateway.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { CONTENT_SECURITY_POLICY } from "../../src/console/index.ts";

// The console over plain HTTP: security headers on every kind of response, CSRF and Origin checks on every POST,
// session cookie attributes, sign-out, and the asset budget.
describe("console HTTP security", () => {
  let upstream: StubUpstream, gw: RunningServer;
  const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

  async function get(path: string, cookie?: string) {
    const res = await fetch(gw.url + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
    return { res, text: await res.text() };
  }
  async function post(path: string, body: string, cookie: string, headers: Record<string, string> = {}) {
    const res = await fetch(gw.url + path, { method: "POST", redirect: "manual", headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: gw.url, ...headers }, body });
    return { res, text: await res.text() };
  }
  /** An anonymous session: its cookie and the CSRF token of its forms. */
  async function anonymous() {
    const { res, text } = await get("/console/sign-in");
    return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: /name="csrf" value="([^"]+)"/.exec(text)![1]! };
  }
  async function signedIn(nation = "DEU", role = "analyst") {
    const a = await anonymous();
    const { res } = await post("/console/sign-in/demo", form({ csrf: a.csrf, nation, role, name: "anna", back: "/console/chat" }), a.cookie);
    assert.equal(res.status, 303);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const page = await get("/console/chat", cookie);
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1]!, before: a };
  }

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      server: { trust_proxy: true },
    });
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  test("every console response carries the strict CSP and the other security headers: pages, redirects, 404s, assets, refusals, streams", async () => {
    assert.ok(!/unsafe-inline|unsafe-eval/.test(CONTENT_SECURITY_POLICY));
    for (const d of ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'"]) assert.ok(CONTENT_SECURITY_POLICY.includes(d), d);
    const u = await signedIn();
    const page = await get("/console/chat", u.cookie);
    const css = /href="(\/console\/assets\/console\.[0-9a-f]{16}\.css)"/.exec(page.text)![1]!;
    const responses = [
      page.res,
      (await get("/console/sign-in")).res,
      (await get("/console/chat")).res, // redirect to sign-in
      (await get("/console/no-such-page")).res,
      (await get(css)).res,
      (await get("/console/assets/nothing.js")).res,
      (await post("/console/sign-in/demo", form({ csrf: "wrong", nation: "DEU", role: "analyst", name: "x" }), u.cookie)).res,
      (await post("/console/chat/stream", form({ csrf: u.csrf, model: "m", message: "hi" }), u.cookie)).res,
      (await post("/console/chat/stream", form({ csrf: "wrong", model: "m", message: "hi" }), u.cookie)).res,
      (await get("/console/audit-consistency?from=1&to=2", u.cookie)).res, // an island's JSON (proofs are hashes: any principal)
      (await get("/console/audit-consistency?from=1&to=2")).res,
    ];
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 303, 404, 200, 404, 403, 200, 403, 200, 401]);
    for (const r of responses) {
      assert.equal(r.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY, r.url);
      assert.equal(r.headers.get("x-content-type-options"), "nosniff");
      assert.equal(r.headers.get("x-frame-options"), "DENY");
    }
  });

  test("pages carry no inline script, inline style or style attribute", async () => {
    const u = await signedIn();
    for (const path of ["/console/sign-in", "/console", "/console/chat", "/console/documents", "/console/logistics", "/console/comms", "/console/reviews", "/console/governance", "/console/audit"]) {
      const { text } = await get(path, path === "/console/sign-in" ? undefined : u.cookie);
      assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(text), `inline script on ${path}`);
      assert.ok(!/<style|\sstyle=|\son[a-z]+=/i.test(text), `inline style or handler on ${path}`);
    }
  });

  test("a POST without the session's CSRF token, or from another origin, is refused and changes nothing", async () => {
    const a = await anonymous();
    const good = { nation: "DEU", role: "analyst", name: "anna" };
    for (const [body, headers] of [
      [form(good), {}],
      [form({ ...good, csrf: "x".repeat(43) }), {}],
      [form({ ...good, csrf: a.csrf }), { origin: "https://evil.example" }],
      [form({ ...good, csrf: a.csrf }), { "sec-fetch-site": "cross-site" }],
    ] as const) {
      const { res, text } = await post("/console/sign-in/demo", body, a.cookie, headers);
      assert.equal(res.status, 403, body);
      assert.match(text, /did not come from this console/);
      assert.equal(res.headers.get("set-cookie"), null, "no session was started");
    }
    const u = await signedIn();
    const { res } = await post("/console/sign-out", form({ csrf: u.before.csrf }), u.cookie);
    assert.equal(res.status, 403, "the token of the pre-sign-in session is not valid after sign-in");
    assert.equal((await get("/console/chat", u.cookie)).res.status, 200, "still signed in");
  });

  test("the session cookie is HttpOnly and SameSite=Strict, Secure with the __Host- prefix under TLS; sign-in rotates it and sign-out ends it", async () => {
    const plain = (await get("/console/sign-in")).res.headers.get("set-cookie")!;
    assert.match(plain, /^concord_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const tls = await fetch(gw.url + "/console/sign-in", { headers: { "x-forwarded-proto": "https" } });
    assert.match(tls.headers.get("set-cookie")!, /^__Host-concord_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);

    const u = await signedIn();
    assert.notEqual(u.cookie, u.before.cookie);
    assert.equal((await get("/console/chat", u.before.cookie)).res.status, 303, "the pre-sign-in id is worthless");
    const out = await post("/console/sign-out", form({ csrf: u.csrf }), u.cookie);
    assert.equal(out.res.status, 303);
    assert.match(out.res.headers.get("set-cookie")!, /Max-Age=0/);
    const after = await get("/console/chat", u.cookie);
    assert.equal(after.res.status, 303);
    assert.match(after.res.headers.get("location")!, /^\/console\/sign-in\?back=/);
    // A cookie that names no live session (ended, idle too long, token expired): the sign-in page says so once.
    const fresh = after.res.headers.get("set-cookie")!.split(";")[0]!;
    assert.match((await get(after.res.headers.get("location")!, fresh)).text, /Your session ended\. Sign in again\./);
    assert.doesNotMatch((await get("/console/sign-in", fresh)).text, /Your session ended/);
  });

  test("the demo sign-in refuses unknown nations, roles and names; the gateway's API decides what a page shows", async () => {
    const a = await anonymous();
    for (const bad of [{ nation: "XXX", role: "analyst", name: "a" }, { nation: "DEU", role: "emperor", name: "a" }, { nation: "DEU", role: "analyst", name: "<b>" }]) {
      const { res, text } = await post("/console/sign-in/demo", form({ ...bad, csrf: a.csrf }), a.cookie);
      assert.equal(res.status, 401);
      assert.match(text, /Sign-in failed/);
      assert.ok(!text.includes("<b>"));
    }
    const auditor = await signedIn("DEU", "auditor");
    const { res, text } = await get("/console/governance", auditor.cookie);
    assert.equal(res.status, 200, "any principal may read the policy in force and the proposals");
    assert.match(text, /Policy bundle in force/);
    const reviews = await get("/console/reviews", (await signedIn("DEU", "analyst")).cookie);
    assert.equal(reviews.res.status, 403);
    assert.match(reviews.text, /Your role cannot use this section/);
  });

  test("a governance approval with a signature line that does not verify is refused by the API and shown on the page", async () => {
    const { mintDemoToken } = await import("../../src/identity/index.ts");
    const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "nation-admin", subject: "ada" });
    const policy = (await fetch(`${gw.url}/admin/policy`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as { bundle: { oversight: { approvals_required: number } } };
    policy.bundle.oversight.approvals_required = 1;
    const created = (await fetch(`${gw.url}/admin/proposals`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ bundle: policy.bundle }) }).then((r) => r.json())) as { id: string };
    const fra = await signedIn("FRA", "nation-admin");
    const { res, text } = await post(`/console/governance/${created.id}/decide`, form({ csrf: fra.csrf, verb: "approve", signature: "\u2014 FRA AAAA" }), fra.cookie);
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    assert.match(text, /The gateway refused/);
    const after = (await fetch(`${gw.url}/admin/proposals/${created.id}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as { status: string; approved_by: string[] };
    assert.deepEqual([after.status, after.approved_by], ["pending", ["DEU"]]);
  });

  test("document search pages through the API's limit and offset, twenty results a page", async () => {
    const { mintDemoToken } = await import("../../src/identity/index.ts");
    const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "pager" });
    for (let i = 0; i < 23; i++) {
      const content = Buffer.from(`# Convoy note ${i}\n\nThe zebrafinch convoy ${i} reached checkpoint ${i * 7}.\n`).toString("base64");
      const r = await fetch(`${gw.url}/v1/workloads/documents`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ filename: `n${i}.md`, content_base64: content, releasable_to: ["DEU"] }) });
      assert.ok(r.status === 201, String(r.status));
    }
    const u = await signedIn();
    const first = await get("/console/documents?q=zebrafinch", u.cookie);
    assert.match(first.text, /23 documents found/);
    assert.equal(first.text.match(/<tr><td><a href="\/console\/documents\/doc_/g)?.length, 20);
    assert.match(first.text, /href="\/console\/documents\?q=zebrafinch&amp;offset=20">Next results/);
    assert.doesNotMatch(first.text, /Previous results/);
    const second = await get("/console/documents?q=zebrafinch&offset=20", u.cookie);
    assert.equal(second.text.match(/<tr><td><a href="\/console\/documents\/doc_/g)?.length, 3);
    assert.match(second.text, /Previous results/);
    assert.doesNotMatch(second.text, /Next results/);
  });

  test("assets are content-hashed, cached for a year, gzip-encoded on request, and each page's script is under 60 KB compressed", async () => {
    const u = await signedIn();
    const { text } = await get("/console/chat", u.cookie);
    const js = /src="(\/console\/assets\/chat\.[0-9a-f]{16}\.js)"/.exec(text)![1]!;
    const res = await fetch(gw.url + js, { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const raw = Buffer.from(await (await fetch(gw.url + js, { headers: { "accept-encoding": "identity" } })).arrayBuffer());
    const { request } = await import("undici");
    const gz = await request(gw.url + js, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers["content-encoding"], "gzip");
    const zipped = Buffer.from(await gz.body.arrayBuffer());
    assert.deepEqual(gunzipSync(zipped), raw);
    assert.ok(zipped.length < 60 * 1024, `${zipped.length} bytes`);
  });
});
