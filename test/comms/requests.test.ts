import { test } from "node:test";
import assert from "node:assert/strict";
import { createPseudonymizer, handleAnalyze, handleTranslate, LlmTranslator } from "../../src/workloads/comms/index.ts";
import { fakeComplete } from "./fake-llm.ts";

const pseudonymize = createPseudonymizer({ key: Buffer.alloc(32, 5) });

test("POST /v1/workloads/comms/analyze body: invalid messages are counted, valid ones analysed, authors pseudonymised", async () => {
  const r = await handleAnalyze({ messages: [{ id: "1", text: "Great work on the bridge, thank you!", author: "a@x.example" }, { id: "2" }], options: { purpose: "review" } }, { pseudonymize });
  assert.equal(r.object, "comms.analysis");
  assert.equal(r.data.length, 1);
  assert.equal(r.data[0]?.sentiment.label, "positive");
  assert.match(r.data[0]?.author ?? "", /^p_/);
  assert.deepEqual(r.summary.malformedLines, [{ line: 2, reason: "text: Invalid input: expected string, received undefined" }]);
});

test("an analyze body asking for per-author output anywhere outside the messages is prohibited use", async () => {
  for (const body of [{ messages: [{ text: "x" }], options: { group_by: ["author"] } }, { messages: [{ text: "x" }], rank_authors: true }]) {
    await assert.rejects(handleAnalyze(body, { pseudonymize }), (e: Error & { code?: string; details?: unknown }) => e.code === "prohibited_use" && JSON.stringify(e.details) === '{"reason":"mass_surveillance"}');
  }
  await assert.rejects(handleAnalyze({ messages: [] }, { pseudonymize }), (e: Error & { code?: string }) => e.code === "invalid_request");
});

test("POST /v1/workloads/translate body: text or texts, route reported, bad bodies are invalid_request", async () => {
  const engines = [new LlmTranslator({ complete: fakeComplete() })];
  const one = await handleTranslate({ text: "The convoy arrived.", from: "en", to: "fr" }, engines);
  assert.deepEqual(one, { object: "translation", text: "Le convoi est arrivé.", route: { engine: "llm", path: ["eng", "fra"] } });
  const many = await handleTranslate({ texts: ["good", "the base"], from: "eng", to: "fra" }, engines);
  assert.deepEqual(many.texts, ["bon", "le base"]);
  await assert.rejects(handleTranslate({ text: "x", texts: ["y"], from: "en", to: "fr" }, engines), /exactly one of text and texts/);
  await assert.rejects(handleTranslate({ text: "x", from: "en", to: "xx" }, engines), (e: Error & { code?: string; param?: string }) => e.code === "invalid_request" && e.param === "to");
});
