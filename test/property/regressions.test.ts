import { after, before, describe, test } from "node:test";
import net from "node:net";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { SseParser } from "../../src/backends/sse.ts";
import { compileRules } from "../../src/workloads/cyber/index.ts";
import { detectText } from "../../src/workloads/cyber/index.ts";
import { extract } from "../../src/workloads/documents/index.ts";
import { solveLpFile } from "../../src/workloads/logistics/index.ts";
import { buildPdf } from "../documents/fixtures.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { call, startGateway } from "../helpers/gateway.ts";

/** Sends raw bytes, half-closes, and returns everything the server wrote before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(Number(new URL(url).port), "127.0.0.1");
    const chunks: Buffer[] = [];
    s.on("data", (c: Buffer) => chunks.push(c));
    s.on("error", () => {});
    s.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    s.end(bytes);
  });
}

/**
 * Every counterexample the property tier found, kept as a named case so it can never come back silently.
 * Each names the property that found it (test/property/*.test.ts, seed 20261125) and what was wrong.
 */
describe("regressions found by the property tier", { timeout: 180_000 }, () => {
  test("sse-bare-data-lines: an upstream sending bare `data` lines and never a blank line hits the event bound", () => {
    // Found by "arbitrary bytes in any chunking ... never grow past the event bound": empty values added 0 bytes
    // to the count, so the list of values (and the joined event) grew without end.
    const parser = new SseParser(1024);
    assert.throws(() => { for (let i = 0; i < 2000; i++) parser.push("data\n"); }, (e: Error & { code?: string }) => e.code === "upstream_error");
    const ok = new SseParser(8);
    assert.deepEqual(ok.push("data\ndata\n\n"), ["\n"], "a small event of bare data lines still parses");
  });

  test("cyber-corrupt-gzip: a log upload whose gzip header or body is damaged is invalid_request, not a zlib error", async () => {
    // Found by "any log bytes in any format ... give alerts or invalid_request": zlib's "unknown compression
    // method" and "unexpected end of file" escaped as plain Errors (an internal_error over HTTP).
    const rules = compileRules([{ path: "r.yml", text: "title: t\nlogsource: { product: linux }\ndetection: { k: ['x'], condition: k }\n" }]);
    const gz = gzipSync('{"a":"x"}\n'.repeat(50));
    const badMethod = Buffer.from(gz); badMethod[2] = 0;
    const truncated = gz.subarray(0, gz.length - 9);
    for (const bytes of [badMethod, truncated]) {
      await assert.rejects(detectText(rules, bytes), (e: Error & { code?: string }) => e.code === "invalid_request" && /gzip data is corrupt/.test(e.message));
    }
  });

  test("pdf-damaged-page: a PDF that opens but whose page dictionary is cut is invalid_request, not a pdf.js Error", async () => {
    // Found by "mutated PDF bytes give text or a clean invalid_request": 12 bytes deleted inside the second
    // page's /MediaBox made getPage() throw after the document had opened, outside the wrapped open call.
    const pdf = buildPdf([[{ text: "First page." }], [{ text: "Second page." }]]).toString("latin1");
    const second = pdf.indexOf("/MediaBox [0 0 595 842]", pdf.indexOf("/MediaBox") + 1);
    const damaged = Buffer.from(pdf.slice(0, second) + "/MediaBox [0 " + pdf.slice(second + "/MediaBox [0 0 595 842]".length), "latin1");
    await assert.rejects(extract("report.pdf", damaged, { maxBytes: 1 << 20, maxPages: 50 }), (e: Error & { code?: string }) => e.code === "invalid_request" && /page or its content is damaged/.test(e.message));
  });

  test("pdf-stray-rejection: the seed-202 PDF is invalid_request in-process and leaves no rejected promise behind", async () => {
    // Found by "mutated PDF bytes give text or a clean invalid_request" (PROPERTY_SEED=202): two bytes changed (the
    // first page's dictionary ends `>\xf3`, the second MediaBox ends `842Y`). pdf.js refused it but also rejected a
    // promise nobody awaited, which ends a Node process; it now runs in a worker thread that is retired after a
    // refusal (src/workloads/documents/extract/pdf-pool.ts). regression-pdf-process.test.ts checks `concord serve`.
    const good = buildPdf([[{ text: "Logistics report", size: 18 }, { text: "Fuel stocks are adequate for the exercise." }], [{ text: "Second page." }]], { title: "Report" });
    const text = good.toString("latin1");
    const bad = Buffer.from(good);
    bad[text.indexOf("/Contents 4 0 R >>") + "/Contents 4 0 R >".length] = 0xf3;
    bad[text.lastIndexOf("842]") + 3] = "Y".charCodeAt(0);
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => { stray.push(reason); };
    process.on("unhandledRejection", onStray);
    try {
      await assert.rejects(extract("report.pdf", bad, { maxBytes: 1 << 20, maxPages: 50 }), (e: Error & { code?: string }) => e.code === "invalid_request");
      // In-process, the stray rejection surfaced before a following document was read; read one to give it the chance.
      assert.equal((await extract("report.pdf", good, { maxBytes: 1 << 20, maxPages: 50 })).pages, 2);
      assert.deepEqual(stray, []);
    } finally {
      process.off("unhandledRejection", onStray);
    }
  });

  test("lp-unnamed-columns: an MPS file whose damage leaves a column unnamed solves, naming it c<i>, instead of solver_error", async () => {
    // Found by "any mutated LP or MPS model ... solves to a status or is refused with invalid_request", seed 101:
    // the solve succeeded, then HiGHS refused getColName for the unnamed column and the worker reported a 500.
    const damaged = "\uFFFDNAME          SMALL\nROWS\n N  COST\n G  LIM1\nCOLUMNS\n    X    NAME          SMALL\nROWS\n N  COST\n G  LIM1\nCOLUMNS\n    X         COST         1.0   LIM1         1.0\n    Y         COST         2.0   LIM1         1.0\nRHS\n    RHS       LIM1         3.0\nBOUNDS\n UP BND       X            2.0\nENDATA\n";
    const r = await solveLpFile(gzipSync(damaged), "mps", { timeLimitSeconds: 2 });
    assert.equal(r.status, "optimal");
    assert.ok(Object.keys(r.variables).every((k) => /^(X|Y|c\d+)$/.test(k)), JSON.stringify(r.variables));
  });

  describe("through the HTTP app (found by test/property/http.test.ts)", () => {
    let gw: RunningServer & { dataDir: string }, token: string;
    before(async () => {
      gw = await startGateway({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, endpoints: [] });
      token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
    });
    after(() => gw.close());

    test("http-multipart-malformed: a multipart upload whose body is not multipart is 400 invalid_request, not 500", async () => {
      // Busboy's "Unexpected end of form" escaped the upload route's catch and became internal_error.
      const r = await call(gw.url, "/v1/workloads/documents", { token, body: '{"filename":"note.txt"}', headers: { "content-type": "multipart/form-data; boundary=x" } });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, "invalid_request");
      assert.match(r.json.error.message, /malformed multipart body/);
    });

    test("console-invalid-json: a console URL sent a body the app's JSON parser refuses is a 400 page, not a 500", async () => {
      // The console's error handler read only Fastify's statusCode, so Concord's InvalidRequest became a 500.
      const r = await call(gw.url, "/console/assets/app.js", { method: "PUT", token, body: "\u0000" });
      assert.equal(r.status, 400, r.text.slice(0, 200));
    });

    test("console-malformed-multipart: a console form post that is not multipart is a 400 page, not a 500", async () => {
      const r = await call(gw.url, "/console/governance/p_x/decide", { body: '{"decision":"approve"}', headers: { "content-type": "multipart/form-data; boundary=x" } });
      assert.equal(r.status, 400, r.text.slice(0, 200));
    });

    test("http-deep-json: a body nesting 100,000 levels is 400 invalid_request, not a 500 from recursive code behind the parser", async () => {
      // detect and plan answered 500 (stack overflow walking the events or scenario), chat 502 (serialising for
      // the upstream). The JSON parser now refuses nesting deeper than 128 levels before anything walks it.
      const deep = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
      for (const [path, body] of [["/v1/workloads/detect", `{"events":[${deep}]}`], ["/v1/workloads/logistics/plan", deep], ["/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":${deep}}`]] as const) {
        const r = await call(gw.url, path, { token, body });
        assert.equal(r.status, 400, `${path}: ${r.text.slice(0, 200)}`);
        assert.match(r.json.error.message, /nests deeper than 128 levels/);
      }
      const ok = await call(gw.url, "/v1/workloads/logistics/plan", { token, body: '{"a":'.repeat(100) + "1" + "}".repeat(100) });
      assert.equal(ok.status, 400, "the control: moderate nesting reaches the scenario check");
      assert.doesNotMatch(ok.json.error.message, /nests deeper/);
    });

    test("http-bad-url: a URL Fastify cannot decode (\"/%\") is 400 in the OpenAI error shape, not Fastify's own body", async () => {
      const out = await rawExchange(gw.url, "GET /% HTTP/1.0\r\n\r\n");
      assert.match(out, /^HTTP\/1\.[01] 400/);
      assert.match(out, /"code":"invalid_request"/);
    });

    test("http-unframed-body: bytes after a request without Content-Length are a 400 in the OpenAI error shape", async () => {
      // Node's client sends an OPTIONS body with no length; the stray bytes are a second, malformed request,
      // which Fastify answered with {"error":"Bad Request","message":"Client Error"} instead of a stable code.
      const out = await rawExchange(gw.url, "OPTIONS /healthz HTTP/1.1\r\nHost: x\r\n\r\n{}");
      const last = out.slice(out.lastIndexOf("HTTP/1.1 "));
      assert.match(last, /^HTTP\/1\.1 400/);
      assert.match(last, /"code":"invalid_request"/);
    });
  });
});
