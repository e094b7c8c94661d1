import { test } from "node:test";
import assert from "node:assert/strict";
import { literalSet, templateClauses } from "./shape.ts";

test("a regex's keyword set: one of its strings is in every text it matches", () => {
  assert.deepEqual(literalSet("identify|track(?:ing)?|spy on"), ["identify", "track", "spy on"]);
  // The longest mandatory run of an alternative; optional letters and classes break runs.
  assert.deepEqual(literalSet("re-?identif(?:y|ies)|\\w+ who (?:joined|wrote)"), ["identif", " who "]);
  // ...or a group whose every branch gives a longer word.
  assert.deepEqual(literalSet("\\w+ who (?:attended|posted)"), ["attended", "posted"]);
  // A group whose every branch gives a word stands for the alternative when no run does.
  assert.deepEqual(literalSet("(?:all|every) (?:people|persons)"), ["people", "persons"]);
});

test("a regex with an alternative that gives no word of 3 letters has no keyword set", () => {
  assert.equal(literalSet("track|\\w*in"), null);
  assert.equal(literalSet("ab|track"), null);
});

test("a template needs each placeholder that stands required in its own group, not those in lookarounds or optional", () => {
  assert.deepEqual(templateClauses("\\b(?:{sv})\\b(?<!(?:{descr}) )[^.]{0,80}?\\b(?:{people}|{everyone})\\b"), [["sv"], ["people", "everyone"]]);
  assert.deepEqual(templateClauses("(?:^|\\b(?:{req}) |, )(?:{sv})(?:{x})?"), [["sv"]]);
  assert.deepEqual(templateClauses("{topic}"), [["topic"]]);
  // Either branch of a top-level alternation: its first needs, joined.
  assert.deepEqual(templateClauses("\\b(?:{a})\\b.*(?:{b})|(?:{c}) (?:{a})"), [["a", "c"]]);
});

test("a placeholder not alone in its group gives no clauses, since its lexicon's alternation would leak", () => {
  assert.deepEqual(templateClauses("\\b{sv} (?:{people})"), []);
});
