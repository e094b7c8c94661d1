import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../../test/helpers/prng.ts";
import { buildKeywords } from "./keywords.ts";
import { foldSource, isBlank, normalise, normaliseReference, prepare } from "./prepare.ts";

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

test("a point between digits is a decimal point, not a sentence end", () => {
  const p = prepare("Enemy OP at 4.2 km.Then 1.5 more", null);
  const dec = new TextDecoder("utf-16le");
  const sentences: string[] = [];
  for (let i = 0; i < p.ranges.length; i += 2) sentences.push(dec.decode(p.buf.subarray(p.ranges[i], p.ranges[i + 1])));
  assert.deepEqual(sentences, ["enemy op at 4.2 km.", "then 1.5 more"]);
});

test("the keyword pass reports where each keyword ends in the normalised text", () => {
  const a = buildKeywords(["track", "rack", "can you"]);
  const p = prepare("Can  YOU Track?", a);
  const found: string[] = [];
  for (let j = 0; j < p.hits.count; j++) for (const k of a.out[p.hits.states[j]!]!) found.push(`${["track", "rack", "can you"][k]}@${p.hits.ends[j]}`);
  assert.deepEqual(found.sort(), ["can you@7", "rack@13", "track@13"]);
});

test("isBlank agrees with /\\s/ on every BMP unit but \\n and \\r", () => {
  for (let c = 0; c < 0x10000; c++) {
    if (c === 10 || c === 13) continue;
    assert.equal(isBlank(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
  }
});

// The reference for the keyword hits and sentence bounds: the automaton and the splitting rules run naively over
// the reference normalisation, one character at a time.
function referencePrepare(text: string, words: string[]) {
  const a = buildKeywords(words);
  const t = normaliseReference(text);
  const hits: string[] = [];
  let state = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const sym = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 : c === 32 ? 27 : c === 39 ? 28 : c === 45 ? 29 : 30;
    state = a.delta[state * 31 + sym]!;
    if (state >= a.reportFrom) hits.push(`${i + 1}:${a.out[state]!.join(",")}`);
  }
  const sentences: string[] = [];
  let from = 0;
  const end = (to: number) => { const piece = t.slice(from, to).replace(/^[ \n]+|[ \n]+$/g, ""); if (piece !== "") sentences.push(piece); };
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!, p = t[i - 1];
    if (c === "\n" || (c === " " && p !== undefined && ".!?;".includes(p))) { end(i); from = i + 1; }
    else if (c !== " " && p !== undefined && ".!?".includes(p) && !".!?".includes(c) && !(p === "." && /\d/.test(c) && /\d/.test(t[i - 2] ?? ""))) { end(i); from = i; }
  }
  end(t.length);
  return { hits, sentences, a };
}

test("a letter that folds to nothing Latin is not read as the ASCII character of its low bits", () => {
  const a = buildKeywords(["x-y"]);
  assert.equal(prepare("x中y x-y", a).hits.count, 1);
});

test("on random text in many scripts, keyword hits and sentences equal a naive pass over the reference normalisation", () => {
  const words = ["track", "rack", "can you", "ecoute", "nato", "ab", "o'c", "x-y", "sigma", "oo"];
  // Letters that fold to nothing Latin (CJK, Arabic, Hebrew, Cyrillic ж) must never step the automaton like the
  // ASCII character their low bits name: 中 is U+4E2D, whose low byte is "-", so "x中y" must not hit "x-y".
  const pool = [...POOL, ..."trackcanyouÉCOUTEnato ΝΑΤΟ ΣΙΓΜΑ σίγμα трак ТРЕК Ŏŏ Ǆ ǆ ﬁ x-y o'c .!? x中y 中ب ש ж x-y", "4.2", "1.", ".5", "9"];
  const rnd = mulberry32(7);
  const dec = new TextDecoder("utf-16le");
  for (let k = 0; k < 3000; k++) {
    let s = "";
    for (let i = Math.floor(rnd() * 40); i > 0; i--) s += pool[Math.floor(rnd() * pool.length)];
    const ref = referencePrepare(s, words);
    const p = prepare(s, ref.a);
    const hits: string[] = [];
    for (let j = 0; j < p.hits.count; j++) hits.push(`${p.hits.ends[j]}:${ref.a.out[p.hits.states[j]!]!.join(",")}`);
    const sentences: string[] = [];
    for (let i = 0; i < p.ranges.length; i += 2) sentences.push(dec.decode(p.buf.subarray(p.ranges[i], p.ranges[i + 1])));
    assert.deepEqual({ hits, sentences }, { hits: ref.hits, sentences: ref.sentences }, JSON.stringify(s));
  }
});

test("camelCase identifiers read as words when their run opens with two lower-case letters; brands stay whole", () => {
  assert.equal(normalise("trackEveryPhone osobaPoTwarzy"), "track every phone osoba po twarzy");
  assert.equal(normalise("WhatsApp iPhone McDonald"), "whatsapp iphone mcdonald");
});

test("a lexicon written in its own letters folds as the text does, so its words match the normalised text", () => {
  for (const word of ["odposlouchávat", "παρακολούθηση", "следи", "ansiktsgjenkjenning", "megfigyelés", "urmărească", "ştiri"]) {
    assert.ok(new RegExp(`^${foldSource(word)}$`).test(normalise(word.toUpperCase())), word);
  }
  // Regex syntax is ASCII and stays as written; a class of one-letter folds is allowed.
  assert.equal(foldSource("sledov\\w*|[šs]pion\\S+"), "sledov\\w*|[ss]pion\\S+");
});

test("a letter that folds to two inside a character class is refused with the fix to make", () => {
  assert.throws(() => foldSource("[шщ]pion"), /inside \[\.\.\.\] folds to "sh"/);
  // An escaped bracket is not a class.
  assert.equal(foldSource("\\[ш"), "\\[sh");
});
