/**
 * Text as the prohibited-use rules read it, in one pass: lowercase, accents and look-alikes folded, zero-width
 * and other format characters dropped, underscores read as blanks, whitespace collapsed (a blank run to one space,
 * a run holding line breaks to those breaks), punctuation kept. The same pass feeds the keyword automaton and finds the sentence
 * breaks, so a long text is read once; the regexes later see only the sentences the keywords point at.
 */
import { classOf, IGN, MULTI, multiLetters, WORD } from "../markings/fold.ts";
import { KEYWORD_SYMBOLS, KEYWORD_SYMBOL_OF, type KeywordAutomaton } from "./keywords.ts";

const FOLDED = new Map<string, string>();

/** One non-ASCII character, folded: look-alike or accented letters to Latin, ignorables dropped. */
function foldChar(ch: string): string {
  let out = FOLDED.get(ch);
  if (out === undefined) {
    const cp = ch.codePointAt(0)!;
    const cls = classOf(cp);
    // Serbian Cyrillic's own letters, which the look-alike table leaves as they are: read as their Latin spelling.
    if (cp === 0x452) out = "dj";
    else if (cp === 0x45b) out = "c";
    else if (cls === IGN) out = "";
    else if (cls >= 65) out = String.fromCharCode(cls + 32);
    else if (cls === MULTI) out = multiLetters(cp).toLowerCase();
    else if (cls === WORD) out = ch;
    else out = ch === "\u2019" || ch === "\u2018" ? "'" : /\s/u.test(ch) ? " " : ch;
    FOLDED.set(ch, out);
  }
  return out;
}

/** The definition of the normalised text, as native passes over the whole text; `normalise` equals it. */
export function normaliseReference(text: string): string {
  return text
    .replace(/(?<=(?<![A-Za-z0-9])[a-z][a-z](?:[A-Za-z0-9]*[a-z])?)(?=[A-Z])/g, " ")
    .normalize("NFKD")
    .replace(/[\p{M}\p{Cf}]/gu, "")
    .toLowerCase()
    .replace(/[^\x00-\x7f]/gu, foldChar)
    .replace(/\r\n?/g, "\n")
    .replace(/_/g, " ")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n");
}

/**
 * Per code point, the reference's first four steps (decompose, drop marks, lowercase, fold) as UTF-16 code
 * units, cached: an array for the Basic Multilingual Plane (a Map lookup per accented letter costs more than
 * the rest of the pass), a Map beyond it.
 */
const BMP_FOLD: (Uint16Array | undefined)[] = new Array<Uint16Array | undefined>(65536);
const ASTRAL_FOLD = new Map<number, Uint16Array>();
function foldCodePoint(cp: number): Uint16Array {
  let out = cp < 65536 ? BMP_FOLD[cp] : ASTRAL_FOLD.get(cp);
  if (out === undefined) {
    const s = String.fromCodePoint(cp).normalize("NFKD").replace(/[\p{M}\p{Cf}]/gu, "").toLowerCase().replace(/[^\x00-\x7f]/gu, foldChar);
    const units = Uint16Array.from({ length: s.length }, (_, k) => s.charCodeAt(k));
    out = units;
    if (cp < 65536) BMP_FOLD[cp] = units;
    else ASTRAL_FOLD.set(cp, units);
  }
  return out;
}

/**
 * A lexicon entry or rule pattern with every character beyond ASCII folded as `prepare` folds text, so a lexicon
 * may be written in its language's own letters ("odposlouchávat", "παρακολούθηση", "следи") and still match the
 * normalised text. Regex syntax is ASCII and passes unchanged. Inside a character class a letter must fold to one
 * character ("[šs]" is fine, "[ш]" would become "[sh]", another meaning), so that is refused.
 */
export function foldSource(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c < 128) {
      out += source[i];
      if (c === 92 && i + 1 < source.length && source.charCodeAt(i + 1) < 128) out += source[++i];
      else if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      continue;
    }
    const cp = source.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const folded = foldCodePoint(cp);
    if (inClass && folded.length !== 1) {
      throw new Error(`"${String.fromCodePoint(cp)}" inside [...] folds to ${folded.length === 0 ? "nothing" : `"${String.fromCharCode(...folded)}"`}: write the alternatives out, e.g. (?:a|b)`);
    }
    out += String.fromCharCode(...folded);
  }
  return out;
}

/**
 * What each ASCII code becomes: lowercase letter, 10 for a line break (\r too), 32 for a blank, else itself. An
 * underscore is a blank: identifiers in pasted code and configuration join words with it
 * ("await_human_release", "contatti_frequenti"), and the rules read words.
 */
