/**
 * Where a marking can start, found by one native regex instead of folding every character in JS. A table
 * spelling starts a candidate only at a letter after a separator (emit and toCandidate reject the rest), and
 * its first letters must follow the trie of spellings, separators allowed between them. The regex checks that
 * for plain ASCII and, where a character is not plain ASCII (a backslash escape, a letter or separator it does
 * not know), it says "maybe" and lets the exact walk in letters.ts decide: it may find too many starts, never
 * too few. starts.test.ts holds the walk from these starts equal to folding the whole text.
 */
import { classOf, IGN, SEP } from "./fold.ts";
import type { Pattern } from "./table.ts";

export interface Trie {
  /** child[node * 26 + letter]: the next node, or -1. Node 0 is the root. */
  readonly child: Int32Array;
  /** Spellings ending exactly at each node (not those of shorter suffixes), or null. */
  readonly own: ReadonlyArray<readonly Pattern[] | null>;
  /** Matches the character before each possible start after the first; lastIndex is then the start. */
  readonly starts: RegExp;
  /** Matches a JSON escape (\\n, \\r, \\t) right before a possible start; lastIndex is then the start. */
  readonly escapeStarts: RegExp;
  /** Whether the text start is a possible start (test once, lastIndex 0). */
  readonly atTextStart: RegExp;
}

const hex = (c: number) => `\\u${c.toString(16).padStart(4, "0")}`;

/** A regex character class body listing the code points (ascending) as ranges. */
function ranges(cps: readonly number[]): string {
  let out = "";
  for (let k = 0; k < cps.length; ) {
    let e = k;
    while (e + 1 < cps.length && cps[e + 1] === cps[e]! + 1) e++;
    out += e === k ? hex(cps[k]!) : `${hex(cps[k]!)}-${hex(cps[e]!)}`;
    k = e + 1;
  }
  return out;
}

/** Non-ASCII characters up to Cyrillic that fold to a letter or another word character (not a separator or ignorable). */
function lettersBefore(): number[] {
  const out: number[] = [];
  for (let cp = 0x80; cp < 0x530; cp++) {
    const cls = classOf(cp);
    if (cls !== SEP && cls !== IGN) out.push(cp);
  }
  return out;
}

export function buildTrie(patterns: readonly Pattern[]): Trie {
  const child: number[] = new Array(26).fill(-1);
  const own: (Pattern[] | null)[] = [null];
  for (const p of patterns) {
    let s = 0;
    for (let i = 0; i < p.letters.length; i++) {
      const c = p.letters.charCodeAt(i) - 65;
      let next = child[s * 26 + c]!;
      if (next === -1) {
        next = own.length;
        own.push(null);
        for (let k = 0; k < 26; k++) child.push(-1);
        child[s * 26 + c] = next;
      }
      s = next;
    }
    (own[s] ??= []).push(p);
  }

  const letters = patterns.map((p) => p.letters);
  const after = (prefix: string) => [...new Set(letters.filter((l) => l.length > prefix.length && l.startsWith(prefix)).map((l) => l[prefix.length]!))].join("");
  const firsts = after("");
  const S = String.raw`[\x00-\x2f\x3a-\x40\x5b\x5d-\x60\x7b-\x7f]`; // plain ASCII separators (not "\")
  const CX = String.raw`[\x80-\uffff\\]`; // not plain ASCII: only the walk reads it exactly
  // What may follow the character before a start, the first letters x y z of a spelling read as plain ASCII
  // (case-insensitive), S a run of plain separators, CX a character only the walk reads exactly:
  //   x y z, x y S+ z   three letters ("SEC"), or a two-letter word and the next letter ("TO P", "EU R")
  //   x y               a whole two-letter spelling
  //   x S+ y            the first two letters spaced ("S E C R E T", "S-E-C")
  //   x S* CX, x y S* CX, CX   something only the walk can read (escape, non-ASCII letter, zero-width)
  // Written as a trie (x, then y): each alternative the regex tries at a separator costs.
  // After the first letter, a digit may stand for a letter ("C0SMIC T0P SECRET", "N4T0"), as the walk reads it (LEET).
  const digitFor = new Map<string, string>([["O", "0"], ["I", "1"], ["E", "3"], ["A", "4"], ["S", "5"], ["T", "7"]]);
  const L = (c: string): string => (digitFor.has(c) ? `[${c}${digitFor.get(c)}]` : c);
  const set = (cs: string): string => `[${cs}${[...cs].map((c) => digitFor.get(c) ?? "").join("")}]`;
  const byFirst = [...firsts].map((x) => {
    const seconds = after(x);
    const thirds = [...seconds].map((y) => {
      if (letters.includes(x + y)) return L(y); // a whole two-letter spelling: any word starting with it
      const z = set(after(x + y));
      // Three letters in a row: the fourth must go on with the spelling, unless the word ends there.
      const fourth = [...after(x + y)].map((c) => (letters.includes(x + y + c) || after(x + y + c) === "" ? L(c) : `${L(c)}(?:${set(after(x + y + c))}|[^A-Za-z])`));
      return `${L(y)}(?:${fourth.join("|")}|${S}+${z}|${S}*${CX})`;
    });
    return `${x}(?:${thirds.join("|")}|${S}+${set(seconds)}|${S}*${CX})`;
  });
  // A character only the walk reads, unless it follows a Greek, Cyrillic or accented letter: toCandidate rejects a
  // spelling there, and without this every character of Greek or Cyrillic text would be walked from.
  const first = `${byFirst.join("|")}|(?<![${ranges(lettersBefore())}])${CX}`;
  const starts = new RegExp(`[^A-Za-z0-9](?=${first})`, "gi");
  // A JSON escape of a line break or tab ("\\nSECRET" in a raw request body) hides a start behind its letter: a
  // second pass, only over texts holding a backslash (an alternative in the first regex slowed every text).
  const escapeStarts = new RegExp(`\\\\[nrt](?=${first})`, "gi");
  return { child: Int32Array.from(child), own, starts, escapeStarts, atTextStart: new RegExp(`^(?=${first})`, "i") };
}
