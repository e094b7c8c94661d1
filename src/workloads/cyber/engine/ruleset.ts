/**
 * A compiled rule set and its index. Rules are compiled once; an event is tested only against rules whose log
 * source admits it and, of those, only against rules whose required substring (one per rule, chosen at compile
 * time) occurs in the right field, found for all rules at once by one automaton per field.
 */
import type { EventLogsource, SigmaEvent } from "../event.ts";
import { admits } from "../logsource.ts";
import type { CompileOptions } from "../rule/item.ts";
import { loadRules, parseRuleSources, type ParsedSource } from "../rule/load.ts";
import type { CorrelationRule, DetectionRule, RuleSource, UnsupportedEntry } from "../rule/types.ts";
import { Automaton, type HitSink } from "./automaton.ts";
import { ANY_FIELD } from "../rule/detection.ts";

const MAX_NEEDLE = 10;

export interface RuleSet {
  detections: DetectionRule[];
  correlations: CorrelationRule[];
  unsupported: UnsupportedEntry[];
  /** The rule files as parsed YAML, kept so worker threads compile the same set without parsing it again. */
  parsed: readonly ParsedSource[];
  options: CompileOptions;
}

export function compileRules(sources: readonly RuleSource[], options: CompileOptions = {}): RuleSet {
  return compileParsed(parseRuleSources(sources), options);
}

export function compileParsed(parsed: readonly ParsedSource[], options: CompileOptions = {}): RuleSet {
  const { rules, unsupported } = loadRules(parsed, options);
  return {
    detections: rules.filter((r): r is DetectionRule => r.kind === "detection"),
    correlations: rules.filter((r): r is CorrelationRule => r.kind === "correlation"),
    unsupported,
    parsed,
    options,
  };
}

/** The rules an event with a given log source may match: unindexed ones, and automata over the indexed. */
interface Plan {
  allowed: Uint8Array;
  always: number[];
  /** Indexed fields named without a dot: read straight off the event's record. */
  plain: FieldIndex[];
  /** Indexed fields with a dot in the name, reached through `SigmaEvent.get`. */
  dotted: FieldIndex[];
  /** The keyword needles' automaton, when a rule the plan admits has keywords. */
  keywords: Automaton | undefined;
  /** With keywords: the plain fields by name. */
  byName: Map<string, FieldIndex>;
}

interface FieldIndex {
  field: string;
  /** For a field named without a dot, the keyword needles too, so plans with keyword rules scan its values once. */
  automaton: Automaton | undefined;
  exact: ExactIndex | undefined;
}

/** Whole lower-case values of one field -> packed (rule, clause), and their lengths so most values skip lower-casing. */
interface ExactIndex {
  values: Map<string, number[]>;
  /** lengths[n] === 1 when some value is n units long (up to MAX_LENGTH; longer ones set `long`). */
  lengths: Uint8Array;
  long: boolean;
  longest: number;
}

const MAX_LENGTH = 255;

/**
 * Needles made only of characters that `String()` of a number, boolean or bigint can hold ("1e+21", "-0.5",
 * "Infinity", "NaN", "true", "false"), lower-case as needles are: only these can occur in such a value.
 */
const SCALAR_TEXT = /^[0-9.+\-abefilnrstuy]+$/;

/**
 * Whether a value (as written) might lower-case to one of the index's values. Lower-casing keeps a string's length
 * except for U+0130, which becomes two units; so a value of another length can match only if it holds one.
 */
function mayBeExact(index: ExactIndex, raw: string): boolean {
  const n = raw.length;
  if (n > MAX_LENGTH ? index.long : index.lengths[n] === 1) return true;
  return n < index.longest && raw.includes("\u0130");
}

/** Index values pack a rule and one of its clauses (MAX_CLAUSES <= CLAUSE_BITS bits). */
const CLAUSE_BITS = 5;
const CLAUSE_MASK = (1 << CLAUSE_BITS) - 1;

/**
 * A rule becomes a candidate for an event once the event holds a needle of each of its clauses. Hits set one bit
 * per clause in a per-rule mask; masks of rules not seen yet in this event are stale and recognised by a stamp.
 */
export class Matcher implements HitSink {
  private readonly automata = new Map<string, Automaton>();
  /** field -> whole lower-case value -> packed (rule, clause) that need the field to be exactly that value. */
  private readonly exact = new Map<string, ExactIndex>();
  /** False when no keyword needle could occur in the text of a number or boolean, whose scans are then skipped. */
  private readonly keywordsInScalars: boolean;
  private readonly plans = new Map<string, Plan>();
  /** The Windows reader shares one frozen log source object per kind of event, so most events find their plan by identity. */
  private readonly planOf = new WeakMap<EventLogsource, Plan>();
  /** Per rule: the mask of all its clauses (0 for rules the index cannot judge). */
  private readonly need: Uint32Array;
  private readonly mask: Uint32Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  /** State of the event being indexed, read by `hit`. */
  private allowed: Uint8Array = new Uint8Array(0);
  private found: number[] = [];

