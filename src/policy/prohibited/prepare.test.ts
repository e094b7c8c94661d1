import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../../test/helpers/prng.ts";
import { buildKeywords } from "./keywords.ts";
import { normalise, normaliseReference, prepare } from "./prepare.ts";

// Characters that exercise every branch: case, breaks (\r\n, \r, \u2028), blanks, zero-width and soft hyphen,
// letters that fold to several (ß, Æ), dotted I, look-alikes (Cyrillic, Greek), full-width and astral letters,
// an emoji (kept whole), a lone surrogate, sentence punctuation.
const POOL = [..."aZq .?!;,\n\r\t\v\f\u00a0\u200b\u00ad\u2028\u3000\ufeffßİıŚłÆ\u0301éΣσςАОＮ-'’\u2019\u0085", "𝐀", "𝒮", "😀", "\ud800"];

test("the one-pass normalisation equals the reference chain of native passes on random text", () => {
  const rnd = mulberry32(3);
  for (let k = 0; k < 5000; k++) {
    let s = "";
    for (let i = Math.floor(rnd() * 30); i > 0; i--) s += POOL[Math.floor(rnd() * POOL.length)];
    assert.equal(normalise(s), normaliseReference(s), JSON.stringify(s));
  }
});

test("sentences break at line breaks and after . ! ? ; and come out trimmed", () => {
  const p = prepare("Hello there. Next one!Third\n\n  fourth; fifth ", null);
  const dec = new TextDecoder("utf-16le");
  const sentences: string[] = [];
  for (let i = 0; i < p.ranges.length; i += 2) sentences.push(dec.decode(p.buf.subarray(p.ranges[i], p.ranges[i + 1])));
  assert.deepEqual(sentences, ["hello there.", "next one!", "third", "fourth;", "fifth"]);
});

test("the keyword pass reports where each keyword ends in the normalised text", () => {
  const a = buildKeywords(["track", "rack", "can you"]);
  const p = prepare("Can  YOU Track?", a);
  const found: string[] = [];
  for (let j = 0; j < p.hits.count; j++) for (const k of a.out[p.hits.states[j]!]!) found.push(`${["track", "rack", "can you"][k]}@${p.hits.ends[j]}`);
  assert.deepEqual(found.sort(), ["can you@7", "rack@13", "track@13"]);
});
