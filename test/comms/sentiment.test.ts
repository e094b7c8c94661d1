import { test } from "node:test";
import assert from "node:assert/strict";
import { loadSentimentSet } from "./sentiment-set.ts";
import { analyzeSentiment, baselineSentiment } from "../../src/workloads/comms/sentiment.ts";

const set = loadSentimentSet();

test("the labelled set has at least 40 messages per class over at least 4 languages", () => {
  assert.ok(new Set(set.map((s) => s.lang)).size >= 4);
  for (const label of ["positive", "neutral", "negative"] as const) assert.ok(set.filter((s) => s.label === label).length >= 40, label);
});

test("three-class accuracy reaches 88% and beats the bare word-list baseline", () => {
  const ours = set.filter((s) => analyzeSentiment(s.text, s.lang).label === s.label).length / set.length;
  const base = set.filter((s) => baselineSentiment(s.text, s.lang) === s.label).length / set.length;
  assert.ok(ours >= 0.88, `ours ${ours}`);
  assert.ok(ours > base, `ours ${ours} baseline ${base}`);
});

test("negation flips a positive word (forward in English, backward in German and Turkish)", () => {
  assert.equal(analyzeSentiment("The food was good.", "eng").label, "positive");
  assert.equal(analyzeSentiment("The food was not good at all.", "eng").label, "negative");
  assert.equal(analyzeSentiment("Das Essen gefällt mir nicht, es ist nicht gut.", "deu").label, "negative");
  assert.equal(analyzeSentiment("Yemek iyi değil.", "tur").label, "negative");
});

test("an intensifier raises the score and a softener lowers it", () => {
  const plain = analyzeSentiment("The exercise was good.", "eng").score;
  assert.ok(analyzeSentiment("The exercise was very good.", "eng").score > plain);
  assert.ok(analyzeSentiment("The exercise was slightly good.", "eng").score < plain);
});

test("inflected forms match their dictionary entry through the stem (German, Polish)", () => {
  const de = analyzeSentiment("Wir hatten große Verspätungen.", "deu");
  assert.equal(de.label, "negative");
  assert.ok(de.evidence.some((e) => e.word === "verspätungen"));
  const pl = analyzeSentiment("Mamy kolejne opóźnienia dostaw.", "pol");
  assert.equal(pl.label, "negative");
});

test("evidence names the words that drove the label, and a message without them is neutral with score 0", () => {
  const r = analyzeSentiment("Merci beaucoup, le travail était excellent.", "fr");
  assert.equal(r.label, "positive");
  assert.ok(r.evidence.some((e) => e.word === "excellent" && e.weight > 0));
  assert.deepEqual(analyzeSentiment("Le convoi part à six heures.", "fra"), { label: "neutral", score: 0, evidence: [] });
});

test("after 'but' the second clause outweighs the first", () => {
  assert.equal(analyzeSentiment("The food was good but the quarters were terrible and dirty.", "eng").label, "negative");
});

test("every member language has a working analyzer (word list where one exists, neutral otherwise)", async () => {
  const { MEMBER_LANGUAGES } = await import("../../src/workloads/comms/languages.ts");
  for (const l of MEMBER_LANGUAGES) {
    const r = analyzeSentiment("Konvoj авантюристичен Übung excellent déçu 2026 — ok!", l.iso3);
    assert.ok(["positive", "neutral", "negative"].includes(r.label), l.iso3);
  }
  assert.equal(analyzeSentiment("anything at all", "und").label, "neutral");
});

test("operational vocabulary is not emotion: live fire, enemy forces and air support are neutral, casualties are not", () => {
  assert.equal(analyzeSentiment("Live fire exercise against enemy forces with air support starts at 06:00.", "eng").label, "neutral");
  assert.equal(analyzeSentiment("Der Angriff der feindlichen Kräfte beginnt nach dem Feuer der Artillerie.", "deu").label, "neutral");
  assert.equal(analyzeSentiment("Two soldiers were injured and one is dead after the accident.", "eng").label, "negative");
});
