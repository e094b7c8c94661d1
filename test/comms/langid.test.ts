import { test } from "node:test";
import assert from "node:assert/strict";
import { loadLangidSet } from "./langid-set.ts";
import { loadLanguageIdentifier } from "../../src/workloads/comms/langid.ts";
import { toIso3 } from "../../src/workloads/comms/languages.ts";

const set = loadLangidSet();
const detect = await loadLanguageIdentifier();

test("the hand-written set has at least 20 sentences and 10 snippets in each of at least 20 member languages", () => {
  const langs = new Set(set.map((s) => s.lang));
  assert.ok(langs.size >= 20);
  for (const lang of langs) {
    assert.ok(set.filter((s) => s.lang === lang && s.kind === "sentence").length >= 20, lang);
    assert.ok(set.filter((s) => s.lang === lang && s.kind === "snippet").length >= 10, lang);
  }
});

test("sentences are identified with at least 98% accuracy, ISO 639-3 out", () => {
  const sentences = set.filter((s) => s.kind === "sentence");
  const misses = sentences.filter((s) => detect(s.text).language !== s.lang).map((s) => `${s.lang}: ${s.text}`);
  assert.ok(misses.length <= sentences.length * 0.02, `${misses.length} misses:\n${misses.join("\n")}`);
});

test("short snippets are mostly right, and a wrong answer is rarer than one in ten (und is allowed)", () => {
  const snippets = set.filter((s) => s.kind === "snippet");
  const results = snippets.map((s) => ({ s, got: detect(s.text).language }));
  const right = results.filter((r) => r.got === r.s.lang).length;
  const wrong = results.filter((r) => r.got !== r.s.lang && r.got !== "und").length;
  assert.ok(right >= snippets.length * 0.85, `right ${right}/${snippets.length}`);
  assert.ok(wrong <= snippets.length * 0.1, `wrong ${wrong}/${snippets.length}`);
});

test("Macedonian and Luxembourgish, which ELD lacks, come from the second opinion", () => {
  assert.equal(detect("Вежбата покажа колку добро различните единици можат да соработуваат.").language, "mkd");
  assert.equal(detect("D'Übung huet gewisen, wéi gutt déi verschidden Eenheeten zesumme schaffe kënnen.").language, "ltz");
  assert.equal(detect("Die Übung hat gezeigt, wie gut die verschiedenen Einheiten zusammenarbeiten können.").language, "deu");
});

test("text too short to tell is und with a reason, never a guess", () => {
  assert.deepEqual(detect("ok"), { language: "und", confidence: 0, reason: "too_short" });
  assert.equal(detect("https://example.org 12345 @ops").language, "und");
});

test("text mixing scripts half and half is und (mixed)", () => {
  const r = detect("Конвоят пристигна добре. The convoy arrived safely today.");
  assert.equal(r.language, "und");
  assert.equal(r.reason, "mixed");
});

test("confidence is between 0 and 1 and higher for a long sentence than for two words", () => {
  const long = detect("The convoy left the depot at dawn and reached the border crossing before noon.");
  const short = detect("see you");
  assert.ok(long.confidence > 0 && long.confidence <= 1);
  assert.ok(short.language === "und" || short.confidence <= long.confidence);
});

test("language codes are accepted as ISO 639-1 or 639-3 and normalised to 639-3", () => {
  assert.equal(toIso3("fr"), "fra");
  assert.equal(toIso3("DEU"), "deu");
  assert.equal(toIso3("no"), "nob");
  assert.throws(() => toIso3("xx"), (e: Error & { code?: string }) => e.code === "invalid_request");
});

test("a repeated short word is too short to tell, however often it is repeated", () => {
  assert.equal(detect("ok ok ok").reason, "too_short");
  assert.equal(detect("Danke für alles").language, "deu");
});
