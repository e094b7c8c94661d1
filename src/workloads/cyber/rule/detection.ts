/**
 * A rule's `detection` section compiled to a predicate over events, with two by-products: the fields and values
 * that made it match (for alerts), and a few sets of (field, substring) pairs such that every matching event holds
 * at least one pair of each set (for the index that keeps an event away from rules it cannot match).
 */
import type { SigmaEvent } from "../event.ts";
import { compileItem, type CompileOptions, type CompiledItem } from "./item.ts";
import { namesFor, parseCondition, type Condition } from "./condition.ts";
import { UnsupportedRule } from "./unsupported.ts";

/** The needle field of keyword searches: any value of the event. */
export const ANY_FIELD = "\u0000any";

/** Field (or ANY_FIELD) and lower-case text it contains (or, when `exact`, is). */
export interface Needle {
  field: string;
  text: string;
  exact: boolean;
}

/**
 * Needles in conjunctive normal form: every matching event holds at least one needle of each clause. `[]` says
 * nothing (no clause could be derived); a clause with no needles says no event matches.
 */
export type NeedleClauses = Needle[][];

/** Clauses kept per rule: each one the index checks rules out more events, and a mask bit per clause is needed. */
export const MAX_CLAUSES = 3;

export interface Detection {
  test(ev: SigmaEvent): boolean;
  /** Fields (and values) of the positive search identifiers that matched; call only after `test` passed. */
  matched(ev: SigmaEvent): Record<string, unknown>;
  needles: NeedleClauses;
}

interface Search {
  test(ev: SigmaEvent): boolean;
  collect(ev: SigmaEvent, out: Record<string, unknown>): void;
  needles: NeedleClauses;
}

export function compileDetection(detection: unknown, opts: CompileOptions = {}): Detection {
  if (detection === null || typeof detection !== "object" || Array.isArray(detection)) throw new UnsupportedRule("'detection' is not a map");
  const { condition, timeframe, ...searches } = detection as Record<string, unknown>;
  if (timeframe !== undefined) throw new UnsupportedRule("'timeframe' (legacy aggregation) is not supported; use a correlation rule");
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (conditions.length === 0 || conditions.some((c) => typeof c !== "string")) throw new UnsupportedRule("'condition' is missing or not text");

  const compiled = new Map<string, Search>();
  for (const [name, body] of Object.entries(searches)) compiled.set(name, compileSearch(name, body, opts));
  const names = [...compiled.keys()];
  // A list of conditions is the legacy form of their disjunction.
  const tree: Condition = conditions.length === 1 ? parseCondition(conditions[0] as string) : { op: "or", args: conditions.map((c) => parseCondition(c as string)) };
  const root = compileCondition(tree, compiled, names, true);
  return {
    test: root.test,
    matched: (ev) => { const out: Record<string, unknown> = {}; root.collect(ev, out); return out; },
    needles: root.needles,
  };
}

function compileSearch(name: string, body: unknown, opts: CompileOptions): Search {
  if (body === null || body === undefined) throw new UnsupportedRule(`search '${name}' is empty`);
  if (Array.isArray(body)) {
    const scalars = body.filter((x) => x === null || typeof x !== "object");
    const maps = body.filter((x) => x !== null && typeof x === "object");
    const parts: Search[] = maps.map((m) => compileSearch(name, m, opts));
    if (scalars.length > 0) parts.push(keywordSearch(name, compileItem(null, scalars, opts)));
    if (parts.length === 0) throw new UnsupportedRule(`search '${name}' is an empty list`);
    return anyOf(parts);
  }
  if (typeof body === "object") {
    const entries = Object.entries(body as Record<string, unknown>);
    if (entries.length === 0) throw new UnsupportedRule(`search '${name}' is an empty map`);
    const items = entries.map(([key, value]) => compileItem(key, value, opts));
    return allItems(name, items);
  }
  return keywordSearch(name, compileItem(null, body, opts));
}

function keywordSearch(name: string, item: CompiledItem): Search {
  return {
    test: item.test,
    collect: (_ev, out) => {
      const list = (out.keywords as string[] | undefined) ?? [];
      if (!list.includes(name)) list.push(name);
      out.keywords = list;
    },
    // Keyword values are searched inside longer text, so their needles are never whole-value ones.
    needles: item.needles.map((clause) => clause.map((n) => ({ field: ANY_FIELD, text: n.text, exact: false }))),
  };
}

