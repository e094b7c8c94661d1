/**
 * Which languages a passage may be read in, for the rules of the languages added after the first eight (rules.yaml:
 * `marker`). Their lexicons share international words with every other lexicon ("drone", "cctv", "koordinat") and
 * their exclusions are written for their own language, so their rules misfired on text in other languages whose own
 * exclusions had let it through. A marker language's rule runs only on a passage that holds one of its markers.
 * (Letting passages with no telling word at all run every marker language's rules was tried: it caught a few more
 * terse requests and tripled the time the rules take on ordinary text, whose headings and fragments hold no such word.)
 *
 * A marker entry is an alternation of words ("koji|koja|sve"), of endings written `\w+(?:ega|skih)` and of
 * beginnings written `naj\w+`. The passage is read word by word in the normalised buffer, each word walked through
 * three small tries (words, beginnings, reversed endings): no strings built, no regex per language.
 */

/** Symbols of a word: a-z 0-25, digits 26-35, apostrophe 36, hyphen 37; anything else ends a word. */
const SYMBOLS = 38;
function symbolOf(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return c - 22;
  if (c === 39) return 36;
  if (c === 45) return 37;
  return -1;
}

/** A trie over symbols: child[node * SYMBOLS + symbol] (0: none; node 0 is the root), bits[node] of what ends there. */
class Trie {
  child: Int32Array = new Int32Array(SYMBOLS);
  bits: number[] = [0];
  add(word: string, bit: number, reversed: boolean): void {
    let node = 0;
    for (let k = 0; k < word.length; k++) {
      const s = symbolOf(word.charCodeAt(reversed ? word.length - 1 - k : k));
      let next = this.child[node * SYMBOLS + s]!;
      if (next === 0) {
        next = this.bits.length;
        this.bits.push(0);
        if ((next + 1) * SYMBOLS > this.child.length) {
          const grown = new Int32Array(this.child.length * 2);
          grown.set(this.child);
          this.child = grown;
        }
        this.child[node * SYMBOLS + s] = next;
      }
      node = next;
    }
    this.bits[node]! |= bit;
  }
}

export interface LanguageGate {
  readonly words: Trie;
  readonly beginnings: Trie;
  /** Endings spelt backwards. */
  readonly endings: Trie;
  /** Bit of each marker language, by language code. */
  readonly bits: ReadonlyMap<string, number>;
}

const ENDINGS = /^\\w\+\(\?:([^()]+)\)$/;
const BEGINNING = /^([a-z0-9'-]+)\\w\+$/;
const WORD = /^[a-z0-9'-]+$/;

/**
 * The gate of the marker languages. `markers` are the lexicons' `marker` entries, already folded as text is
 * (prepare.ts), so written in a-z, digits, apostrophe and hyphen. At most 31 marker languages (a bit each).
 */
export function buildGate(markers: ReadonlyMap<string, string>): LanguageGate {
  if (markers.size > 31) throw new Error(`at most 31 languages can have markers, ${markers.size} do`);
  const words = new Trie();
  const beginnings = new Trie();
  const endings = new Trie();
  const read = (source: string, bit: number, where: string) => {
    for (const alt of splitTop(source)) {
      const e = ENDINGS.exec(alt);
      const b = BEGINNING.exec(alt);
      if (e !== null) {
        for (const ending of e[1]!.split("|")) {
          if (!WORD.test(ending)) throw new Error(`${where}: the ending "${ending}" is not one word of letters`);
          endings.add(ending, bit, true);
        }
      } else if (b !== null) beginnings.add(b[1]!, bit, false);
      else if (WORD.test(alt)) words.add(alt, bit, false);
      else throw new Error(`${where}: "${alt}" is none of a word, \\w+(?:endings) or beginning\\w+ (after folding: one word of letters)`);
    }
  };
  const bits = new Map<string, number>();
  let k = 0;
  for (const [lang, source] of markers) {
    const bit = 1 << k++;
    bits.set(lang, bit);
    read(source, bit, `prohibited-use lexicon ${lang}/marker`);
  }
  return { words, beginnings, endings, bits };
}

/** Alternatives of a regex source at its top level (not inside a group). */
function splitTop(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out.filter((a) => a !== "");
}

/**
 * The bits of all words of buf[from, to) together: the marker languages the text there may be in. A marker language's
 * rules run on a passage whose bits hold its own.
 */
export function languagesIn(gate: LanguageGate, buf: Uint16Array, from: number, to: number): number {
  let mask = 0;
  let i = from;
  while (i < to) {
    while (i < to && symbolOf(buf[i]!) < 0) i++;
    const start = i;
    while (i < to && symbolOf(buf[i]!) >= 0) i++;
    if (i > start) mask |= bitsOfWord(gate, buf, start, i);
  }
  return mask;
}

/** The bits of the word buf[start, end): itself, its beginnings and its endings shorter than it. */
function bitsOfWord(gate: LanguageGate, buf: Uint16Array, start: number, end: number): number {
  const { words, beginnings, endings } = gate;
  let b = 0;
  let w = 0;
  let p = 0;
  for (let k = start; k < end && (w >= 0 || p >= 0); k++) {
    const s = symbolOf(buf[k]!);
    if (w >= 0) w = words.child[w * SYMBOLS + s]! || -1;
    if (p >= 0) {
      p = beginnings.child[p * SYMBOLS + s]! || -1;
      if (p > 0 && k + 1 < end) b |= beginnings.bits[p]!;
    }
  }
  if (w > 0) b |= words.bits[w]!;
  // Endings are spelt backwards in their trie.
  let q = 0;
  for (let k = end - 1; k > start && q >= 0; k--) {
    q = endings.child[q * SYMBOLS + symbolOf(buf[k]!)]! || -1;
    if (q > 0) b |= endings.bits[q]!;
  }
  return b;
}