  constructor(readonly rules: readonly DetectionRule[]) {
    this.need = new Uint32Array(rules.length);
    this.mask = new Uint32Array(rules.length);
    this.stamp = new Uint32Array(rules.length);
    const byField = new Map<string, Array<{ text: string; value: number }>>();
    rules.forEach((r, i) => {
      const clauses = r.detection.needles;
      this.need[i] = clauses.length === 0 ? 0 : (1 << clauses.length) - 1;
      clauses.forEach((clause, c) => {
        const value = (i << CLAUSE_BITS) | c;
        for (const n of clause) {
          if (n.exact) {
            let index = this.exact.get(n.field);
            if (index === undefined) this.exact.set(n.field, (index = { values: new Map(), lengths: new Uint8Array(MAX_LENGTH + 1), long: false, longest: 0 }));
            const values = index.values;
            if (n.text.length > MAX_LENGTH) index.long = true;
            else index.lengths[n.text.length] = 1;
            index.longest = Math.max(index.longest, n.text.length);
            const list = values.get(n.text);
            if (list === undefined) values.set(n.text, [value]);
            else if (!list.includes(value)) list.push(value);
            continue;
          }
          let list = byField.get(n.field);
          if (list === undefined) byField.set(n.field, (list = []));
          // Any part of a required substring is required too; its end (file names, values) is the most telling, and a short one keeps the automaton small.
          list.push({ text: n.text.slice(-MAX_NEEDLE), value });
        }
      });
    });
    // Keyword needles join every plain field's own: a plan that does not admit their rules ignores their hits.
    const keywords = byField.get(ANY_FIELD) ?? [];
    for (const [field, patterns] of byField) {
      this.automata.set(field, Automaton.build(field === ANY_FIELD || field.includes(".") ? patterns : [...patterns, ...keywords]));
    }
    this.keywordsInScalars = (byField.get(ANY_FIELD) ?? []).some((p) => SCALAR_TEXT.test(p.text));
  }

  /** Indices of the rules that match the event, ascending. */
  match(ev: SigmaEvent): number[] {
    const { always, candidates } = this.candidates(ev);
    const rules = this.rules;
    const fired: number[] = [];
    for (let i = 0; i < always.length; i++) if (rules[always[i]!]!.detection.test(ev)) fired.push(always[i]!);
    for (let i = 0; i < candidates.length; i++) if (rules[candidates[i]!]!.detection.test(ev)) fired.push(candidates[i]!);
    return fired.length > 1 ? fired.sort((a, b) => a - b) : fired;
  }

  /** The rules worth testing on the event: those the index cannot judge, and those holding a needle of each clause. */
  candidates(ev: SigmaEvent): { always: readonly number[]; candidates: number[] } {
    const plan = this.planFor(ev.logsource);
    if (++this.generation === 0xffffffff) this.resetStamps();
    this.allowed = plan.allowed;
    const found: number[] = (this.found = []);
    const fields = ev.fields;
    if (plan.keywords !== undefined) this.scanWithKeywords(fields, plan, ev);
    else this.scanPlain(fields, plan, ev);
    for (let f = 0; f < plan.dotted.length; f++) this.scanField(ev, plan.dotted[f]!);
    return { always: plan.always, candidates: found };
  }

  /** Without keyword rules: the plan's fields, read off the record. */
  private scanPlain(fields: Record<string, unknown>, plan: Plan, ev: SigmaEvent): void {
    // Most indexed fields are absent from a given event, and most present ones are plain strings, scanned as they are.
    const plain = plan.plain;
    for (let f = 0; f < plain.length; f++) {
      const index = plain[f]!;
      const value = fields[index.field];
      if (value === undefined) continue;
      // A number's one string is its String(): no need to build the event's cached forms (SigmaEvent.strings) for it.
      const raw = typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
      if (raw !== undefined) {
        if (index.automaton !== undefined) index.automaton.scan(raw, this);
        // Lower-cased here and not cached: few events reach a rule test that would reuse it.
        if (index.exact !== undefined && mayBeExact(index.exact, raw)) this.exactHits(index.exact.values, raw.toLowerCase());
      } else this.scanField(ev, index);
    }
  }

