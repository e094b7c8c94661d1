// The guard against its corpora (test/policy/corpus/*.jsonl, written by the generate_*.py scripts beside them):
// every marked text refused and at most 1% of unmarked ones; every prohibited request refused and at most 3% of
// the legitimate ones nearby.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createMarkingStream, detectProhibitedUse, scanMarkings } from "../../src/policy/index.ts";

interface Item { id: string; lang: string; text: string; how?: string; reason?: string }
const load = (name: string): Item[] =>
  readFileSync(new URL(`./corpus/${name}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item);

const marked = load("marked.jsonl");
const unmarked = load("unmarked.jsonl");
const prohibited = load("prohibited.jsonl");
const legitimate = load("legitimate.jsonl");
const languages = (items: Item[]) => new Set(items.map((i) => i.lang)).size;

test("the marking corpora hold at least 400 marked and 400 unmarked texts in at least 8 languages", () => {
  assert.ok(marked.length >= 400, `${marked.length} marked`);
  assert.ok(unmarked.length >= 400, `${unmarked.length} unmarked`);
  assert.ok(languages(marked) >= 8 && languages(unmarked) >= 8);
});

test("every marked text is refused", () => {
  const missed = marked.filter((i) => scanMarkings(i.text).length === 0).map((i) => `${i.id} (${i.how})`);
  assert.deepEqual(missed, []);
});

test("at most 1% of unmarked texts are refused", () => {
  const refused = unmarked.filter((i) => scanMarkings(i.text).length > 0).map((i) => `${i.id} (${i.how})`);
  assert.ok(refused.length <= unmarked.length * 0.01, `refused: ${refused.join(", ")}`);
});

test("every marked text is also refused when it arrives as a stream of small chunks", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 9 + 1;
  const missed = marked.filter((item) => {
    const stream = createMarkingStream();
    let found = 0;
    for (let i = 0; i < item.text.length; ) {
      const size = next();
      found += stream.push(item.text.slice(i, i + size)).length;
      i += size;
    }
    return found + stream.end().length === 0;
  });
  assert.deepEqual(missed.map((i) => i.id), []);
});

test("the prohibited-use corpora hold at least 150 requests of each kind in 8 languages", () => {
  assert.ok(prohibited.length >= 150 && legitimate.length >= 150, `${prohibited.length} / ${legitimate.length}`);
  assert.ok(languages(prohibited) >= 8 && languages(legitimate) >= 8);
});

test("every prohibited request is refused, with its reason", () => {
  const wrong = prohibited
    .map((i) => ({ i, found: detectProhibitedUse(i.text) }))
    .filter(({ i, found }) => found?.reason !== i.reason)
    .map(({ i, found }) => `${i.id} expected ${i.reason}, got ${found?.rule ?? "nothing"}`);
  assert.deepEqual(wrong, []);
});

test("at most 3% of legitimate nearby requests are refused", () => {
  const refused = legitimate.map((i) => ({ i, found: detectProhibitedUse(i.text) })).filter(({ found }) => found !== null);
  assert.ok(refused.length <= legitimate.length * 0.03, refused.map(({ i, found }) => `${i.id} by ${found?.rule}`).join(", "));
});
