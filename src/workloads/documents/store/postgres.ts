import postgres from "postgres";
import type { DocumentSummary, StoredDocument } from "../model.ts";
import { toTsquery } from "../query.ts";
import { documentTerms, filterSql, HIT_COLUMNS, lengthOf, Params, postingsOf, searchSql, visibleTo, type Dialect } from "./sql.ts";
import { toHit, toPassage, toStored, toSummary, type DocumentRow } from "./rows.ts";
import type { DocumentStore, NewDocument, PassageHit, SearchFilters, StoreSearch } from "./types.ts";

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS doc_documents (
  id TEXT PRIMARY KEY, owner_nation TEXT NOT NULL, content_hash TEXT NOT NULL, filename TEXT NOT NULL,
  title TEXT NOT NULL, language TEXT NOT NULL, format TEXT NOT NULL, pages INTEGER, bytes BIGINT NOT NULL,
  releasable_all SMALLINT NOT NULL, date TEXT NOT NULL, ingested_at TEXT NOT NULL,
  UNIQUE (owner_nation, content_hash)
);
CREATE TABLE IF NOT EXISTS doc_releasability (
  document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, nation TEXT NOT NULL,
  PRIMARY KEY (nation, document_id)
);
CREATE INDEX IF NOT EXISTS doc_releasability_doc ON doc_releasability (document_id);
CREATE TABLE IF NOT EXISTS doc_tags (
  document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY (tag, document_id)
);
CREATE TABLE IF NOT EXISTS doc_passages (
  id BIGSERIAL PRIMARY KEY, document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, page INTEGER, paragraph INTEGER NOT NULL, heading TEXT, text TEXT NOT NULL,
  length INTEGER NOT NULL, vector BYTEA,
  -- Stemmed terms with fields as weights (A title, B heading, D body), for phrase and field matching.
  tsv TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_passages_doc ON doc_passages (document_id, seq);
CREATE INDEX IF NOT EXISTS doc_passages_tsv ON doc_passages USING GIN (tsv);
CREATE TABLE IF NOT EXISTS doc_postings (
  term TEXT NOT NULL, passage_id BIGINT NOT NULL REFERENCES doc_passages(id) ON DELETE CASCADE,
  field CHAR(1) NOT NULL, tf INTEGER NOT NULL, PRIMARY KEY (term, passage_id, field)
);
CREATE INDEX IF NOT EXISTS doc_postings_passage ON doc_postings (passage_id);
ALTER TABLE doc_documents ADD COLUMN IF NOT EXISTS passage_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_documents ADD COLUMN IF NOT EXISTS total_length INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS doc_terms (
  term TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, passages INTEGER NOT NULL,
  PRIMARY KEY (term, document_id)
);
CREATE INDEX IF NOT EXISTS doc_terms_doc ON doc_terms (document_id);
`;

const dialect: Dialect = {
  param: (i) => `$${i}`,
  match: (ph) => `p.tsv @@ to_tsquery('simple', ${ph})`,
  matchText: toTsquery,
};

const POSTINGS_BATCH = 50_000;

/** Serialises schema creation across replicas starting at once. */
const SCHEMA_LOCK = 0x0c0d0c5;

export async function openPostgresDocumentStore(url: string, opts: { schema?: string } = {}): Promise<DocumentStore> {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    ...(opts.schema ? { connection: { search_path: opts.schema } } : {}),
  });
  try {
    if (opts.schema) await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${opts.schema.replace(/"/g, "")}"`);
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`;
      await tx.unsafe(SCHEMA_SQL);
    });
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw err;
  }
  return new PostgresDocumentStore(sql);
}

type Sql = postgres.Sql;

class PostgresDocumentStore implements DocumentStore {
  readonly kind = "postgres" as const;
  constructor(private readonly sql: Sql) {}

  private async summary(row: DocumentRow, sql: Sql | postgres.TransactionSql = this.sql): Promise<DocumentSummary> {
    const rel = await sql<{ nation: string }[]>`SELECT nation FROM doc_releasability WHERE document_id = ${row.id}`;
    const tags = await sql<{ tag: string }[]>`SELECT tag FROM doc_tags WHERE document_id = ${row.id}`;
    return toSummary(row, rel.map((r) => r.nation), tags.map((t) => t.tag));
  }

  async findByHash(owner: string, contentHash: string): Promise<DocumentSummary | null> {
    const [row] = await this.sql<DocumentRow[]>`SELECT * FROM doc_documents WHERE owner_nation = ${owner} AND content_hash = ${contentHash}`;
    return row ? this.summary(row) : null;
  }

  async insert(doc: NewDocument): Promise<{ duplicate: boolean; document: DocumentSummary }> {
    const inserted = await this.sql.begin(async (tx) => {
      const r = await tx`INSERT INTO doc_documents (id, owner_nation, content_hash, filename, title, language, format, pages, bytes, releasable_all, date, ingested_at)
        VALUES (${doc.document_id}, ${doc.owner_nation}, ${doc.content_hash}, ${doc.filename}, ${doc.title}, ${doc.language}, ${doc.format},
                ${doc.pages}, ${doc.bytes}, ${doc.releasable_to === "all" ? 1 : 0}, ${doc.date}, ${doc.ingested_at})
        ON CONFLICT (owner_nation, content_hash) DO NOTHING RETURNING id`;
      if (r.length === 0) return false;
      if (doc.releasable_to !== "all") for (const n of doc.releasable_to) await tx`INSERT INTO doc_releasability (document_id, nation) VALUES (${doc.document_id}, ${n}) ON CONFLICT DO NOTHING`;
      for (const t of doc.tags) await tx`INSERT INTO doc_tags (document_id, tag) VALUES (${doc.document_id}, ${t}) ON CONFLICT DO NOTHING`;
      // Two statements per document whatever its length: passages (with their tsvector) from parallel arrays,
      // then every posting, instead of a round trip per row.
      const ps = doc.passages;
      const rows = await tx<{ id: string; seq: number }[]>`
        INSERT INTO doc_passages (document_id, seq, page, paragraph, heading, text, length, tsv)
        SELECT ${doc.document_id}, u.seq, u.page, u.paragraph, u.heading, u.text, u.length,
          setweight(to_tsvector('simple', u.t), 'A') || setweight(to_tsvector('simple', u.h), 'B') || setweight(to_tsvector('simple', u.b), 'D')
        FROM unnest(${ps.map((p) => p.seq)}::int[], ${ps.map((p) => p.page)}::int[], ${ps.map((p) => p.paragraph)}::int[],
                    ${ps.map((p) => p.heading)}::text[], ${ps.map((p) => p.text)}::text[], ${ps.map((p) => lengthOf(p.fields))}::int[],
                    ${ps.map((p) => p.fields.title.join(" "))}::text[], ${ps.map((p) => p.fields.heading.join(" "))}::text[], ${ps.map((p) => p.fields.body.join(" "))}::text[])
             AS u(seq, page, paragraph, heading, text, length, t, h, b)
        RETURNING id, seq`;
      const idOf = new Map(rows.map((r) => [Number(r.seq), Number(r.id)]));
      const postings = ps.flatMap((p) => postingsOf(p.fields).map((po) => ({ ...po, passage_id: idOf.get(p.seq)! })));
      for (let i = 0; i < postings.length; i += POSTINGS_BATCH) {
        const b = postings.slice(i, i + POSTINGS_BATCH);
        await tx`INSERT INTO doc_postings (term, passage_id, field, tf)
          SELECT * FROM unnest(${b.map((x) => x.term)}::text[], ${b.map((x) => x.passage_id)}::bigint[], ${b.map((x) => x.field)}::text[], ${b.map((x) => x.tf)}::int[])`;
      }
      const dt = documentTerms(ps);
      for (let i = 0; i < dt.length; i += POSTINGS_BATCH) {
        const b = dt.slice(i, i + POSTINGS_BATCH);
        await tx`INSERT INTO doc_terms (term, document_id, passages)
          SELECT t, ${doc.document_id}, n FROM unnest(${b.map((x) => x.term)}::text[], ${b.map((x) => x.passages)}::int[]) AS u(t, n)`;
      }
      await tx`UPDATE doc_documents SET passage_count = ${ps.length}, total_length = ${ps.reduce((n, p) => n + lengthOf(p.fields), 0)} WHERE id = ${doc.document_id}`;
      for (const p of ps) {
        if (p.vector) await tx`UPDATE doc_passages SET vector = ${Buffer.from(new Float32Array(p.vector).buffer)} WHERE id = ${idOf.get(p.seq)!}`;
      }
      return true;
    });
    const existing = await this.findByHash(doc.owner_nation, doc.content_hash);
    if (!existing) throw new Error("document vanished after insert");
    return { duplicate: !inserted, document: existing };
  }

  async search(s: StoreSearch): Promise<{ total: number; hits: PassageHit[] }> {
    const { text, values } = searchSql(dialect, s);
    const rows = await this.sql.unsafe(text, values as postgres.ParameterOrJSON<never>[]);
    return { total: rows.length === 0 ? 0 : Number(rows[0]!.total), hits: rows.map((r) => toHit(r)) };
  }

  async vectors(nation: string, filters: SearchFilters): Promise<{ passage_id: number; vector: Float32Array }[]> {
    const p = new Params(dialect);
    const text = `SELECT p.id, p.vector FROM doc_passages p JOIN doc_documents d ON d.id = p.document_id
      WHERE p.vector IS NOT NULL AND ${visibleTo(p, nation)} AND ${filterSql(p, filters)}`;
    const rows = await this.sql.unsafe(text, p.values as postgres.ParameterOrJSON<never>[]);
    return rows.map((r) => {
      const b = r.vector as Buffer;
      return { passage_id: Number(r.id), vector: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
    });
  }

  async passages(nation: string, ids: readonly number[]): Promise<PassageHit[]> {
    if (ids.length === 0) return [];
    const p = new Params(dialect);
    const text = `SELECT ${HIT_COLUMNS} FROM doc_passages p JOIN doc_documents d ON d.id = p.document_id
      WHERE p.id IN (${p.list(ids)}) AND ${visibleTo(p, nation)}`;
    return (await this.sql.unsafe(text, p.values as postgres.ParameterOrJSON<never>[])).map((r) => toHit(r));
  }

  async languages(nation: string): Promise<string[]> {
    const p = new Params(dialect);
    const rows = await this.sql.unsafe(`SELECT DISTINCT d.language FROM doc_documents d WHERE ${visibleTo(p, nation)} ORDER BY 1`, p.values as postgres.ParameterOrJSON<never>[]);
    return rows.map((r) => String(r.language));
  }

  async get(documentId: string, nation: string): Promise<StoredDocument | null> {
    const p = new Params(dialect);
    const id = p.add(documentId);
    const [row] = await this.sql.unsafe(`SELECT d.* FROM doc_documents d WHERE d.id = ${id} AND ${visibleTo(p, nation)}`, p.values as postgres.ParameterOrJSON<never>[]);
    if (!row) return null;
    const passages = await this.sql`SELECT seq, page, paragraph, heading, text FROM doc_passages WHERE document_id = ${documentId} ORDER BY seq`;
    return toStored(await this.summary(row as unknown as DocumentRow), passages.map((r) => toPassage(r)));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
