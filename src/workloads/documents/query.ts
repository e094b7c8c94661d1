/**
 * The search box's language, parsed into clauses that each store turns into its own full-text syntax:
 *   word            must occur (any field)
 *   "a phrase"      words adjacent, in order
 *   title:word      field query (title, heading, body); also title:"a phrase"
 *   -word, -"a b"   must not occur
 *   a OR b          either (binds tighter than the implicit AND between parts)
 * Words are matched by their stems: each word becomes the set of its index terms in every language the query
 * may be in (see `queryLanguages`), so "supplies" finds "supply" in English and "Häuser" finds "Haus" in German.
 */
import { InvalidRequest } from "../../errors/index.ts";
import { termOf, words } from "./text.ts";

export type Field = "any" | "title" | "heading" | "body";

export interface Clause {
  readonly field: Field;
  readonly negated: boolean;
  /** One alternative per query language; each alternative is the phrase's terms in order (one term for a word). */
  readonly alternatives: readonly (readonly string[])[];
}

export interface ParsedQuery {
  /** Conjunction of disjunctions: every group must match; within a group, any clause. Negated clauses stand alone. */
  readonly groups: readonly (readonly Clause[])[];
  readonly clauses: readonly Clause[];
  /** Every term a passage may be scored on (positive clauses only). */
  readonly terms: readonly string[];
  /** Lower-cased surface words of the positive clauses, for highlighting. */
  readonly words: readonly string[];
}

const TOKEN = /(-?)(?:(title|heading|body):)?(?:"([^"]*)"|(\S+))/gi;
const MAX_CLAUSES = 32;

export function parseQuery(q: string, languages: readonly string[]): ParsedQuery {
  const clauses: Clause[] = [];
  const groups: Clause[][] = [];
  const surface: string[] = [];
  let pendingOr = false;
  for (const m of q.matchAll(TOKEN)) {
    if (m[0] === "OR") {
      pendingOr = groups.length > 0;
      continue;
    }
    const negated = m[1] === "-";
    const field = (m[2]?.toLowerCase() ?? "any") as Field;
    const raw = m[3] ?? m[4] ?? "";
    const ws = words(raw).map((w) => w.word);
    if (ws.length === 0) continue;
    const alternatives = unique([ws.map((w) => termOf(w, "und")), ...languages.map((l) => ws.map((w) => termOf(w, l)))]);
    const clause: Clause = { field, negated, alternatives };
    clauses.push(clause);
    const last = groups[groups.length - 1];
    if (pendingOr && !negated && last && !last[0]!.negated) last.push(clause);
    else groups.push([clause]);
    pendingOr = false;
    if (!negated) surface.push(...ws);
  }
  if (clauses.length > MAX_CLAUSES) throw new InvalidRequest(`the query has ${clauses.length} parts; at most ${MAX_CLAUSES} are allowed`, { param: "q" });
  if (!clauses.some((c) => !c.negated)) throw new InvalidRequest("the query needs at least one word to look for (only exclusions were given)", { param: "q" });
  const terms = [...new Set(clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.flat()))];
  return { groups, clauses, terms, words: [...new Set(surface)] };
}

function unique(alts: string[][]): string[][] {
  const seen = new Set<string>();
  return alts.filter((a) => {
    const k = a.join(" ");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** SQLite FTS5 MATCH expression (terms are letters and digits only, so quoting them is always safe). */
export function toFts5(q: ParsedQuery): string {
  const part = (c: Clause) => {
    const alts = c.alternatives.map((a) => `"${a.join(" ")}"`);
    const body = alts.length === 1 ? alts[0]! : `(${alts.join(" OR ")})`;
    return c.field === "any" ? body : `${c.field} : ${body}`;
  };
  const pos = q.groups.filter((g) => !g[0]!.negated).map((g) => (g.length === 1 ? part(g[0]!) : `(${g.map(part).join(" OR ")})`)).join(" AND ");
  const neg = q.clauses.filter((c) => c.negated).map(part);
  return neg.length === 0 ? pos : `(${pos}) NOT (${neg.join(" OR ")})`;
}

/** PostgreSQL tsquery text over the 'simple' configuration; fields are tsvector weights A (title), B (heading), D (body). */
export function toTsquery(q: ParsedQuery): string {
  const weight = { any: "", title: ":A", heading: ":B", body: ":D" } as const;
  const part = (c: Clause) => {
    const alts = c.alternatives.map((a) => `(${a.map((t) => `'${t}'${weight[c.field]}`).join(" <-> ")})`);
    return alts.length === 1 ? alts[0]! : `(${alts.join(" | ")})`;
  };
  const pos = q.groups.filter((g) => !g[0]!.negated).map((g) => (g.length === 1 ? part(g[0]!) : `(${g.map(part).join(" | ")})`));
  const neg = q.clauses.filter((c) => c.negated).map((c) => `!${part(c)}`);
  return [...pos, ...neg].join(" & ");
}
