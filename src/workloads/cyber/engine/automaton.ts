/**
 * Aho-Corasick over many substrings at once, compiled to a DFA over the ASCII characters the patterns use;
 * other ASCII characters share one class and every non-ASCII character another. Folding non-ASCII characters
 * together keeps the table small (a few rules list hundreds of emoji) at the price of reporting a superset:
 * callers use hits as candidates to test, never as matches. One pass over a value finds every candidate.
 *
 * Patterns are lower-case and the scan is case-insensitive: an ASCII capital shares its small letter's class,
 * so values need not be lower-cased first. The few non-ASCII characters whose lower-case form holds an ASCII
 * letter (the Kelvin sign is a `k`) are scanned as that form, so a scan sees what scanning `toLowerCase()` would.
 */

/**
 * Non-ASCII UTF-16 units whose `toLowerCase()` holds an ASCII character -> that form: U+0130 (capital I with dot)
 * and U+212A (Kelvin sign). A unit test checks this against every BMP character; astral ones never fold to ASCII.
 */
export const FOLDS_TO_ASCII: ReadonlyMap<number, string> = new Map([[0x130, "i\u0307"], [0x212a, "k"]]);

export interface HitSink {
  hit(value: number): void;
}

export class Automaton {
  private constructor(
    private readonly classOf: Uint8Array,
    private readonly nonAscii: number,
    private readonly classes: number,
    /** state * classes + class -> next state * classes, negated when the next state has outputs to report. */
    private readonly jump: Int32Array,
    private readonly outputs: ReadonlyArray<Int32Array | undefined>,
    /** Nearest state on the failure chain that has outputs (0, the root, has none and ends the chain). */
    private readonly dictLink: Int32Array,
  ) {}

  /** `patterns`: lower-case substrings with the value each reports (a rule index). */
  static build(patterns: ReadonlyArray<{ text: string; value: number }>): Automaton {
    const classOf = new Uint8Array(128);
    let classes = 1;
    let nonAscii = 0;
    const fold = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);
    for (const p of patterns) for (let i = 0; i < p.text.length; i++) {
      const c = fold(p.text.charCodeAt(i));
      if (c >= 128) { if (nonAscii === 0) nonAscii = classes++; }
      else if (classOf[c] === 0) classOf[c] = classes++;
    }
    for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 32]!;
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
    // The scan's table: next state premultiplied by the class count, negative when that state has outputs to report.
    const jump = new Int32Array(n * classes);
    for (let i = 0; i < jump.length; i++) {
      const next = delta[i]!;
      jump[i] = outputs[next] !== undefined || dictLink[next] !== 0 ? -next * classes : next * classes;
    }
    return new Automaton(classOf, nonAscii, classes, jump, outputs, dictLink);
  }

  /** Reports to `sink` the value of every pattern in `text`, ignoring case (a value may be reported more than once). */
  scan(text: string, sink: HitSink): void {
    const { classOf, nonAscii, jump } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next: number;
      if (c < 128) next = jump[s + classOf[c]!]!;
      else {
        const folded = FOLDS_TO_ASCII.get(c);
        if (folded === undefined) next = jump[s + nonAscii]!;
        else {
          // The units of its lower-case form, in turn; the last one's outputs are reported below.
          next = s;
          for (let j = 0; j < folded.length; j++) {
            if (next < 0) this.report(-next, sink);
            const f = folded.charCodeAt(j);
            next = jump[(next < 0 ? -next : next) + (f < 128 ? classOf[f]! : nonAscii)]!;
          }
        }
      }
      if (next < 0) {
        s = -next;
        this.report(s, sink);
      } else s = next;
    }
  }

  /** Reports the outputs of a state (given premultiplied) and of the states on its failure chain. */
  private report(premultiplied: number, sink: HitSink): void {
    const { outputs, dictLink } = this;
    const state = premultiplied / this.classes;
    for (let t = outputs[state] === undefined ? dictLink[state]! : state; t !== 0; t = dictLink[t]!) {
      const o = outputs[t]!;
      for (let j = 0; j < o.length; j++) sink.hit(o[j]!);
    }
  }

  get states(): number {
    return this.outputs.length;
  }
}
