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
const CAPITAL_I_DOT = 0x130;
const KELVIN = 0x212a;
export const FOLDS_TO_ASCII: ReadonlyMap<number, string> = new Map([[CAPITAL_I_DOT, "i\u0307"], [KELVIN, "k"]]);

export interface HitSink {
  hit(value: number): void;
}

export class Automaton {
  private constructor(
    private readonly classOf: Uint8Array,
    private readonly nonAscii: number,
    private readonly classes: number,
    /**
     * state * classes + class -> next state. States are numbered so that those with outputs to report (their own or
     * on their failure chain) come last, from `reporting` on: one comparison per character tells. Most automata have
     * fewer than 65536 states and use the 16-bit table (`wide` empty), half the cache footprint of 32-bit entries.
     */
    private readonly narrow: Uint16Array,
    private readonly wide: Uint32Array,
    private readonly reporting: number,
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
    // Renumbered: the root stays 0, states that report move to the end.
    const reports = (st: number): boolean => out[st]!.size > 0 || dictLink[st]! !== 0;
    const id = new Int32Array(n);
    let next = 0;
    for (let st = 0; st < n; st++) if (!reports(st)) id[st] = next++;
    const reporting = next;
    for (let st = 0; st < n; st++) if (reports(st)) id[st] = next++;
    const outputs = new Array<Int32Array | undefined>(n);
    const links = new Int32Array(n);
    for (let st = 0; st < n; st++) {
      outputs[id[st]!] = out[st]!.size === 0 ? undefined : Int32Array.from(out[st]!);
      links[id[st]!] = id[dictLink[st]!]!;
    }
    const narrow = new Uint16Array(n <= 0x10000 ? n * classes : 0);
    const wide = new Uint32Array(n <= 0x10000 ? 0 : n * classes);
    const table = n <= 0x10000 ? narrow : wide;
    for (let st = 0; st < n; st++) for (let k = 0; k < classes; k++) table[id[st]! * classes + k] = id[delta[st * classes + k]!]!;
    return new Automaton(classOf, nonAscii, classes, narrow, wide, reporting, outputs, links);
  }

  /** Reports to `sink` the value of every pattern in `text`, ignoring case (a value may be reported more than once). */
  scan(text: string, sink: HitSink): void {
    // Two copies of one loop, so that each reads a single kind of typed array.
    if (this.wide.length === 0) this.scanNarrow(text, sink);
    else this.scanWide(text, sink);
  }

  /** Whether any pattern occurs in `text`, ignoring case. */
  holdsAny(text: string): boolean {
    const flag = this.flag;
    flag.found = false;
    this.scan(text, flag);
    return flag.found;
  }

  private readonly flag = { found: false, hit(): void { this.found = true; } };

  private scanNarrow(text: string, sink: HitSink): void {
    const { classOf, nonAscii, narrow: jump, classes, reporting } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) s = jump[s * classes + classOf[c]!]!;
      else if (c !== CAPITAL_I_DOT && c !== KELVIN) s = jump[s * classes + nonAscii]!;
      else s = this.stepFolded(s, c, sink);
      if (s >= reporting) this.report(s, sink);
    }
  }

  private scanWide(text: string, sink: HitSink): void {
    const { classOf, nonAscii, wide: jump, classes, reporting } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) s = jump[s * classes + classOf[c]!]!;
      else if (c !== CAPITAL_I_DOT && c !== KELVIN) s = jump[s * classes + nonAscii]!;
      else s = this.stepFolded(s, c, sink);
      if (s >= reporting) this.report(s, sink);
    }
  }

  /**
   * A character whose lower-case form holds ASCII (the FOLDS_TO_ASCII keys, which the scan loops test by code): the units of
   * that form, in turn. All but the last one's outputs are reported here; the caller reports the last one's.
   */
  private stepFolded(from: number, c: number, sink: HitSink): number {
    const folded = FOLDS_TO_ASCII.get(c)!;
    const table = this.wide.length === 0 ? this.narrow : this.wide;
    let s = from;
    for (let j = 0; j < folded.length; j++) {
      if (j > 0 && s >= this.reporting) this.report(s, sink);
      const f = folded.charCodeAt(j);
      s = table[s * this.classes + (f < 128 ? this.classOf[f]! : this.nonAscii)]!;
    }
    return s;
  }

  /** Reports the outputs of a state and of the states on its failure chain. */
  private report(state: number, sink: HitSink): void {
    const { outputs, dictLink } = this;
    for (let t = outputs[state] === undefined ? dictLink[state]! : state; t !== 0; t = dictLink[t]!) {
      const o = outputs[t]!;
      for (let j = 0; j < o.length; j++) sink.hit(o[j]!);
    }
  }

  get states(): number {
    return this.outputs.length;
  }
}
