/**
 * One detection item (`field|modifiers: value or values`) compiled to a test over an event.
 * Lists are OR-linked unless `all`; `null` matches a missing or null field; `neq` negates the whole item.
 */
import { BlockList, isIP } from "node:net";
import type { SigmaEvent } from "../event.ts";
import { parseKey, type ModifierSpec, type TimePart } from "./modifiers.ts";
import { compilePieces, hasWildcards, literal, parseSigmaString, withStars, type Piece, type StringTest, type ValueNeedle } from "./pattern.ts";
import { base64, base64Offsets, toBytes, type Encoding } from "./encode.ts";
import { UnsupportedRule } from "./unsupported.ts";
import { regexNeedle } from "./regex-needle.ts";
import { pcreToJs } from "./pcre.ts";
import { valueSet, type ValueTest as SetMember } from "./value-set.ts";

export interface CompileOptions {
  /** Values for `expand` placeholders (`%name%` -> list). A placeholder without values makes its rule unsupported. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface CompiledItem {
  /** null: keyword search. */
  field: string | null;
  test(ev: SigmaEvent): boolean;
  /** Clauses of lower-case substrings: every matching event holds in `field` one of each clause; [] when none exists. */
  needles: ValueNeedle[][];
}

/** A test of one event string (and its lower-case form); the event is there for field references. */
interface ValueTest extends SetMember {
  needle: ValueNeedle | null;
  /** False when `test` never reads `lower`: then no lower-case form is made for it. */
  lower: boolean;
}

export function compileItem(key: string | null, value: unknown, opts: CompileOptions = {}): CompiledItem {
  const spec = parseKey(key);
  const values = Array.isArray(value) ? value : [value];
  if (spec.kind === "exists") return existsItem(spec, values);

  let acceptsNull = false;
  // One group per value written: the alternatives it stands for (placeholder values, windash and base64offset
  // variants), any of which matches it. `all` ANDs the groups, not the alternatives.
  const groups: ValueTest[][] = [];
  for (const v of values) {
    if (v === null) { acceptsNull = true; continue; }
    const alts: ValueTest[] = [];
    for (const expanded of expandPlaceholders(spec, v, opts)) alts.push(...valueTests(spec, expanded));
    if (alts.length > 0) groups.push(alts);
  }
  const tests = groups.flat();
  if (tests.length === 0 && !acceptsNull) throw new UnsupportedRule(`field '${spec.field ?? "keywords"}' has no values`);

  const field = spec.field;
  // Regular expressions, numbers and networks read values as written: lower-casing them would be wasted work.
  const needsLower = tests.some((t) => t.lower);
  const all = spec.all;
  // With `all` each value written must match (through any of its alternatives); without, any value will do.
  const eachGroup = all ? groups.map(valueSet) : [];
  const any = all ? () => false : valueSet(tests);
  const positive = (ev: SigmaEvent): boolean => {
    const s = field === null ? ev.keywordStrings() : ev.strings(field);
    if (s.absent) return acceptsNull;
    const orig = s.orig;
    const lower = needsLower ? s.lower : orig;
    if (all) {
      for (let g = 0; g < eachGroup.length; g++) if (!eachGroup[g]!(orig, lower, ev)) return false;
      return eachGroup.length > 0;
    }
    return any(orig, lower, ev);
  };
  const test = spec.neq ? (ev: SigmaEvent) => !positive(ev) : positive;
  return { field, test, needles: spec.neq || acceptsNull ? [] : needlesOf(groups, spec.all) };
}

function needlesOf(groups: readonly (readonly ValueTest[])[], all: boolean): ValueNeedle[][] {
  // With `all` every value is required: each value's alternatives make one clause; otherwise one clause of them all.
  const clause = (tests: readonly ValueTest[]): ValueNeedle[] | null => {
    const out: ValueNeedle[] = [];
    for (const t of tests) {
      if (t.needle === null) return null;
      out.push(t.needle);
    }
    return out;
  };
  if (all) return groups.flatMap((g) => { const c = clause(g); return c === null ? [] : [c]; });
  const c = clause(groups.flat());
  return c === null ? [] : [c];
}

function existsItem(spec: ModifierSpec, values: readonly unknown[]): CompiledItem {
  const wanted = values[0];
  if (values.length !== 1 || typeof wanted !== "boolean") throw new UnsupportedRule("'exists' takes one boolean value");
  const field = spec.field!;
  return { field, test: (ev) => (ev.get(field) !== undefined) === wanted, needles: [] };
}

