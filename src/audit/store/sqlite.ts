import { migrateSqlite, openSqlite, type SqliteDatabase } from "../../store/index.ts";
import { BUCKET_SIZE, sequence, type NewRow } from "../tree.ts";
import type { LogStore, StoredCheckpoint, StoredRow } from "./types.ts";

/** The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk when it returns. */
export function openSqliteLogStore(path: string, prefix: string): LogStore {
  const db: SqliteDatabase = openSqlite(path);
  const t = { entries: `${prefix}_entries`, buckets: `${prefix}_buckets`, checkpoints: `${prefix}_checkpoints` };
  migrateSqlite(db, [
    {
      id: `audit/001-merkle-log:${prefix}`,
      sql: `CREATE TABLE ${t.entries} (idx INTEGER PRIMARY KEY, nation TEXT, entry BLOB NOT NULL, leaf_hash BLOB NOT NULL);
            CREATE INDEX ${t.entries}_nation ON ${t.entries} (nation, idx);
            CREATE TABLE ${t.buckets} (k INTEGER PRIMARY KEY, hash BLOB NOT NULL, nodes BLOB NOT NULL);
            CREATE TABLE ${t.checkpoints} (size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at TEXT NOT NULL);`,
    },
  ]);
  const q = {
    last: db.prepare(`SELECT idx FROM ${t.entries} ORDER BY idx DESC LIMIT 1`),
    leaves: db.prepare(`SELECT leaf_hash FROM ${t.entries} WHERE idx >= ? AND idx < ? ORDER BY idx`).pluck(),
    insert: db.prepare(`INSERT INTO ${t.entries} (idx, nation, entry, leaf_hash) VALUES (?, ?, ?, ?)`),
    bucket: db.prepare(`INSERT INTO ${t.buckets} (k, hash, nodes) VALUES (?, ?, ?)`),
    buckets: db.prepare(`SELECT hash FROM ${t.buckets} WHERE k >= ? AND k < ? ORDER BY k`).pluck(),
    trees: db.prepare(`SELECT nodes FROM ${t.buckets} WHERE k >= ? AND k < ? ORDER BY k`).pluck(),
    tree: db.prepare(`SELECT nodes FROM ${t.buckets} WHERE k = ?`).pluck(),
    rows: db.prepare(`SELECT idx, entry, leaf_hash FROM ${t.entries} WHERE idx >= ? ORDER BY idx LIMIT ?`).raw(),
    nationRows: db.prepare(`SELECT idx, entry, leaf_hash FROM ${t.entries} WHERE nation = ? AND idx >= ? ORDER BY idx LIMIT ?`).raw(),
    putCp: db.prepare(`INSERT INTO ${t.checkpoints} (size, note, created_at) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING`),
    updCp: db.prepare(`UPDATE ${t.checkpoints} SET note = ? WHERE size = ?`),
    cpAt: db.prepare(`SELECT note FROM ${t.checkpoints} WHERE size = ?`).pluck(),
    cps: db.prepare(`SELECT size, note FROM ${t.checkpoints} ORDER BY size`),
    latestCp: db.prepare(`SELECT size, note FROM ${t.checkpoints} ORDER BY size DESC LIMIT 1`),
  };
  const size = (): number => {
    const last = q.last.get() as { idx: number } | undefined;
    return last ? last.idx + 1 : 0;
  };
  const append = db.transaction((rows: readonly NewRow[]): number => {
    const n = size();
    const tail = q.leaves.all(n - (n % BUCKET_SIZE), n) as Buffer[];
    const s = sequence(n, tail, rows);
    for (const r of s.rows) q.insert.run(r.index, r.nation, r.entry, r.leaf);
    for (const b of s.buckets) q.bucket.run(b.k, b.hash, b.nodes);
    return n;
  });
  // A second connection for whole-log scans: an open better-sqlite3 iterator keeps its connection busy, and WAL
  // lets this reader see a consistent snapshot while the main connection keeps appending.
  let scanDb: SqliteDatabase | null = null;
  const pagedScan = (from: number): AsyncIterator<StoredRow[]> => {
    let next = from;
    return {
      next: async () => {
        const page = (q.rows.all(next, 4096) as unknown[][]).map(toRow);
        if (page.length === 0) return { value: undefined, done: true };
        next = (page[page.length - 1] as StoredRow).index + 1;
        return { value: page, done: false };
      },
    };
  };
  const toRow = (r: unknown[]): StoredRow => ({ index: r[0] as number, entry: r[1] as Buffer, leaf: r[2] as Buffer });
  // A plain loop, not an async generator: V8 runs this hot loop several times faster outside a generator.
  const fill = (it: IterableIterator<unknown[]>): StoredRow[] => {
    const chunk: StoredRow[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      chunk.push(toRow(r.value));
      if (chunk.length === 4096) break;
    }
    return chunk;
  };
  return {
    // BEGIN IMMEDIATE takes SQLite's write lock first, so processes sharing the file sequence one after another.
    append: async (rows) => append.immediate(rows),
    size: async () => size(),
    leafHashes: async (from, to) => q.leaves.all(from, to) as Buffer[],
    bucketHashes: async (from, to) => q.buckets.all(from, to) as Buffer[],
    bucketTrees: async (from, to) => {
      if (to !== from + 1) return q.trees.all(from, to) as Buffer[];
      const one = q.tree.get(from) as Buffer | undefined; // a proof's one bucket: a point lookup
      return one ? [one] : [];
    },
    rows: async (from, limit, nation) =>
      ((nation === undefined ? q.rows.all(from, limit) : q.nationRows.all(nation, from, limit)) as unknown[][]).map(toRow),
    scan: (from) => ({
      [Symbol.asyncIterator]() {
        if (path === ":memory:") return pagedScan(from); // a second connection would open another, empty database
        if (!scanDb) {
          scanDb = openSqlite(path);
          scanDb.pragma("mmap_size = 1073741824"); // read the file through the page cache, not copies of it
        }
        const it = scanDb.prepare(`SELECT idx, entry, leaf_hash FROM ${t.entries} WHERE idx >= ? ORDER BY idx`).raw().iterate(from) as IterableIterator<unknown[]>;
        const done = { value: undefined, done: true as const };
        return {
          next: async () => {
            const chunk = fill(it);
            return chunk.length > 0 ? { value: chunk, done: false as const } : done;
          },
          return: async () => {
            it.return?.();
            return done;
          },
        };
      },
    }),
    putCheckpoint: async (s, note) => void q.putCp.run(s, note, new Date().toISOString()),
    updateCheckpoint: async (s, note) => void q.updCp.run(note, s),
    checkpointAt: async (s) => (q.cpAt.get(s) as string | undefined) ?? null,
    checkpoints: async () => q.cps.all() as StoredCheckpoint[],
    latestCheckpoint: async () => (q.latestCp.get() as StoredCheckpoint | undefined) ?? null,
    close: async () => {
      scanDb?.close();
      db.close();
    },
  };
}
