import { migrateSqlite, openSqlite, type SqliteDatabase } from "../../store/index.ts";
import type { Adoption, OversightStore, ProposalRecord, ProposalStatus, ReviewRecord, ReviewStatus } from "../records.ts";

const MIGRATIONS = [
  {
    id: "oversight/001-reviews-proposals",
    sql: `
      CREATE TABLE oversight_reviews (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX oversight_reviews_status ON oversight_reviews (status, created_at);
      CREATE TABLE governance_bundles (hash TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE governance_proposals (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE governance_adoptions (seq INTEGER PRIMARY KEY, version TEXT NOT NULL, parent TEXT, proposal_id TEXT, adopted_at INTEGER NOT NULL);
    `,
  },
];

/** The embedded store: one SQLite file (WAL), shared with the rest of the gateway's state. */
export function openSqliteOversightStore(path: string): OversightStore {
  const db: SqliteDatabase = openSqlite(path);
  migrateSqlite(db, MIGRATIONS);
  const doc = <T>(row: unknown): T | null => (row ? (JSON.parse((row as { doc: string }).doc) as T) : null);
  const update = <T extends { id: string; status: string }>(table: string) => {
    const get = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`);
    const put = db.prepare(`UPDATE ${table} SET status = ?, doc = ? WHERE id = ?`);
    const tx = db.transaction((id: string, change: (r: T) => T | null): T | null => {
      const cur = doc<T>(get.get(id));
      if (!cur) return null;
      const next = change(cur);
      if (!next) return cur;
      put.run(next.status, JSON.stringify(next), id);
      return next;
    });
    // Read, then write: BEGIN IMMEDIATE takes the write lock first. A deferred transaction that read before another
    // process wrote could not upgrade, and SQLite answers that with "database is locked" at once, without waiting.
    return (id: string, change: (r: T) => T | null): T | null => tx.immediate(id, change);
  };
  const updReview = update<ReviewRecord>("oversight_reviews");
  const updProposal = update<ProposalRecord>("governance_proposals");
  const adopt = db.transaction((a: Omit<Adoption, "seq">): boolean => {
    const head = db.prepare("SELECT version FROM governance_adoptions ORDER BY seq DESC LIMIT 1").get() as { version: string } | undefined;
    if ((head?.version ?? null) !== a.parent) return false;
    db.prepare("INSERT INTO governance_adoptions (version, parent, proposal_id, adopted_at) VALUES (?, ?, ?, ?)").run(a.version, a.parent, a.proposal_id, a.adopted_at);
    return true;
  });

  return {
    async insertReview(r: ReviewRecord) {
      db.prepare("INSERT INTO oversight_reviews (id, status, created_at, doc) VALUES (?, ?, ?, ?)").run(r.id, r.status, r.created_at, JSON.stringify(r));
    },
    async getReview(id: string) {
      return doc<ReviewRecord>(db.prepare("SELECT doc FROM oversight_reviews WHERE id = ?").get(id));
    },
    async listReviews(status?: ReviewStatus) {
      const rows = status
        ? db.prepare("SELECT doc FROM oversight_reviews WHERE status = ? ORDER BY created_at").all(status)
        : db.prepare("SELECT doc FROM oversight_reviews ORDER BY created_at").all();
      return rows.map((r) => doc<ReviewRecord>(r) as ReviewRecord);
    },
    async updateReview(id, change) {
      return updReview(id, change);
    },
    async putBundle(hash: string, json: string) {
      db.prepare("INSERT OR IGNORE INTO governance_bundles (hash, doc) VALUES (?, ?)").run(hash, json);
    },
    async getBundle(hash: string) {
      return (db.prepare("SELECT doc FROM governance_bundles WHERE hash = ?").get(hash) as { doc: string } | undefined)?.doc ?? null;
    },
    async insertProposal(p: ProposalRecord) {
      db.prepare("INSERT INTO governance_proposals (id, status, created_at, doc) VALUES (?, ?, ?, ?)").run(p.id, p.status, p.created_at, JSON.stringify(p));
    },
    async getProposal(id: string) {
      return doc<ProposalRecord>(db.prepare("SELECT doc FROM governance_proposals WHERE id = ?").get(id));
    },
    async listProposals(status?: ProposalStatus) {
      const rows = status
        ? db.prepare("SELECT doc FROM governance_proposals WHERE status = ? ORDER BY created_at").all(status)
        : db.prepare("SELECT doc FROM governance_proposals ORDER BY created_at").all();
      return rows.map((r) => doc<ProposalRecord>(r) as ProposalRecord);
    },
    async updateProposal(id, change) {
      return updProposal(id, change);
    },
    async adoptions() {
      return db.prepare("SELECT seq, version, parent, proposal_id, adopted_at FROM governance_adoptions ORDER BY seq").all() as Adoption[];
    },
    async adopt(a) {
      // Two gateways starting on one fresh database both adopt the first policy version: the write lock first.
      return adopt.immediate(a);
    },
    async close() {
      db.close();
    },
  };
}
