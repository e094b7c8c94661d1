/**
 * Events to alerts. `EventMatcher` is the stateless part (any thread may run it on any event); `Correlator`
 * holds the state correlation rules need and sees occurrences in stream order; `Detector` joins the two for
 * one thread.
 */
import type { Alert } from "../alert.ts";
import type { SigmaEvent } from "../event.ts";
import type { DetectionRule } from "../rule/types.ts";
import { Correlator, type Occurrence } from "./correlation.ts";
import { Matcher, type RuleSet } from "./ruleset.ts";

export interface Evaluation {
  alerts: Alert[];
  occurrences: Occurrence[];
}

export class EventMatcher {
  private readonly matcher: Matcher;
  /** Per detection rule: the fields correlations need from its events, or undefined if none uses it. */
  private readonly correlated: Array<string[] | undefined>;

  constructor(readonly ruleSet: RuleSet) {
    this.matcher = new Matcher(ruleSet.detections);
    const used = new Set(ruleSet.correlations.flatMap((c) => c.rules));
    this.correlated = ruleSet.detections.map((r) =>
      used.has(r.info.id) || (r.info.name !== undefined && used.has(r.info.name))
        ? Correlator.fieldsFor(ruleSet.correlations, r.info.id, r.info.name)
        : undefined);
  }

  evaluate(ev: SigmaEvent): Evaluation {
    const alerts: Alert[] = [];
    const occurrences: Occurrence[] = [];
    for (const r of this.matcher.match(ev)) {
      const rule = this.ruleSet.detections[r]!;
      if (rule.emit) alerts.push(alertFor(rule, ev));
      const fields = this.correlated[r];
      if (fields !== undefined) {
        const values: Record<string, unknown> = {};
        for (const f of fields) values[f] = ev.get(f) ?? null;
        occurrences.push({
          rule: rule.info.id,
          ...(rule.info.name !== undefined ? { name: rule.info.name } : {}),
          // Events without a time of their own are correlated by the time they are seen.
          time: ev.time ?? Date.now(),
          ...(ev.yearless ? { yearless: true } : {}),
          values,
          source: ev.origin,
        });
      }
    }
    return { alerts, occurrences };
  }
}

export function alertFor(rule: DetectionRule, ev: SigmaEvent): Alert {
  const { id, title, level, status, tags } = rule.info;
  return {
    rule: { id, title, level, status, tags },
    source: { file: ev.origin.file, line: ev.origin.line },
    matched: rule.detection.matched(ev),
    event: boundedEvent(ev.original ?? ev.fields),
  };
}

/** Deeper than this, an alert's event is left out: no log nests so deep, and writing it out would overflow the stack. */
export const MAX_EVENT_DEPTH = 256;

/**
 * The event as it goes into an alert, or, when it nests deeper than MAX_EVENT_DEPTH levels (a hostile record), a
 * note saying so: the alert still names the rule, file and line. Walked with a stack of its own (objects and their
 * depths in two lists reused between calls, keys read with for-in: this runs for every alert, and allocating per
 * node made it most of an alert's cost).
 */
export function boundedEvent(event: unknown): unknown {
  if (event === null || typeof event !== "object") return event;
  const nodes = walkNodes;
  const depths = walkDepths;
  nodes.length = 0;
  depths.length = 0;
  nodes.push(event);
  depths.push(0);
  while (nodes.length > 0) {
    const v = nodes.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth >= MAX_EVENT_DEPTH) {
      nodes.length = 0;
      depths.length = 0;
      return { omitted: `the event nests deeper than ${MAX_EVENT_DEPTH} levels; read it at its source file and line` };
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== null && typeof x === "object") { nodes.push(x); depths.push(depth + 1); }
      }
    } else {
      for (const k in v) {
        const x = v[k];
        if (x !== null && typeof x === "object") { nodes.push(x); depths.push(depth + 1); }
      }
    }
  }
  return event;
}

const walkNodes: unknown[] = [];
const walkDepths: number[] = [];

/** Matchers are stateless between events, so one per rule set serves every detector on this thread. */
const matchers = new WeakMap<RuleSet, EventMatcher>();

export function matcherFor(ruleSet: RuleSet): EventMatcher {
  let m = matchers.get(ruleSet);
  if (m === undefined) matchers.set(ruleSet, (m = new EventMatcher(ruleSet)));
  return m;
}

export class Detector {
  private readonly matcher: EventMatcher;
  private readonly correlator: Correlator;

  constructor(ruleSet: RuleSet) {
    this.matcher = matcherFor(ruleSet);
    this.correlator = new Correlator(ruleSet.correlations);
  }

  process(ev: SigmaEvent): Alert[] {
    const { alerts, occurrences } = this.matcher.evaluate(ev);
    for (const o of occurrences) alerts.push(...this.correlator.push(o));
    return alerts;
  }

  /** Alerts of correlation windows still open at the end of the input. */
  flush(): Alert[] {
    return this.correlator.flush();
  }
}
