/**
 * The single pass over the text: folds each character, feeds letters to the automaton and records every raw
 * match with where each of its letters sits in the original text. JSON string escapes (\n, \t, \u200b) are
 * read as the characters they stand for, so a raw request body scans like its decoded text.
 */
import type { Automaton } from "./automaton.ts";
import { classOf, multiLetters, IGN, MULTI, SEP, WORD } from "./fold.ts";
import type { Pattern } from "./table.ts";

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

export function findRawMatches(text: string, automaton: Automaton): LetterStream {
  const { delta, out } = automaton;
  const n = text.length;
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n + 1);
  const matches: RawMatch[] = [];
  let count = 0;
  let state = 0;
  let multi = "";
  let multiAt = 0;

  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    let letter: number;
    let width = 1;
    if (c < 128 && c !== 92) {
      // Fast path: plain ASCII that is not an escape.
      letter = ASCII[c]!;
    } else if (multi !== "") {
      letter = multi.charCodeAt(multiAt++);
      if (multiAt === multi.length) multi = "";
      else width = 0; // stay on this character for its next letter
      if (multi === "") width = readChar(text, i).width;
    } else {
      const ch = readChar(text, i);
      letter = ch.cls;
      width = ch.width;
      if (ch.cls === MULTI) {
        multi = multiLetters(ch.cp);
        letter = multi.charCodeAt(0);
        multiAt = 1;
        if (multi.length > 1) width = 0;
        else multi = "";
      }
    }
    if (letter >= 65) {
      const end = i + (width === 0 ? readChar(text, i).width : width);
      starts[count] = i;
      ends[count] = end;
      state = delta[state * 26 + letter - 65]!;
      const found = out[state];
      // Plain ASCII letters or digits right beside the match: part of a longer word ("Secretary").
      if (found !== null && found !== undefined && !isAsciiWordChar(text.charCodeAt(end))) {
        for (const pattern of found) {
          const first = count - pattern.letters.length + 1;
          if (first >= 0 && !isAsciiWordChar(text.charCodeAt(starts[first]! - 1))) matches.push({ pattern, last: count });
        }
      }
      count++;
    } else if (letter === WORD) {
      state = 0;
    } else if (letter !== SEP && letter !== IGN) {
      state = 0;
    }
    i += width;
  }
  return { matches, starts, ends };
}