function expandPlaceholders(spec: ModifierSpec, value: unknown, opts: CompileOptions): unknown[] {
  if (!spec.transforms.some((t) => t.kind === "expand") || typeof value !== "string") return [value];
  // `\%` is a plain percent sign (the backslash goes); `\\` stays for the wildcard parser; `%name%` is a placeholder.
  let results = [""];
  let text = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && value[i + 1] === "%") { text += "%"; i++; continue; }
    if (c === "\\" && value[i + 1] === "\\") { text += "\\\\"; i++; continue; }
    if (c === "%") {
      const m = /^%([^%\s]+)%/.exec(value.slice(i));
      if (m !== null) {
        const name = m[1]!;
        const list = opts.placeholders?.[name];
        if (list === undefined || list.length === 0) throw new UnsupportedRule(`placeholder %${name}% has no values configured`);
        const before = text;
        results = results.flatMap((r) => list.map((x) => r + before + x));
        text = "";
        i += m[0].length - 1;
        continue;
      }
    }
    text += c;
  }
  return results.map((r) => r + text);
}

function valueTests(spec: ModifierSpec, value: unknown): ValueTest[] {
  if (typeof value === "object") throw new UnsupportedRule(`field '${spec.field}' has a nested value`);
  switch (spec.kind) {
    case "re": return [regexTest(spec, value)];
    case "cidr": return [cidrTest(value)];
    case "compare": return [compareTest(spec, value)];
    case "fieldref": return [fieldrefTest(spec, value)];
    default: break;
  }
  if (spec.time !== undefined) return [timeEqualsTest(spec.time, value)];
  return stringAlternatives(spec, String(value)).map(({ pieces, cased }) => {
    const t: StringTest = compilePieces(pieces, cased);
    return { test: t.test, needle: t.needle, lower: !cased, ...(t.form !== undefined ? { form: t.form } : {}) };
  });
}

/** The value after its transformations, as the string patterns it may match (windash and base64offset fan out). */
function stringAlternatives(spec: ModifierSpec, text: string): Array<{ pieces: Piece[]; cased: boolean }> {
  let alts: Piece[][] = [parseSigmaString(text)];
  let encoding: Encoding = "utf8";
  let encoded = false;
  let cased = spec.cased;
  const plain = (pieces: Piece[]): string => {
    if (hasWildcards(pieces)) throw new UnsupportedRule("wildcards cannot be encoded");
    return pieces.map((p) => (p as { text: string }).text).join("");
  };
  for (const t of spec.transforms) {
    switch (t.kind) {
      case "expand": break;
      case "windash": alts = alts.flatMap(windash); break;
      case "encode":
        encoding = t.encoding;
        encoded = true;
        break;
      case "base64":
        alts = alts.map((p) => literal(base64(toBytes(plain(p), encoding))));
        encoding = "utf8";
        encoded = false;
        cased = true; // Base64 text is case-sensitive by construction.
        break;
      case "base64offset":
        alts = alts.flatMap((p) => base64Offsets(toBytes(plain(p), encoding)).map(literal));
        encoding = "utf8";
        encoded = false;
        cased = true;
        break;
    }
  }
  if (encoded) alts = alts.map((p) => literal(toBytes(plain(p), encoding).toString("latin1")));
  const start = spec.match === "contains" || spec.match === "endswith";
  const end = spec.match === "contains" || spec.match === "startswith";
  return alts.map((pieces) => ({ pieces: withStars(pieces, start, end), cased }));
}

const DASHES = ["-", "/", "\u2013", "\u2014", "\u2015"];
const WORD = /\w/;

/**
 * Every variant of the value with each option dash (a dash or slash opening a word, as pySigma's `\B[-/]\b`) replaced by
 * each of the five dash characters. More than four option dashes fall back to a one-character class.
 */
function windash(pieces: Piece[]): Piece[][] {
  const split: Piece[] = [];
  let positions = 0;
  for (const p of pieces) {
    if (p.kind !== "lit") { split.push(p); continue; }
    let lit = "";
    for (let i = 0; i < p.text.length; i++) {
      const c = p.text[i]!;
      const prev = p.text[i - 1];
      const next = p.text[i + 1];
      if (DASHES.includes(c) && (prev === undefined || !WORD.test(prev)) && next !== undefined && WORD.test(next)) {
        if (lit !== "") split.push({ kind: "lit", text: lit });
        lit = "";
        split.push({ kind: "lit", text: "\0dash" });
        positions++;
      } else lit += c;
    }
    if (lit !== "") split.push({ kind: "lit", text: lit });
  }
  if (positions === 0) return [pieces];
  if (positions > 4) throw new UnsupportedRule("windash value has more than four option dashes");
  let out: Piece[][] = [[]];
  for (const p of split) {
    if (p.kind === "lit" && p.text === "\0dash") out = out.flatMap((prefix) => DASHES.map((d) => [...prefix, { kind: "lit" as const, text: d }]));
    else out = out.map((prefix) => [...prefix, p]);
  }
  return out.map(mergeLiterals);
}

function mergeLiterals(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out.at(-1);
    if (p.kind === "lit" && last?.kind === "lit") out[out.length - 1] = { kind: "lit", text: last.text + p.text };
    else out.push(p);
  }
  return out;
}

