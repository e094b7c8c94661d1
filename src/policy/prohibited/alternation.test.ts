import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { groupAlternatives } from "./alternation.ts";
import { loadRules } from "./detect.ts";
import { prepare } from "./prepare.ts";

test("a word list is grouped by first letter, keeping each word's own syntax", () => {
  assert.equal(
    groupAlternatives("\\b(?:track\\w*|trace|identif\\w*|tracing|re-?identif\\w*)\\b"),
    "\\b(?:t(?:rack\\w*|race|racing)|identif\\w*|re-?identif\\w*)\\b",
  );
});

test("a short list, an optional first letter and a character class stay as written", () => {
  assert.equal(groupAlternatives("(?:ab|ac|ad)"), "(?:ab|ac|ad)");
  assert.equal(groupAlternatives("(?:a?b|ac|ad|ae)"), "(?:a?b|a(?:c|d|e))");
  assert.equal(groupAlternatives("(?:[|(]x|ay|az|aw)"), "(?:[|(]x|a(?:y|z|w))");
});

test("a source with a capture or a backreference is left as it is", () => {
  for (const s of ["(a|b)(?:ca|cb|cc|cd)", "(?:ca|cb|cc|cd)\\1", "(?<n>x)(?:ca|cb|cc|cd)"]) assert.equal(groupAlternatives(s), s);
  // Lookarounds are not captures.
  assert.notEqual(groupAlternatives("(?<!x)(?:ca|cb|cc|cd)"), "(?<!x)(?:ca|cb|cc|cd)");
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test("grouped and written sources match the same texts (random word lists with optional parts, classes, nesting)", () => {
  const rand = seeded(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const piece = (): string => pick(["a", "b", "c", "ab", "ba", "\\w*", "s?", "(?:x|y)", "[ab]", "\\s", " ", "-?", "(?:b|c|ab|ba|a)"]);
  const word = (): string => Array.from({ length: 1 + Math.floor(rand() * 4) }, piece).join("");
  let matched = 0;
  let total = 0;
  for (let round = 0; round < 300; round++) {
    const source = `${pick(["\\b", "", "^"])}(?:${Array.from({ length: 2 + Math.floor(rand() * 12) }, word).join("|")})${pick(["\\b", "", "$", "[^.]{0,3}?c"])}`;
    const written = new RegExp(source);
    const grouped = new RegExp(groupAlternatives(source));
    for (let k = 0; k < 30; k++) {
      const text = Array.from({ length: Math.floor(rand() * 10) }, () => pick(["a", "b", "c", "x", "y", " ", "-", "."])).join("");
      const expected = written.test(text);
      if (expected) matched++;
      total++;
      assert.equal(grouped.test(text), expected, `${source} on ${JSON.stringify(text)}`);
    }
  }
  assert.ok(matched > total / 10 && matched < total * 0.9, `matched ${matched} of ${total}`);
});

test("every rule pattern, grouped, judges the corpus texts as written does", () => {
  const yaml = readFileSync(new URL("./rules.yaml", import.meta.url), "utf8");
  const grouped = loadRules(yaml);
  const written = loadRules(yaml, undefined, { groupAlternatives: false });
  assert.equal(grouped.patterns.length, written.patterns.length);
  const texts = ["prohibited.jsonl", "legitimate.jsonl", "languages.jsonl"]
    .flatMap((f) => readFileSync(new URL(`../../../test/policy/corpus/${f}`, import.meta.url), "utf8").trim().split("\n"))
    .filter((_, i) => i % 25 === 0)
    .map((l) => new TextDecoder("utf-16le").decode(prepare((JSON.parse(l) as { text: string }).text, grouped.keywords).buf));
  let hits = 0;
  grouped.patterns.forEach((g, i) => {
    const w = written.patterns[i]!;
    for (const t of texts) {
      const expected = w.test(t);
      if (expected) hits++;
      assert.equal(g.test(t), expected, `${w.source.slice(0, 80)} on ${t.slice(0, 80)}`);
    }
  });
  assert.ok(hits > 500, `only ${hits} pattern matches: the comparison would say little`);
});
