import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createDeflateRaw, crc32, gzipSync } from "node:zlib";
import { extract, DEFAULT_LIMITS } from "../../src/workloads/documents/index.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { call, startGateway } from "../helpers/gateway.ts";

/**
 * Size limits on everything that can grow: request bodies, uploads, decompression (a DOCX zip bomb, a gzip
 * request body) and what an upstream sends back (a JSON answer, one SSE event). Each is refused with its stable
 * code before the bytes are held in memory.
 */

/** Raw-deflates `size` zero bytes in 1 MiB steps: a bomb of any size for ~1/1000 of it in memory. */
async function deflatedZeros(size: number): Promise<{ packed: Buffer; crc: number }> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((r) => z.on("end", r));
  const mib = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let left = size; left > 0; left -= mib.length) {
    const chunk = left >= mib.length ? mib : mib.subarray(0, left);
    crc = crc32(chunk, crc);
    if (!z.write(chunk)) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  return { packed: Buffer.concat(out), crc };
}

/** A zip (APPNOTE 6.3.x: local headers, central directory, end record) of pre-deflated parts. */
function zipOf(parts: Array<{ name: string; packed: Buffer; crc: number; size: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14); local.writeUInt32LE(p.packed.length, 18); local.writeUInt32LE(p.size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc, 16); central.writeUInt32LE(p.packed.length, 20); central.writeUInt32LE(p.size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.packed);
    centrals.push(central, name);
    offset += 30 + name.length + p.packed.length;
  }
  const end = Buffer.alloc(22);
  const size = centrals.reduce((n, b) => n + b.length, 0);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10); end.writeUInt32LE(size, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

async function docxBomb(expanded: number, declared = expanded): Promise<Buffer> {
  const { packed, crc } = await deflatedZeros(expanded);
  const small = (name: string, text: string) => { const b = Buffer.from(text); const d = gzipSync(b).subarray(10, -8); return { name, packed: d, crc: crc32(b), size: b.length }; };
  return zipOf([
    small("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    { name: "word/document.xml", packed, crc, size: declared },
  ]);
}

describe("size limits: decompression", { timeout: 180_000 }, () => {
  test("a DOCX zip bomb is refused with payload_too_large at the expansion bound, counting real bytes", async (t) => {
    const bound = 8 << 20;
    const bomb = await docxBomb(64 << 20);
    t.diagnostic(`bomb: ${bomb.length} bytes on the wire, 64 MiB inflated; bound ${bound}`);
    const before = process.memoryUsage().arrayBuffers;
    await assert.rejects(extract("bomb.docx", bomb, { ...DEFAULT_LIMITS, maxExpandedBytes: bound }), (e: Error & { code?: string }) => e.code === "payload_too_large");
    t.diagnostic(`arrayBuffers grew by ${((process.memoryUsage().arrayBuffers - before) / 1048576).toFixed(1)} MiB while refusing it`);
    // The zip's own size fields lie (1 KiB declared): the bound still holds, because inflated bytes are counted.
    const liar = await docxBomb(64 << 20, 1024);
    await assert.rejects(extract("liar.docx", liar, { ...DEFAULT_LIMITS, maxExpandedBytes: bound }), (e: Error & { code?: string }) => e.code === "payload_too_large");
  });

  test("the default expansion bound exists and a DOCX past it is refused through the HTTP upload route", async () => {
    assert.equal(typeof DEFAULT_LIMITS.maxExpandedBytes, "number");
    const bomb = await docxBomb((DEFAULT_LIMITS.maxExpandedBytes as number) + (1 << 20));
    const gw = await startGateway({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, endpoints: [] });
    try {
      const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
      const r = await call(gw.url, "/v1/workloads/documents", { token, body: { filename: "bomb.docx", content_base64: bomb.toString("base64") } });
      assert.equal(r.status, 413, r.text);
      assert.equal(r.json.error.code, "payload_too_large");
    } finally {
      await gw.close();
    }
  });
});

describe("size limits: request bodies, uploads, upstream answers", { timeout: 180_000 }, () => {
  let gw: RunningServer & { dataDir: string }, upstream: http.Server, token: string;
  let mode: "big-json" | "big-event" = "big-json";
  before(async () => {
    // An upstream that answers with more than the gateway will hold: a 17 MiB JSON body, or one SSE event of 2 MiB.
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (mode === "big-json") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(`{"choices":[{"message":{"content":"${"a".repeat(17 << 20)}"}}]}`);
        } else {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(`data: {"choices":[{"delta":{"content":"hi"}}]}\n\n`);
          res.end(`data: ${"b".repeat(2 << 20)}`);
        }
      });
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "big", url, jurisdiction: "DEU", models: ["m"] }],
      server: { body_limit: 64 * 1024, retries: 0 },
      workloads: { upload_limit: 32 * 1024 },
    });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => { await gw.close(); upstream.closeAllConnections(); await new Promise((r) => upstream.close(r)); });

  test("a JSON body over server.body_limit is 413 payload_too_large", async () => {
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x".repeat(70 * 1024) }] } });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, "payload_too_large");
  });

  test("a gzip request body (Content-Encoding: gzip) is never decoded: a gzip bomb is refused with invalid_request", async () => {
    // 32 MiB of a JSON string compresses to ~32 KiB, under the body limit: only refusing the encoding stops it.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"model":"m","messages":[{"role":"user","content":"'), Buffer.alloc(32 << 20, 0x61), Buffer.from('"}]}')]));
    assert.ok(bomb.length < 64 * 1024);
    for (const body of [bomb, gzipSync(JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }))]) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-encoding": "gzip" }, body });
      const json = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(res.status, 400);
      assert.equal(json.error.code, "invalid_request");
      assert.match(json.error.message, /Content-Encoding "gzip" is not accepted/);
    }
  });

  test("an upload over workloads.upload_limit is 413 payload_too_large, as multipart and as JSON", async () => {
    const form = new FormData();
    form.append("file", new Blob([Buffer.alloc(40 * 1024, 0x61)]), "big.txt");
    const m = await fetch(`${gw.url}/v1/workloads/documents`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(m.status, 413);
    assert.equal(((await m.json()) as { error: { code: string } }).error.code, "payload_too_large");
    const j = await call(gw.url, "/v1/workloads/documents", { token, body: { filename: "big.txt", content_base64: Buffer.alloc(40 * 1024, 0x61).toString("base64") } });
    assert.equal(j.status, 413);
    assert.equal(j.json.error.code, "payload_too_large");
  });

  test("an upstream JSON answer over 16 MiB is not held: 502 upstream_error", async () => {
    mode = "big-json";
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
    assert.equal(r.status, 502, r.text);
    assert.equal(r.json.error.code, "upstream_error");
  });

  test("an upstream SSE event over 1 MiB is refused with upstream_error (a 502, or an error event once streaming began), never relayed", async () => {
    mode = "big-event";
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "hi" }], stream: true } });
    assert.ok(r.text.length < 1 << 20, "no oversized frame reached the client");
    // The output guard still holds the first event when the oversized one arrives, so nothing was sent yet and
    // the refusal is a plain 502; had an event gone out, the stream would end with an error event instead.
    if (r.status === 200) {
      assert.match(r.text, /"code":"upstream_error"/);
      assert.doesNotMatch(r.text, /\[DONE\]/);
    } else {
      assert.equal(r.status, 502);
      assert.equal(r.json.error.code, "upstream_error");
    }
  });
});
