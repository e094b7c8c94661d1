/**
 * Documents workload benchmark: ingest throughput (PDF pages/s, text MB/s) and search latency (p50/p99) over a
 * corpus of 100k passages (10k with --quick), on the embedded SQLite store in a temporary directory.
 *   npx tsx bench/documents.ts [--quick] [--store postgres://...] [--keep FILE.db]
 * The corpus is synthetic (Zipf-distributed made-up words, seeded), so runs are comparable with each other.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openSqlite } from "../src/store/index.ts";
import { ingestDocument, openDocumentStore, searchDocuments, sqliteDocumentStore, type DocumentStore } from "../src/workloads/documents/index.ts";
import { buildPdf } from "../test/documents/fixtures.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, store: { type: "string" }, keep: { type: "string" } } });
const quick = values.quick!;
const PASSAGES = quick ? 10_000 : 100_000;
const PER_DOC = 20;
const QUERIES = quick ? 100 : 400;
const NATIONS = ["DEU", "FRA", "POL", "NOR", "USA", "TUR", "GBR", "ITA"];

// Seeded PRNG (mulberry32) so every run builds the same corpus.
let seed = 42;
function rand(): number {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const SYL = ["ka", "to", "ri", "men", "sa", "lo", "ver", "dan", "po", "tri", "na", "gel", "zu", "bor", "fi", "ast", "el", "mo", "ri", "qua"];
const VOCAB = Array.from({ length: 20_000 }, (_, i) => {
  let w = "", n = i + 1;
  do { w += SYL[n % SYL.length]; n = Math.floor(n / SYL.length); } while (n > 0);
  return w;
});
// Zipf(s≈1) sampling by inverse CDF over precomputed cumulative weights.
const CUM = (() => { let s = 0; return VOCAB.map((_, i) => (s += 1 / (i + 1))); })();
function word(): string {
  const x = rand() * CUM[CUM.length - 1]!;
  let lo = 0, hi = CUM.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (CUM[mid]! < x) lo = mid + 1; else hi = mid; }
  return VOCAB[lo]!;
}
function sentence(): string {
  const n = 8 + Math.floor(rand() * 14);
  const ws = Array.from({ length: n }, word);
  return `${ws.join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
}
function paragraph(): string {
  return Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence).join(" ");
}

const guard = () => {};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-docs-"));
  // --keep PATH leaves the SQLite corpus in place (for EXPLAIN and repeated search runs).
  const url = values.store ?? `sqlite:${values.keep ?? join(dir, "docs.db")}`;
  const store: DocumentStore = await openDocumentStore(url);
  console.log(`documents bench (${quick ? "quick" : "full"}): store ${store.kind}, ${PASSAGES} passages, ${QUERIES} queries; 2-core machine shared with other work`);
  try {
    // 1. PDF ingest: 10 documents of 20 pages, 25 lines a page.
    const pdfDocs = quick ? 4 : 10;
    const pdfs = Array.from({ length: pdfDocs }, () => buildPdf(Array.from({ length: 20 }, () => [
      { text: word().toUpperCase(), size: 16 },
      ...Array.from({ length: 25 }, (_, i) => (i % 6 === 5 ? { text: "" } : { text: Array.from({ length: 11 }, word).join(" ") })),
    ])));
    let t = performance.now();
    for (const [i, bytes] of pdfs.entries()) await ingestDocument(store, { filename: `b${i}.pdf`, bytes, nation: "DEU", language: "eng" }, { guard });
    const pdfSec = (performance.now() - t) / 1000;
    console.log(`ingest PDF:  ${pdfDocs * 20} pages in ${pdfSec.toFixed(2)} s = ${((pdfDocs * 20) / pdfSec).toFixed(1)} pages/s`);

    // 2. Text ingest, which also builds the search corpus: documents of PER_DOC paragraphs. The first
    // DURABLE_DOCS are ingested as the gateway does (one synchronous=FULL commit per document): that is the
    // throughput figure. The rest of the corpus is bulk-loaded through a second connection with synchronous=OFF
    // (SQLite only), which is how an operator would seed a corpus, and is reported separately.
    const docs = PASSAGES / PER_DOC;
    const DURABLE_DOCS = Math.min(docs, quick ? 200 : 250);
    const makeDoc = (i: number) => {
      const text = `${word()} ${word()} report\n\n${Array.from({ length: PER_DOC }, paragraph).join("\n\n")}`;
      const owner = NATIONS[i % NATIONS.length]!;
      const releasableTo = rand() < 0.7 ? ("all" as const) : [NATIONS[(i + 1) % NATIONS.length]!];
      return { filename: `t${i}.txt`, bytes: Buffer.from(text), nation: owner, releasableTo, language: "eng", tags: [i % 2 ? "odd" : "even"] };
    };
    let bytesIn = 0;
    t = performance.now();
    for (let i = 0; i < DURABLE_DOCS; i++) {
      const d = makeDoc(i);
      bytesIn += d.bytes.byteLength;
      await ingestDocument(store, d, { guard });
    }
    const txtSec = (performance.now() - t) / 1000;
    console.log(`ingest text: ${(bytesIn / 1e6).toFixed(2)} MB (${DURABLE_DOCS} docs, ${DURABLE_DOCS * PER_DOC} passages) in ${txtSec.toFixed(1)} s = ${(bytesIn / 1e6 / txtSec).toFixed(2)} MB/s, ${((DURABLE_DOCS * PER_DOC) / txtSec).toFixed(0)} passages/s (durable commit per document)`);
    if (docs > DURABLE_DOCS) {
      const bulkDb = store.kind === "sqlite" ? openSqlite(url.slice("sqlite:".length)) : null;
      bulkDb?.pragma("synchronous = OFF");
      bulkDb?.pragma("cache_size = -262144");
      const bulk = bulkDb ? sqliteDocumentStore(bulkDb) : store;
      let bulkBytes = 0;
      t = performance.now();
      for (let i = DURABLE_DOCS; i < docs; i++) {
        const d = makeDoc(i);
        bulkBytes += d.bytes.byteLength;
        await ingestDocument(bulk, d, { guard });
        if (process.stderr.isTTY && i % 200 === 0) process.stderr.write(`\r  loading ${i}/${docs}`);
      }
      const bulkSec = (performance.now() - t) / 1000;
      if (process.stderr.isTTY) process.stderr.write("\r");
      bulkDb?.close();
      console.log(`bulk load:   ${(bulkBytes / 1e6).toFixed(1)} MB (${docs - DURABLE_DOCS} docs) in ${bulkSec.toFixed(1)} s = ${(bulkBytes / 1e6 / bulkSec).toFixed(2)} MB/s, ${(((docs - DURABLE_DOCS) * PER_DOC) / bulkSec).toFixed(0)} passages/s${bulkDb ? " (synchronous=OFF)" : ""}`);
    }

    // 3. Search latency: two- and three-word queries from the mid-frequency vocabulary, some phrases, random nations.
    const latencies: number[] = [];
    let hits = 0;
    for (let q = 0; q < QUERIES; q++) {
      const pick = () => VOCAB[50 + Math.floor(rand() * 2000)]!;
      const query = q % 5 === 4 ? `"${word()} ${word()}"` : Array.from({ length: 2 + (q % 2) }, pick).join(q % 3 === 0 ? " OR " : " ");
      const nation = NATIONS[q % NATIONS.length]!;
      const t0 = performance.now();
      const r = await searchDocuments(store, { q: query, nation, query_languages: ["eng"], limit: 10 });
      latencies.push(performance.now() - t0);
      hits += r.data.length;
    }
    console.log(`search:      ${QUERIES} queries over ${PASSAGES} passages: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, mean ${(latencies.reduce((a, b) => a + b, 0) / QUERIES).toFixed(1)} ms (${(hits / QUERIES).toFixed(1)} results/query)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
