/**
 * Correlation rules (sigma-correlation-rules-specification v2.1): event_count, value_count, value_sum, value_avg,
 * temporal and temporal_ordered, per group-by value and within a timespan. The correlator is fed occurrences (a rule matched
 * an event, with the fields correlations need) in stream order and keeps per-group state.
 *
 * Windows: for conditions with only a lower bound (gt/gte), counts are taken over a sliding window and fire as
 * soon as they are met; conditions with an upper bound (lt/lte/eq/neq) can only be judged once a window is over, so
 * they use a window opened by a group's first event, judged when a later event falls outside it or at `flush`.
 * A group that fired starts afresh, so one burst raises one alert.
 */
import type { Alert, AlertSource, CorrelationDetails } from "../alert.ts";
import type { CorrelationRule, CountCondition } from "../rule/types.ts";

export interface Occurrence {
  /** The matched rule's id, and its name when it has one. */
  rule: string;
  name?: string;
  time: number;
  /** Values of the fields correlations on this rule group by or count. */
  values: Record<string, unknown>;
  source: AlertSource;
}

interface Entry {
  time: number;
  rule: string;
  /** The matched rule's name, when it has one (correlations may refer to it by name). */
  name?: string;
  source: AlertSource;
  value?: string;
}

interface Group {
  values: Record<string, unknown>;
  entries: Entry[];
  windowStart?: number;
}

const MAX_LISTED = 100;

export function satisfies(c: CountCondition, n: number): boolean {
  return (c.gt === undefined || n > c.gt) && (c.gte === undefined || n >= c.gte) && (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) && (c.eq === undefined || n === c.eq) && (c.neq === undefined || n !== c.neq);
}

const lowerBoundOnly = (c: CountCondition): boolean => c.lt === undefined && c.lte === undefined && c.eq === undefined && c.neq === undefined;

/** Correlations counted over a window of events (the others look for rules in turn). */
const windowed = (c: CorrelationRule): boolean => c.type !== "temporal" && c.type !== "temporal_ordered";

export class Correlator {
  private readonly state = new Map<CorrelationRule, Map<string, Group>>();
  /** Rule id or name -> correlations that refer to it. */
  private readonly users = new Map<string, CorrelationRule[]>();

  constructor(private readonly correlations: readonly CorrelationRule[]) {
    for (const c of correlations) {
      this.state.set(c, new Map());
      for (const ref of c.rules) this.users.set(ref, [...(this.users.get(ref) ?? []), c]);
    }
  }

  /** Fields a correlation needs from the events of rule `ref` (by id or name). */
  static fieldsFor(correlations: readonly CorrelationRule[], id: string, name?: string): string[] {
    const out = new Set<string>();
    for (const c of correlations) {
      const ref = c.rules.find((r) => r === id || r === name);
      if (ref === undefined) continue;
      for (const g of c.groupBy) out.add(fieldOf(c, g, ref));
      if (c.field !== undefined) out.add(c.field);
    }
    return [...out];
  }

  push(o: Occurrence): Alert[] {
    const alerts: Alert[] = [];
    const seen = new Set<CorrelationRule>();
    for (const key of o.name === undefined ? [o.rule] : [o.rule, o.name]) {
      for (const c of this.users.get(key) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        const alert = this.advance(c, o);
        if (alert) alerts.push(...this.emitOrChain(c, alert));
      }
    }
    return alerts;
  }

  /** Judges the windows still open (end of input). */
  flush(): Alert[] {
    const alerts: Alert[] = [];
    for (const c of this.correlations) {
      if (!windowed(c)) continue;
      if (lowerBoundOnly(c.condition)) continue;
      for (const [key, g] of this.state.get(c)!) {
        const alert = this.judgeWindow(c, g);
        this.state.get(c)!.delete(key);
        if (alert) alerts.push(...this.emitOrChain(c, alert));
      }
    }
    return alerts;
  }

  private emitOrChain(c: CorrelationRule, alert: Alert): Alert[] {
    const out = c.emit ? [alert] : [];
    const details = alert.correlation!;
    const last = details.events.at(-1);
    const occurrence: Occurrence = {
      rule: c.info.id,
      ...(c.info.name !== undefined ? { name: c.info.name } : {}),
      time: last ? Date.parse(last.time) : Date.now(),
      values: details.group,
      source: alert.source,
    };
    return [...out, ...this.push(occurrence)];
  }

