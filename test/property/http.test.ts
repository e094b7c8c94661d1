import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { startGateway } from "../helpers/gateway.ts";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { mutatedText, params } from "./fc.ts";

/**
 * The property through the whole HTTP app: any method, path, headers and body to any route gets an answer that
 * is not a 5xx, within a bound, and the process keeps serving. The only 5xx allowed is 503 residency_unavailable
 * where no endpoint genuinely exists for the caller: the stub serves model "m" in DEU, so any other model, and
 * any request from FRA (whose residency allows only FRA, where nothing runs), has no upstream. Such a 503 is
 * checked to be exactly that case, never a failure of the gateway itself.
 */

const RULE = "title: t\nlogsource: { product: windows }\ndetection: { sel: { CommandLine|contains: whoami }, condition: sel }\n";
const VALID: Record<string, unknown> = {
  "/v1/chat/completions": { model: "m", messages: [{ role: "user", content: "Hello there" }] },
  "/v1/embeddings": { model: "m", input: "Hello there" },
  "/v1/workloads/documents": { filename: "note.txt", content_base64: Buffer.from("Fuel stocks are adequate.").toString("base64") },
  "/v1/workloads/summarize": { document_ids: ["doc_0"], mode: "extractive", sentences: 2 },
  "/v1/workloads/detect": { events: [{ CommandLine: "whoami /all" }], rules: [RULE] },
  "/v1/workloads/logistics/plan": { name: "s", periods: 1, links: [{ from: "A", to: "B", mode: "road", cost_per_unit: 1 }], supply: [{ id: "s1", location: "A", nation: "DEU", commodity: "fuel", quantity: 10 }], demand: [{ id: "d1", location: "B", nation: "POL", commodity: "fuel", quantity: 5, latest_arrival: 1 }] },
  "/v1/workloads/translate": { text: "Hola", from: "es", to: "xx" },
  "/v1/workloads/comms/analyze": { messages: [{ text: "All quiet tonight.", author: "a" }] },
  "/admin/proposals": { bundle: {}, summary: "x" },
  "/admin/audit/checkpoint/cosignature": { note: "x" },
  "/admin/reviews/rev_x/approve": {}, "/admin/reviews/rev_x/reject": { comment: "no" },
  "/admin/proposals/p_x/approve": {}, "/admin/proposals/p_x/object": { comment: "no" },
  "/v1/alerts/al_x/acknowledge": {}, "/v1/alerts/al_x/assign": { assignee: "x" }, "/v1/alerts/al_x/close": { reason: "x" },
  "/v1/alerts/al_x/reopen": {}, "/v1/alerts/al_x/notes": { text: "x" },
  // The web console's forms (its own scope: sessions, CSRF, HTML errors).
  "/console/chat": { message: "hi" }, "/console/documents": {}, "/console/documents/doc_x/summary": {},
  "/console/reviews/rev_x/decide": { decision: "approve" }, "/console/governance/p_x/decide": { decision: "approve" },
};
const GETS = [
  "/healthz", "/readyz", "/metrics", "/v1/models", "/demo-idp/DEU/jwks.json", "/demo-idp/XXX/jwks.json", "/v1/provenance/key",
  "/v1/workloads/documents/search?q=fuel", "/v1/reviews/rev_x", "/admin/reviews?status=pending", "/admin/proposals", "/admin/proposals/p_x",
  "/admin/policy", "/admin/audit/checkpoint", "/admin/audit/entries?from=0&limit=5", "/admin/audit/proof/inclusion?index=0",
  "/admin/audit/proof/consistency?from=1&to=2", "/.well-known/concord/audit-key",
  "/admin/audit/search?q=chat", "/v1/operations/summary", "/v1/alerts", "/v1/alerts?status=open", "/v1/alerts/al_x", "/console/alerts", "/console/alerts/al_x",
  "/console", "/console/", "/console/chat", "/console/documents", "/console/documents/doc_x", "/console/reviews", "/console/governance",
  "/console/chat/reviews/rev_x", "/console/assets/app.js", "/console/assets/..%2f..%2fpackage.json", "/console/sign-in",
];
const PATHS = [...GETS, ...Object.keys(VALID)];

interface Answer { status: number; body: string }

