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

test("with a minimum of one character, short literals and escaped control characters still give a needle", () => {
  assert.equal(regexNeedle("\\w+`(?:\\w+|-|.)`[\\w+|\\s]", 1), "`");
  assert.equal(regexNeedle("\\n\\n\\n", 1), "\n\n\n");
  assert.equal(regexNeedle("a.b.c", 1), "a");
  assert.equal(regexNeedle("abc|def", 1), null);
  const patterns = ["\\w+`(?:\\w+|-|.)`[\\w+|\\s]", "\\n\\n\\n\\n", "a.b.c", "\\\\[a-z]{1,3}\\.[a-z]{1,6}\\.[ \"']{1}", "x\\ty?z", "q\\r?w"];
  for (const p of patterns) {
    const needle = regexNeedle(p, 1);
    assert.notEqual(needle, null, p);
    fc.assert(fc.property(fc.stringMatching(new RegExp(p)), (text) => text.toLowerCase().includes(needle!)), { numRuns: 200 });
  }
});

test("escaped letters and digits are never read as literal text, nor are their arguments", () => {
  // Each of these once gave a needle ("x41", "<n>", "A") that matching text need not hold, so rules never fired.
  assert.equal(regexNeedle(String.raw`\Aabc`), "abc");
  assert.equal(regexNeedle(String.raw`abc\z`), "abc");
  assert.equal(regexNeedle(String.raw`abc\Z`), "abc");
  assert.equal(regexNeedle(String.raw`e\x20fgh`), "fgh");
  assert.equal(regexNeedle(String.raw`x\x41yz`), null);
  assert.equal(regexNeedle(String.raw`\101bcd`), "bcd");
  assert.equal(regexNeedle(String.raw`(?<n>ab)\k<n>cde`), "cde");
  assert.equal(regexNeedle(String.raw`\x{41}bcd\u0041efg\p{L}hij`), "bcd");
  // Escaped punctuation is itself.
  assert.equal(regexNeedle(String.raw`c:\\windows\.exe`), "c:\\windows.exe");
});