  /** With keyword rules: one walk over the record; an indexed field's values meet its own and the keyword needles. */
  private scanWithKeywords(fields: Record<string, unknown>, plan: Plan, ev: SigmaEvent): void {
    const keywords = plan.keywords!;
    const byName = plan.byName;
    for (const key in fields) {
      const value = fields[key];
      const index = byName.get(key);
      if (index === undefined) {
        this.scanValues(value, keywords);
        continue;
      }
      const raw = typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
      if (raw !== undefined) {
        (index.automaton ?? keywords).scan(raw, this);
        if (index.exact !== undefined && mayBeExact(index.exact, raw)) this.exactHits(index.exact.values, raw.toLowerCase());
      } else {
        this.scanField(ev, index);
        this.scanValues(value, keywords);
      }
    }
  }

  /** Scans every scalar value under `v` (what a keyword search looks through) without collecting them. */
  private scanValues(v: unknown, automaton: Automaton): void {
    if (typeof v === "string") automaton.scan(v, this);
    else if (v !== null && typeof v === "object") this.scanNested(v, automaton);
    else if (this.keywordsInScalars && (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint")) automaton.scan(String(v), this);
  }

  /** scanValues under an object or list, with a stack of its own: a record nested ten thousand deep is still scanned. */
  private scanNested(root: object, automaton: Automaton): void {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v === "string") automaton.scan(v, this);
      else if (v !== null && typeof v === "object") {
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
        else for (const k in v) stack.push((v as Record<string, unknown>)[k]);
      } else if (this.keywordsInScalars && (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint")) automaton.scan(String(v), this);
    }
  }

  private scanField(ev: SigmaEvent, { field, automaton, exact }: FieldIndex): void {
    const orig = ev.values(field);
    if (orig.length === 0) return;
    if (automaton !== undefined) for (let i = 0; i < orig.length; i++) automaton.scan(orig[i]!, this);
    if (exact !== undefined) {
      const lower = ev.strings(field).lower;
      for (let i = 0; i < lower.length; i++) this.exactHits(exact.values, lower[i]!);
    }
  }

  private exactHits(exact: Map<string, number[]>, lower: string): void {
    const values = exact.get(lower);
    if (values !== undefined) for (let j = 0; j < values.length; j++) this.hit(values[j]!);
  }

  /** One needle found: its clause is satisfied for its rule. */
  hit(value: number): void {
    const r = value >>> CLAUSE_BITS;
    if (this.allowed[r] !== 1) return;
    const mask = this.mask;
    const before = this.stamp[r] === this.generation ? mask[r]! : ((this.stamp[r] = this.generation), 0);
    const after = before | (1 << (value & CLAUSE_MASK));
    if (after === before) return;
    mask[r] = after;
    if (after === this.need[r]) this.found.push(r);
  }

  private resetStamps(): void {
    this.stamp.fill(0);
    this.generation = 1;
  }

  private planFor(ls: EventLogsource | null): Plan {
    // Only a frozen log source can be known by identity: a caller's own object might change between events.
    if (ls !== null && Object.isFrozen(ls)) {
      let plan = this.planOf.get(ls);
      if (plan === undefined) this.planOf.set(ls, (plan = this.planForKey(ls)));
      return plan;
    }
    return this.planForKey(ls);
  }

  private planForKey(ls: EventLogsource | null): Plan {
    const key = ls === null ? "*" : `${ls.product ?? ""}|${ls.categories.join(",")}|${ls.services.join(",")}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      const allowed = new Uint8Array(this.rules.length);
      const always: number[] = [];
      const fields = new Set<string>();
      this.rules.forEach((r, i) => {
        if (!admits(r.info.logsource, ls)) return;
        const clauses = r.detection.needles;
        if (clauses.length === 0) always.push(i);
        else {
          allowed[i] = 1;
          for (const clause of clauses) for (const n of clause) fields.add(n.field);
        }
      });
      const keywords = fields.has(ANY_FIELD) ? this.automata.get(ANY_FIELD) : undefined;
      const indexes = [...fields].filter((f) => f !== ANY_FIELD).map((field): FieldIndex => ({
        field,
        automaton: this.automata.get(field),
        exact: this.exact.get(field),
      }));
      const plain = indexes.filter((i) => !i.field.includes("."));
      plan = {
        allowed,
        always,
        plain,
        dotted: indexes.filter((i) => i.field.includes(".")),
        keywords,
        byName: new Map(keywords === undefined ? [] : plain.map((i) => [i.field, i])),
      };
      this.plans.set(key, plan);
    }
    return plan;
  }
}