function send(url: string, req: { method: string; path: string; headers: Record<string, string>; body: Buffer | undefined }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = http.request(url + req.path, { method: req.method, headers: req.headers, agent: false, signal: AbortSignal.timeout(20_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.end(req.body);
  });
}

describe("property: the HTTP app never answers 5xx, never hangs, never crashes", { timeout: 180_000 }, () => {
  let gw: RunningServer & { dataDir: string }, stub: StubUpstream;
  const tokens: Record<string, string> = {};
  before(async () => {
    stub = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["FRA"], identity: "demo" } },
      endpoints: [{ id: "deu", url: stub.url, jurisdiction: "DEU", models: ["m"] }],
      server: { body_limit: 256 * 1024 },
      workloads: { plan_time_limit: "2s", upload_limit: 128 * 1024 },
    });
    for (const [name, nation, role] of [["deu", "DEU", "analyst"], ["admin", "DEU", "nation-admin"], ["fra", "FRA", "analyst"], ["auditor", "DEU", "auditor"]] as const) {
      tokens[name] = await mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role });
    }
    tokens["expired"] = tokens["deu"]!.replace(/\.[^.]+\./, (p) => p.slice(0, -3) + "AA.");
  });
  after(async () => { await gw.close(); await stub.close(); });

  const header = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("deu", "deu", "admin", "fra", "auditor").map((k) => ({ authorization: `Bearer ${tokens[k]}` })) },
    fc.constantFrom("deu", "admin", "fra", "auditor", "expired").map((k) => ({ authorization: `Bearer ${tokens[k]}` })),
    fc.constant({}),
    fc.string({ maxLength: 100 }).map((s) => ({ authorization: s.replace(/[^\t\x20-\x7e]/g, "") })),
  );
  const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16", undefined);
  const extraHeaders = fc.dictionary(
    fc.constantFrom("accept", "accept-encoding", "x-forwarded-for", "transfer-encoding", "expect", "range", "origin", "x-request-id", "cookie", "if-none-match"),
    fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, "")),
    { maxKeys: 3 },
  ).map((h) => { const { "transfer-encoding": _te, expect: _e, ...rest } = h; return rest; });

  const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
  const target = fc.oneof(
    // Mostly a real route with its own method, so the stages behind routing are what is exercised.
    { weight: 6, arbitrary: fc.constantFrom(...PATHS).chain((p) => fc.tuple(fc.constant(p), fc.oneof({ weight: 5, arbitrary: fc.constant(GETS.includes(p) ? "GET" : "POST") }, fc.constantFrom(...METHODS)))) },
    fc.tuple(fc.tuple(fc.constantFrom(...PATHS), fc.string({ maxLength: 30 })).map(([p, s]) => p + encodeURI(s).replace(/#/g, "%23")), fc.constantFrom(...METHODS)),
    fc.tuple(fc.constantFrom(...PATHS).map((p) => p.replace(/\?.*$/, "") + "?" + ["q=%ff", "limit=999999999", "index=-1", "from=x&to=", "time_limit=99999", "status=%00", "q=" + "a".repeat(5000), "a[b]=c", "__proto__=1"][p.length % 9]), fc.constantFrom("GET", "POST")),
    fc.tuple(fc.webPath(), fc.constantFrom(...METHODS)),
  );
  const request = fc.record({
    target,
    auth: header,
    // (weights: most requests reach a real route with a real credential, so the stages behind auth are exercised)
    type: contentType,
    extra: extraHeaders,
    stream: fc.boolean(),
    body: fc.oneof(
      fc.constant("valid"),
      fc.constant("mutated"),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      // Deep nesting: a few hundred KB of brackets, far below the body limit.
      fc.tuple(fc.integer({ min: 100, max: 100_000 }), fc.boolean()).map(([d, arr]) => (arr ? "[".repeat(d) + "]".repeat(d) : '{"a":'.repeat(d) + "1" + "}".repeat(d))),
      fc.constant(undefined),
    ),
    seed: fc.nat(),
  });

  test("any request to any route: status below 500 (or a justified 503), a well-formed error body, and an answer", async (t) => {
    let n = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, fc.context(), async ({ target: [path, method], ...rest }, log) => {
        const r = { ...rest, path, method };
        const route = r.path.replace(/\?.*$/, "");
        const base = VALID[route];
        let body: Buffer | undefined;
        if (r.method === "GET" || r.method === "HEAD") body = undefined;
        else if (r.body === "valid" || r.body === "mutated") {
          const obj = base && typeof base === "object" && (route === "/v1/chat/completions" && r.stream) ? { ...(base as object), stream: true } : base ?? {};
          const text = JSON.stringify(obj);
          body = Buffer.from(r.body === "valid" ? text : fc.sample(mutatedText(text), { numRuns: 1, seed: r.seed })[0]!);
        } else body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
        const headers: Record<string, string> = { ...r.extra, ...r.auth, ...(r.type && body !== undefined ? { "content-type": r.type } : {}) };
        log.log(`${r.method} ${r.path} ${JSON.stringify(headers)} ${body?.toString("utf8").slice(0, 300)}`);
        const a = await send(gw.url, { method: r.method, path: r.path, headers, body });
        n++;
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        // The console answers people with HTML pages, errors included; everything else speaks the OpenAI shape.
        const api = !r.path.startsWith("/console");
        if (a.status >= 500) {
          assert.ok(api, `status ${a.status} from the console for ${r.method} ${r.path}: ${a.body.slice(0, 300)}`);
          const code = (JSON.parse(a.body) as { error?: { code?: string } }).error?.code;
          const modelOfBody = (() => { try { return (JSON.parse(body?.toString("utf8") ?? "") as { model?: unknown }).model; } catch { return undefined; } })();
          const noUpstream = (r.auth as { authorization?: string }).authorization === `Bearer ${tokens["fra"]}` || modelOfBody !== "m";
          assert.ok(a.status === 503 && code === "residency_unavailable" && noUpstream, `status ${a.status} (${code}) for ${r.method} ${r.path}: ${a.body.slice(0, 300)}`);
        }
        if (a.status >= 400 && r.method !== "HEAD" && api) {
          const err = (JSON.parse(a.body) as { error: { code: unknown; message: string; type: unknown } }).error;
          assert.equal(typeof err.code, "string", "an error has a stable code");
          assert.equal(typeof err.message, "string");
          assert.doesNotMatch(err.message, /at .*\.ts:\d+|node_modules|TypeError|ReferenceError/, "no stack or internal error text leaks");
        }
      }),
      params(t, 1000, 25_000),
    );
    t.diagnostic(`${n} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    const health = await send(gw.url, { method: "GET", path: "/healthz", headers: {}, body: undefined });
    assert.equal(health.status, 200, "the gateway still serves after the run");
  });

  test("a signed-in console session: any form to any console page, with a valid CSRF token, is never a 5xx", async (t) => {
    // The console's own sign-in flow: an anonymous session's CSRF token, then the demo form.
    const page = async (path: string, cookie?: string) => {
      const a = await send(gw.url, { method: "GET", path, headers: cookie ? { cookie } : {}, body: undefined });
      return a;
    };
    const signInPage = await new Promise<{ cookie: string; body: string }>((resolve, reject) => {
      http.get(`${gw.url}/console/sign-in`, { agent: false }, (res) => {
        let b = "";
        res.on("data", (c) => (b += c));
        res.on("end", () => resolve({ cookie: String(res.headers["set-cookie"]?.[0]).split(";")[0]!, body: b }));
      }).on("error", reject);
    });
    const csrf0 = /name="csrf" value="([^"]+)"/.exec(signInPage.body)![1]!;
    const cookie = await new Promise<string>((resolve, reject) => {
      const body = new URLSearchParams({ csrf: csrf0, nation: "DEU", role: "analyst", name: "fuzz", back: "/console/chat" }).toString();
      const r = http.request(`${gw.url}/console/sign-in/demo`, { method: "POST", agent: false, headers: { cookie: signInPage.cookie, origin: gw.url, "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.headers["set-cookie"]?.[0]).split(";")[0]!));
      });
      r.on("error", reject);
      r.end(body);
    });
    const chatPage = await page("/console/chat", cookie);
    assert.equal(chatPage.status, 200, "signed in");
    const csrf = /name="csrf" value="([^"]+)"/.exec(chatPage.body)![1]!;
    const targets = ["/console/chat", "/console/chat/stream", "/console/documents", "/console/documents/doc_0/summary", "/console/documents/doc_" + "0".repeat(32) + "/summary", "/console/reviews/rev_x/decide", "/console/governance/p_x/decide", "/console/locale", "/console/alerts/detect", "/console/alerts/al_x/acknowledge", "/console/alerts/al_x/notes", "/console/alerts/al_x/close"];
    const pages = ["/console/", "/console/chat", "/console/documents", "/console/documents/doc_x", "/console/reviews", "/console/governance", "/console/audit", "/console/audit/0", "/console/audit/-1", "/console/audit-consistency", "/console/chat/reviews/rev_x", "/console/alerts", "/console/alerts/al_x"];
    const field = fc.constantFrom("message", "model", "q", "decision", "comment", "locale", "releasable_to", "mode", "from", "to", "stream", "purpose", "events", "rules", "text", "assignee", "x");
    const form = fc.dictionary(field, fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("m", "approve", "reject", "fr", "en", "DEU", "abstractive", "TOP SECRET", "-1", "99999999999")), { maxKeys: 5 });
    const input = fc.oneof(
      fc.record({ post: fc.constant(true), path: fc.constantFrom(...targets), form, query: fc.constant("") }),
      fc.record({ post: fc.constant(false), path: fc.constantFrom(...pages), form: fc.constant({}), query: fc.oneof(fc.constant(""), fc.string({ maxLength: 40 }).map((q) => "?" + encodeURI(q).replace(/#/g, "%23")), fc.constantFrom("?q=%ff", "?status=x", "?from=-1&to=99999999999", "?page=1e9")) }),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(input, async ({ post, path, form: f, query }) => {
        const body = post ? Buffer.from(new URLSearchParams({ ...f, csrf }).toString()) : undefined;
        const a = await send(gw.url, { method: post ? "POST" : "GET", path: path + query, headers: { cookie, origin: gw.url, ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) } : {}) }, body });
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        assert.ok(a.status < 500, `${post ? "POST" : "GET"} ${path}${query} ${JSON.stringify(f)} → ${a.status}: ${a.body.slice(0, 300)}`);
      }),
      params(t, 300, 15_000),
    );
    t.diagnostic(`console statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  });

  test("arbitrary bytes on the socket get a 4xx or a closed connection, never a 5xx or a hang", async (t) => {
    const { port } = new URL(gw.url);
    const raw = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.constantFrom("GET", "POST", "FOO", "G\0T", ""), fc.constantFrom(...PATHS, "*", "//", "/%", "http://x/v1/models"), fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", ""),
        fc.array(fc.tuple(fc.constantFrom("Host", "Content-Length", "Transfer-Encoding", "Content-Type", "Authorization", "X"), fc.constantFrom("x", "-1", "99999999999", "chunked", "application/json", "0", " ", "a\rb")), { maxLength: 4 }),
        fc.string({ maxLength: 200 }))
        .map(([m, p, v, hs, b]) => Buffer.from(`${m} ${p} ${v}\r\n${hs.map(([k, x]) => `${k}: ${x}`).join("\r\n")}\r\n\r\n${b}`)),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        const out = await new Promise<string>((resolve, reject) => {
          const s = net.connect(Number(port), "127.0.0.1");
          const chunks: Buffer[] = [];
          const timer = setTimeout(() => { s.destroy(); reject(new Error(`no answer within 15 s to ${JSON.stringify(bytes.toString("latin1").slice(0, 200))}`)); }, 15_000);
          s.on("data", (c: Buffer) => chunks.push(c));
          s.on("error", () => {});
          s.on("close", () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString("latin1")); });
          s.end(bytes);
        });
        const m = /^HTTP\/1\.[01] (\d{3})/.exec(out);
        if (!m) return;
        assert.ok(Number(m[1]) < 500, `status ${m[1]}: ${out.slice(0, 200)}`);
        const body = out.slice(out.indexOf("\r\n\r\n") + 4);
        if (Number(m[1]) >= 400 && body !== "" && !out.startsWith("HTTP/1.1 4") === false && /^\{/.test(body)) {
          assert.equal(typeof (JSON.parse(body.split("HTTP/1.1")[0]!) as { error: { code: unknown } }).error.code, "string", `error shape: ${body.slice(0, 200)}`);
        }
      }),
      params(t, 200, 10_000),
    );
  });
});
