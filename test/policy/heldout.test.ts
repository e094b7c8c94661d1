// Held-out prohibited-use requests (test/policy/heldout/*.jsonl): written apart from the corpus and before the
// rules were last changed, in the eight languages, to measure how the rules do on phrasing they were not built
// from. The figures are printed; the floors asserted are ones the rules reached, so a change that loses recall
// or refuses more legitimate work fails here. Never copy these sentences into rules.yaml.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { detectProhibitedUse } from "../../src/policy/index.ts";

interface Item { id: string; lang: string; text: string; reason?: string }
const load = (name: string): Item[] =>
  readFileSync(new URL(`./heldout/${name}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item);

const prohibited = load("prohibited.jsonl");
const legitimate = load("legitimate.jsonl");

test("the held-out set holds at least 40 prohibited and 40 legitimate requests in 8 languages", () => {
  assert.ok(prohibited.length >= 40 && legitimate.length >= 40, `${prohibited.length} / ${legitimate.length}`);
  assert.equal(new Set(prohibited.map((i) => i.lang)).size, 8);
  assert.equal(new Set(legitimate.map((i) => i.lang)).size, 8);
});

test("held-out recall and false refusals are reported and stay above the floors reached", (t) => {
  const missed = prohibited.filter((i) => detectProhibitedUse(i.text) === null);
  const wrongReason = prohibited.filter((i) => {
    const found = detectProhibitedUse(i.text);
    return found !== null && found.reason !== i.reason;
  });
  const refused = legitimate.filter((i) => detectProhibitedUse(i.text) !== null);
  const caught = prohibited.length - missed.length;
  t.diagnostic(`held-out prohibited refused: ${caught}/${prohibited.length} (${wrongReason.length} with another reason)`);
  t.diagnostic(`held-out legitimate refused: ${refused.length}/${legitimate.length}`);
  t.diagnostic(`missed: ${missed.map((i) => i.id).join(" ") || "none"}`);
  t.diagnostic(`falsely refused: ${refused.map((i) => `${i.id} (${detectProhibitedUse(i.text)?.rule})`).join(" ") || "none"}`);
  assert.ok(caught >= Math.ceil(prohibited.length * RECALL_FLOOR), `recall ${caught}/${prohibited.length}`);
  assert.ok(refused.length <= Math.floor(legitimate.length * FALSE_REFUSAL_CEILING), `false refusals ${refused.length}/${legitimate.length}`);
});

// Floors the rules honestly reach on this set (see docs/policy.md for the figures before and after).
const RECALL_FLOOR = 0.5;
const FALSE_REFUSAL_CEILING = 0.03;
