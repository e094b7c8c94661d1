/**
 * An automaton finding every keyword of every language's lexicon in one pass over normalised text
 * (Aho-Corasick; prepare.ts drives it). The rules then run only on sentences whose keywords can satisfy them,
 * instead of hundreds of regexes per sentence.
 */

/**
 * Symbols: a-z 0-25, any digit 26 (digits share one symbol: a keyword hit only has to be a superset of the
 * real matches), space 27, apostrophe 28, hyphen 29, anything else 30 (matches no keyword). A small alphabet
 * and 16-bit states keep the transition table small enough to stay in cache.
 */
export const KEYWORD_SYMBOLS = 31;
const SYMBOLS = KEYWORD_SYMBOLS;
const OTHER = 30;
const SYMBOL = new Uint8Array(128).fill(OTHER);
/** Symbol of each ASCII code; every other character is symbol KEYWORD_SYMBOLS - 1. */
export const KEYWORD_SYMBOL_OF: Readonly<Uint8Array> = SYMBOL;
for (let c = 97; c <= 122; c++) SYMBOL[c] = c - 97;
for (let c = 48; c <= 57; c++) SYMBOL[c] = 26;
SYMBOL[32] = 27;
SYMBOL[39] = 28;
SYMBOL[45] = 29;

export interface KeywordAutomaton {
  /** Complete transition table: delta[state * KEYWORD_SYMBOLS + symbol]; 16-bit while the states fit. */
  readonly delta: Uint16Array | Int32Array;
  /** Per state: the ids of keywords ending there (its own and its suffixes'), or null. */
  readonly out: ReadonlyArray<readonly number[] | null>;
  /**
   * States with keywords to report are numbered from here on, the others below: the scan asks `state >= reportFrom`,
   * one comparison on a value it already holds, instead of loading a flag per character.
   */
  readonly reportFrom: number;
}

/** Builds the automaton; keyword i is reported as id i. Keywords hold only a-z, 0-9, space, ' and -. */
export function buildKeywords(keywords: readonly string[]): KeywordAutomaton {
  const goto: Int32Array[] = [new Int32Array(SYMBOLS).fill(-1)];
  const own: number[][] = [[]];
  keywords.forEach((k, id) => {
    let s = 0;
    for (let i = 0; i < k.length; i++) {
      const code = k.charCodeAt(i);
      const c = code < 128 ? SYMBOL[code]! : OTHER;
      if (c === OTHER) throw new Error(`keyword ${JSON.stringify(k)} holds a character outside the alphabet`);
      let next = goto[s]![c]!;
      if (next === -1) {
        next = goto.length;
        goto.push(new Int32Array(SYMBOLS).fill(-1));
        own.push([]);
        goto[s]![c] = next;
      }
      s = next;
    }
    own[s]!.push(id);
  });
  const n = goto.length;
  const delta = n < 65536 ? new Uint16Array(n * SYMBOLS) : new Int32Array(n * SYMBOLS);
  const fail = new Int32Array(n);
  const out: (number[] | null)[] = new Array<number[] | null>(n).fill(null);
  const queue: number[] = [];
  for (let c = 0; c < SYMBOLS; c++) {
    const next = goto[0]![c]!;
    delta[c] = next === -1 ? 0 : next;
    if (next !== -1) queue.push(next);
  }
  // Breadth-first: a state's fail link (shorter) is complete before the state itself.
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    const mine = [...own[s]!, ...(out[fail[s]!] ?? [])];
    out[s] = mine.length > 0 ? mine : null;
    for (let c = 0; c < SYMBOLS; c++) {
      const next = goto[s]![c]!;
      if (next === -1) delta[s * SYMBOLS + c] = delta[fail[s]! * SYMBOLS + c]!;
      else {
        fail[next] = delta[fail[s]! * SYMBOLS + c]!;
        delta[s * SYMBOLS + c] = next;
        queue.push(next);
      }
    }
  }
  return renumbered(delta, out);
}

/** The same automaton with its reporting states numbered last (state 0, the start, reports nothing and stays 0). */
function renumbered(delta: Uint16Array | Int32Array, out: (number[] | null)[]): KeywordAutomaton {
  const n = out.length;
  const order = new Int32Array(n);
  let k = 0;
  for (let s = 0; s < n; s++) if (out[s] === null) order[k++] = s;
  const reportFrom = k;
  for (let s = 0; s < n; s++) if (out[s] !== null) order[k++] = s;
  const newId = new Int32Array(n);
  order.forEach((old, id) => (newId[old] = id));
  const moved = n < 65536 ? new Uint16Array(n * SYMBOLS) : new Int32Array(n * SYMBOLS);
  const movedOut: (number[] | null)[] = new Array<number[] | null>(n);
  for (let id = 0; id < n; id++) {
    const old = order[id]!;
    for (let c = 0; c < SYMBOLS; c++) moved[id * SYMBOLS + c] = newId[delta[old * SYMBOLS + c]!]!;
    movedOut[id] = out[old]!;
  }
  return { delta: moved, out: movedOut, reportFrom };
}
