import { migrateSqlite, openSqlite, type Migration, type SqliteDatabase } from "../../../store/index.ts";
import type { DocumentSummary, StoredDocument } from "../model.ts";
import { toFts5 } from "../query.ts";
import { documentTerms, filterSql, HIT_COLUMNS, lengthOf, Params, postingsOf, searchSql, visibleTo, type Dialect } from "./sql.ts";
import { toHit, toPassage, toStored, toSummary, type DocumentRow } from "./rows.ts";
import type { DocumentStore, NewDocument, PassageHit, SearchFilters, StoreSearch } from "./types.ts";

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    id: "documents/001-documents",
    sql: `
CREATE TABLE doc_documents (
  id TEXT PRIMARY KEY, owner_nation TEXT NOT NULL, content_hash TEXT NOT NULL, filename TEXT NOT NULL,
  title TEXT NOT NULL, language TEXT NOT NULL, format TEXT NOT NULL, pages INTEGER, bytes INTEGER NOT NULL,
  releasable_all INTEGER NOT NULL, date TEXT NOT NULL, ingested_at TEXT NOT NULL,
  UNIQUE (owner_nation, content_hash)
);
CREATE TABLE doc_releasability (
  document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, nation TEXT NOT NULL,
  PRIMARY KEY (nation, document_id)
) WITHOUT ROWID;
CREATE INDEX doc_releasability_doc ON doc_releasability (document_id);
CREATE TABLE doc_tags (
  document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY (tag, document_id)
) WITHOUT ROWID;
CREATE INDEX doc_tags_doc ON doc_tags (document_id);
CREATE TABLE doc_passages (
  id INTEGER PRIMARY KEY, document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, page INTEGER, paragraph INTEGER NOT NULL, heading TEXT, text TEXT NOT NULL,
  length INTEGER NOT NULL, vector BLOB
);
CREATE INDEX doc_passages_doc ON doc_passages (document_id, seq);
CREATE TABLE doc_postings (
  term TEXT NOT NULL, passage_id INTEGER NOT NULL, field TEXT NOT NULL, tf INTEGER NOT NULL,
  PRIMARY KEY (term, passage_id, field)
) WITHOUT ROWID;
CREATE INDEX doc_postings_passage ON doc_postings (passage_id);
-- Stemmed text, for phrase and field matching only (scores come from doc_postings). Contentless: the
-- original text lives once, in doc_passages.
CREATE VIRTUAL TABLE doc_fts USING fts5(title, heading, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
`,
  },
  {
    id: "documents/002-document-statistics",
    sql: `
ALTER TABLE doc_documents ADD COLUMN passage_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_documents ADD COLUMN total_length INTEGER NOT NULL DEFAULT 0;
UPDATE doc_documents SET
  passage_count = (SELECT COUNT(*) FROM doc_passages p WHERE p.document_id = doc_documents.id),
  total_length = (SELECT COALESCE(SUM(length), 0) FROM doc_passages p WHERE p.document_id = doc_documents.id);
CREATE TABLE doc_terms (
  term TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE, passages INTEGER NOT NULL,
  PRIMARY KEY (term, document_id)
) WITHOUT ROWID;
CREATE INDEX doc_terms_doc ON doc_terms (document_id);
INSERT INTO doc_terms (term, document_id, passages)
  SELECT po.term, p.document_id, COUNT(DISTINCT po.passage_id) FROM doc_postings po JOIN doc_passages p ON p.id = po.passage_id GROUP BY po.term, p.document_id;
`,
  },
  {
    // Every read of postings goes by (term, passage_id); the second index only cost writes and space.
    id: "documents/003-drop-postings-passage-index",
    sql: "DROP INDEX IF EXISTS doc_postings_passage;",
  },
];

const dialect: Dialect = {
  param: () => "?",
  match: (ph) => `p.id IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ${ph})`,
  matchText: toFts5,
};

export function openSqliteDocumentStore(path: string): DocumentStore {
  const db = openSqlite(path);
  // The postings B-tree is written at random places; the default 2 MB page cache turns that into disk reads.
  db.pragma("cache_size = -65536");
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return new SqliteDocumentStore(db, true);
}

/** A document store over an already open database shared with other parts of the gateway (migrates it; close() leaves it open). */
export function sqliteDocumentStore(db: SqliteDatabase): DocumentStore {
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return new SqliteDocumentStore(db, false);
}

