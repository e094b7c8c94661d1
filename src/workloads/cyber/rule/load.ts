/**
 * Rule files (YAML, one or several documents) to compiled rules. Each document is a detection rule, a
 * correlation rule or a meta filter (sigma-filters-specification). Whatever cannot be evaluated faithfully is
 * listed in `unsupported` with the rule id and the reason; nothing is skipped silently.
 */
import { parseAllDocuments, visit, type Document } from "yaml";
import type { RuleLogsource } from "../logsource.ts";
import { compileDetection, type Detection } from "./detection.ts";
import type { CompileOptions } from "./item.ts";
import { UnsupportedRule } from "./unsupported.ts";
import type { CorrelationRule, CorrelationType, CountCondition, DetectionRule, Rule, RuleInfo, RuleSource, UnsupportedEntry } from "./types.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export interface LoadedRules {
  rules: Rule[];
  unsupported: UnsupportedEntry[];
}

interface MetaFilter {
  targets: string[];
  logsource: RuleLogsource;
  detection: Detection;
}

/** A rule file read from YAML: its documents, or why it could not be read. Plain data (workers receive it). */
export interface ParsedSource {
  path: string;
  docs?: Obj[];
  error?: string;
}

export function parseRuleSources(sources: readonly RuleSource[]): ParsedSource[] {
  return sources.map((source) => {
    try {
      return { path: source.path, docs: readYaml(source.text) };
    } catch (err) {
      return { path: source.path, error: `not valid YAML: ${(err as Error).message.split("\n")[0]}` };
    }
  });
}

/**
 * The rules of a file written as a Sigma 1 rule collection, as pySigma reads one: an `action: global` document is a
 * template merged into each later rule (its values win, maps merged key by key) until `action: reset`; an
 * `action: repeat` document is merged over the rule before it and makes another rule. Files without actions pass
 * through unchanged. Each rule keeps the index of the document it came from, for its default id.
 */
function expandCollection(docs: readonly Obj[]): Array<{ doc: Obj; index: number; error?: string }> {
  if (!docs.some((d) => d.action !== undefined)) return docs.map((doc, index) => ({ doc, index }));
  const out: Array<{ doc: Obj; index: number; error?: string }> = [];
  let global: Obj = {};
  let previous: Obj | undefined;
  docs.forEach((doc, index) => {
    const action = doc.action;
    if (action === undefined) {
      previous = deepMerge(doc, global);
      out.push({ doc: previous, index });
    } else if (action === "global") {
      const { action: _, ...template } = doc;
      global = template;
      previous = global;
    } else if (action === "reset") {
      global = {};
    } else if (action === "repeat") {
      if (previous === undefined) out.push({ doc, index, error: "rule collection action 'repeat' with no rule before it to repeat" });
      else {
        const { action: _, ...changes } = doc;
        previous = deepMerge(previous, changes);
        out.push({ doc: previous, index });
      }
    } else {
      out.push({ doc, index, error: `unknown rule collection action '${String(action)}' (global, reset and repeat are known)` });
    }
  });
  return out;
}

/** `base` with `over` merged in: maps key by key, anything else replaced by `over`'s value. Neither is changed. */
function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObj(v) && isObj(b) ? deepMerge(b, v) : isObj(v) ? deepMerge({}, v) : v;
  }
  return out;
}