  private advance(c: CorrelationRule, o: Occurrence): Alert | undefined {
    const ref = c.rules.find((r) => r === o.rule || r === o.name)!;
    const groupValues: Record<string, unknown> = {};
    for (const g of c.groupBy) groupValues[g] = o.values[fieldOf(c, g, ref)] ?? null;
    const key = JSON.stringify(c.groupBy.map((g) => groupValues[g]));
    const groups = this.state.get(c)!;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { values: groupValues, entries: [] }));
    const entry: Entry = { time: o.time, rule: o.rule, source: o.source, ...(o.name === undefined ? {} : { name: o.name }) };
    if (c.field !== undefined) {
      const v = o.values[c.field];
      if (v === undefined || v === null) return undefined; // no value to count
      entry.value = typeof v === "string" ? v : JSON.stringify(v);
      // A sum or an average takes numbers: an event whose field is not one adds nothing to either.
      if ((c.type === "value_sum" || c.type === "value_avg") && !Number.isFinite(numberOf(entry.value))) return undefined;
    }

    switch (c.type) {
      case "event_count":
      case "value_count":
      case "value_sum":
      case "value_avg": {
        if (!lowerBoundOnly(c.condition)) {
          let alert: Alert | undefined;
          if (g.windowStart !== undefined && o.time > g.windowStart + c.timespanMs) {
            alert = this.judgeWindow(c, g);
            g.entries = [];
            g.windowStart = undefined;
          }
          g.windowStart ??= o.time;
          g.entries.push(entry);
          return alert;
        }
        // The window ends at the newest event seen, whatever order they arrive in: a late event counts if it falls
        // inside it, and an early one never stretches it beyond the timespan.
        insertByTime(g.entries, entry);
        const newest = g.entries.at(-1)!.time;
        g.entries = g.entries.filter((e) => e.time >= newest - c.timespanMs);
        const n = count(c, g.entries);
        if (!satisfies(c.condition, n)) return undefined;
        const alert = this.alert(c, g, n);
        groups.delete(key);
        return alert;
      }
      case "temporal": {
        g.entries = g.entries.filter((e) => e.time >= o.time - c.timespanMs && e.rule !== o.rule);
        g.entries.push(entry);
        const distinct = new Set(g.entries.map((e) => e.rule)).size;
        const needed = Object.keys(c.condition).length > 0 ? satisfies(c.condition, distinct) : distinct >= c.rules.length;
        if (!needed) return undefined;
        const alert = this.alert(c, g, distinct);
        groups.delete(key);
        return alert;
      }
      case "temporal_ordered": {
        // By the events' times, not their arrival: merged or delayed logs arrive out of order. Entries are kept in
        // time order (an equal time after the earlier arrival) and only within the timespan of the newest.
        insertByTime(g.entries, entry);
        const newest = g.entries.at(-1)!.time;
        g.entries = g.entries.filter((e) => e.time >= newest - c.timespanMs);
        if (!inOrderWithin(c, g.entries)) return undefined;
        const alert = this.alert(c, g, c.rules.length);
        groups.delete(key);
        return alert;
      }
    }
  }

  private judgeWindow(c: CorrelationRule, g: Group): Alert | undefined {
    const n = count(c, g.entries);
    return satisfies(c.condition, n) && g.entries.length > 0 ? this.alert(c, g, n) : undefined;
  }

  private alert(c: CorrelationRule, g: Group, n: number): Alert {
    const last = g.entries.at(-1)!;
    const details: CorrelationDetails = {
      type: c.type,
      group: g.values,
      count: n,
      events: g.entries.slice(-MAX_LISTED).map((e) => ({ rule: e.rule, source: e.source, time: new Date(e.time).toISOString() })),
    };
    const { id, title, level, status, tags } = c.info;
    return { rule: { id, title, level, status, tags }, source: last.source, matched: g.values, event: null, correlation: details };
  }
}

/** Inserts an entry into time-ordered entries, after any of the same time (arrival breaks ties). */
function insertByTime(entries: Entry[], entry: Entry): void {
  let at = entries.length;
  while (at > 0 && entries[at - 1]!.time > entry.time) at--;
  entries.splice(at, 0, entry);
}

/**
 * Whether time-ordered entries hold the correlation's rules in the order listed, all within its timespan: from
 * each entry of the first rule, each later entry advances at most one step (so one event matching two
 * consecutive rules does not complete both alone).
 */
function inOrderWithin(c: CorrelationRule, entries: readonly Entry[]): boolean {
  const is = (e: Entry, step: number) => c.rules[step] === e.rule || (e.name !== undefined && c.rules[step] === e.name);
  for (let s = 0; s < entries.length; s++) {
    if (!is(entries[s]!, 0)) continue;
    let step = 1;
    for (let k = s + 1; k < entries.length && step < c.rules.length; k++) {
      if (entries[k]!.time - entries[s]!.time > c.timespanMs) break;
      if (is(entries[k]!, step)) step++;
    }
    if (step === c.rules.length) return true;
  }
  return false;
}

/** What a windowed correlation's condition compares: events, distinct values, or the sum or mean of a number field. */
function count(c: CorrelationRule, entries: readonly Entry[]): number {
  switch (c.type) {
    case "value_count": return new Set(entries.map((e) => e.value)).size;
    case "value_sum": return entries.reduce((sum, e) => sum + numberOf(e.value!), 0);
    case "value_avg": return entries.length === 0 ? 0 : entries.reduce((sum, e) => sum + numberOf(e.value!), 0) / entries.length;
    default: return entries.length;
  }
}

const numberOf = (v: string): number => (v.trim() === "" ? Number.NaN : Number(v));

/** The event field behind a group-by name for the given referenced rule (aliases map it per rule name). */
function fieldOf(c: CorrelationRule, groupBy: string, ref: string): string {
  return c.aliases[groupBy]?.[ref] ?? groupBy;
}
