/**
 * Aho-Corasick over many substrings at once, compiled to a DFA over the ASCII characters the patterns use;
 * other ASCII characters share one class and every non-ASCII character another. Folding non-ASCII characters
 * together keeps the table small (a few rules list hundreds of emoji) at the price of reporting a superset:
 * callers use hits as candidates to test, never as matches. One pass over a value finds every candidate.
 */
export class Automaton {
  private constructor(
    private readonly classOf: Uint8Array,
    private readonly nonAscii: number,
    private readonly classes: number,
    private readonly delta: Int32Array,
    private readonly outputs: ReadonlyArray<Int32Array | undefined>,
    /** Nearest state on the failure chain that has outputs (0, the root, has none and ends the chain). */
    private readonly dictLink: Int32Array,
  ) {}

  /** `patterns`: lower-case substrings with the value each reports (a rule index). */
  static build(patterns: ReadonlyArray<{ text: string; value: number }>): Automaton {
    const classOf = new Uint8Array(128);
    let classes = 1;
    let nonAscii = 0;
    for (const p of patterns) for (let i = 0; i < p.text.length; i++) {
      const c = p.text.charCodeAt(i);
      if (c >= 128) { if (nonAscii === 0) nonAscii = classes++; }
      else if (classOf[c] === 0) classOf[c] = classes++;
    }
    const classAt = (text: string, i: number): number => { const c = text.charCodeAt(i); return c < 128 ? classOf[c]! : nonAscii; };
    // Trie.
    const children: Array<Map<number, number>> = [new Map()];
    const out: Array<Set<number>> = [new Set()];
    for (const p of patterns) {
      let s = 0;
      for (let i = 0; i < p.text.length; i++) {
        const k = classAt(p.text, i);
        let next = children[s]!.get(k);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          out.push(new Set());
          children[s]!.set(k, next);
        }
        s = next;
      }
      out[s]!.add(p.value);
    }
    // Breadth-first: failure links folded into a full transition table.
    const n = children.length;
    const delta = new Int32Array(n * classes);
    const fail = new Int32Array(n);
    const dictLink = new Int32Array(n);
    const queue: number[] = [];
    for (let k = 1; k < classes; k++) {
      const next = children[0]!.get(k);
      if (next !== undefined) { delta[k] = next; fail[next] = 0; queue.push(next); }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      dictLink[s] = out[f]!.size > 0 ? f : dictLink[f]!;
      for (let k = 1; k < classes; k++) {
        const next = children[s]!.get(k);
        if (next !== undefined) {
          fail[next] = delta[fail[s]! * classes + k]!;
          delta[s * classes + k] = next;
          queue.push(next);
        } else {
          delta[s * classes + k] = delta[fail[s]! * classes + k]!;
        }
      }
    }
    const outputs = out.map((set) => (set.size === 0 ? undefined : Int32Array.from(set)));
    return new Automaton(classOf, nonAscii, classes, delta, outputs, dictLink);
  }

  /** Calls `hit` with the value of every pattern in `text` (a value may be reported more than once). */
  scan(text: string, hit: (value: number) => void): void {
    const { classOf, nonAscii, classes, delta, outputs, dictLink } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = delta[s * classes + (c < 128 ? classOf[c]! : nonAscii)]!;
      for (let t = outputs[s] === undefined ? dictLink[s]! : s; t !== 0; t = dictLink[t]!) {
        const o = outputs[t]!;
        for (let j = 0; j < o.length; j++) hit(o[j]!);
      }
    }
  }

  get states(): number {
    return this.outputs.length;
  }
}