export function loadRules(parsed: readonly ParsedSource[], opts: CompileOptions = {}): LoadedRules {
  const rules: Rule[] = [];
  const unsupported: UnsupportedEntry[] = [];
  const filters: MetaFilter[] = [];
  for (const source of parsed) {
    const docs = source.docs;
    if (docs === undefined) {
      unsupported.push({ id: source.path, file: source.path, reason: source.error ?? "not readable" });
      continue;
    }
    expandCollection(docs).forEach(({ doc, index: i, error }) => {
      const id = typeof doc.id === "string" ? doc.id : `${source.path}#${i + 1}`;
      const title = typeof doc.title === "string" ? doc.title : undefined;
      try {
        if (error !== undefined) throw new UnsupportedRule(error);
        if (isObj(doc.correlation)) rules.push(compileCorrelation(doc, id, source.path));
        else if (isObj(doc.filter)) filters.push(compileFilter(doc, opts));
        else rules.push(compileRule(doc, id, source.path, opts));
      } catch (err) {
        // Anything else a rule provokes while compiling (a range error from a library, a stack overflow) is still
        // this one rule's problem: it is reported with its id, and the others run.
        const reason = err instanceof UnsupportedRule ? err.reason : `could not be compiled: ${err instanceof Error ? err.message : String(err)}`;
        unsupported.push({ id, ...(title ? { title } : {}), file: source.path, reason });
      }
    });
  }
  const unique = withoutDuplicates(rules, unsupported);
  applyFilters(unique, filters);
  resolveCorrelations(unique, unsupported);
  return { rules: unique, unsupported };
}

/**
 * Rule ids are globally unique (and correlations refer to rules by id or name): a second rule with an id or name
 * already loaded is reported, naming the first, and not run, so no reference is ambiguous.
 */
function withoutDuplicates(rules: readonly Rule[], unsupported: UnsupportedEntry[]): Rule[] {
  const first = new Map<string, Rule>();
  const kept: Rule[] = [];
  for (const r of rules) {
    const keys = [`id ${r.info.id}`, ...(r.info.name !== undefined ? [`name ${r.info.name}`] : [])];
    const clash = keys.map((k) => [k, first.get(k)] as const).find(([, prior]) => prior !== undefined);
    if (clash !== undefined) {
      const [key, prior] = clash;
      const [kind, value] = [key.slice(0, key.indexOf(" ")), key.slice(key.indexOf(" ") + 1)];
      const where = prior!.info.file === undefined ? "" : ` in ${prior!.info.file}`;
      unsupported.push({
        id: r.info.id, title: r.info.title, ...(r.info.file !== undefined ? { file: r.info.file } : {}),
        reason: `duplicate ${kind} '${value}': '${prior!.info.title}'${where} has it and was loaded first; give each rule its own ${kind}`,
      });
      continue;
    }
    for (const k of keys) first.set(k, r);
    kept.push(r);
  }
  return kept;
}

/**
 * YAML 1.2 reads `0x1010` as the number 4112 and `010` as 10; Sigma means the text written (event logs hold
 * `GrantedAccess: 0x1010`), so numbers that do not print back as written are kept as their source text.
 */
function readYaml(text: string): Obj[] {
  const docs = parseAllDocuments(text, { keepSourceTokens: true });
  if (!Array.isArray(docs)) throw new Error("no YAML documents");
  const out: Obj[] = [];
  for (const doc of docs as Document[]) {
    if (doc.errors.length > 0) throw doc.errors[0]!;
    visit(doc, {
      Scalar(_key, node) {
        const source = (node.srcToken as { source?: string } | undefined)?.source;
        if (typeof node.value === "number" && source !== undefined && String(node.value) !== source.trim()) node.value = source.trim();
      },
    });
    const js: unknown = doc.toJS();
    if (js === null || js === undefined) continue;
    if (!isObj(js)) throw new Error("a document is not a map");
    out.push(js);
  }
  return out;
}

function info(doc: Obj, id: string, file: string): RuleInfo {
  const str = (v: unknown, dflt: string): string => (typeof v === "string" ? v : dflt);
  const ls = isObj(doc.logsource) ? doc.logsource : {};
  const logsource: RuleLogsource = {};
  for (const k of ["product", "category", "service"] as const) if (typeof ls[k] === "string") logsource[k] = ls[k];
  return {
    id,
    title: str(doc.title, id),
    level: str(doc.level, "medium"),
    status: str(doc.status, "unknown"),
    tags: Array.isArray(doc.tags) ? doc.tags.map(String) : [],
    ...(typeof doc.name === "string" ? { name: doc.name } : {}),
    logsource,
    file,
  };
}

