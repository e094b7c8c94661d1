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
  db.pragma("busy_timeout = 5000");
  enterWal(db);
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  return db;
}

/**
 * Switches a database to WAL. The switch needs the database to itself and SQLite answers SQLITE_BUSY at once
 * instead of waiting, so two processes opening one fresh file together (replicas starting side by side) retry
 * here for up to the busy timeout rather than one of them failing to start.
 */
function enterWal(db: SqliteDatabase): void {
  const deadline = Date.now() + 5000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

export interface Migration {
  /** Unique across the project: `<area>/<number>-<what>`, e.g. `identity/001-api-keys`. */
  readonly id: string;
  readonly sql: string;
}

/**
 * Applies each migration once, in order, recording it in `schema_migrations`. Each check-and-apply runs under the
 * write lock (`BEGIN IMMEDIATE`), so two processes starting on one fresh database (replicas, the CLI beside a
 * server) cannot both apply a migration: the second waits, then finds it recorded.
 */
export function migrateSqlite(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.transaction(() => db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")).immediate();
  const has = db.prepare("SELECT 1 FROM schema_migrations WHERE id = ?");
  const mark = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)");
  const apply = db.transaction((m: Migration) => {
    if (has.get(m.id)) return;
    db.exec(m.sql);
    mark.run(m.id, new Date().toISOString());
  });
  for (const m of migrations) apply.immediate(m);
}
