import { migrateSqlite, openSqlite, type Migration, type SqliteDatabase } from "../../store/index.ts";
import type { AlertRecord } from "../model.ts";
import { fieldPairs, searchText, whereClause, type AlertStore, type TextIndex } from "./query.ts";

/**
 * Every list filter has an index that starts with the nation (the one condition every query has), then the
 * filtered column, then `seq` for newest-first order, so a page is read from the index without sorting.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    id: "alerts/001-alerts",
    sql: `
      CREATE TABLE alerts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, nation TEXT NOT NULL, status TEXT NOT NULL,
        level TEXT NOT NULL, rule_id TEXT NOT NULL, assignee TEXT, host TEXT, created_at TEXT NOT NULL,
        search TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX alerts_nation ON alerts (nation, seq);
      CREATE INDEX alerts_status ON alerts (nation, status, seq);
      CREATE INDEX alerts_level ON alerts (nation, level, seq);
      CREATE INDEX alerts_rule ON alerts (nation, rule_id, seq);
      CREATE INDEX alerts_assignee ON alerts (nation, assignee, seq);
      CREATE INDEX alerts_host ON alerts (nation, host, seq);
      CREATE TABLE alert_tags (seq INTEGER NOT NULL REFERENCES alerts (seq), tag TEXT NOT NULL, PRIMARY KEY (tag, seq));
      CREATE TABLE alert_fields (seq INTEGER NOT NULL REFERENCES alerts (seq), field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value, seq));
    `,
  },
  {
    // Text search: an FTS5 trigram index over the search text, so a word of three characters or more is a
    // case-insensitive substring match found through the index rather than by scanning (same results as LIKE).
    id: "alerts/002-search-index",
    sql: `
      CREATE VIRTUAL TABLE alerts_fts USING fts5(search, content='alerts', content_rowid='seq', tokenize='trigram');
      INSERT INTO alerts_fts (rowid, search) SELECT seq, search FROM alerts;
      CREATE TRIGGER alerts_fts_insert AFTER INSERT ON alerts BEGIN
        INSERT INTO alerts_fts (rowid, search) VALUES (new.seq, new.search);
      END;
      CREATE TRIGGER alerts_fts_update AFTER UPDATE OF search ON alerts BEGIN
        INSERT INTO alerts_fts (alerts_fts, rowid, search) VALUES ('delete', old.seq, old.search);
        INSERT INTO alerts_fts (rowid, search) VALUES (new.seq, new.search);
      END;
    `,
  },
];

/** A word as one FTS5 string (double quotes doubled), which the trigram tokenizer matches as a substring. */
const SQLITE_TEXT: TextIndex = {
  sql: (p) => `a.seq IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ${p})`,
  param: (word) => `"${word.replaceAll('"', '""')}"`,
};

export function openSqliteAlertStore(path: string): AlertStore {
  const db: SqliteDatabase = openSqlite(path);
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return sqliteAlertStore(db, () => db.close());
}

/** The store over an open database (tests pass `:memory:` ones). */
export function sqliteAlertStore(db: SqliteDatabase, onClose: () => void = () => {}): AlertStore {
  const ins = db.prepare("INSERT INTO alerts (id, nation, status, level, rule_id, assignee, host, created_at, search, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insTag = db.prepare("INSERT OR IGNORE INTO alert_tags (seq, tag) VALUES (?, ?)");
  const insField = db.prepare("INSERT OR IGNORE INTO alert_fields (seq, field, value) VALUES (?, ?, ?)");
  const getOne = db.prepare("SELECT doc FROM alerts WHERE id = ? AND nation = ?");
  const put = db.prepare("UPDATE alerts SET status = ?, assignee = ?, search = ?, doc = ? WHERE id = ? AND nation = ?");

  const insertAll = db.transaction((alerts: readonly AlertRecord[]) => {
    for (const a of alerts) {
      const seq = ins.run(a.id, a.nation, a.status, a.rule.level, a.rule.id, a.assignee, a.host, a.created_at, searchText(a), JSON.stringify(a)).lastInsertRowid;
      for (const t of new Set(a.rule.tags)) insTag.run(seq, t);
      for (const [k, v] of fieldPairs(a.matched)) insField.run(seq, k, v);
    }
  });
  const doc = (row: unknown): AlertRecord | null => (row ? (JSON.parse((row as { doc: string }).doc) as AlertRecord) : null);
  // SQLite runs one writer at a time, so the read-change-write below cannot interleave with another update.
  const updateOne = db.transaction((id: string, nation: string, change: (a: AlertRecord) => AlertRecord): AlertRecord | null => {
    const cur = doc(getOne.get(id, nation));
    if (!cur) return null;
    const next = change(cur);
    if (next !== cur) put.run(next.status, next.assignee, searchText(next), JSON.stringify(next), id, nation);
    return next;
  });

  return {
    async insert(alerts) { insertAll(alerts); },
    async get(id, nation) { return doc(getOne.get(id, nation)); },
    // Read, then write: the write lock first (a deferred transaction that read before another process wrote fails at once).
    async update(id, nation, change) { return updateOne.immediate(id, nation, change); },
    async list(nation, filter, page) {
      const w = whereClause(nation, filter, () => "?", SQLITE_TEXT);
      const total = (db.prepare(`SELECT count(*) AS n FROM alerts a WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
      const rows = db.prepare(`SELECT a.doc FROM alerts a WHERE ${w.sql} ORDER BY a.seq DESC LIMIT ? OFFSET ?`).all(...w.params, page.limit, page.offset);
      return { data: rows.map((r) => doc(r) as AlertRecord), total };
    },
    async close() { onClose(); },
  };
}