const ASCII = new Uint16Array(128).map((_, c) => (c >= 65 && c <= 90 ? c + 32 : c === 13 ? 10 : c === 9 || c === 11 || c === 12 || c === 95 ? 32 : c));
/**
 * Whether a UTF-16 unit is a blank as /\s/ reads it, \n and \r aside: the ASCII blanks and the few beyond ASCII
 * (no-break and ideographic spaces, the U+2000 block, the line and paragraph separators, the byte order mark).
 * Written out rather than cached in a Map: it runs for every letter of Greek or Cyrillic text. A unit test checks
 * it against /\s/ over the whole BMP.
 */
export function isBlank(c: number): boolean {
  if (c < 128) return c === 32 || c === 9 || c === 11 || c === 12;
  if (c < 0x1680) return c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export interface Prepared {
  /** The normalised text as UTF-16 code units. */
  readonly buf: Uint16Array;
  /** Sentences as [start, end) pairs into buf: trimmed, none empty. */
  readonly ranges: Int32Array;
  /** Where keywords end (offset just past) and the automaton state there, ascending. */
  readonly hits: { readonly ends: Int32Array; readonly states: Int32Array; readonly count: number };
}

/**
 * Normalises `text` and, over the normalised characters as they are written, runs the keyword automaton and
 * finds sentence breaks: at every line break, at a space after . ! ? or ;, and between . ! or ? and a
 * character that is not whitespace, except a digit after a point that follows a digit ("4.2 km").
 */
export function prepare(text: string, keywords: KeywordAutomaton | null): Prepared {
  // One loop with its state in locals: closures over mutable state, and imported bindings (getters once
  // transpiled), cost several times more per character.
  const SYMBOLS = KEYWORD_SYMBOLS;
  const SYMBOL_OF = KEYWORD_SYMBOL_OF;
  const FOLD_ASCII = ASCII;
  const delta = keywords?.delta ?? new Uint16Array(SYMBOLS);
  const reportFrom = keywords?.reportFrom ?? 1;
  let buf = new Uint16Array(text.length + 16);
  let n = 0;
  let hitEnds = new Int32Array(256);
  let hitStates = new Int32Array(256);
  let hitCount = 0;
  // Called only when the keyword automaton accepts, never per character, so the call costs nothing measurable.
  const recordHit = (end: number, at: number): void => {
    if (hitCount === hitEnds.length) {
      const e = new Int32Array(hitCount * 2);
      e.set(hitEnds);
      hitEnds = e;
      const st = new Int32Array(hitCount * 2);
      st.set(hitStates);
      hitStates = st;
    }
    hitEnds[hitCount] = end;
    hitStates[hitCount] = at;
    hitCount++;
  };
  let state = 0;
  const ranges = new Ranges();
  let from = 0; // where the current sentence started
  let prev = 0; // the last character written
  let breaks = 0; // line breaks pending in the current whitespace run
  let blank = false; // blanks pending in it
  let lastCR = false; // the last character was \r, so a \n right after it is the same break
  // camelCase identifiers are words ("trackEveryPhone", "osobaPoTwarzy"), as snake_case ones are: a capital right
  // after a lower-case letter opens a word when the run of ASCII letters and digits it is in opened with two
  // lower-case letters. Brands that open with a capital or one letter ("WhatsApp", "iPhone") stay whole.
  let lowerBefore = false; // the last character read was an ASCII lower-case letter
  let runLength = 0; // ASCII letters and digits read since the last other character
  let runOpensLower = false; // that run opened with two lower-case letters
  let folded: Uint16Array | null = null;

  // i === text.length is the end: it only writes the pending whitespace, as the reference leaves it.
  for (let i = 0; i <= text.length; i++) {
    let c = 0;
    let count = 0;
    if (i < text.length) {
      c = text.charCodeAt(i);
      // Fast path, most characters: printable ASCII other than a space, no whitespace pending.
      if ((c === 32 || c === 95) && breaks === 0) {
        blank = true;
        lastCR = false;
        lowerBefore = false;
        runLength = 0;
        continue;
      }
      const lower = c >= 97 && c <= 122;
      if (lower || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) {
        if (runLength === 0) runOpensLower = lower;
        else if (runLength === 1) runOpensLower &&= lower;
        else if (lowerBefore && runOpensLower && c <= 90 && c >= 65) blank = true;
        runLength++;
      } else runLength = 0;
      lowerBefore = lower;
      if (c > 32 && c < 128 && breaks === 0 && n + 1 < buf.length) {
        const w = FOLD_ASCII[c]!;
        if (blank) {
          blank = false;
          if (prev === 46 || prev === 33 || prev === 63 || prev === 59) {
            endSentence(buf, from, n, ranges);
            from = n + 1;
          }
          buf[n++] = 32;
          prev = 32;
          state = delta[state * SYMBOLS + SYMBOL_OF[32]!]!;
          if (state >= reportFrom) {
            recordHit(n, state);
          }
        }
        if ((prev === 46 || prev === 33 || prev === 63) && !continuesEnd(buf, n, w)) {
          endSentence(buf, from, n, ranges);
          from = n;
        }
        lastCR = false;
        buf[n++] = w;
        prev = w;
        state = delta[state * SYMBOLS + SYMBOL_OF[w]!]!;
        if (state >= reportFrom) {
          recordHit(n, state);
        }
        if (lower) {
          // The rest of a run of lower-case letters, most of any text: nothing to fold, no sentence or camelCase
          // break can fall inside it, and each letter's symbol is its offset from "a".
          let k = i + 1;
          const room = buf.length - 1;
          for (; k < text.length && n < room; k++) {
            const d = text.charCodeAt(k);
            if (d < 97 || d > 122) break;
            buf[n++] = d;
            state = delta[state * SYMBOLS + d - 97]!;
            if (state >= reportFrom) {
              recordHit(n, state);
            }
          }
          if (k > i + 1) {
            runLength += k - i - 1;
            prev = text.charCodeAt(k - 1);
            i = k - 1;
          }
        }
        continue;
      }
      count = 1;
      folded = null;
      if (c >= 128) {
        let cp = c;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
          const d = text.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
            i++;
          }
        }
        folded = foldCodePoint(cp);
        count = folded.length;
      }
    }
    for (let j = 0; j < count || (i === text.length && j === 0); j++) {
      let o = -1; // the character to write after the pending whitespace; -1 at the end
      if (count > 0) {
        const raw = folded === null ? c : folded[j]!;
        o = raw < 128 ? FOLD_ASCII[raw]! : raw;
        if (o === 10) {
          if (!(raw === 10 && lastCR)) breaks++;
          lastCR = raw === 13;
          continue;
        }
        lastCR = false;
        if (o === 32 || (o >= 128 && isBlank(o))) {
          blank = true;
          continue;
        }
      }
      const pending = breaks > 0 ? breaks : blank ? 1 : 0;
      const space = breaks > 0 ? 10 : 32;
      breaks = 0;
      blank = false;
      const total = o < 0 ? pending : pending + 1;
      for (let q = 0; q < total; q++) {
        const w = q < pending ? space : o;
        if (n === buf.length) {
          const grown = new Uint16Array(buf.length * 2);
          grown.set(buf);
          buf = grown;
        }
        if (w === 10 || (w === 32 && (prev === 46 || prev === 33 || prev === 63 || prev === 59))) {
          endSentence(buf, from, n, ranges);
          from = n + 1;
        } else if (w !== 32 && (prev === 46 || prev === 33 || prev === 63) && !continuesEnd(buf, n, w)) {
          endSentence(buf, from, n, ranges);
          from = n;
        }
        buf[n++] = w;
        prev = w;
        state = delta[state * SYMBOLS + (w < 128 ? SYMBOL_OF[w]! : SYMBOLS - 1)]!;
        if (state >= reportFrom) {
          recordHit(n, state);
        }
      }
    }
  }
  endSentence(buf, from, n, ranges);
  return { buf: buf.subarray(0, n), ranges: ranges.list.subarray(0, ranges.count), hits: { ends: hitEnds, states: hitStates, count: hitCount } };
}

