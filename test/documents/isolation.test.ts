import { test } from "node:test";
import assert from "node:assert/strict";
import { NotFound } from "../../src/errors/index.ts";
import { ingestDocument, searchDocuments, summarizeDocuments, type DocumentStore } from "../../src/workloads/documents/index.ts";
import { postgresFactory, sqliteFactory, testGuard, type StoreFactory } from "./helpers.ts";

const HIDDEN = `Kestrelwing depot audit\n\nThe kestrelwing depot holds fuel and spare parts for the eastern brigade. The depot audit found missing fuel.`;
const SHARED = `Depot inventory\n\nThe central depot holds fuel, rations and spare parts. Fuel stocks at the depot are sufficient for winter.`;

/** A toy embedding: hashed bag of words, enough to exercise the vector path end to end. */
async function embed(texts: string[]): Promise<number[][]> {
  return texts.map((t) => {
    const v = new Array<number>(64).fill(0);
    for (const w of t.toLowerCase().match(/\p{L}+/gu) ?? []) v[[...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 64, 7)]! += 1;
    return v;
  });
}

async function seed(store: DocumentStore, withHidden: boolean): Promise<{ hidden?: string; shared: string }> {
  const shared = await ingestDocument(store, { filename: "shared.txt", bytes: Buffer.from(SHARED), nation: "DEU" }, { guard: testGuard, embed });
  if (!withHidden) return { shared: shared.document_id };
  const hidden = await ingestDocument(store, { filename: "hidden.txt", bytes: Buffer.from(HIDDEN), nation: "DEU", releasableTo: ["FRA"] }, { guard: testGuard, embed });
  return { hidden: hidden.document_id, shared: shared.document_id };
}

for (const factory of [sqliteFactory, postgresFactory] satisfies StoreFactory[]) {
  const it = (name: string, fn: (open: StoreFactory["open"]) => Promise<void>) =>
    test(`${factory.name}: ${name}`, async (t) => {
      const why = await factory.unavailable();
      if (why) return t.skip(why);
      await fn(factory.open);
    });

  await it("a nation outside a document's releasability never sees it in results, snippets, counts, summaries or errors", async (open) => {
    const { store, dispose } = await open();
    try {
      const { hidden, shared } = await seed(store, true);
      const leaks = (x: unknown) => {
        const s = JSON.stringify(x).toLowerCase();
        return s.includes(hidden!) || s.includes("kestrelwing") || s.includes("eastern brigade") || s.includes("audit");
      };
      for (const q of ["kestrelwing", "depot", "depot fuel", '"depot audit"', "title:kestrelwing", "audit OR depot"]) {
        const r = await searchDocuments(store, { q, nation: "POL" });
        assert.ok(!leaks(r), `search ${q} leaked to POL`);
        assert.ok(r.data.every((h) => h.document_id === shared));
        assert.equal(r.total, r.data.length);
      }
      assert.equal((await searchDocuments(store, { q: "kestrelwing", nation: "POL" })).total, 0);
      // A filter narrows; naming the owner does not widen what the caller may see.
      assert.ok(!leaks(await searchDocuments(store, { q: "depot", nation: "POL", owners: ["DEU"] })));
      // Vector search and its fusion with BM25 read through the same releasability condition.
      assert.ok(!leaks(await searchDocuments(store, { q: "kestrelwing depot audit", nation: "POL" }, { embed })));
      assert.equal(await store.get(hidden!, "POL"), null);
      assert.deepEqual(await store.passages("POL", []), []);

      const refusal = await summarizeDocuments(store, { document_ids: [hidden!], nation: "POL" }).catch((e: unknown) => e);
      const absent = "doc_" + "0".repeat(32);
      const missing = await summarizeDocuments(store, { document_ids: [absent], nation: "POL" }).catch((e: unknown) => e);
      assert.ok(refusal instanceof NotFound && missing instanceof NotFound);
      // The caller cannot tell "not released to you" from "does not exist".
      assert.equal(refusal.message.replace(hidden!, "ID"), missing.message.replace(absent, "ID"));
      assert.ok(!JSON.stringify(refusal.toBody()).toLowerCase().includes("kestrelwing"));
      assert.ok(!leaks(await summarizeDocuments(store, { document_ids: [shared], nation: "POL" })));
      // Summarizing a search reads through the same releasability: POL's summary of "depot fuel" is built from
      // the shared document alone, and a search matching only the hidden one finds nothing to summarize.
      const bySearch = await summarizeDocuments(store, { q: "depot fuel", nation: "POL" });
      assert.ok(!leaks(bySearch));
      assert.deepEqual(bySearch.documents.map((d) => d.document_id), [shared]);
      const none = await summarizeDocuments(store, { q: "kestrelwing", nation: "POL" }).catch((e: unknown) => e);
      assert.ok(none instanceof NotFound && !/kestrelwing/i.test(none.message));
      assert.deepEqual((await summarizeDocuments(store, { q: "kestrelwing", nation: "FRA" })).documents.map((d) => d.document_id), [hidden]);

      // The owner and the nation it was released to do see it.
      for (const nation of ["DEU", "FRA"]) {
        const r = await searchDocuments(store, { q: "kestrelwing", nation });
        assert.deepEqual(r.data.map((h) => h.document_id), [hidden]);
        assert.match(r.data[0]!.snippet, /<mark>kestrelwing<\/mark>/i);
      }
    } finally {
      await dispose();
    }
  });

  await it("a hidden document does not change the scores another nation sees (BM25 statistics are per caller)", async (open) => {
    const a = await open();
    const b = await open();
    try {
      await seed(a.store, true);
      await seed(b.store, false);
      for (const q of ["depot fuel", "fuel", "spare parts"]) {
        const withHidden = await searchDocuments(a.store, { q, nation: "POL" });
        const without = await searchDocuments(b.store, { q, nation: "POL" });
        assert.deepEqual(withHidden.data.map((h) => [h.title, h.score.toFixed(12)]), without.data.map((h) => [h.title, h.score.toFixed(12)]));
      }
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
}
