/**
 * The single pass over the text: folds each character, feeds letters to the automaton and records every raw
 * match with where each of its letters sits in the original text. JSON string escapes (\n, \t, \u200b) are
 * read as the characters they stand for, so a raw request body scans like its decoded text.
 */
import type { Automaton } from "./automaton.ts";
import * as fold from "./fold.ts";
import type { Pattern } from "./table.ts";
import type { Trie } from "./starts.ts";

// Imported bindings copied into module constants once: when tsx loads these files as CommonJS (from a CommonJS
// entry point), each read of an imported name is a getter call, and the scan's inner loops read them per character.
const { classOf, multiLetters, IGN, MULTI, SEP, WORD } = fold;

export interface RawMatch {
  readonly pattern: Pattern;
  /** Index (in the letter stream) of the match's last letter. */
  readonly last: number;
}

/** Every raw match, plus where each letter of the stream sits in the text (start, end exclusive). */
export interface LetterStream {
  readonly matches: RawMatch[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = c >= 97 && c <= 122 ? c - 32 : c >= 65 && c <= 90 ? c : c >= 48 && c <= 57 ? WORD : SEP;
/**
 * Digits that stand for letters inside a word, as OCR misreads them and as writers evade with them: 0 O, 1 I, 3 E,
 * 4 A, 5 S, 7 T (0 where no letter is meant). Only after a letter of the same word: a word never starts with one.
 */
export const LEET = new Uint8Array(128);
for (const [digit, letter] of [["0", "O"], ["1", "I"], ["3", "E"], ["4", "A"], ["5", "S"], ["7", "T"]] as const) LEET[digit.charCodeAt(0)] = letter.charCodeAt(0);

function hex4(text: string, i: number): number {
  if (i + 4 > text.length) return -1;
  const v = Number.parseInt(text.slice(i, i + 4), 16);
  return Number.isNaN(v) || !/^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4)) ? -1 : v;
}

/** Reads the character at i: its class, code point and width in the text (escapes are wider). */
export function readChar(text: string, i: number): { cls: number; cp: number; width: number } {
  const c = text.charCodeAt(i);
  if (c < 128) {
    if (c === 92) {
      const next = text.charCodeAt(i + 1);
      if (next === 110 || next === 114 || next === 116) return { cls: SEP, cp: 10, width: 2 }; // \n \r \t
      if (next === 117) {
        const v = hex4(text, i + 2);
        if (v >= 0) return { cls: v >= 0xd800 && v <= 0xdfff ? WORD : classOf(v), cp: v, width: 6 };
      }
    }
    return { cls: ASCII[c]!, cp: c, width: 1 };
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    return { cls: classOf(cp), cp, width: cp > 0xffff ? 2 : 1 };
  }
  return { cls: classOf(c), cp: c, width: 1 };
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

// Reused between scans (a scan is synchronous and its LetterStream is read before the next one starts).
let startsBuffer = new Int32Array(1 << 16);
let endsBuffer = new Int32Array(1 << 16);

/**
 * Records the patterns ending at letter `count` (text offset `end`) that stand as whole words. A plain
 * function, not a closure: a closure over the scan's state would move that state off the hot loop's registers.
 */
/** A plain letter or digit right before `at`, unless it ends a JSON escape ("\\nSECRET": the n is a line break). */
function wordCharBefore(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  if (!isAsciiWordChar(c)) return false;
  return !((c === 110 || c === 114 || c === 116) && text.charCodeAt(at - 2) === 92);
}

function emit(text: string, patterns: readonly Pattern[], count: number, starts: Int32Array, end: number, matches: RawMatch[]): void {
  // Plain ASCII letters or digits right beside the match: part of a longer word ("Secretary").
  if (isAsciiWordChar(text.charCodeAt(end))) return;
  for (const pattern of patterns) {
    const first = count - pattern.letters.length + 1;
    if (first >= 0 && !wordCharBefore(text, starts[first]!)) matches.push({ pattern, last: count });
  }
}

export function findRawMatches(text: string, automaton: Automaton): LetterStream {
  const { delta, out, accepting } = automaton;
  const n = text.length;
  if (startsBuffer.length < n + 1) {
    startsBuffer = new Int32Array(n + 1);
    endsBuffer = new Int32Array(n + 1);
  }
  const starts = startsBuffer;
  const ends = endsBuffer;
  const matches: RawMatch[] = [];
  let count = 0;
  let state = 0;


  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    let cls: number;
    if (c < 128 && c !== 92) {
      cls = ASCII[c]!;
      // A digit inside a word reads as the letter it stands for ("NAT0 SECRET" in OCR; "N4T0 C0NF1D3NT1AL").
      if (cls === WORD && count > 0 && ends[count - 1] === i && LEET[c] !== 0) cls = LEET[c]!;
      if (cls >= 65) {
        // The hot path: one ASCII letter.
        starts[count] = i;
        ends[count] = i + 1;
        state = delta[state * 26 + cls - 65]!;
        if (accepting[state] === 1) emit(text, out[state]!, count, starts, i + 1, matches);
        count++;
      } else if (cls === WORD) state = 0;
      i++;
      continue;
    }
    let cp = c;
    let width = 1;
    if (c >= 128 && (c < 0xd800 || c > 0xdfff)) cls = classOf(c);
    else {
      // Escapes and astral characters: the slow path.
      const ch = readChar(text, i);
      cls = ch.cls;
      cp = ch.cp;
      width = ch.width;
    }
    if (cls >= 65 || cls === MULTI) {
      const letters = cls === MULTI ? multiLetters(cp) : String.fromCharCode(cls);
      for (let k = 0; k < letters.length; k++) {
        starts[count] = i;
        ends[count] = i + width;
        state = delta[state * 26 + letters.charCodeAt(k) - 65]!;
        if (accepting[state] === 1) emit(text, out[state]!, count, starts, i + width, matches);
        count++;
      }
    } else if (cls === WORD) state = 0;
    i += width;
  }
  return { matches, starts, ends };
}

