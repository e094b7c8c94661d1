import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGate, languagesIn } from "./gate.ts";

const gate = buildGate(new Map([["hr", "koji|sve|\\w+(?:skog|nog)|naj\\w+"], ["da", "og|ikke|\\w+(?:erne)"]]));
const hr = gate.bits.get("hr")!;
const da = gate.bits.get("da")!;
const buf = (s: string) => Uint16Array.from(s, (c) => c.charCodeAt(0));
const admits = (s: string, bit: number) => (languagesIn(gate, buf(s), 0, s.length) & bit) !== 0;

test("a passage is read in a marker language when one of its words, endings or beginnings is there, as a whole word", () => {
  assert.ok(admits("odaberi sve ciljeve", hr));
  assert.ok(admits("napad na vojnog zapovjednog mjesta", hr), "an ending");
  assert.ok(admits("koji je najbolji", hr));
  assert.ok(admits("najbolji cilj", hr), "a beginning");
  assert.ok(admits("beregn skydedata og send", da));
  // A marker inside another word, or a whole word that is only the ending or beginning, does not count.
  assert.ok(!admits("svelte koji-koji", hr));
  assert.ok(!admits("the software skog naj", hr));
  assert.ok(!admits("summarise the public reports", hr));
  assert.ok(!admits("", hr));
});

test("the languages of a stretch of text are the bits of all its words together", () => {
  const s = "koji ikke";
  assert.equal(languagesIn(gate, buf(s), 0, s.length), hr | da);
  assert.equal(languagesIn(gate, buf(s), 0, 4), hr);
  assert.equal(languagesIn(gate, buf("nothing here"), 0, 12), 0);
});

test("a marker entry that is not words, endings or beginnings is refused, naming the language", () => {
  assert.throws(() => buildGate(new Map([["xx", "ab(c|d)"]])), /xx\/marker: "ab\(c\|d\)"/);
  assert.throws(() => buildGate(new Map([["xx", "\\w+(?:a b)"]])), /ending "a b"/);
});
