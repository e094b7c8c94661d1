import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  analyzeMessages, createPseudonymizer, readCorpus, readCorpusFile, LlmTranslator, type AnalyzedMessage, type CorpusRecord, type Message,
} from "../../src/workloads/comms/index.ts";
import { fakeComplete } from "./fake-llm.ts";

const SAMPLE = join(import.meta.dirname, "../../examples/comms");
const key = Buffer.alloc(32, 9);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test("JSON lines: a malformed line is reported with its line number and the run goes on", async () => {
  const input = ['{"id":"a","text":"The convoy arrived."}', "", "{not json", '{"id":"b"}', '{"id":3,"text":"Merci beaucoup.","time":"2026-02-10T10:00:00Z"}', '{"id":"c","text":"x","time":"yesterday"}'].join("\n");
  const records = await collect(readCorpus(Readable.from([input]), "jsonl"));
  assert.deepEqual(records.map((r) => [r.kind, r.line]), [["message", 1], ["malformed", 3], ["malformed", 4], ["message", 5], ["malformed", 6]]);
  const third = records[3] as Extract<CorpusRecord, { kind: "message" }>;
  assert.deepEqual(third.message, { id: "3", text: "Merci beaucoup.", time: "2026-02-10T10:00:00.000Z" });
});

test("CSV with id,text,time,channel,author columns; a record with the wrong column count is reported and skipped", async () => {
  const csv = 'id,text,time,channel,author\n1,"Good work, team",2026-02-10T08:00:00Z,ops,a@x\n2,too,many,columns,here,extra\n3,"Quoted ""text""",,,\n';
  const records = await collect(readCorpus(Readable.from([csv]), "csv"));
  assert.deepEqual(records.map((r) => r.kind), ["message", "malformed", "message"]);
  assert.equal(records[1]?.line, 3);
  assert.deepEqual((records[0] as Extract<CorpusRecord, { kind: "message" }>).message, { id: "1", text: "Good work, team", time: "2026-02-10T08:00:00.000Z", channel: "ops", author: "a@x" });
  assert.equal((records[2] as Extract<CorpusRecord, { kind: "message" }>).message.text, 'Quoted "text"');
});

test("mbox and .eml: each mail becomes a message (subject and body, sender, date, list as channel)", async () => {
  const records = await collect(readCorpusFile(join(SAMPLE, "winter-bridge.mbox")));
  assert.equal(records.length, 4);
  const first = records[0] as Extract<CorpusRecord, { kind: "message" }>;
  assert.equal(first.line, 1);
  assert.equal(first.message.id, "wb-001@alliance.example");
  assert.equal(first.message.author, "sgt.novak@army.example");
  assert.match(first.message.text, /Fuel convoy delayed/);
  assert.equal(first.message.time, "2026-02-09T08:00:00.000Z");
  const eml = readFileSync(join(SAMPLE, "winter-bridge.mbox"), "utf8").split("\n").slice(1, 10).join("\n");
  const one = await collect(readCorpus(Readable.from([eml]), "eml"));
  assert.equal(one.length, 1);
  assert.equal(one[0]?.kind, "message");
});

test("authors are pseudonymised: stable within an analysis, unlinkable across analyses, official accounts named", async () => {
  const msgs: Message[] = [
    { id: "1", text: "The bridge is finished, great work.", author: "Sgt Novak <novak@army.example>" },
    { id: "2", text: "Fuel is late again.", author: "novak@army.example" },
    { id: "3", text: "The exercise starts today.", author: "press.office@alliance.example" },
  ];
  const run = async () => collect(analyzeMessages(msgs, {}, { pseudonymize: createPseudonymizer({ key, officialAccounts: ["press.office@alliance.example"] }) }).results);
  const a = await run(), b = await run();
  assert.match(a[0]?.author ?? "", /^p_[a-z2-7]{16}$/);
  assert.equal(a[0]?.author, a[1]?.author, "same author, same pseudonym within one analysis");
  assert.notEqual(a[0]?.author, b[0]?.author, "a fresh salt per analysis");
  assert.equal(a[2]?.author, "press.office@alliance.example");
  assert.ok(!JSON.stringify(a).includes("novak"));
});

