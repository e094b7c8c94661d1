import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { regexNeedle } from "./regex-needle.ts";

test("the needle is the longest literal run outside groups, classes and optional atoms", () => {
  assert.equal(regexNeedle("invoke-expression\\s+\\(new"), "invoke-expression");
  assert.equal(regexNeedle("^cmd\\.exe /c (whoami|net)"), "cmd.exe /c ");
  assert.equal(regexNeedle("abcd?efgh"), "efgh");
  assert.equal(regexNeedle("ab[0-9]{2,}xyz1*"), "xyz");
  assert.equal(regexNeedle("\\$\\{input\\}"), "${input}");
  assert.equal(regexNeedle("Secret+Word"), "secret");
});

test("no needle when a top-level alternation or only short literals leave nothing certain", () => {
  assert.equal(regexNeedle("abc|def"), null);
  assert.equal(regexNeedle("a.b.c"), null);
  assert.equal(regexNeedle("(abcdef)"), null);
});

test("every text the expression matches contains the needle (case-folded)", () => {
  const patterns = ["invoke-expression\\s+\\(new", "^cmd\\.exe /c (whoami|net)", "ab[0-9]{2,}xyz1*", "Secret+Word", "x{2}yy?zzz", "foo(bar)?baz.*qux"];
  for (const p of patterns) {
    const needle = regexNeedle(p);
    if (needle === null) continue;
    fc.assert(fc.property(fc.stringMatching(new RegExp(p)), (text) => text.toLowerCase().includes(needle)), { numRuns: 200 });
  }
});
