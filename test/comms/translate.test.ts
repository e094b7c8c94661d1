import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { protectTerms, type Glossary } from "../../src/workloads/comms/terminology.ts";
import { LlmTranslator, type ChatMessage } from "../../src/workloads/comms/llm.ts";
import { ApertiumTranslator, findPath, pairsFromModes } from "../../src/workloads/comms/apertium.ts";
import { translate, translateTexts } from "../../src/workloads/comms/translator.ts";
import { fakeComplete } from "./fake-llm.ts";

const glossary: Glossary = [
  { term: "Rapid Reaction Corps", translations: {}, ignore_case: false },
  { term: "headquarters", translations: { fr: "QG", spa: "cuartel general" }, ignore_case: true },
];
const MODES = "/usr/share/apertium/modes";
const hasApertium = existsSync(`${MODES}/eng-spa.mode`) && existsSync(`${MODES}/fr-es.mode`);
const apertiumSkip = hasApertium ? false : "Debian apertium, apertium-eng-spa and apertium-fr-es are not installed";

test("acronyms and glossary terms become placeholders and come back, fixed translations in the target language", () => {
  const p = protectTerms("The Rapid Reaction Corps headquarters asked NATO and JFC-NP for 3 trucks.", { glossary });
  assert.equal(p.text, "The ⟦1⟧ ⟦2⟧ asked ⟦3⟧ and ⟦4⟧ for 3 trucks.");
  assert.equal(p.restore("Le ⟦2⟧ du ⟦1⟧ a demandé 3 camions à ⟦3⟧ et ⟦4⟧.", "fra"), "Le QG du Rapid Reaction Corps a demandé 3 camions à NATO et JFC-NP.");
});

test("an engine that drops a protected term is an error, not a silently wrong translation", () => {
  const p = protectTerms("NATO met ARRC.");
  assert.throws(() => p.restore("⟦1⟧ met.", "fra"), (e: Error & { code?: string }) => e.code === "upstream_error");
});

test("a placeholder-looking string in the input is not mistaken for a protected term", () => {
  const p = protectTerms("keep ⟦1⟧ literally, and NATO");
  assert.equal(p.restore(p.text, "fra"), "keep ⟦1⟧ literally, and NATO");
});

test("the LLM engine gets placeholders, never the protected terms, and the glossary survives its translation", async () => {
  const log: ChatMessage[][] = [];
  const llm = new LlmTranslator({ complete: fakeComplete(log) });
  const r = await translate("The convoy reached the Rapid Reaction Corps headquarters at dawn with NATO trucks.", { from: "en", to: "fr", engines: [llm], glossary });
  assert.equal(r.text, "Le convoi a atteint le Rapid Reaction Corps QG à l'aube avec NATO camions.");
  assert.deepEqual(r.route, { engine: "llm", path: ["eng", "fra"] });
  const sent = log.map((m) => m[1]?.content).join(" ");
  assert.ok(!sent.includes("NATO") && !sent.includes("Rapid Reaction Corps"), sent);
});

test("installed Apertium pairs are read from mode names; variants and non-member languages are skipped", () => {
  const pairs = pairsFromModes(["eng-spa.mode", "fr-es.mode", "es-pt_BR.mode", "eco-es-fr.mode", "dan-nno.mode", "nob-dan.mode", "README"]);
  assert.deepEqual(pairs.map((p) => `${p.from}-${p.to}`), ["eng-spa", "fra-spa", "nob-dan"]);
  assert.deepEqual(findPath([...pairs, { from: "spa", to: "eng" }], "fra", "eng"), ["fra", "spa", "eng"]);
  assert.equal(findPath(pairs, "deu", "eng"), undefined);
});

test("an unservable pair is refused naming the Debian packages to install, or saying none exists", async () => {
  const apertium = new ApertiumTranslator({ modesDir: "/nonexistent" });
  await assert.rejects(translate("x", { from: "fr", to: "en", engines: [apertium] }), /no translation engine can serve fra→eng \(engines: apertium\): install the Debian packages apertium apertium-/);
  assert.match(await apertium.installHint("fra", "eng"), /apertium-fr-es.*apertium-eng-spa|apertium-eng-spa.*apertium-fr-es/);
  assert.match(await apertium.installHint("deu", "pol"), /no pair or pivot path.*LLM/);
});

test("Apertium translates English to Spanish keeping acronyms and the glossary", { skip: apertiumSkip }, async () => {
  const r = await translate("The headquarters of NATO sent the trucks to the Rapid Reaction Corps.", { from: "eng", to: "spa", engines: [new ApertiumTranslator()], glossary });
  assert.deepEqual(r.route.path, ["eng", "spa"]);
  assert.match(r.text, /cuartel general/);
  assert.match(r.text, /NATO/);
  assert.match(r.text, /Rapid Reaction Corps/);
  assert.doesNotMatch(r.text, /OTAN/);
  assert.match(r.text, /camiones/);
});

test("Apertium pivots French to English through Spanish, several messages in one pass", { skip: apertiumSkip || (!existsSync(`${MODES}/spa-eng.mode`) && "apertium-eng-spa lacks spa-eng") }, async () => {
  const r = await translateTexts(["Le convoi est arrivé à la base de l'OTAN.", "Merci beaucoup.", "Le QG du JFC-NP est fermé."], { from: "fr", to: "en", engines: [new ApertiumTranslator()] });
  assert.deepEqual(r.route, { engine: "apertium", path: ["fra", "spa", "eng"] });
  assert.equal(r.texts.length, 3);
  assert.match(r.texts[0] as string, /convoy/i);
  assert.match(r.texts[1] as string, /thank/i);
  assert.match(r.texts[2] as string, /JFC-NP/);
  assert.match(r.texts[2] as string, /QG/);
});

test("the first engine able to serve a pair is used: Apertium when the LLM is absent, the LLM for pairs Apertium lacks", { skip: apertiumSkip }, async () => {
  const apertium = new ApertiumTranslator();
  const llm = new LlmTranslator({ complete: fakeComplete() });
  assert.equal((await translate("Good exercise.", { from: "en", to: "es", engines: [apertium, llm] })).route.engine, "apertium");
  assert.equal((await translate("Good exercise.", { from: "en", to: "fr", engines: [llm] })).route.engine, "llm");
  const viaFallback = await translate("The exercise was good.", { from: "en", to: "pl", engines: [apertium, llm] });
  assert.equal(viaFallback.route.engine, "llm");
});

test("the LLM sentiment method parses the model's JSON and refuses an answer without a valid label", async () => {
  const { llmSentiment } = await import("../../src/workloads/comms/llm.ts");
  const r = await llmSentiment("The fuel convoy is late again.", "eng", fakeComplete());
  assert.equal(r.label, "negative");
  assert.deepEqual(r.evidence, [{ word: "late", weight: -1 }]);
  await assert.rejects(llmSentiment("x", "eng", async () => "I think it is fine."), (e: Error & { code?: string }) => e.code === "upstream_error");
  await assert.rejects(llmSentiment("x", "eng", async () => '{"label":"great"}'), /no valid label/);
});