/**
 * The same matches as findRawMatches that can become candidates (a match after a letter never does), found by
 * walking the trie from each start the starts regex proposes instead of folding every character. Each walk
 * records its letters in its own stretch of starts/ends, so a match's letters stay contiguous.
 */
export function findRawMatchesFrom(text: string, trie: Trie): LetterStream {
  const n = text.length;
  const matches: RawMatch[] = [];
  let count = 0;
  const walk = (s: number): void => {
    // A start inside an escape ("\n", "\u0041") is not where the sequential reading puts a character.
    if (s > 0 && text.charCodeAt(s - 1) === 92 && readChar(text, s - 1).width > 1) return;
    const c = text.charCodeAt(s);
    if (c < 128 && c !== 92) {
      count = walkFrom(text, trie, s, 0, count, matches);
      return;
    }
    const { cls, cp } = readChar(text, s);
    if (cls === MULTI) {
      // A spelling may start at any letter of ß, Æ, Ж...: longest first, as the automaton reports them.
      const k = multiLetters(cp).length;
      for (let skip = 0; skip < k; skip++) count = walkFrom(text, trie, s, skip, count, matches);
    } else if (cls >= 65) count = walkFrom(text, trie, s, 0, count, matches);
  };
  if (n > 0 && trie.atTextStart.test(text)) walk(0);
  const re = trie.starts;
  re.lastIndex = 0;
  while (re.test(text)) walk(re.lastIndex);
  if (text.includes("\\")) {
    const esc = trie.escapeStarts;
    esc.lastIndex = 0;
    while (esc.test(text)) walk(esc.lastIndex);
  }
  return { matches, starts: startsBuffer, ends: endsBuffer };
}

/** Follows the trie from the letter at s (skipping `skip` letters of a multi-letter character); returns the new count. */
function walkFrom(text: string, trie: Trie, s: number, skip: number, count: number, matches: RawMatch[]): number {
  const { child, own } = trie;
  const n = text.length;
  // A walk records at most one letter per trie level: make room once, not per letter.
  if (count + MAX_WALK >= startsBuffer.length) growBuffers(count + MAX_WALK);
  const starts = startsBuffer;
  const ends = endsBuffer;
  let node = 0;
  for (let i = s; i < n; ) {
    const c = text.charCodeAt(i);
    if (c < 128 && c !== 92) {
      // The hot path: plain ASCII.
      const cls = LEET[c] !== 0 && i !== s && count > 0 && ends[count - 1] === i ? LEET[c]! : ASCII[c]!;
      if (cls >= 65) {
        node = child[node * 26 + cls - 65]!;
        if (node === -1) return count;
        starts[count] = i;
        ends[count] = i + 1;
        const patterns = own[node];
        if (patterns !== null && !isAsciiWordChar(text.charCodeAt(i + 1))) for (const pattern of patterns!) matches.push({ pattern, last: count });
        count++;
      } else if (cls === WORD || i === s) return count;
      i++;
      continue;
    }
    let cls: number;
    let cp = c;
    let width = 1;
    if (c >= 128 && (c < 0xd800 || c > 0xdfff)) cls = classOf(c);
    else {
      const ch = readChar(text, i);
      cls = ch.cls;
      cp = ch.cp;
      width = ch.width;
    }
    if (cls >= 65 || cls === MULTI) {
      const letters = cls === MULTI ? multiLetters(cp) : String.fromCharCode(cls);
      for (let l = i === s ? skip : 0; l < letters.length; l++) {
        node = child[node * 26 + letters.charCodeAt(l) - 65]!;
        if (node === -1) return count;
        starts[count] = i;
        ends[count] = i + width;
        const patterns = own[node];
        if (patterns !== null && !isAsciiWordChar(text.charCodeAt(i + width))) for (const pattern of patterns!) matches.push({ pattern, last: count });
        count++;
      }
    } else if (cls === WORD || i === s) return count; // a digit ends the spelling; a start must be a letter
    i += width;
  }
  return count;
}

/** Longest walk: a spelling has at most 64 letters (table.ts), and a walk stops where the trie does. */
const MAX_WALK = 65;

function growBuffers(atLeast: number): void {
  const starts = new Int32Array(Math.max(atLeast, startsBuffer.length * 2));
  const ends = new Int32Array(starts.length);
  starts.set(startsBuffer);
  ends.set(endsBuffer);
  startsBuffer = starts;
  endsBuffer = ends;
}
