import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { generatedOutput, publicKeyFromBase64, verifyProvenance, PROVENANCE_HEADER } from "../../src/oversight/index.ts";
import { call } from "../helpers/gateway.ts";
import { securityGateway, type SecurityGateway } from "./helpers.ts";

/**
 * OWASP ASVS 5.0.0 chapter V4, API and web service: response typing, headers an intermediary sets, methods,
 * HTTP message framing (request smuggling), the requests Concord itself builds to upstreams, and signed answers.
 * GraphQL (V4.3) and WebSocket (V4.4) do not apply: Concord has neither.
 */

/** One raw HTTP/1.1 exchange: the bytes go out as written, everything read until the server closes comes back. */
function raw(url: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(new URL(url).port), "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { s.destroy(); reject(new Error("no close within 10 s")); }, 10_000);
    s.on("data", (c: Buffer) => chunks.push(c));
    s.on("error", () => {});
    s.on("close", () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString("latin1")); });
    s.end(bytes);
  });
}

/** The raw body bytes and headers of one response (no decoding by a client library). */
function exchange(url: string, path: string, opts: { method?: string; token?: string; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = http.request(url + path, {
      method: opts.method ?? (opts.body ? "POST" : "GET"), agent: false,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(opts.body)) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    r.on("error", reject);
    r.end(opts.body);
  });
}

