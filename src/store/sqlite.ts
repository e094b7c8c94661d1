import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) a SQLite database in WAL mode. `synchronous=FULL` because acknowledged writes
 * (audit entries above all) must survive a process kill; group commit keeps that fast.
 */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}

export interface Migration {
  /** Unique across the project: `<area>/<number>-<what>`, e.g. `identity/001-api-keys`. */
  readonly id: string;
  readonly sql: string;
}

/** Applies each migration once, in order, recording it in `schema_migrations`. */
export function migrateSqlite(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  const has = db.prepare("SELECT 1 FROM schema_migrations WHERE id = ?");
  const mark = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)");
  for (const m of migrations) {
    if (has.get(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      mark.run(m.id, new Date().toISOString());
    })();
  }
}
