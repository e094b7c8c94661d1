/**
 * What surrounds a candidate marking in the original text: its line, the characters on either side, the words
 * before it. Line breaks include the escaped "\n" of a raw JSON body.
 */
import * as fold from "./fold.ts";
import * as letters from "./letters.ts";

// Imported bindings copied into module constants once: when tsx loads these files as CommonJS (from a CommonJS
// entry point), each read of an imported name is a getter call, and the scan's inner loops read them per character.
const { classOf, IGN, SEP } = fold;
const { readChar } = letters;

/** Longest line (either side of a candidate) still considered a banner line. */
export const MAX_BANNER_SIDE = 160;

function isBreakAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return 1;
  if (c === 92) {
    const n = text.charCodeAt(i + 1);
    if (n === 110 || n === 114) return 2;
  }
  return 0;
}

/** Index where the line holding idx starts; -1 if further than max away. */
export function lineStart(text: string, idx: number, max: number): number {
  for (let i = idx - 1; i >= 0 && idx - i <= max; i--) {
    if (isBreakAt(text, i) === 1) return i + 1;
    if (i >= 1 && isBreakAt(text, i - 1) === 2) return i + 1;
  }
  return idx - max <= 0 ? 0 : -1;
}

/** Index where the line holding idx ends (exclusive); -1 if further than max away. */
export function lineEnd(text: string, idx: number, max: number): number {
  for (let i = idx; i < text.length && i - idx <= max; i++) if (isBreakAt(text, i) > 0) return i;
  return text.length - idx <= max ? text.length : -1;
}

/** Class of the character just before idx (escapes and ignorables skipped). */
export function classBefore(text: string, idx: number): number {
  let i = idx;
  for (let guard = 0; guard < 8 && i > 0; guard++) {
    if (i >= 2 && text.charCodeAt(i - 2) === 92 && /[nrt]/.test(text[i - 1]!)) return SEP;
    if (i >= 6 && text.charCodeAt(i - 6) === 92 && /^u[0-9a-fA-F]{4}$/.test(text.slice(i - 5, i))) {
      const cls = classOf(Number.parseInt(text.slice(i - 4, i), 16));
      if (cls !== IGN) return cls;
      i -= 6;
      continue;
    }
    const c = text.charCodeAt(i - 1);
    const cp = c >= 0xdc00 && c <= 0xdfff && i >= 2 ? text.codePointAt(i - 2)! : c;
    const cls = classOf(cp);
    if (cls !== IGN) return cls;
    i -= cp > 0xffff ? 2 : 1;
  }
  return SEP;
}

/** Class of the character at idx (escapes and ignorables skipped). */
export function classAfter(text: string, idx: number): number {
  let i = idx;
  for (let guard = 0; guard < 8 && i < text.length; guard++) {
    const { cls, width } = readChar(text, i);
    if (cls !== IGN) return cls;
    i += width;
  }
  return SEP;
}

export interface Gap {
  /** Visible characters in the gap (ignorables not counted). */
  readonly visible: number;
  readonly ignorable: boolean;
  readonly newline: boolean;
  readonly sentenceEnd: boolean;
  readonly slash: boolean;
}

export function gapBetween(text: string, from: number, to: number): Gap {
  let visible = 0;
  let ignorable = false;
  let newline = false;
  let sentenceEnd = false;
  let slash = false;
  for (let i = from; i < to; ) {
    const { cls, cp, width } = readChar(text, i);
    if (cls === IGN) ignorable = true;
    else {
      visible++;
      if (cp === 10 || cp === 13 || cp === 0x2028 || cp === 0x2029) newline = true;
      else if (cp === 46 || cp === 33 || cp === 63 || cp === 59) sentenceEnd = true;
      else if (cp === 47) slash = true;
    }
    i += width;
  }
  return { visible, ignorable, newline, sentenceEnd, slash };
}

/** 1-based line and column of each offset (offsets ascending). */
export function locate(text: string, offsets: readonly number[]): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineAt = 0;
  let pos = 0;
  for (const offset of offsets) {
    for (; pos < offset; pos++) {
      if (text.charCodeAt(pos) === 10) {
        line++;
        lineAt = pos + 1;
      }
    }
    out.push({ line, column: offset - lineAt + 1 });
  }
  return out;
}
