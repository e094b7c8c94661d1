/**
 * Correlation rules (sigma-correlation-rules-specification v2.1): event_count, value_count, value_sum, value_avg,
 * temporal and temporal_ordered, per group-by value and within a timespan. The correlator is fed occurrences (a rule matched
 * an event, with the fields correlations need) in stream order and keeps per-group state.
 *
 * Windows: for conditions with only a lower bound (gt/gte), and for temporal correlations, counts are taken over
 * sliding windows by the events' own times and fire as soon as one window holding the new event meets them (not
 * value_avg: a mean may fall again as the window fills). Events
 * may arrive out of order (files merged, delayed forwarders): a group keeps its events for the timespan plus
 * LATENESS_MS behind its newest, so a late event still joins the burst it belongs to. Conditions with an upper
 * bound (lt/lte/eq/neq), and means, can only be judged once a window is over, so they use a window opened by a group's first
 * event, judged when a later event falls outside it or at `flush`. A group that fired starts afresh, so one burst
 * raises one alert.
 */
import type { Alert, AlertSource, CorrelationDetails } from "../alert.ts";
import type { CorrelationRule, CountCondition } from "../rule/types.ts";

export interface Occurrence {
  /** The matched rule's id, and its name when it has one. */
  rule: string;
  name?: string;
  time: number;
  /** The time's year was inferred (a syslog stamp without one); a worker thread's may be moved by whole years. */
  yearless?: boolean;
  /** Values of the fields correlations on this rule group by or count. */
  values: Record<string, unknown>;
  source: AlertSource;
}

interface Entry {
  time: number;
  rule: string;
  /** Which of the correlation's rules (as it names them) the event matched. */
  ref: string;
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

/** How far behind a group's newest event (beyond the timespan) a late event still counts. */
export const LATENESS_MS = 3_600_000;
/** Events kept per group at most, the oldest dropped first: memory stays bounded whatever the input. */
const MAX_GROUP_ENTRIES = 10_000;

export function satisfies(c: CountCondition, n: number): boolean {
  return (c.gt === undefined || n > c.gt) && (c.gte === undefined || n >= c.gte) && (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) && (c.eq === undefined || n === c.eq) && (c.neq === undefined || n !== c.neq);
}

const lowerBoundOnly = (c: CountCondition): boolean => c.lt === undefined && c.lte === undefined && c.eq === undefined && c.neq === undefined;

/**
 * Whether a windowed correlation can fire as soon as a window meets its condition: counts and sums only grow as a
 * window fills, so a lower bound met stays met. A mean can fall again (900 then 100, 100, 100), so value_avg, like an
 * upper bound, is judged once its window is over.
 */
const firesEarly = (c: CorrelationRule): boolean => lowerBoundOnly(c.condition) && c.type !== "value_avg";

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
      if (!windowed(c) || firesEarly(c)) continue;
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
    for (const g of c.groupBy) {
      const v = o.values[fieldOf(c, g, ref)];
      // An event without a group-by field belongs to no group, as a SIEM's "by" clause leaves it out.
      if (v === undefined || v === null) return undefined;
      groupValues[g] = v;
    }
    const key = JSON.stringify(c.groupBy.map((g) => groupValues[g]));
    const groups = this.state.get(c)!;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { values: groupValues, entries: [] }));
    const entry: Entry = { time: o.time, rule: o.rule, ref, source: o.source, ...(o.name === undefined ? {} : { name: o.name }) };
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
        if (!firesEarly(c)) {
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
        return this.slide(c, groups, key, g, entry, (n) => satisfies(c.condition, n));
      }
      case "temporal": {
        const met = Object.keys(c.condition).length > 0 ? (n: number) => satisfies(c.condition, n) : (n: number) => n >= c.rules.length;
        return this.slide(c, groups, key, g, entry, met);
      }
      case "temporal_ordered": {
        // By the events' times, not their arrival: merged or delayed logs arrive out of order. Entries are kept in
        // time order (an equal time after the earlier arrival) and only within the timespan of the newest.
        insertByTime(g.entries, entry);
        retain(c, g);
        if (!inOrderWithin(c, g.entries)) return undefined;
        const alert = this.alert(c, g, c.rules.length);
        groups.delete(key);
        return alert;
      }
    }
  }

  /**
   * Adds the entry by its time and looks for a window of the timespan that holds it and meets the condition: each
   * window opening at an event no more than a timespan before the new one, holding every event up to a timespan after
   * its opening. Counted incrementally, so a group of k events costs O(k) per new event.
   */
  private slide(c: CorrelationRule, groups: Map<string, Group>, key: string, g: Group, entry: Entry, met: (n: number) => boolean): Alert | undefined {
    insertByTime(g.entries, entry);
    retain(c, g);
    const list = g.entries;
    const span = c.timespanMs;
    const tally = new Tally(c);
    let i = 0;
    while (i < list.length && list[i]!.time < entry.time - span) i++;
    let j = i;
    for (; i < list.length && list[i]!.time <= entry.time; i++) {
      const end = list[i]!.time + span;
      while (j < list.length && list[j]!.time <= end) tally.add(list[j++]!);
      const n = tally.result();
      if (met(n)) {
        const alert = this.alert(c, { values: g.values, entries: list.slice(i, j) }, n);
        groups.delete(key);
        return alert;
      }
      tally.remove(list[i]!);
    }
    return undefined;
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

/** Drops a group's events too old to join any window with a later one, and the oldest beyond the cap. */
function retain(c: CorrelationRule, g: Group): void {
  const horizon = g.entries.at(-1)!.time - c.timespanMs - LATENESS_MS;
  let drop = 0;
  while (drop < g.entries.length && g.entries[drop]!.time < horizon) drop++;
  drop = Math.max(drop, g.entries.length - MAX_GROUP_ENTRIES);
  if (drop > 0) g.entries.splice(0, drop);
}

/**
 * What a correlation counts over a run of entries, kept as entries join and leave: events, distinct values, the sum
 * or mean of a number field, or (temporal) the distinct rules matched.
 */
class Tally {
  private n = 0;
  private sum = 0;
  private readonly distinct = new Map<string, number>();
  constructor(private readonly c: CorrelationRule) {}
  private keyOf(e: Entry): string | undefined {
    return this.c.type === "temporal" ? e.ref : this.c.type === "value_count" ? e.value : undefined;
  }
  add(e: Entry): void {
    this.n++;
    if (e.value !== undefined) this.sum += numberOf(e.value);
    const k = this.keyOf(e);
    if (k !== undefined) this.distinct.set(k, (this.distinct.get(k) ?? 0) + 1);
  }
  remove(e: Entry): void {
    this.n--;
    if (e.value !== undefined) this.sum -= numberOf(e.value);
    const k = this.keyOf(e);
    if (k === undefined) return;
    const left = this.distinct.get(k)! - 1;
    if (left === 0) this.distinct.delete(k);
    else this.distinct.set(k, left);
  }
  result(): number {
    switch (this.c.type) {
      case "value_count":
      case "temporal": return this.distinct.size;
      case "value_sum": return this.sum;
      case "value_avg": return this.n === 0 ? 0 : this.sum / this.n;
      default: return this.n;
    }
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
