/**
 * The SQL both stores share. BM25 (Robertson & Zaragoza 2009) is computed in the query, with N, avgdl and
 * document frequencies taken over the passages the caller may see, not the whole table: a hidden document must
 * not move the scores of visible ones, or scores would betray its terms. Per-document aggregates (passage count,
 * total length, and per-term passage counts in doc_terms) keep those statistics to a scan of visible documents
 * rather than of every passage.
 */
import type { ParsedQuery } from "../query.ts";
import type { SearchFilters } from "./types.ts";

export const BM25 = { k1: 1.2, b: 0.75 } as const;
/** BM25F-style field weights: a term in the title or a heading says more about a passage than one in the body. */
export const FIELD_WEIGHT = { t: 3, h: 2, b: 1 } as const;

export interface Dialect {
  /** Placeholder for the next parameter. */
  param(index: number): string;
  /** Condition that passage `p` matches the full-text query (given as its parameter placeholder). */
  match(placeholder: string): string;
  /** The full-text query text for `match`. */
  matchText(q: ParsedQuery): string;
}

export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(v: unknown): string {
    this.values.push(v);
    return this.dialect.param(this.values.length);
  }
  list(vs: readonly unknown[]): string {
    return vs.map((v) => this.add(v)).join(", ");
  }
}

/** Releasability, as a condition on document `d`: owned by the caller, released to all, or to the caller's nation. */
export function visibleTo(p: Params, nation: string): string {
  const n = p.add(nation);
  const n2 = p.add(nation);
  return `(d.owner_nation = ${n} OR d.releasable_all = 1 OR EXISTS (SELECT 1 FROM doc_releasability r WHERE r.document_id = d.id AND r.nation = ${n2}))`;
}

export function filterSql(p: Params, f: SearchFilters): string {
  const parts: string[] = [];
  if (f.owners?.length) parts.push(`d.owner_nation IN (${p.list(f.owners)})`);
  if (f.languages?.length) parts.push(`d.language IN (${p.list(f.languages)})`);
  if (f.tags?.length) parts.push(`EXISTS (SELECT 1 FROM doc_tags t WHERE t.document_id = d.id AND t.tag IN (${p.list(f.tags)}))`);
  if (f.from) parts.push(`d.date >= ${p.add(f.from)}`);
  if (f.to) parts.push(`d.date <= ${p.add(f.to)}`);
  return parts.length === 0 ? "1 = 1" : parts.join(" AND ");
}

export const HIT_COLUMNS =
  "p.id AS passage_id, p.document_id, d.title, d.language, d.owner_nation, d.date, p.page, p.paragraph, p.heading, p.text";

/** Ranked documents (best passage each) for the query, with the total number of matching visible documents. */
export function searchSql(dialect: Dialect, s: { nation: string; query: ParsedQuery; filters: SearchFilters; limit: number; offset: number }): { text: string; values: unknown[] } {
  const p = new Params(dialect);
  const termList = () => p.list(s.query.terms);
  const weight = `CASE po.field WHEN 't' THEN ${FIELD_WEIGHT.t} WHEN 'h' THEN ${FIELD_WEIGHT.h} ELSE ${FIELD_WEIGHT.b} END`;
  const visible = () => `${visibleTo(p, s.nation)} AND ${filterSql(p, s.filters)}`;
  const text = `
WITH stats AS (
  SELECT COALESCE(SUM(d.passage_count), 0) AS n,
    CASE WHEN SUM(d.passage_count) > 0 THEN SUM(d.total_length) * 1.0 / SUM(d.passage_count) ELSE 1 END AS avgdl
  FROM doc_documents d WHERE ${visible()}
),
cand AS MATERIALIZED (
  SELECT p.id, p.document_id, p.length FROM doc_passages p JOIN doc_documents d ON d.id = p.document_id
  WHERE ${dialect.match(p.add(dialect.matchText(s.query)))} AND ${visible()}
),
df AS (
  SELECT dt.term, SUM(dt.passages) AS df FROM doc_terms dt JOIN doc_documents d ON d.id = dt.document_id
  WHERE dt.term IN (${termList()}) AND ${visible()} GROUP BY dt.term
),
tf AS (
  SELECT po.passage_id, po.term, SUM(${weight} * po.tf) AS tfc FROM doc_postings po
  WHERE po.term IN (${termList()}) AND po.passage_id IN (SELECT id FROM cand) GROUP BY po.passage_id, po.term
),
scored AS (
  SELECT c.id, c.document_id,
    SUM(LN(1 + (s.n - df.df + 0.5) / (df.df + 0.5)) * tf.tfc * ${BM25.k1 + 1}
        / (tf.tfc + ${BM25.k1} * (1 - ${BM25.b} + ${BM25.b} * c.length / s.avgdl))) AS score
  FROM tf JOIN cand c ON c.id = tf.passage_id JOIN df ON df.term = tf.term CROSS JOIN stats s
  GROUP BY c.id, c.document_id
),
ranked AS (
  SELECT id, document_id, score, ROW_NUMBER() OVER (PARTITION BY document_id ORDER BY score DESC, id) AS rn FROM scored
)
SELECT r.score, COUNT(*) OVER () AS total, ${HIT_COLUMNS}
FROM ranked r JOIN doc_passages p ON p.id = r.id JOIN doc_documents d ON d.id = p.document_id
WHERE r.rn = 1
ORDER BY r.score DESC, p.id
LIMIT ${p.add(s.limit)} OFFSET ${p.add(s.offset)}`;
  return { text, values: p.values };
}

/** Postings of one passage: (term, field, tf) for each distinct term of each field. */
export function postingsOf(fields: { title: readonly string[]; heading: readonly string[]; body: readonly string[] }): { term: string; field: "t" | "h" | "b"; tf: number }[] {
  const out: { term: string; field: "t" | "h" | "b"; tf: number }[] = [];
  for (const [field, terms] of [["t", fields.title], ["h", fields.heading], ["b", fields.body]] as const) {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) out.push({ term, field, tf });
  }
  return out;
}

/** Passage length for BM25: the weighted number of terms, consistent with the weighted tf. */
export function lengthOf(fields: { title: readonly string[]; heading: readonly string[]; body: readonly string[] }): number {
  return FIELD_WEIGHT.t * fields.title.length + FIELD_WEIGHT.h * fields.heading.length + FIELD_WEIGHT.b * fields.body.length;
}

/** Per-document term statistics: for each term, in how many of the document's passages it occurs. */
export function documentTerms(passages: readonly { fields: { title: readonly string[]; heading: readonly string[]; body: readonly string[] } }[]): { term: string; passages: number }[] {
  const counts = new Map<string, number>();
  for (const p of passages) for (const t of new Set([...p.fields.title, ...p.fields.heading, ...p.fields.body])) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([term, n]) => ({ term, passages: n }));
}