/**
 * Whether writing `w` at buf[n], right after . ! or ?, keeps the sentence going: more of the same marks ("yolo??",
 * "wait...", "?!"), which end one sentence, not several, or a number going on through a point.
 */
function continuesEnd(buf: Uint16Array, n: number, w: number): boolean {
  return w === 46 || w === 33 || w === 63 || decimalPoint(buf, n, w);
}

/** Whether writing `w` at buf[n] continues a number through a point ("4.2 km", "1.5"): no sentence ends there. */
function decimalPoint(buf: Uint16Array, n: number, w: number): boolean {
  return buf[n - 1] === 46 && w >= 48 && w <= 57 && n >= 2 && buf[n - 2]! >= 48 && buf[n - 2]! <= 57;
}

/** Records the sentence [from, to) of buf, trimmed, unless it is empty. */
function endSentence(buf: Uint16Array, from: number, to: number, ranges: Ranges): void {
  let a = from;
  let b = to;
  while (a < b && (buf[a] === 32 || buf[a] === 10)) a++;
  while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 10)) b--;
  if (b > a) ranges.add(a, b);
}

/** Sentence bounds as they are found, in a typed array grown by hand (cheaper than pushing onto a plain array). */
class Ranges {
  list = new Int32Array(256);
  count = 0;
  add(a: number, b: number): void {
    if (this.count + 2 > this.list.length) {
      const grown = new Int32Array(this.list.length * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.count++] = a;
    this.list[this.count++] = b;
  }
}

const UTF16 = new TextDecoder("utf-16le");

/** The normalised text (see the file comment); equal to normaliseReference, in one pass. */
export function normalise(text: string): string {
  return UTF16.decode(prepare(text, null).buf);
}
