import type { AlertRecord } from "../model.ts";

/**
 * What the SQLite and PostgreSQL stores share: the filter language, the columns an alert is indexed by, and the
 * WHERE clause (the same SQL in both; only the placeholder differs).
 */

export interface AlertFilter {
  readonly status?: string;
  readonly level?: string;
  readonly rule?: string;
  readonly tag?: string;
  readonly assignee?: string;
  readonly host?: string;
  /** A matched field and its value, e.g. Image = C:\Windows\System32\cmd.exe. */
  readonly field?: { readonly name: string; readonly value: string };
  /** Words searched in the rule, host, assignee, matched values, notes and event excerpt (case-insensitive substring). */
  readonly q?: string;
}

export interface AlertPage {
  readonly data: AlertRecord[];
  readonly total: number;
}

export interface AlertStore {
  insert(alerts: readonly AlertRecord[]): Promise<void>;
  /** The alert if it exists and belongs to `nation`; another nation's alert is as absent as a missing one. */
  get(id: string, nation: string): Promise<AlertRecord | null>;
  /** Applies `change` under a row lock; what it throws propagates and nothing is written. */
  update(id: string, nation: string, change: (a: AlertRecord) => AlertRecord): Promise<AlertRecord | null>;
  /** Newest first. */
  list(nation: string, filter: AlertFilter, page: { limit: number; offset: number }): Promise<AlertPage>;
  close(): Promise<void>;
}

/** Longest matched value kept in the field index (longer values are indexed by their prefix). */
export const FIELD_VALUE_CHARS = 256;

export function fieldPairs(matched: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const out = new Map<string, [string, string]>();
  for (const [name, v] of Object.entries(matched)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === null || typeof x === "object") continue;
      const value = String(x).slice(0, FIELD_VALUE_CHARS);
      out.set(`${name}\u0000${value}`, [name.slice(0, 256), value]);
    }
  }
  return [...out.values()];
}

/** The lower-cased text `q` is searched in; rebuilt on every update (notes and assignee change it). */
export function searchText(a: AlertRecord): string {
  const parts = [
    a.id, a.rule.id, a.rule.title, a.rule.level, ...a.rule.tags, a.host ?? "", a.assignee ?? "", a.status,
    ...fieldPairs(a.matched).map(([k, v]) => `${k}=${v}`),
    ...a.notes.map((n) => n.text),
    (typeof a.event === "string" ? a.event : JSON.stringify(a.event)).slice(0, 4000),
  ];
  return parts.join("\n").toLowerCase();
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * How a store matches one search word of three characters or more against its text index: the SQL for a
 * placeholder, and the parameter the word becomes. Without one (or for shorter words) it is a LIKE scan.
 */
export interface TextIndex {
  readonly sql: (placeholder: string) => string;
  readonly param: (word: string) => string;
}

/** The WHERE clause for one nation and a filter; `ph(i)` writes the i-th (1-based) placeholder. */
export function whereClause(nation: string, f: AlertFilter, ph: (i: number) => string, text?: TextIndex): { sql: string; params: string[] } {
  const params: string[] = [nation];
  const conds = [`a.nation = ${ph(1)}`];
  const add = (sql: (p: string) => string, v: string) => { params.push(v); conds.push(sql(ph(params.length))); };
  if (f.status) add((p) => `a.status = ${p}`, f.status);
  if (f.level) add((p) => `a.level = ${p}`, f.level);
  if (f.rule) add((p) => `a.rule_id = ${p}`, f.rule);
  if (f.assignee) add((p) => `a.assignee = ${p}`, f.assignee);
  if (f.host) add((p) => `a.host = ${p}`, f.host);
  if (f.tag) add((p) => `EXISTS (SELECT 1 FROM alert_tags t WHERE t.tag = ${p} AND t.seq = a.seq)`, f.tag);
  if (f.field) {
    params.push(f.field.name, f.field.value.slice(0, FIELD_VALUE_CHARS));
    conds.push(`EXISTS (SELECT 1 FROM alert_fields x WHERE x.field = ${ph(params.length - 1)} AND x.value = ${ph(params.length)} AND x.seq = a.seq)`);
  }
  for (const word of (f.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
    if (text && [...word].length >= 3) add(text.sql, text.param(word));
    else add((p) => `a.search LIKE ${p} ESCAPE '\\'`, `%${likeEscape(word)}%`);
  }
  return { sql: conds.join(" AND "), params };
}