function compileRule(doc: Obj, id: string, file: string, opts: CompileOptions): DetectionRule {
  if (!isObj(doc.logsource)) throw new UnsupportedRule("'logsource' is missing");
  if (doc.detection === undefined) throw new UnsupportedRule("'detection' is missing");
  return { kind: "detection", info: info(doc, id, file), detection: compileDetection(doc.detection, opts), emit: true };
}

function compileFilter(doc: Obj, opts: CompileOptions): MetaFilter {
  const f = doc.filter as Obj;
  const targets = Array.isArray(f.rules) ? f.rules.map(String) : typeof f.rules === "string" ? [f.rules] : [];
  if (targets.length === 0) throw new UnsupportedRule("meta filter names no rules");
  const { rules: _rules, ...detection } = f;
  const ls = isObj(doc.logsource) ? doc.logsource : {};
  const logsource: RuleLogsource = {};
  for (const k of ["product", "category", "service"] as const) if (typeof ls[k] === "string") logsource[k] = ls[k];
  return { targets, logsource, detection: compileDetection(detection, opts) };
}

/**
 * A meta filter joins its condition to each target rule's with AND, as pySigma applies it (the specification leaves
 * it to the detection rules it points to): `condition: not selection` keeps the events its selection does not
 * match. It applies to the detection rules it names by id or name (or to all, `rules: any`) whose log source lies
 * within its own: each field the filter's log source sets, the rule's sets alike.
 */
function applyFilters(rules: Rule[], filters: readonly MetaFilter[]): void {
  for (const f of filters) {
    const any = f.targets.length === 1 && f.targets[0]!.toLowerCase() === "any";
    for (const r of rules) {
      if (r.kind !== "detection") continue;
      if (!any && !(f.targets.includes(r.info.id) || (r.info.name !== undefined && f.targets.includes(r.info.name)))) continue;
      if (!within(r.info.logsource, f.logsource)) continue;
      const base = r.detection;
      r.detection = { test: (ev) => base.test(ev) && f.detection.test(ev), matched: base.matched, needles: base.needles };
    }
  }
}

function within(rule: RuleLogsource, filter: RuleLogsource): boolean {
  for (const k of ["product", "category", "service"] as const) {
    const want = filter[k];
    if (want !== undefined && rule[k]?.toLowerCase() !== want.toLowerCase()) return false;
  }
  return true;
}

const TIMESPAN = /^(\d+)([smhdwMy])$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, M: 2592e6, y: 31536e6 };

export function parseTimespan(text: unknown): number {
  const m = typeof text === "string" ? TIMESPAN.exec(text.trim()) : null;
  if (!m) throw new UnsupportedRule(`timespan '${String(text)}' is not a number and a unit (s, m, h, d; w, M, y as pySigma reads them)`);
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  if (ms === 0) throw new UnsupportedRule(`timespan '${String(text)}' is zero: no two events could fall within it`);
  return ms;
}

const TYPES: readonly CorrelationType[] = ["event_count", "value_count", "value_sum", "value_avg", "temporal", "temporal_ordered"];
/** Correlation types that aggregate a field of the events (condition.field). */
const FIELD_TYPES: readonly CorrelationType[] = ["value_count", "value_sum", "value_avg"];

