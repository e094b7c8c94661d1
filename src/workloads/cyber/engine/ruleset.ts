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
import { Automaton } from "./automaton.ts";
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
  fields: Array<{ field: string; automaton: Automaton | undefined; exact: Map<string, number[]> | undefined }>;
}

export class Matcher {
  private readonly automata = new Map<string, Automaton>();
  /** field -> whole lower-case value -> rules that need the field to be exactly that value. */
  private readonly exact = new Map<string, Map<string, number[]>>();
  private readonly plans = new Map<string, Plan>();
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(readonly rules: readonly DetectionRule[]) {
    this.stamp = new Uint32Array(rules.length);
    const byField = new Map<string, Array<{ text: string; value: number }>>();
    rules.forEach((r, i) => {
      for (const n of r.detection.needles ?? []) {
        if (n.exact) {
          let values = this.exact.get(n.field);
          if (values === undefined) this.exact.set(n.field, (values = new Map()));
          const list = values.get(n.text);
          if (list === undefined) values.set(n.text, [i]);
          else if (list.at(-1) !== i) list.push(i);
          continue;
        }
        let list = byField.get(n.field);
        if (list === undefined) byField.set(n.field, (list = []));
        // Any part of a required substring is required too; its end (file names, values) is the most telling, and a short one keeps the automaton small.
        list.push({ text: n.text.slice(-MAX_NEEDLE), value: i });
      }
    });
    for (const [field, patterns] of byField) this.automata.set(field, Automaton.build(patterns));
  }

  /** Indices of the rules that match the event, ascending. */
  match(ev: SigmaEvent): number[] {
    const { always, candidates } = this.candidates(ev);
    const fired: number[] = [];
    for (const r of always) if (this.rules[r]!.detection.test(ev)) fired.push(r);
    for (const r of candidates) if (this.rules[r]!.detection.test(ev)) fired.push(r);
    return always.length > 0 && candidates.length > 0 ? fired.sort((a, b) => a - b) : fired;
  }

  /** The rules worth testing on the event: those the index cannot judge, and those whose needle it holds. */
  candidates(ev: SigmaEvent): { always: readonly number[]; candidates: number[] } {
    const plan = this.planFor(ev.logsource);
    const gen = ++this.generation === 0xffffffff ? this.resetStamps() : this.generation;
    const stamp = this.stamp;
    const allowed = plan.allowed;
    const candidates: number[] = [];
    const hit = (r: number): void => {
      if (allowed[r] === 1 && stamp[r] !== gen) {
        stamp[r] = gen;
        candidates.push(r);
      }
    };
    for (const { field, automaton, exact } of plan.fields) {
      if (field === ANY_FIELD) {
        // A keyword never spans two values, so scanning them joined finds the same candidates (and maybe a few more).
        automaton!.scan(ev.keywordText(), hit);
        continue;
      }
      const { lower } = ev.strings(field);
      for (let i = 0; i < lower.length; i++) {
        if (automaton !== undefined) automaton.scan(lower[i]!, hit);
        const rules = exact?.get(lower[i]!);
        if (rules !== undefined) for (let j = 0; j < rules.length; j++) hit(rules[j]!);
      }
    }
    return { always: plan.always, candidates };
  }

  private resetStamps(): number {
    this.stamp.fill(0);
    this.generation = 1;
    return 1;
  }

  private planFor(ls: EventLogsource | null): Plan {
    const key = ls === null ? "*" : `${ls.product ?? ""}|${ls.categories.join(",")}|${ls.services.join(",")}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      const allowed = new Uint8Array(this.rules.length);
      const always: number[] = [];
      const fields = new Set<string>();
      this.rules.forEach((r, i) => {
        if (!admits(r.info.logsource, ls)) return;
        const needles = r.detection.needles;
        if (needles === null) always.push(i);
        else {
          allowed[i] = 1;
          for (const n of needles) fields.add(n.field);
        }
      });
      plan = { allowed, always, fields: [...fields].map((field) => ({ field, automaton: this.automata.get(field), exact: this.exact.get(field) })) };
      this.plans.set(key, plan);
    }
    return plan;
  }
}
