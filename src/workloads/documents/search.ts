import { z } from "zod";
import { InvalidRequest } from "../../errors/index.ts";
import { NationCode } from "../../config/index.ts";
import type { Embed } from "./ingest.ts";
import { normalizeLanguage } from "./language.ts";
import { parseQuery } from "./query.ts";
import { snippet } from "./snippet.ts";
import type { DocumentStore, PassageHit, SearchFilters } from "./store/types.ts";

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD");

export const SearchRequest = z
  .object({
    q: z.string().min(1, "the query is empty").max(1000),
    /** The caller's nation, from its principal: the only documents read are those released to it. */
    nation: NationCode,
    owners: z.array(NationCode).optional(),
    languages: z.array(z.string().min(2).max(3)).optional(),
    tags: z.array(z.string().min(1)).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /**
     * Languages the query words are stemmed in, besides their surface form. Default: the language filter, else
     * every language among the documents the caller may see (a query rarely says which language it is in).
     */
    query_languages: z.array(z.string().min(2).max(3)).optional(),
    limit: z.number().int().min(1).max(100).prefault(10),
    offset: z.number().int().min(0).max(10_000).prefault(0),
  })
  .strict();
export type SearchRequest = z.input<typeof SearchRequest>;

export interface SearchHit {
  document_id: string;
  title: string;
  /** HTML-escaped text of the best passage around the matches, each matching word in <mark>. */
  snippet: string;
  score: number;
  language: string;
  owner_nation: string;
  date: string;
  page: number | null;
  paragraph: number;
  heading: string | null;
}

export interface SearchResult {
  object: "list";
  data: SearchHit[];
  /** Matching documents visible to the caller (never counts another nation's documents). */
  total: number;
}

/** Each language adds one alternative per word; past this many the query gets slow for little gain. */
const MAX_QUERY_LANGUAGES = 16;

/** Reciprocal rank fusion constant (Cormack, Clarke & Büttcher 2009). */
const RRF_K = 60;

/**
 * Full-text search (BM25 over stemmed terms, best passage per document) with optional vector search merged by
 * reciprocal rank fusion. Releasability is a parameter of every store query: nothing not released to the
 * caller's nation is read, so nothing here can leak it.
 */
export async function searchDocuments(store: DocumentStore, request: SearchRequest, opts: { embed?: Embed } = {}): Promise<SearchResult> {
  const parsed = SearchRequest.safeParse(request);
  if (!parsed.success) throw new InvalidRequest(`invalid search: ${parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ")}`);
  const req = parsed.data;
  const filters: SearchFilters = {
    ...(req.owners ? { owners: req.owners } : {}),
    ...(req.languages ? { languages: req.languages.map(normalizeLanguage) } : {}),
    ...(req.tags ? { tags: req.tags } : {}),
    ...(req.from ? { from: req.from } : {}),
    ...(req.to ? { to: req.to } : {}),
  };
  const queryLanguages = (req.query_languages ?? req.languages ?? (await store.languages(req.nation))).map(normalizeLanguage).slice(0, MAX_QUERY_LANGUAGES);
  const query = parseQuery(req.q, queryLanguages);

  const depth = opts.embed ? Math.max(50, req.offset + req.limit) : req.limit;
  const lexical = await store.search({ nation: req.nation, query, filters, limit: depth, offset: opts.embed ? 0 : req.offset });
  let hits = lexical.hits;
  let total = lexical.total;
  if (opts.embed) {
    const semantic = await vectorHits(store, req.nation, filters, req.q, opts.embed, depth);
    hits = fuse([lexical.hits, semantic]).slice(req.offset, req.offset + req.limit);
    total = Math.max(total, new Set([...lexical.hits, ...semantic].map((h) => h.document_id)).size);
  }
  const termSet = new Set(query.terms);
  return {
    object: "list",
    total,
    data: hits.map((h) => ({
      document_id: h.document_id, title: h.title, snippet: snippet(h.text, termSet, h.language), score: h.score,
      language: h.language, owner_nation: h.owner_nation, date: h.date, page: h.page, paragraph: h.paragraph, heading: h.heading,
    })),
  };
}

/** Best passage per document by cosine similarity to the query, over vectors the caller may see. */
async function vectorHits(store: DocumentStore, nation: string, filters: SearchFilters, q: string, embed: Embed, k: number): Promise<PassageHit[]> {
  const [qv] = await embed([q]);
  if (!qv) return [];
  const scored = (await store.vectors(nation, filters)).map((v) => ({ id: v.passage_id, score: cosine(qv, v.vector) })).sort((a, b) => b.score - a.score);
  const top = scored.slice(0, k * 4);
  const byId = new Map((await store.passages(nation, top.map((t) => t.id))).map((h) => [h.passage_id, h]));
  const seen = new Set<string>();
  const out: PassageHit[] = [];
  for (const t of top) {
    const h = byId.get(t.id);
    if (!h || seen.has(h.document_id)) continue;
    seen.add(h.document_id);
    out.push({ ...h, score: t.score });
    if (out.length === k) break;
  }
  return out;
}

/** Reciprocal rank fusion of ranked lists of documents; a document keeps the passage of its best-ranked list. */
export function fuse(lists: readonly (readonly PassageHit[])[]): PassageHit[] {
  const acc = new Map<string, { hit: PassageHit; score: number; best: number }>();
  for (const list of lists) {
    list.forEach((h, rank) => {
      const e = acc.get(h.document_id);
      const add = 1 / (RRF_K + rank + 1);
      if (!e) acc.set(h.document_id, { hit: h, score: add, best: rank });
      else {
        e.score += add;
        if (rank < e.best) { e.hit = h; e.best = rank; }
      }
    });
  }
  return [...acc.values()].sort((a, b) => b.score - a.score).map((e) => ({ ...e.hit, score: e.score }));
}

function cosine(a: readonly number[], b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!, y = b[i]!;
    dot += x * y; na += x * x; nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