test("options asking to group, rank or profile by author are refused as prohibited use (mass surveillance)", () => {
  const pseudonymize = createPseudonymizer({ key });
  for (const options of [{ group_by: ["author"] }, { rank_by: "sender" }, { per_person: true }, { group_by: ["channel"], top: { by: "user" } }, { profile_authors: true }]) {
    assert.throws(() => analyzeMessages([], options, { pseudonymize }), (e: Error & { code?: string; details?: Record<string, unknown> }) => {
      assert.equal(e.code, "prohibited_use", JSON.stringify(options));
      assert.deepEqual(e.details, { reason: "mass_surveillance" });
      return true;
    });
  }
  assert.throws(() => analyzeMessages([], { colour: "red" }, { pseudonymize }), (e: Error & { code?: string }) => e.code === "invalid_request");
  assert.doesNotThrow(() => analyzeMessages([], { group_by: ["channel", "day", "official_account"], purpose: "after-action review" }, { pseudonymize }));
});

test("results stream: the first comes out after reading only the first message", async () => {
  let pulled = 0;
  async function* source(): AsyncGenerator<Message> {
    for (let i = 0; i < 1000; i++) { pulled++; yield { id: String(i), text: "The convoy arrived at the base on time." }; }
  }
  const results = analyzeMessages(source(), {}, { pseudonymize: createPseudonymizer({ key }) }).results;
  const first = await results.next();
  assert.equal((first.value as AnalyzedMessage).id, "0");
  assert.ok(pulled <= 2, `pulled ${pulled}`);
  await results.return(undefined);
});

test("--to adds a translation through the engines given, terminology protected; same-language messages are copied", async () => {
  const msgs: Message[] = [{ id: "1", text: "The convoy reached the NATO base at dawn." }, { id: "2", text: "Le convoi est arrivé à la base." }];
  const out = await collect(analyzeMessages(msgs, { to: "fr" }, { pseudonymize: createPseudonymizer({ key }), translators: [new LlmTranslator({ complete: fakeComplete() })] }).results);
  assert.equal(out[0]?.translation, "Le convoi a atteint le NATO base à l'aube.");
  assert.equal(out[1]?.translation, "Le convoi est arrivé à la base.");
});

test("the summary counts languages, labels and malformed records, and series by channel and day", async () => {
  const analysis = analyzeMessages(readCorpusFile(join(SAMPLE, "winter-bridge.jsonl")), { purpose: "test" }, { pseudonymize: createPseudonymizer({ key }) });
  const out = await collect(analysis.results);
  const s = analysis.summary();
  assert.equal(out.length, 48);
  assert.equal(s.messages, 48);
  assert.deepEqual(s.malformedLines.map((m) => m.line), [21, 34]);
  assert.equal(s.labels.positive + s.labels.neutral + s.labels.negative, 48);
  assert.deepEqual(s.series.map((c) => c.channel), ["exercise-forum", "logistics", "press"]);
  assert.ok(s.languages.length >= 10);
  assert.ok(s.mostNegative.every((q) => q.score < 0) && s.mostPositive.every((q) => q.score > 0));
});

test("llm_sentiment asks the model through the injected complete, and without one the lexicon answers", async () => {
  const msgs: Message[] = [{ id: "1", text: "The fuel convoy is late again and the generator is broken." }];
  const calls: unknown[] = [];
  const viaModel = await collect(analyzeMessages(msgs, { llm_sentiment: true }, { pseudonymize: createPseudonymizer({ key }), complete: fakeComplete(calls as never[]) }).results);
  assert.equal(calls.length, 1);
  assert.deepEqual(viaModel[0]?.sentiment, { label: "negative", score: -0.6, evidence: [{ word: "late", weight: -1 }] });
  const lexicon = await collect(analyzeMessages(msgs, { llm_sentiment: true }, { pseudonymize: createPseudonymizer({ key }) }).results);
  assert.equal(lexicon[0]?.sentiment.label, "negative");
  assert.ok(lexicon[0]?.sentiment.evidence.some((e) => e.word === "broken"));
});
