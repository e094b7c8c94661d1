import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidRequest } from "../../src/errors/index.ts";
import {
  checkClaims, ingestDocument, openSqliteDocumentStore, summarizeAbstractive, summarizeDocuments, summarizeFiles, type ChatMessage, type SummarizableDocument,
} from "../../src/workloads/documents/index.ts";
import { buildPdf } from "./fixtures.ts";
import { testGuard } from "./helpers.ts";

const REPORT = [
  [{ text: "Flood Response Report", size: 18 }, { text: "Heavy rain flooded the river valley and cut the main road to the northern depot." }, { text: "" },
    { text: "Engineers built a temporary bridge so that supply convoys could reach the depot again." }, { text: "" },
    { text: "The weather was cold and the weather was grey during the whole week of the operation." }],
  [{ text: "Medical support", size: 14 }, { text: "Field hospitals treated forty people for injuries caused by the flood." }, { text: "" },
    { text: "Supply convoys carried medicine and drinking water to the flooded villages every day." }, { text: "" },
    { text: "Supply convoys carried medicine and drinking water to the flooded villages each day." }],
];

/** Every cited sentence must be found, verbatim, in the passage its citation names. */
function assertCitationsHold(summary: { sentences: readonly { text: string; citations: readonly { document_id: string; page: number | null; paragraph: number }[] }[] }, docs: readonly SummarizableDocument[]) {
  for (const s of summary.sentences) {
    for (const c of s.citations) {
      const doc = docs.find((d) => d.document_id === c.document_id);
      const passage = doc?.passages.filter((p) => p.page === c.page && p.paragraph === c.paragraph).map((p) => p.text).join(" ");
      assert.ok(passage?.includes(s.text), `"${s.text}" is not in ${c.document_id} p.${c.page} ¶${c.paragraph}`);
    }
  }
}

test("an extractive summary of a stored PDF cites document, page and paragraph for every sentence and is labelled AI-generated", async () => {
  const store = openSqliteDocumentStore(":memory:");
  const r = await ingestDocument(store, { filename: "flood.pdf", bytes: buildPdf(REPORT), nation: "DEU" }, { guard: testGuard });
  const s = await summarizeDocuments(store, { document_ids: [r.document_id], nation: "DEU", sentences: 3 });
  assert.equal(s.sentences.length, 3);
  assert.equal(s.label.ai_generated, true);
  assert.equal(s.language, "eng");
  const doc = (await store.get(r.document_id, "DEU"))!;
  assertCitationsHold(s, [doc]);
  assert.ok(s.sentences.some((x) => x.citations[0]!.page === 2), "the summary reaches beyond the first page");
  // Redundancy removal: the two near-identical convoy sentences are never both picked.
  assert.ok(s.sentences.filter((x) => x.text.startsWith("Supply convoys carried")).length <= 1);
  // Sentences come in document order.
  const pos = s.sentences.map((x) => doc.passages.findIndex((p) => p.text.includes(x.text)));
  assert.deepEqual(pos, [...pos].sort((a, b) => a - b));
});

test("lead-k takes the first sentences; summaries across several files cite each file", async () => {
  const fr = Buffer.from("Rapport\n\nLes inondations ont coupé la route principale vers le dépôt du nord pendant trois jours.\n\nLes ingénieurs ont construit un pont provisoire pour les convois de ravitaillement.\n\nLes hôpitaux de campagne ont soigné quarante personnes blessées par les eaux.");
  const en = Buffer.from("Report\n\nThe storm damaged two radar stations on the coast during the night.\n\nTechnicians restored power to both stations within a day.\n\nA review of storm readiness is planned for the spring.");
  const lead = await summarizeFiles([{ filename: "fr.txt", bytes: fr }], { mode: "lead", sentences: 2 });
  assert.equal(lead.language, "fra");
  assert.deepEqual(lead.sentences.map((s) => s.text), [
    "Les inondations ont coupé la route principale vers le dépôt du nord pendant trois jours.",
    "Les ingénieurs ont construit un pont provisoire pour les convois de ravitaillement.",
  ]);
  const both = await summarizeFiles([{ filename: "fr.txt", bytes: fr }, { filename: "en.txt", bytes: en }], { sentences: 4 });
  assert.equal(new Set(both.sentences.map((s) => s.citations[0]!.document_id)).size, 2);
  assert.deepEqual(both.documents.map((d) => d.title), ["Rapport", "Report"]);
});

test("summarizing a marked file is refused by the guard", async () => {
  await assert.rejects(summarizeFiles([{ filename: "x.txt", bytes: Buffer.from("NATO SECRET\n\nSome plan that is long enough to summarize.") }], { guard: testGuard }), /ceiling/);
});

const DOCS: SummarizableDocument[] = [{
  document_id: "doc_a", title: "Flood", language: "eng",
  passages: [
    { seq: 0, page: 1, paragraph: 1, heading: null, text: "Heavy rain flooded the valley and cut the main road to the northern depot." },
    { seq: 1, page: 1, paragraph: 2, heading: null, text: "Engineers built a temporary bridge so that supply convoys could reach the depot again." },
  ],
}];

test("abstractive: the model sees numbered passages; uncited claims and citations of passages never given are dropped", async () => {
  let seen: ChatMessage[] = [];
  const complete = async (messages: ChatMessage[]) => {
    seen = messages;
    return "Rain flooded the valley and cut the road to the depot. [P1] Engineers built a temporary bridge for convoys [P2]. The enemy surrendered. Convoys were attacked [P7].";
  };
  const s = await summarizeAbstractive(DOCS, { complete });
  assert.match(seen[1]!.content, /\[P1\] \(Flood, page 1, paragraph 1\)\nHeavy rain/);
  assert.match(seen[0]!.content, /English/);
  assert.deepEqual(s.sentences.map((x) => [x.text, x.citations.map((c) => c.paragraph)]), [
    ["Rain flooded the valley and cut the road to the depot.", [1]],
    ["Engineers built a temporary bridge for convoys.", [2]],
  ]);
  assert.deepEqual(s.dropped, [
    { text: "The enemy surrendered.", reason: "cites no passage" },
    { text: "Convoys were attacked.", reason: "cites passages that were not given: P7" },
  ]);
  assert.equal(s.label.ai_generated, true);
  assert.deepEqual(s.weakly_supported, []);
});

test("abstractive: a cited claim whose words are not in the cited passage is flagged as weakly supported", () => {
  const passages = [{ id: "P1", citation: { document_id: "doc_a", page: 1, paragraph: 1 }, title: "Flood", text: DOCS[0]!.passages[0]!.text }];
  const r = checkClaims("Artillery batteries relocated southwards overnight [P1].", passages, "eng");
  assert.deepEqual(r.weak, [0]);
});

test("abstractive mode without a model endpoint is refused with a clear error", async () => {
  await assert.rejects(summarizeFiles([{ filename: "a.txt", bytes: Buffer.from("Report\n\nThe storm damaged two radar stations on the coast during the night.") }], { mode: "abstractive" }), InvalidRequest);
});

test("abstractive with a focus: the model is given the passages that match it, not the whole document", async () => {
  let seen = "";
  const complete = async (m: ChatMessage[]) => { seen = m[1]!.content; return "Engineers built a bridge [P1]."; };
  const s = await summarizeAbstractive(DOCS, { complete, focus: "bridge convoys" });
  assert.deepEqual(s.passages.map((p) => p.citation.paragraph), [2]);
  assert.doesNotMatch(seen, /Heavy rain/);
  assert.equal(s.sentences[0]!.citations[0]!.paragraph, 2);
});
