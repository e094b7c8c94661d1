import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidRequest } from "../../src/errors/index.ts";
import { fuse, ingestDocument, openSqliteDocumentStore, searchDocuments, type PassageHit } from "../../src/workloads/documents/index.ts";
import { testGuard } from "./helpers.ts";

async function corpus() {
  const store = openSqliteDocumentStore(":memory:");
  const add = (filename: string, text: string, extra: { tags?: string[]; date?: string; nation?: string } = {}) =>
    ingestDocument(store, { filename, bytes: Buffer.from(text), nation: extra.nation ?? "DEU", ...(extra.tags ? { tags: extra.tags } : {}), ...(extra.date ? { date: extra.date } : {}) }, { guard: testGuard });
  const ids = {
    bridge: (await add("bridge.md", "# Bridge repairs\n\nEngineers finished the repairs on Tuesday. Convoys can use the northern depot road again.", { tags: ["engineering"], date: "2026-03-01" })).document_id,
    depot: (await add("depot.md", "# Winter stocks\n\nThe depot in the north holds supplies for the winter. Northern units will draw their supplies there.", { tags: ["logistics"], date: "2026-06-15" })).document_id,
    rations: (await add("rations.md", "# Rations\n\nA long report on rations, medical kits and clothing, which mentions a bridge only once in passing among many other words about food storage, cold chains and kitchens.", { date: "2026-09-30", nation: "FRA" })).document_id,
    german: (await add("lage.md", "# Lagebericht\n\nDie Häuser im Norden wurden evakuiert. Die Ministerien der Länder koordinieren die Versorgung der Bevölkerung mit Lebensmitteln.", { date: "2026-05-05" })).document_id,
  };
  return { store, ids };
}

test("words match by stem: 'supply' finds 'supplies' and the snippet marks the word as written", async () => {
  const { store, ids } = await corpus();
  const r = await searchDocuments(store, { q: "supply", nation: "DEU" });
  assert.deepEqual(r.data.map((h) => h.document_id), [ids.depot]);
  assert.match(r.data[0]!.snippet, /<mark>supplies<\/mark>/);
});

test("German documents are stemmed in German: 'Haus' finds 'Häuser' when the query is German", async () => {
  const { store, ids } = await corpus();
  const r = await searchDocuments(store, { q: "Haus Land", nation: "DEU", query_languages: ["de"] });
  assert.deepEqual(r.data.map((h) => h.document_id), [ids.german]);
  assert.match(r.data[0]!.snippet, /<mark>Häuser<\/mark>/);
  assert.equal(r.data[0]!.language, "deu");
  // With no language given, the query is stemmed in every language the caller's documents are in.
  assert.deepEqual((await searchDocuments(store, { q: "Haus Land", nation: "DEU" })).data.map((h) => h.document_id), [ids.german]);
});

test("a phrase matches only adjacent words in order", async () => {
  const { store, ids } = await corpus();
  assert.deepEqual((await searchDocuments(store, { q: '"northern depot"', nation: "DEU" })).data.map((h) => h.document_id), [ids.bridge]);
  assert.deepEqual((await searchDocuments(store, { q: "northern depot", nation: "DEU" })).data.map((h) => h.document_id).sort(), [ids.bridge, ids.depot].sort());
});

test("field queries and exclusions: title:bridge matches titles only; -word excludes", async () => {
  const { store, ids } = await corpus();
  assert.deepEqual((await searchDocuments(store, { q: "title:bridge", nation: "DEU" })).data.map((h) => h.document_id), [ids.bridge]);
  assert.deepEqual((await searchDocuments(store, { q: "depot -convoys", nation: "DEU" })).data.map((h) => h.document_id), [ids.depot]);
});

test("BM25 ranks a document about the term above one that mentions it once in a long text", async () => {
  const { store, ids } = await corpus();
  const r = await searchDocuments(store, { q: "bridge", nation: "DEU" });
  assert.deepEqual(r.data.map((h) => h.document_id), [ids.bridge, ids.rations]);
  assert.ok(r.data[0]!.score > r.data[1]!.score);
});

test("filters by owner, language, tag and date narrow the results", async () => {
  const { store, ids } = await corpus();
  const any = (extra: object) => searchDocuments(store, { q: "bridge OR depot OR norden OR rations", nation: "DEU", ...extra }).then((r) => r.data.map((h) => h.document_id).sort());
  assert.deepEqual(await any({}), Object.values(ids).sort());
  assert.deepEqual(await any({ owners: ["FRA"] }), [ids.rations]);
  assert.deepEqual(await any({ tags: ["logistics"] }), [ids.depot]);
  assert.deepEqual(await any({ from: "2026-06-01", to: "2026-12-31" }), [ids.depot, ids.rations].sort());
  assert.deepEqual(await any({ languages: ["de"] }), [ids.german]);
  assert.deepEqual(await any({ languages: ["fra"] }), []);
});

test("OR matches either word; pagination pages through ranked documents with a stable total", async () => {
  const { store } = await corpus();
  const q = "bridge OR depot";
  const all = await searchDocuments(store, { q, nation: "DEU" });
  assert.equal(all.total, 3);
  const p1 = await searchDocuments(store, { q, nation: "DEU", limit: 1 });
  const p2 = await searchDocuments(store, { q, nation: "DEU", limit: 1, offset: 1 });
  assert.equal(p1.total, all.total);
  assert.deepEqual([...p1.data, ...p2.data].map((h) => h.document_id), all.data.slice(0, 2).map((h) => h.document_id));
});

test("snippets are HTML-escaped around the highlights", async () => {
  const store = openSqliteDocumentStore(":memory:");
  await ingestDocument(store, { filename: "x.txt", bytes: Buffer.from("Title line\n\nThe <script> tag & the depot are both mentioned here in one sentence."), nation: "DEU" }, { guard: testGuard });
  const r = await searchDocuments(store, { q: "depot", nation: "DEU" });
  assert.match(r.data[0]!.snippet, /&lt;script&gt; tag &amp; the <mark>depot<\/mark>/);
});

test("queries with nothing to look for, or malformed parameters, are refused with InvalidRequest", async () => {
  const { store } = await corpus();
  await assert.rejects(searchDocuments(store, { q: "-depot", nation: "DEU" }), InvalidRequest);
  await assert.rejects(searchDocuments(store, { q: "   ", nation: "DEU" }), InvalidRequest);
  await assert.rejects(searchDocuments(store, { q: "depot", nation: "deu" }), InvalidRequest);
  await assert.rejects(searchDocuments(store, { q: "depot", nation: "DEU", from: "March" }), InvalidRequest);
});

test("reciprocal rank fusion favours documents ranked high in both lists", () => {
  const h = (document_id: string): PassageHit => ({ passage_id: 0, document_id, title: document_id, language: "eng", owner_nation: "DEU", date: "2026-01-01", page: null, paragraph: 1, heading: null, text: "", score: 0 });
  const fused = fuse([[h("a"), h("b"), h("c")], [h("b"), h("d"), h("a")]]);
  assert.deepEqual(fused.map((x) => x.document_id), ["b", "a", "d", "c"]);
  assert.ok(Math.abs(fused[0]!.score - (1 / 62 + 1 / 61)) < 1e-12);
});
