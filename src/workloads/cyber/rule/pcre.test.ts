import { test } from "node:test";
import assert from "node:assert/strict";
import { pcreToJs } from "./pcre.ts";
import { UnsupportedRule } from "./unsupported.ts";

/** Whether the PCRE pattern, under Sigma's sub-modifier flags, matches somewhere in `subject`. */
const matches = (pattern: string, subject: string, flags = ""): boolean => {
  const js = pcreToJs(pattern, flags);
  return new RegExp(js.source, js.flags).test(subject);
};

test("$ also matches before a newline that ends the value, as in PCRE, but not before an inner one", () => {
  assert.equal(matches("cmd\\.exe$", "C:\\cmd.exe\n"), true);
  assert.equal(matches("cmd\\.exe$", "C:\\cmd.exe"), true);
  assert.equal(matches("cmd\\.exe$", "C:\\cmd.exe\nmore"), false);
  assert.equal(matches("cmd\\.exe$", "C:\\cmd.exe\n\n"), false);
});

test("the dot matches a carriage return but not a line feed, and everything with s", () => {
  assert.equal(matches("a.b", "a\rb"), true);
  assert.equal(matches("a.b", "a\nb"), false);
  assert.equal(matches("a.b", "a\nb", "s"), true);
  assert.equal(matches("a.b", "a\u2028b"), true);
});

test("with m, ^ and $ work at line feeds only (PCRE's newline), not at \\r or U+2028", () => {
  assert.equal(matches("^b$", "a\nb\nc", "m"), true);
  assert.equal(matches("^b$", "a\rb\rc", "m"), false);
  assert.equal(matches("^b$", "a\u2028b", "m"), false);
  assert.equal(matches("^b$", "a\nb"), false);
  // After a newline that ends the subject there is no line start (pcre2pattern, "Circumflex and dollar").
  assert.equal(matches("^$", "a\n", "m"), false);
  assert.equal(matches("^$", "a\n\nb", "m"), true);
});

test("a ] right after [ or [^ is a member, as PCRE reads it", () => {
  assert.equal(matches("[]a]", "]"), true);
  assert.equal(matches("x[^]]y", "x]y"), false);
  assert.equal(matches("x[^]]y", "xzy"), true);
});

test("\\A, \\z and \\Z anchor to the subject, \\x{...} is a code point, (?P<n>) is a named group", () => {
  assert.equal(matches("\\Aab", "ab"), true);
  assert.equal(matches("\\Aab", "A ab"), false);
  assert.equal(matches("ab\\z", "ab\n"), false);
  assert.equal(matches("ab\\Z", "ab\n"), true);
  assert.equal(matches("\\x{41}\\x{1F600}+", "A😀😀"), true);
  assert.equal(matches("[\\x{41}-\\x{43}]", "B"), true);
  assert.equal(matches("(?P<q>['\"]).*(?P=q)", "say 'hi'"), true);
});

test("escapes and classes whose PCRE meaning JavaScript would change are refused, not guessed", () => {
  for (const p of ["\\h+", "[[:alpha:]]+", "\\Qa.b\\E", "\\p{L}", "\\R", "\\K", "a\\"]) {
    assert.throws(() => pcreToJs(p, ""), UnsupportedRule, p);
  }
});

test("escaped metacharacters and shared escapes pass through unchanged", () => {
  assert.equal(pcreToJs("\\$\\.\\^\\d+\\s\\w\\\\", "").source, "\\$\\.\\^\\d+\\s\\w\\\\");
  assert.equal(matches("price \\$\\d+\\.\\d\\d", "price $12.50"), true);
  assert.equal(matches("[.$^]", "$"), true);
});

test("only i is left as a flag: m and s are spelled out in the pattern", () => {
  assert.equal(pcreToJs("a.b$", "ims").flags, "i");
  assert.equal(matches("A.B$", "xa\nb", "is"), true);
});