function allItems(name: string, items: CompiledItem[]): Search {
  const tests = items.map((i) => i.test);
  return {
    test: (ev) => {
      for (const t of tests) if (!t(ev)) return false;
      return true;
    },
    collect: (ev, out) => {
      for (const item of items) {
        if (!item.test(ev)) continue;
        if (item.field === null) keywordSearch(name, item).collect(ev, out);
        else out[item.field] = ev.get(item.field) ?? null;
      }
    },
    needles: and(items.map((i) => i.needles.map((clause) => clause.map((n) => ({ field: i.field ?? ANY_FIELD, text: n.text, exact: n.exact && i.field !== null }))))),
  };
}

function anyOf(parts: Search[]): Search {
  if (parts.length === 1) return parts[0]!;
  return {
    test: (ev) => {
      for (const p of parts) if (p.test(ev)) return true;
      return false;
    },
    collect: (ev, out) => { for (const p of parts) if (p.test(ev)) p.collect(ev, out); },
    needles: or(parts.map((p) => p.needles)),
  };
}

function allOf(parts: Search[]): Search {
  if (parts.length === 1) return parts[0]!;
  return {
    test: (ev) => {
      for (const p of parts) if (!p.test(ev)) return false;
      return true;
    },
    collect: (ev, out) => { for (const p of parts) p.collect(ev, out); },
    needles: and(parts.map((p) => p.needles)),
  };
}

function compileCondition(c: Condition, searches: Map<string, Search>, names: readonly string[], positive: boolean): Search {
  switch (c.op) {
    case "ref": {
      const s = searches.get(c.name);
      if (s === undefined) throw new UnsupportedRule(`condition names '${c.name}', which the detection does not define`);
      return positive ? s : { ...s, collect: () => {} };
    }
    case "and": return allOf(c.args.map((a) => compileCondition(a, searches, names, positive)));
    case "or": return anyOf(c.args.map((a) => compileCondition(a, searches, names, positive)));
    case "not": {
      // "not not x" is x: its matches are positive evidence again (and its needles can index the rule).
      if (c.arg.op === "not") return compileCondition(c.arg.arg, searches, names, positive);
      const inner = compileCondition(c.arg, searches, names, !positive);
      return { test: (ev) => !inner.test(ev), collect: () => {}, needles: [] };
    }
    case "of": {
      const selected = namesFor(c.pattern, names);
      if (selected.length === 0) throw new UnsupportedRule(`'${c.pattern}' matches no search identifier`);
      const refs = selected.map((name) => compileCondition({ op: "ref", name }, searches, names, positive));
      if (c.quantity === "all") return allOf(refs);
      if (c.quantity === 1) return anyOf(refs);
      return atLeast(c.quantity, refs);
    }
  }
}

function atLeast(n: number, parts: Search[]): Search {
  return {
    test: (ev) => {
      let hits = 0;
      for (const p of parts) if (p.test(ev) && ++hits >= n) return true;
      return false;
    },
    collect: (ev, out) => { for (const p of parts) if (p.test(ev)) p.collect(ev, out); },
    needles: n > parts.length ? [[]] : or(parts.map((p) => p.needles)),
  };
}

/** How much a clause rules out: a clause whose shortest needle is longer is rarer; with fewer needles, cheaper. */
function score(clause: readonly Needle[]): number {
  if (clause.length === 0) return Infinity;
  let shortest = Infinity;
  for (const n of clause) shortest = Math.min(shortest, n.text.length);
  return Math.min(shortest, 64) * 1000 - clause.length;
}

/**
 * The best clauses, at most MAX_CLAUSES: dropping clauses of a conjunction only weakens it, so it stays sound. A
 * clause holding every needle of another is implied by it, so it rules nothing more out and goes first.
 */
function keepBest(clauses: Needle[][]): NeedleClauses {
  const keyed = clauses.map((c) => ({ clause: c, keys: new Set(c.map((n) => `${n.field}\u0000${n.text}\u0000${n.exact}`)) }));
  const kept = keyed.filter((a, i) => !keyed.some((b, j) => j !== i && b.keys.size <= a.keys.size && [...b.keys].every((k) => a.keys.has(k)) && (b.keys.size < a.keys.size || j < i)));
  return kept.map((k) => k.clause).sort((a, b) => score(b) - score(a)).slice(0, MAX_CLAUSES);
}

/** A conjunction's clauses: all of its parts'. */
function and(parts: readonly NeedleClauses[]): NeedleClauses {
  return keepBest(parts.flat());
}

/** A disjunction's clauses: (a1 and a2) or (b1 and b2) holds (a1 or b1), (a1 or b2), (a2 or b1), (a2 or b2). */
function or(parts: readonly NeedleClauses[]): NeedleClauses {
  if (parts.some((p) => p.length === 0)) return [];
  let acc = parts[0]!;
  for (const p of parts.slice(1)) acc = keepBest(acc.flatMap((a) => p.map((b) => [...a, ...b])));
  return acc;
}
