import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { params } from "../../../test/property/fc.ts";
import { scanMarkings } from "../index.ts";
import { markingHits } from "./scan.ts";

// The scan walks the trie only from the starts its regex proposes (starts.ts); `exhaustive` folds every
// character through the automaton instead. Both must find the same markings, whatever the text.
const fast = (text: string, openStart = false) => markingHits(text, openStart);
const slow = (text: string, openStart = false) => markingHits(text, openStart, true);
const names = (text: string) => scanMarkings(text).map((f) => `${f.marking}@${f.location.offset}`);

const filler = "The convoy left the depot at dawn and the report on fuel stocks follows below. ".repeat(40);

test("markings with zero-width, full-width or look-alike letters are found at the start, middle and end of long ASCII text", () => {
  const evasive = [
    "NATO SE\u200bCR\u200dET", // zero-width inside
    "\u200bNATO SECRET", // zero-width first
    "\uff2e\uff21\uff34\uff2f \uff33\uff25\uff23\uff32\uff25\uff34", // full-width
    "N\u0410TO S\u0415CRET", // Cyrillic А and Е
    "NATO SECRE\u0422", // Cyrillic Т last
    "\u0405ECRET", // Cyrillic Ѕ first
    "NATO SE\\u200bCRET", // an escaped zero-width character in a raw JSON body
    "\\u004eATO SECRET", // an escaped first letter
  ];
  for (const marking of evasive) {
    for (const text of [`${marking}\n${filler}`, `${filler}\n${marking}\n${filler}`, `${filler}\n${marking}`]) {
      const found = names(text);
      assert.equal(found.length, 1, `${JSON.stringify(marking)} in ${text.length} chars: ${found.join(", ")}`);
      assert.deepEqual(fast(text), slow(text), JSON.stringify(marking));
    }
  }
});

test("a marking whose first letters straddle plain ASCII and a character only the walk reads is found", () => {
  // The starts regex reads at most three letters of plain ASCII; these put the switch at each of them.
  for (const text of ["S\u00adECRET//NOFORN", "SE\u00adCRET//NOFORN", "SEC\u00adRET//NOFORN", "S E\u200b C R E T//NOFORN", "TOP S\u0415CRET\nbody", "EU\u200b RESTRICTED\nbody"]) {
    assert.deepEqual(fast(text), slow(text), JSON.stringify(text));
    assert.ok(fast(text).length > 0, JSON.stringify(text));
  }
});

test("starts the sequential reading does not have are not walked from", () => {
  // "\n" is one character (an escaped line break): "nato" after it is "ato"; "_" and "é" are not letters a
  // marking may follow as the scan reads them, so the answers are the exhaustive scan's whatever they are.
  for (const text of ["x\\nato secret here", "x\\NATO SECRET\n", "_SECRET//NOFORN", "éSECRET//NOFORN", "\\u00e9SECRET//NF", "a\uD83D\uDE00SECRET//NOFORN", "ẞTRENG GEHEIM\n", "ßSECRET//NOFORN", "αSECRET//NOFORN", "Ж SECRET//NOFORN", "Ж\u00adSECRET//NOFORN", "κείμενα ΑΠΌΡΡΗΤΟ\n"]) {
    assert.deepEqual(fast(text), slow(text), JSON.stringify(text));
  }
});

test("personal-looking and non-ASCII neighbours do not change what is found", () => {
  const text = "Zażółć gęślą jaźń. TOP SECRET//NOFORN — Ελληνικά κείμενα, ÇALIŞMA GİZLİ\nΑΠΌΡΡΗΤΟ\nanna.kowalska@example.pl";
  assert.deepEqual(fast(text), slow(text));
});

const pieces = [
  "NATO", "SECRET", "secret", "Top", "TOP", "SE", "CRET", "EU", "RESTRICTED", "GEHEIM", "STRENG", "NOFORN", "ÇOK GİZLİ",
  "TAJNE", "ŚCIŚLE", "VS-NfD", "Classification:", "of", "the", "to", "depot", "a", "S", "E", "C", "R", "T",
  " ", "  ", "\n", "\\n", "\\t", "//", "/", "-", ".", ":", "[", "]", "(", ")", "_", "\\", "\\u200b", "\\u0053", "\\u00e9",
  "\u200b", "\u00ad", "\u0301", "\uff33", "\uff25", "\u0415", "\u0405", "\u0422", "é", "É", "ß", "ẞ", "Æ", "Ж", "ı", "İ",
  "\uD83D\uDE00", "\uD835\uDC12", "\uD800", "1", "42", "é", "ø", "ç",
];

test("property: walking from the proposed starts finds what folding every character finds", (t) => {
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(""));
  fc.assert(
    fc.property(text, fc.boolean(), (s, openStart) => {
      assert.deepEqual(fast(s, openStart), slow(s, openStart));
    }),
    params(t, 3000, 20_000),
  );
});

test("property: the same on arbitrary strings", (t) => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
      assert.deepEqual(fast(s), slow(s));
    }),
    params(t, 3000, 20_000),
  );
});