function compileCorrelation(doc: Obj, id: string, file: string): CorrelationRule {
  const c = doc.correlation as Obj;
  const type = c.type as CorrelationType;
  // value_percentile (v2.1): the specification does not say which percentile of what its condition compares.
  if (type === ("value_percentile" as CorrelationType)) throw new UnsupportedRule("correlation type 'value_percentile' is not supported: the specification leaves open what its condition compares");
  if (!TYPES.includes(type)) throw new UnsupportedRule(`correlation type '${String(c.type)}' is not supported`);
  const rules = Array.isArray(c.rules) ? c.rules.map(String) : typeof c.rules === "string" ? [c.rules] : [];
  if (rules.length === 0) throw new UnsupportedRule("correlation names no rules");
  const groupBy = c["group-by"] === undefined ? [] : Array.isArray(c["group-by"]) ? c["group-by"].map(String) : [String(c["group-by"])];
  const condition: CountCondition = {};
  let field: string | undefined;
  if (isObj(c.condition)) {
    for (const [k, v] of Object.entries(c.condition)) {
      if (k === "field") { field = String(v); continue; }
      if (!["gt", "gte", "lt", "lte", "eq", "neq"].includes(k) || typeof v !== "number") throw new UnsupportedRule(`correlation condition '${k}' is not supported`);
      condition[k as keyof CountCondition] = v;
    }
  } else if (c.condition !== undefined) {
    throw new UnsupportedRule("correlation condition is not a map");
  }
  if ((type === "event_count" || FIELD_TYPES.includes(type)) && Object.keys(condition).length === 0) throw new UnsupportedRule(`${type} needs a condition`);
  if (FIELD_TYPES.includes(type) && field === undefined) throw new UnsupportedRule(`${type} needs condition.field`);
  const aliases: Record<string, Record<string, string>> = {};
  if (isObj(c.aliases)) {
    for (const [alias, map] of Object.entries(c.aliases)) {
      if (!isObj(map)) throw new UnsupportedRule(`alias '${alias}' is not a map`);
      aliases[alias] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
    }
  }
  return {
    kind: "correlation",
    info: info(doc, id, file),
    type,
    rules,
    groupBy,
    timespanMs: parseTimespan(c.timespan ?? c.timeframe),
    condition,
    ...(field !== undefined ? { field } : {}),
    aliases,
    generate: c.generate === true || doc.generate === true,
    emit: true,
  };
}

/**
 * Checks every correlation's references, and silences the rules it uses unless it asks to `generate` them: per
 * the correlation spec, only the correlation's own result is the detection by default.
 */
function resolveCorrelations(rules: Rule[], unsupported: UnsupportedEntry[]): void {
  const byRef = new Map<string, Rule>();
  for (const r of rules) {
    byRef.set(r.info.id, r);
    if (r.info.name !== undefined) byRef.set(r.info.name, r);
  }
  const bad = new Set<Rule>();
  const reject = (r: CorrelationRule, reason: string): void => {
    unsupported.push({ id: r.info.id, title: r.info.title, ...(r.info.file ? { file: r.info.file } : {}), reason });
    bad.add(r);
  };
  const correlations = rules.filter((r): r is CorrelationRule => r.kind === "correlation");
  // A correlation on one that is rejected cannot run either: repeated until nothing more is rejected.
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of correlations) {
      if (bad.has(r)) continue;
      const missing = r.rules.filter((ref) => !byRef.has(ref) || bad.has(byRef.get(ref)!));
      if (missing.length > 0) {
        reject(r, `correlation refers to unknown or unsupported rules: ${missing.join(", ")}`);
        changed = true;
      }
    }
  }
  // Correlations that refer to each other (directly or through others) wait on one another's results and never fire.
  for (const r of correlations) {
    if (bad.has(r)) continue;
    const cycle = cycleThrough(r, byRef);
    if (cycle !== undefined) reject(r, `correlation refers to itself through ${cycle.join(" -> ")}: it could never fire`);
  }
  for (const r of correlations) {
    if (bad.has(r) || r.generate) continue;
    for (const ref of r.rules) byRef.get(ref)!.emit = false;
  }
  for (let i = rules.length - 1; i >= 0; i--) if (bad.has(rules[i]!)) rules.splice(i, 1);
}

/** The chain of references leading from a correlation back to itself, if there is one. */
function cycleThrough(start: CorrelationRule, byRef: ReadonlyMap<string, Rule>): string[] | undefined {
  const seen = new Set<Rule>();
  const walk = (r: CorrelationRule, path: string[]): string[] | undefined => {
    for (const ref of r.rules) {
      const next = byRef.get(ref);
      if (next === undefined || next.kind !== "correlation") continue;
      if (next === start) return [...path, ref];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, ref]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(start, [start.info.name ?? start.info.id]);
}