class SqliteDocumentStore implements DocumentStore {
  readonly kind = "sqlite" as const;
  private readonly writes;
  constructor(private readonly db: SqliteDatabase, private readonly ownsDb: boolean) {
    this.writes = {
      insertDoc: db.prepare(`INSERT INTO doc_documents (id, owner_nation, content_hash, filename, title, language, format, pages, bytes, releasable_all, date, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner_nation, content_hash) DO NOTHING`),
      insertRel: db.prepare("INSERT OR IGNORE INTO doc_releasability (document_id, nation) VALUES (?, ?)"),
      insertTag: db.prepare("INSERT OR IGNORE INTO doc_tags (document_id, tag) VALUES (?, ?)"),
      insertPassage: db.prepare("INSERT INTO doc_passages (document_id, seq, page, paragraph, heading, text, length, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
      insertPosting: db.prepare("INSERT INTO doc_postings (term, passage_id, field, tf) VALUES (?, ?, ?, ?)"),
      insertFts: db.prepare("INSERT INTO doc_fts (rowid, title, heading, body) VALUES (?, ?, ?, ?)"),
      insertTerm: db.prepare("INSERT INTO doc_terms (term, document_id, passages) VALUES (?, ?, ?)"),
      setStats: db.prepare("UPDATE doc_documents SET passage_count = ?, total_length = ? WHERE id = ?"),
    };
  }

  private summary(row: DocumentRow): DocumentSummary {
    const rel = this.db.prepare("SELECT nation FROM doc_releasability WHERE document_id = ?").pluck().all(row.id) as string[];
    const tags = this.db.prepare("SELECT tag FROM doc_tags WHERE document_id = ?").pluck().all(row.id) as string[];
    return toSummary(row, rel, tags);
  }

  async findByHash(owner: string, contentHash: string): Promise<DocumentSummary | null> {
    const row = this.db.prepare("SELECT * FROM doc_documents WHERE owner_nation = ? AND content_hash = ?").get(owner, contentHash) as DocumentRow | undefined;
    return row ? this.summary(row) : null;
  }

  async insert(doc: NewDocument): Promise<{ duplicate: boolean; document: DocumentSummary }> {
    const db = this.db;
    const { insertDoc, insertRel, insertTag, insertPassage, insertPosting, insertFts, insertTerm, setStats } = this.writes;
    const inserted = db.transaction(() => {
      const r = insertDoc.run(doc.document_id, doc.owner_nation, doc.content_hash, doc.filename, doc.title, doc.language, doc.format,
        doc.pages, doc.bytes, doc.releasable_to === "all" ? 1 : 0, doc.date, doc.ingested_at);
      if (r.changes === 0) return false;
      if (doc.releasable_to !== "all") for (const n of doc.releasable_to) insertRel.run(doc.document_id, n);
      for (const t of doc.tags) insertTag.run(doc.document_id, t);
      for (const p of doc.passages) {
        const vector = p.vector ? Buffer.from(new Float32Array(p.vector).buffer) : null;
        const id = Number(insertPassage.run(doc.document_id, p.seq, p.page, p.paragraph, p.heading, p.text, lengthOf(p.fields), vector).lastInsertRowid);
        for (const po of postingsOf(p.fields)) insertPosting.run(po.term, id, po.field, po.tf);
        insertFts.run(id, p.fields.title.join(" "), p.fields.heading.join(" "), p.fields.body.join(" "));
      }
      for (const t of documentTerms(doc.passages)) insertTerm.run(t.term, doc.document_id, t.passages);
      setStats.run(doc.passages.length, doc.passages.reduce((n, p) => n + lengthOf(p.fields), 0), doc.document_id);
      return true;
    })();
    const existing = await this.findByHash(doc.owner_nation, doc.content_hash);
    if (!existing) throw new Error("document vanished after insert");
    return { duplicate: !inserted, document: existing };
  }

  async search(s: StoreSearch): Promise<{ total: number; hits: PassageHit[] }> {
    const { text, values } = searchSql(dialect, s);
    const rows = this.db.prepare(text).all(...values) as Record<string, unknown>[];
    return { total: rows.length === 0 ? 0 : Number(rows[0]!.total), hits: rows.map(toHit) };
  }

  async vectors(nation: string, filters: SearchFilters): Promise<{ passage_id: number; vector: Float32Array }[]> {
    const p = new Params(dialect);
    const sql = `SELECT p.id, p.vector FROM doc_passages p JOIN doc_documents d ON d.id = p.document_id
      WHERE p.vector IS NOT NULL AND ${visibleTo(p, nation)} AND ${filterSql(p, filters)}`;
    const rows = this.db.prepare(sql).all(...p.values) as { id: number; vector: Buffer }[];
    return rows.map((r) => ({ passage_id: r.id, vector: new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)) }));
  }

  async passages(nation: string, ids: readonly number[]): Promise<PassageHit[]> {
    if (ids.length === 0) return [];
    const p = new Params(dialect);
    const sql = `SELECT ${HIT_COLUMNS} FROM doc_passages p JOIN doc_documents d ON d.id = p.document_id
      WHERE p.id IN (${p.list(ids)}) AND ${visibleTo(p, nation)}`;
    return (this.db.prepare(sql).all(...p.values) as Record<string, unknown>[]).map(toHit);
  }

  async languages(nation: string): Promise<string[]> {
    const p = new Params(dialect);
    return this.db.prepare(`SELECT DISTINCT d.language FROM doc_documents d WHERE ${visibleTo(p, nation)} ORDER BY 1`).pluck().all(...p.values) as string[];
  }

  async get(documentId: string, nation: string): Promise<StoredDocument | null> {
    const p = new Params(dialect);
    const id = p.add(documentId);
    const row = this.db.prepare(`SELECT d.* FROM doc_documents d WHERE d.id = ${id} AND ${visibleTo(p, nation)}`).get(...p.values) as DocumentRow | undefined;
    if (!row) return null;
    const passages = this.db.prepare("SELECT seq, page, paragraph, heading, text FROM doc_passages WHERE document_id = ? ORDER BY seq").all(row.id) as Record<string, unknown>[];
    return toStored(this.summary(row), passages.map(toPassage));
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