function regexTest(spec: ModifierSpec, value: unknown): ValueTest {
  if (typeof value !== "string") throw new UnsupportedRule("'re' needs a string value");
  let source = value;
  let flags = spec.reFlags;
  // PCRE allows leading inline flags; JavaScript (Node 20) does not, so they become RegExp flags.
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  // PCRE meaning for the anchors and the dot (pcre.ts); what cannot be carried over throws UnsupportedRule.
  const js = pcreToJs(source, flags);
  let re: RegExp;
  try {
    re = new RegExp(js.source, js.flags);
  } catch {
    throw new UnsupportedRule(`regular expression is not valid in JavaScript: ${value.slice(0, 80)}`);
  }
  // Even one certain character narrows the events worth the expression: the index counts it as one clause of the rule.
  const literal = regexNeedle(source, 1);
  return { test: (v) => re.test(v), needle: literal === null ? null : { text: literal, exact: false }, lower: false };
}

function cidrTest(value: unknown): ValueTest {
  const m = typeof value === "string" ? /^([^/]+)\/(\d{1,3})$/.exec(value.trim()) : null;
  const family = m ? isIP(m[1]!) : 0;
  if (!m || family === 0) throw new UnsupportedRule(`'cidr' value is not a network: ${String(value)}`);
  const prefix = Number(m[2]);
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefix > maxPrefix) throw new UnsupportedRule(`'cidr' prefix /${prefix} is out of range for IPv${family} (0-${maxPrefix}): ${String(value)}`);
  const list = new BlockList();
  list.addSubnet(m[1]!, prefix, family === 4 ? "ipv4" : "ipv6");
  // An IPv6 network never holds a plain IPv4 address (BlockList would map it); an IPv4 one may hold ::ffff:a.b.c.d.
  const v6 = family === 6;
  return {
    test: (v) => {
      const f = isIP(v);
      if (f === 4) return !v6 && list.check(v, "ipv4");
      return f === 6 && list.check(v, "ipv6");
    },
    needle: null,
    lower: false,
  };
}

const toNumber = (s: string): number => (s.trim() === "" ? NaN : Number(s));

function compareTest(spec: ModifierSpec, value: unknown): ValueTest {
  const bound = typeof value === "number" ? value : typeof value === "string" ? toNumber(value) : NaN;
  if (Number.isNaN(bound)) throw new UnsupportedRule(`'${spec.compare}' needs a number, got ${String(value)}`);
  const ok = {
    lt: (x: number) => x < bound,
    lte: (x: number) => x <= bound,
    gt: (x: number) => x > bound,
    gte: (x: number) => x >= bound,
  }[spec.compare!];
  const extract = spec.time === undefined ? toNumber : (s: string) => timePart(s, spec.time!);
  return { test: (v) => { const x = extract(v); return !Number.isNaN(x) && ok(x); }, needle: null, lower: false };
}

function timeEqualsTest(part: TimePart, value: unknown): ValueTest {
  const wanted = typeof value === "number" ? value : toNumber(String(value));
  if (Number.isNaN(wanted)) throw new UnsupportedRule(`time modifier '${part}' needs a number`);
  return { test: (v) => timePart(v, part) === wanted, needle: null, lower: false };
}

/** A calendar part of a timestamp, read in UTC (the spec leaves zones to the log source; events carry UTC). */
export function timePart(text: string, part: TimePart): number {
  const ms = parseTimestamp(text);
  if (ms === undefined) return NaN;
  const d = new Date(ms);
  switch (part) {
    case "minute": return d.getUTCMinutes();
    case "hour": return d.getUTCHours();
    case "day": return d.getUTCDate();
    case "month": return d.getUTCMonth() + 1;
    case "year": return d.getUTCFullYear();
    case "week": {
      // ISO 8601 week number.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

/** Milliseconds since the epoch from ISO 8601 (a space instead of `T` and a missing zone mean UTC) or epoch seconds. */
export function parseTimestamp(text: string): number | undefined {
  const s = text.trim();
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,14}$/.test(s)) return Number(s);
  let iso = s.replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T");
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function fieldrefTest(spec: ModifierSpec, value: unknown): ValueTest {
  if (typeof value !== "string" || value === "") throw new UnsupportedRule("'fieldref' needs a field name");
  const other = value;
  const cased = spec.cased;
  const cmp = {
    eq: (a: string, b: string) => a === b,
    contains: (a: string, b: string) => a.includes(b),
    startswith: (a: string, b: string) => a.startsWith(b),
    endswith: (a: string, b: string) => a.endsWith(b),
  }[spec.match];
  return {
    test: (v, l, ev) => {
      const ref = ev.strings(other);
      const refs = cased ? ref.orig : ref.lower;
      const mine = cased ? v : l;
      for (const r of refs) if (cmp(mine, r)) return true;
      return false;
    },
    needle: null,
    lower: !cased,
  };
}