describe("ASVS V4 API and web service", { timeout: 180_000 }, () => {
  let s: SecurityGateway, token: string;
  const chat = JSON.stringify({ model: "m", messages: [{ role: "user", content: "Status of the northern depot?" }] });
  before(async () => {
    s = await securityGateway();
    token = await s.token("DEU");
  });
  after(() => s.close());

  test("ASVS V4.1.1: every response with a body names its media type and charset, and the body is that type", async () => {
    const cases = [
      await exchange(s.gw.url, "/v1/models", { token }),
      await exchange(s.gw.url, "/v1/models"),
      await exchange(s.gw.url, "/v1/nothing", { token }),
      await exchange(s.gw.url, "/v1/chat/completions", { token, body: chat }),
      await exchange(s.gw.url, "/v1/chat/completions", { token, body: "{broken" }),
      await exchange(s.gw.url, "/v1/chat/completions", { token, body: JSON.stringify({ ...JSON.parse(chat), stream: true }) }),
      await exchange(s.gw.url, "/metrics"),
      await exchange(s.gw.url, "/healthz"),
    ];
    for (const r of cases) {
      const type = String(r.headers["content-type"]);
      assert.match(type, /charset=utf-8/i, `${r.status} ${type}`);
      if (/^application\/json/.test(type)) assert.doesNotThrow(() => JSON.parse(r.body.toString("utf8")));
      else if (/^text\/event-stream/.test(type)) assert.match(r.body.toString("utf8"), /^data: /);
      else assert.match(type, /^text\/plain/);
      assert.doesNotThrow(() => new TextDecoder("utf-8", { fatal: true }).decode(r.body), "the body is the charset it names");
    }
    // A request too malformed for routing still gets a typed body.
    const bad = await raw(s.gw.url, "GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n");
    assert.match(bad, /content-type: application\/json; charset=utf-8/i);
  });

  test("ASVS V4.1.2: API endpoints never redirect: plain-HTTP calls get their answer or an error, not a 3xx to follow", async () => {
    for (const [path, opts] of [["/v1/models", {}], ["/v1/models", { token }], ["/v1/chat/completions", { token, body: chat }], ["/admin/policy", { token }], ["/v1/models/", { token }]] as const) {
      const r = await exchange(s.gw.url, path, opts);
      assert.ok(r.status < 300 || r.status >= 400, `${path} answered ${r.status}`);
      assert.equal(r.headers.location, undefined);
    }
  });

  test("ASVS V4.1.3: headers an intermediary would set cannot be forged: X-Forwarded-For and X-User-ID change neither identity nor budget", async () => {
    // A token budget (per UTC day) rather than a per-minute one, so the burst cannot straddle two windows.
    const t = await securityGateway({ nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { tokens_per_day: 25 } }, FRA: { residency: ["FRA"], identity: "demo" } } });
    try {
      t.upstream.usage = 20;
      const deu = await t.token("DEU");
      const from = await t.gw.gateway.audit.size();
      const statuses: number[] = [];
      for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) {
        const r = await call(t.gw.url, "/v1/chat/completions", { token: deu, body: { model: "m", messages: [{ role: "user", content: "Status?" }] }, headers: { "x-forwarded-for": ip, "x-real-ip": ip, "x-user-id": "FRA", "x-forwarded-user": "alliance-admin" } });
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 429], "a new forwarded address is not a new budget");
      const entries = (await t.gw.gateway.audit.entries({ from })).map((e) => e.entry as unknown as { nation: string });
      assert.ok(entries.every((e) => e.nation === "DEU"), "the principal is the token's, whatever the headers say");
    } finally {
      await t.close();
    }
  });

  test("ASVS V4.1.4: only the methods a route supports answer; TRACE, PUT, DELETE and PATCH are refused without being processed", async () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PATCH"]) {
      for (const path of ["/v1/chat/completions", "/v1/models", "/admin/policy", "/v1/workloads/documents"]) {
        const r = await exchange(s.gw.url, path, { method, token });
        assert.equal(r.status, 404, `${method} ${path}`);
        assert.doesNotMatch(r.body.toString("utf8"), new RegExp(token.slice(-20)), "TRACE does not echo the request");
      }
    }
  });

  test("ASVS V4.2.1: message boundaries are unambiguous: Content-Length with Transfer-Encoding, or two differing Content-Lengths, are refused", async () => {
    const smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const both = await raw(s.gw.url, `POST /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: ${4 + smuggled.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`);
    assert.match(both, /^HTTP\/1\.1 400/);
    assert.equal(both.match(/HTTP\/1\.1 /g)?.length, 1, "the smuggled second request was not answered");
    const twice = await raw(s.gw.url, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\nContent-Type: application/json\r\n\r\n{}`);
    assert.match(twice, /^HTTP\/1\.1 400/);
  });

  test("ASVS V4.2.2: the Content-Length Concord sends is the length of the body it sends", async () => {
    const rs = [await exchange(s.gw.url, "/v1/models", { token }), await exchange(s.gw.url, "/v1/models"), await exchange(s.gw.url, "/v1/chat/completions", { token, body: chat })];
    for (const r of rs) {
      if (r.headers["content-length"] !== undefined) assert.equal(Number(r.headers["content-length"]), r.body.length);
      else assert.equal(r.headers["transfer-encoding"], "chunked");
    }
    const bad = await raw(s.gw.url, "GET /% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const [head, body] = bad.split("\r\n\r\n") as [string, string];
    assert.equal(Number(/content-length: (\d+)/i.exec(head)?.[1]), Buffer.byteLength(body, "latin1"));
  });

  test("ASVS V4.2.5: requests Concord builds upstream carry only its own headers: no client cookie, oversized header or credential is passed on", async () => {
    const before = s.upstream.seen.length;
    const r = await call(s.gw.url, "/v1/chat/completions", { token, body: JSON.parse(chat), headers: { cookie: `session=${"c".repeat(6000)}`, "x-custom": "y".repeat(6000), "x-forwarded-for": "10.9.9.9" } });
    assert.equal(r.status, 200, r.text);
    const sent = s.upstream.seen.slice(before);
    assert.equal(sent.length, 1);
    const h = sent[0]!.headers;
    assert.equal(h.cookie, undefined);
    assert.equal(h["x-custom"], undefined);
    assert.equal(h["x-forwarded-for"], undefined);
    assert.equal(h.authorization, "Bearer sk-upstream-secret-0123456789", "the endpoint's own key, never the caller's token");
    assert.ok(Object.values(h).every((v) => String(v).length < 1024));
  });

  test("ASVS V4.1.5: a model answer carries a per-message signature over its output that a recipient verifies offline", async () => {
    s.upstream.answer = "Depot north: 40,000 litres of diesel.";
    const r = await call(s.gw.url, "/v1/chat/completions", { token, body: JSON.parse(chat) });
    assert.equal(r.status, 200, r.text);
    const signature = r.headers.get(PROVENANCE_HEADER);
    assert.ok(signature, "the answer is signed");
    const key = await call(s.gw.url, "/v1/provenance/key");
    const pub = publicKeyFromBase64(key.json.public_key as string);
    const ok = await verifyProvenance(generatedOutput(r.json), signature, pub);
    assert.equal(ok.ok, true);
    const edited = await verifyProvenance(generatedOutput(r.json).replace("40,000", "90,000"), signature, pub);
    assert.equal(edited.ok, false, "an edited answer no longer verifies");
  });
});
