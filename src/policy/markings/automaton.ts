/**
 * An Aho-Corasick automaton over the 26 folded letters: one pass over the letter stream finds every table
 * spelling, whatever the separators between the letters (they are checked afterwards, per match).
 */
import type { Pattern } from "./table.ts";

export interface Automaton {
  /** Complete transition table: delta[state * 26 + letter]. */
  readonly delta: Int32Array;
  /** Patterns ending at each state (including those of its suffix states), or null. */
  readonly out: ReadonlyArray<readonly Pattern[] | null>;
  /** 1 where out is not null: a typed array keeps the hot loop monomorphic. */
  readonly accepting: Uint8Array;
}

export function buildAutomaton(patterns: readonly Pattern[]): Automaton {
  const goto: number[][] = [new Array(26).fill(-1)];
  const own: Pattern[][] = [[]];
  for (const p of patterns) {
    let s = 0;
    for (let i = 0; i < p.letters.length; i++) {
      const c = p.letters.charCodeAt(i) - 65;
      let next = goto[s]![c]!;
      if (next === -1) {
        next = goto.length;
        goto.push(new Array(26).fill(-1));
        own.push([]);
        goto[s]![c] = next;
      }
      s = next;
    }
    own[s]!.push(p);
  }
  const n = goto.length;
  const delta = new Int32Array(n * 26);
  const fail = new Int32Array(n);
  const out: (Pattern[] | null)[] = new Array(n).fill(null);
  const queue: number[] = [];
  for (let c = 0; c < 26; c++) {
    const next = goto[0]![c]!;
    delta[c] = next === -1 ? 0 : next;
    if (next !== -1) queue.push(next);
  }
  out[0] = null;
  // Breadth-first, so a state's fail link (shorter) is complete before the state itself.
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    const inherited = out[fail[s]!] ?? [];
    const mine = [...own[s]!, ...inherited];
    out[s] = mine.length > 0 ? mine : null;
    for (let c = 0; c < 26; c++) {
      const next = goto[s]![c]!;
      if (next === -1) {
        delta[s * 26 + c] = delta[fail[s]! * 26 + c]!;
      } else {
        fail[next] = delta[fail[s]! * 26 + c]!;
        delta[s * 26 + c] = next;
        queue.push(next);
      }
    }
  }
  const accepting = new Uint8Array(n);
  out.forEach((o, i) => (accepting[i] = o === null ? 0 : 1));
  return { delta, out, accepting };
}
