import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PdfPool } from "../../src/workloads/documents/index.ts";
import { buildPdf } from "./fixtures.ts";

const NEVER_ANSWERS = new URL("./workers/never-answers.ts", import.meta.url);
const NEVER_STOPS_ALLOCATING = new URL("./workers/never-stops-allocating.ts", import.meta.url);
const FAILS_TO_START = new URL("./workers/fails-to-start.ts", import.meta.url);
const LIMITS = { maxPages: 50 };
const codeOf = (e: unknown) => (e as { code?: string }).code;

describe("PDF worker pool", { timeout: 120_000 }, () => {
  const pools: PdfPool[] = [];
  const pool = (opts: ConstructorParameters<typeof PdfPool>[0]) => { const p = new PdfPool(opts); pools.push(p); return p; };
  after(async () => { await Promise.all(pools.map((p) => p.close())); });

  test("a PDF whose reading never ends is stopped at the time limit: payload_too_large, and its worker is gone", async () => {
    const p = pool({ module: NEVER_ANSWERS, timeLimitMs: 300 });
    await assert.rejects(p.extract(buildPdf([[{ text: "hello" }]]), LIMITS), (e) => codeOf(e) === "payload_too_large" && /longer than 0.3 s/.test((e as Error).message));
    assert.deepEqual(p.load, { workers: 1, busy: 0, queued: 0, starting: 1 }, "only a fresh replacement is left");
  });

  test("a PDF whose reading exhausts the worker's heap limit is payload_too_large and its worker is not reused", async () => {
    const p = pool({ module: NEVER_STOPS_ALLOCATING, maxMemoryMb: 16, timeLimitMs: 60_000 });
    await assert.rejects(p.extract(buildPdf([[{ text: "hello" }]]), LIMITS), (e) => codeOf(e) === "payload_too_large" && /more than 16 MB/.test((e as Error).message));
    assert.deepEqual(p.load, { workers: 1, busy: 0, queued: 0, starting: 1 }, "the worker that ran out of memory is not reused: a fresh one starts");
    // The same limit leaves room to start a worker: one that spins instead is stopped by time, not by memory.
    const control = pool({ module: NEVER_ANSWERS, maxMemoryMb: 16, timeLimitMs: 300 });
    await assert.rejects(control.extract(buildPdf([[{ text: "hello" }]]), LIMITS), (e) => codeOf(e) === "payload_too_large" && /longer than/.test((e as Error).message));
  });

  test("at most maxWorkers documents are read and maxQueued wait; one more is refused at once with quota_exceeded", async () => {
    const p = pool({ module: NEVER_ANSWERS, maxWorkers: 1, maxQueued: 1, timeLimitMs: 1000 });
    const first = p.extract(buildPdf([[{ text: "one" }]]), LIMITS);
    const second = p.extract(buildPdf([[{ text: "two" }]]), LIMITS);
    assert.deepEqual(p.load, { workers: 1, busy: 1, queued: 1, starting: 0 });
    const third = await p.extract(buildPdf([[{ text: "three" }]]), LIMITS).then(() => null, (e: unknown) => e);
    assert.equal(codeOf(third), "quota_exceeded");
    assert.ok(Number((third as { headers: Record<string, string> }).headers["retry-after"]) >= 1, "the refusal says when to retry");
    assert.deepEqual(p.load, { workers: 1, busy: 1, queued: 1, starting: 0 }, "the refused document was not queued");
    // Both admitted documents are still read in turn (and stopped), never two at once.
    const [a, b] = await Promise.allSettled([first, second]);
    assert.deepEqual([a, b].map((r) => r.status === "rejected" && codeOf(r.reason)), ["payload_too_large", "payload_too_large"]);
    assert.deepEqual(p.load, { workers: 1, busy: 0, queued: 0, starting: 1 }, "one replacement, never more than maxWorkers");
  });

  test("a worker that cannot start is the gateway's internal_error, not a refusal of the user's file, and is not replaced", async () => {
    const p = pool({ module: FAILS_TO_START });
    await assert.rejects(p.extract(buildPdf([[{ text: "hello" }]]), LIMITS), (e) => codeOf(e) === "internal_error");
    assert.equal(p.load.workers, 0);
  });

  test("pdf.js in a worker gives the page texts; a good document keeps its worker warm, a refused one retires it", async () => {
    const p = pool({ maxWorkers: 1 });
    const bytes = buildPdf([[{ text: "Convoy report", size: 18 }, { text: "Three trucks arrived." }], [{ text: "Second page." }]], { title: "Convoys" });
    const before = Buffer.from(bytes);
    const doc = await p.extract(bytes, LIMITS);
    assert.deepEqual(doc, {
      format: "pdf",
      title: "Convoys",
      pages: 2,
      margins: [],
      blocks: [
        { kind: "heading", text: "Convoy report", page: 1, level: 2 },
        { kind: "paragraph", text: "Three trucks arrived.", page: 1 },
        { kind: "paragraph", text: "Second page.", page: 2 },
      ],
    });
    assert.deepEqual(Buffer.from(bytes), before, "the caller's bytes are neither detached nor changed");
    assert.equal(p.load.workers, 1, "the worker stays for the next document");
    await assert.rejects(p.extract(Buffer.from("%PDF-1.7\n1 0 obj garbage"), LIMITS), (e) => codeOf(e) === "invalid_request" && /not a readable PDF/.test((e as Error).message));
    assert.deepEqual(p.load, { workers: 1, busy: 0, queued: 0, starting: 1 }, "the worker that refused a document is retired and a fresh one is starting in its place");
    await assert.rejects(p.extract(buildPdf([[{ text: "a" }], [{ text: "b" }], [{ text: "c" }]]), { maxPages: 2 }), (e) => codeOf(e) === "payload_too_large");
  });

  test("the replacement for a worker that refused a document waits warm and reads the next one", async () => {
    const p = pool({ maxWorkers: 1 });
    await assert.rejects(p.extract(Buffer.from("%PDF-1.7\n1 0 obj garbage"), LIMITS), (e) => codeOf(e) === "invalid_request");
    // Bounded wait for the replacement to load pdf.js (not a speed check: a slow machine only waits longer).
    for (let i = 0; i < 1200 && p.load.starting > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(p.load, { workers: 1, busy: 0, queued: 0, starting: 0 }, "the replacement is idle and warm");
    const doc = await p.extract(buildPdf([[{ text: "Fuel state" }]]), LIMITS);
    assert.equal(doc.blocks[0]?.text, "Fuel state");
    assert.equal(p.load.workers, 1, "the replacement read it, no second worker was started");
  });
});
