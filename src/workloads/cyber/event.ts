/**
 * One log event as rules see it: a field record (flat, or nested and reached by dotted names), what is known of
 * its log source, its time, and where it came from. String forms and their lower-case forms are computed once
 * per field and event, however many rules read them.
 */

/** What a reader learnt of an event's origin; `null` on an event means nothing is known (every rule is tried). */
export interface EventLogsource {
  product?: string;
  categories: readonly string[];
  services: readonly string[];
}

export interface EventOrigin {
  file: string;
  line: number;
}

/** A field's scalar values as strings; their lower-case forms are made on first use. */
class Strings {
  private lowered: string[] | undefined;
  /** `absent`: the field is missing or null (as opposed to, say, an empty list). */
  constructor(readonly orig: string[], readonly absent = false) {}

  get lower(): string[] {
    if (this.lowered === undefined) {
      const orig = this.orig;
      const lower = new Array<string>(orig.length);
      for (let i = 0; i < orig.length; i++) lower[i] = orig[i]!.toLowerCase();
      this.lowered = lower;
    }
    return this.lowered;
  }
}

const MISSING = new Strings([], true);

/**
 * The strings of a field's value: itself, or the scalars of a list (and of lists inside it), in order. An object (a
 * CloudTrail `requestParameters`, an ECS sub-document) is its JSON text, as a SIEM that stores the record shows it:
 * SigmaHQ's rules on such fields test that text (`requestParameters|contains: '"s3:GetObject"'`).
 */
function scalarStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") out.push(String(value));
  else if (Array.isArray(value)) walk(value, out, false);
  else if (value !== null && typeof value === "object") pushJson(value, out);
}

/** An object's JSON text; none for one nested too deep to write (a hostile record), which then matches no string test. */
function pushJson(value: object, out: string[]): void {
  try {
    out.push(JSON.stringify(value));
  } catch {
    // RangeError: nested beyond the stack. Left out rather than ending the run.
  }
}

/** Every scalar under `v`, in document order: what a keyword search looks through. */
function allValues(v: unknown, out: string[]): void {
  if (v !== null && typeof v === "object") walk(v, out, true);
  else scalarStrings(v, out);
}

/**
 * The scalars under a list (and, with `objects`, an object), depth first, with a stack of its own: a hostile record
 * nested ten thousand levels deep must not overflow the call stack and end the run.
 */
function walk(root: object, out: string[], objects: boolean): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") out.push(String(v));
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else if (objects && v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push((v as Record<string, unknown>)[keys[i]!]);
    } else if (v !== null && typeof v === "object") pushJson(v, out); // an object inside a field's list
  }
}

export class SigmaEvent {
  /** Made on first use: many events are ruled out by the index before any rule reads a field through it. */
  private cache: Map<string, Strings> | undefined;
  private keywordCache: Strings | undefined;
  /** Its time came from a syslog stamp without a year, the year inferred from the file's earlier stamps. */
  yearless = false;

  constructor(
    readonly fields: Record<string, unknown>,
    readonly logsource: EventLogsource | null,
    readonly time: number | undefined,
    readonly origin: EventOrigin,
    /** The original document when it differs from `fields` (e.g. the Windows `Event` tree); shown in alerts. */
    readonly original?: unknown,
  ) {}

  /** The raw value of a field: `undefined` when absent. A dotted name is first tried whole, then as a path. */
  get(field: string): unknown {
    const direct = this.fields[field];
    if (direct !== undefined || !field.includes(".")) return direct;
    return pathValue(this.fields, field.split("."), 0);
  }

  has(field: string): boolean {
    return this.get(field) !== undefined;
  }

  /** The field's scalar values as strings (arrays give each element), with their lower-case forms. */
  strings(field: string): Strings {
    if (this.fields[field] === undefined && !field.includes(".")) return MISSING;
    const cache = (this.cache ??= new Map());
    let s = cache.get(field);
    if (s === undefined) {
      const value = this.get(field);
      if (value === undefined || value === null) s = MISSING;
      else if (typeof value === "string") s = new Strings([value]);
      else {
        const orig: string[] = [];
        scalarStrings(value, orig);
        s = new Strings(orig);
      }
      cache.set(field, s);
    }
    return s;
  }

  /** The field's scalar values as strings, as written. */
  values(field: string): readonly string[] {
    return this.strings(field).orig;
  }

  /** Every scalar value anywhere in the event: what a keyword search looks through. */
  keywordStrings(): Strings {
    if (this.keywordCache === undefined) {
      const orig: string[] = [];
      allValues(this.fields, orig);
      this.keywordCache = new Strings(orig);
    }
    return this.keywordCache;
  }
}

/**
 * The value at a dotted path. Through a list of objects the path goes on in each ("resources.ARN" over
 * `resources: [{ARN}, {ARN}]`, as ECS and CloudTrail write them), and the values found are listed together.
 */
function pathValue(node: unknown, parts: readonly string[], i: number): unknown {
  if (i === parts.length) return node;
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node) && !/^\d+$/.test(parts[i]!)) {
    const out: unknown[] = [];
    for (const el of node) {
      const v = pathValue(el, parts, i);
      if (v === undefined) continue;
      if (Array.isArray(v)) out.push(...(v as unknown[]));
      else out.push(v);
    }
    return out.length === 0 ? undefined : out;
  }
  return pathValue((node as Record<string, unknown>)[parts[i]!], parts, i + 1);
}
