/**
 * The values of one detection item, matched together. SigmaHQ's rules list up to hundreds of values for one field
 * (`Image|endswith:` two hundred tool names); tested one closure after another, each event string costs a call per
 * value. Here the common shapes (value-forms of pattern.ts) are grouped: whole values in a set, ends and starts
 * keyed by their last or first characters, many substrings in one automaton. The rest keep their own tests.
 * The answer is the same as testing each value in turn: only the work differs.
 */
import { Automaton } from "../engine/automaton.ts";
import type { SigmaEvent } from "../event.ts";
import type { ValueForm } from "./pattern.ts";

export interface ValueTest {
  test(value: string, lower: string, ev: SigmaEvent): boolean;
  form?: ValueForm;
}

/** Whether any of the strings (as written, and lower-cased) passes any of the tests. */
export type StringsMatch = (orig: readonly string[], lower: readonly string[], ev: SigmaEvent) => boolean;

/** Below this many values of one shape a plain loop is as quick as an index. */
const INDEX_FROM = 5;

export function valueSet(tests: readonly ValueTest[]): StringsMatch {
  if (tests.length < INDEX_FROM) return eachTest(tests);
  const folded = new Forms();
  const cased = new Forms();
  const rest: ValueTest[] = [];
  for (const t of tests) {
    if (t.form === undefined) rest.push(t);
    else (t.form.cased ? cased : folded).add(t.form);
  }
  const onLower = folded.compile(true);
  const onOrig = cased.compile(false);
  const others = rest.length === 0 ? undefined : eachTest(rest);
  return (orig, lower, ev) => {
    if (onLower !== undefined) for (let i = 0; i < lower.length; i++) if (onLower(lower[i]!)) return true;
    if (onOrig !== undefined) for (let i = 0; i < orig.length; i++) if (onOrig(orig[i]!)) return true;
    return others !== undefined && others(orig, lower, ev);
  };
}

function eachTest(tests: readonly ValueTest[]): StringsMatch {
  return (orig, lower, ev) => {
    for (const t of tests) for (let i = 0; i < orig.length; i++) if (t.test(orig[i]!, lower[i]!, ev)) return true;
    return false;
  };
}

/** Values of one case mode, by shape. */
class Forms {
  private readonly eq = new Set<string>();
  private readonly starts: string[] = [];
  private readonly ends: string[] = [];
  private readonly contains: string[] = [];

  add(form: ValueForm): void {
    if (form.op === "eq") this.eq.add(form.text);
    else if (form.op === "starts") this.starts.push(form.text);
    else if (form.op === "ends") this.ends.push(form.text);
    else this.contains.push(form.text);
  }

  /** One test of a string against every value held; undefined when none is. `folded`: strings come lower-cased. */
  compile(folded: boolean): ((s: string) => boolean) | undefined {
    const parts: Array<(s: string) => boolean> = [];
    const eq = this.eq;
    if (eq.size === 1) { const [only] = eq; parts.push((s) => s === only); }
    else if (eq.size > 1) parts.push((s) => eq.has(s));
    if (this.ends.length > 0) parts.push(affixes(this.ends, "end"));
    if (this.starts.length > 0) parts.push(affixes(this.starts, "start"));
    if (this.contains.length > 0) parts.push(substrings(this.contains, folded));
    if (parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0]!;
    return (s) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(s)) return true;
      return false;
    };
  }
}

/** Longest key: the last (or first) characters a string is looked up by. */
const KEY = 8;

/**
 * Strings that end (or start) with one of `texts`: keyed by their last (first) k characters, k the shortest text's
 * length (at most KEY), so a string is compared only with the texts that share its key.
 */
function affixes(texts: readonly string[], side: "start" | "end"): (s: string) => boolean {
  const unique = [...new Set(texts)];
  if (unique.length < INDEX_FROM) {
    return side === "end"
      ? (s) => { for (let i = 0; i < unique.length; i++) if (s.endsWith(unique[i]!)) return true; return false; }
      : (s) => { for (let i = 0; i < unique.length; i++) if (s.startsWith(unique[i]!)) return true; return false; };
  }
  const k = Math.min(KEY, ...unique.map((t) => t.length));
  const byKey = new Map<string, string[]>();
  for (const t of unique) {
    const key = side === "end" ? t.slice(t.length - k) : t.slice(0, k);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [t]);
    else list.push(t);
  }
  if (side === "end") {
    return (s) => {
      if (s.length < k) return false;
      const list = byKey.get(s.slice(s.length - k));
      if (list === undefined) return false;
      for (let i = 0; i < list.length; i++) if (s.endsWith(list[i]!)) return true;
      return false;
    };
  }
  return (s) => {
    if (s.length < k) return false;
    const list = byKey.get(s.slice(0, k));
    if (list === undefined) return false;
    for (let i = 0; i < list.length; i++) if (s.startsWith(list[i]!)) return true;
    return false;
  };
}

/**
 * Strings holding one of `texts`. Many ASCII texts on lower-cased strings share one automaton (whose classes fold
 * ASCII case and lump non-ASCII characters together, so it is exact only there); otherwise each is looked for.
 */
function substrings(texts: readonly string[], folded: boolean): (s: string) => boolean {
  const unique = [...new Set(texts)];
  if (unique.includes("")) return () => true;
  if (folded && unique.length >= INDEX_FROM && unique.every((t) => /^[\x00-\x7f]*$/.test(t))) {
    const automaton = Automaton.build(unique.map((text, value) => ({ text, value })));
    return (s) => automaton.holdsAny(s);
  }
  return (s) => {
    for (let i = 0; i < unique.length; i++) if (s.includes(unique[i]!)) return true;
    return false;
  };
}
