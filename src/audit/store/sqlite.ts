import { migrateSqlite, openSqlite, type SqliteDatabase } from "../../store/index.ts";
import { BUCKET_SIZE, sequence, type NewRow } from "../tree.ts";
import type { LogStore, SearchQuery, StoredCheckpoint, StoredRow } from "./types.ts";

/** The entry's JSON field `f`, read from the stored bytes (SQLite 3.45+ would take a bare BLOB for JSONB). */
const field = (f: string) => `json_extract(CAST(entry AS TEXT), '$.${f}')`;

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
    {
      // Search columns are virtual, computed from the entry bytes: an existing log gains them (and its indexes are
      // built from its rows) without a byte of any entry or leaf hash changing, and appends write nothing new.
      id: `audit/002-search:${prefix}`,
      sql: `ALTER TABLE ${t.entries} ADD COLUMN decision TEXT GENERATED ALWAYS AS (${field("decision")}) VIRTUAL;
            ALTER TABLE ${t.entries} ADD COLUMN time_ms INTEGER GENERATED ALWAYS AS (CAST(round(unixepoch(${field("time")}, 'subsec') * 1000) AS INTEGER)) VIRTUAL;
            ALTER TABLE ${t.entries} ADD COLUMN request_sha256 TEXT GENERATED ALWAYS AS (${field("request_sha256")}) VIRTUAL;
            CREATE INDEX ${t.entries}_decision ON ${t.entries} (decision, idx);
            CREATE INDEX ${t.entries}_nation_decision ON ${t.entries} (nation, decision, idx);
            CREATE INDEX ${t.entries}_time ON ${t.entries} (time_ms);
            CREATE INDEX ${t.entries}_leaf ON ${t.entries} (leaf_hash);
            CREATE INDEX ${t.entries}_request ON ${t.entries} (request_sha256);`,
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
  // One prepared statement per combination of fields searched (at most 2^6 · 2 of them).
  const searches = new Map<string, ReturnType<SqliteDatabase["prepare"]>>();
  const search = (sq: SearchQuery): StoredRow[] => {
    const where: string[] = [];
    const args: (string | number | Buffer)[] = [];
    const add = (cond: string, ...v: (string | number | Buffer)[]) => { where.push(cond); args.push(...v); };
    if (sq.nation !== undefined) add("nation = ?", sq.nation);
    if (sq.decision !== undefined) add("decision = ?", sq.decision);
    if (sq.fromMs !== undefined) add("time_ms >= ?", sq.fromMs);
    if (sq.toMs !== undefined) add("time_ms < ?", sq.toMs);
    if (sq.hash !== undefined) add(`idx IN (SELECT idx FROM ${t.entries} WHERE leaf_hash = ? UNION ALL SELECT idx FROM ${t.entries} WHERE request_sha256 = ?)`, Buffer.from(sq.hash, "hex"), sq.hash);
    const up = sq.after !== undefined;
    if (up) add("idx > ?", sq.after);
    else if (sq.before !== undefined) add("idx < ?", sq.before);
    // Two steps: the page's indexes from an index alone (every SQLite index holds the rowid, here idx), then only
    // those rows read. A wide time range then sorts integers, never decodes the entries it passes over.
    const order = `ORDER BY idx ${up ? "ASC" : "DESC"}`;
    const sql = `SELECT idx, entry, leaf_hash FROM ${t.entries} WHERE idx IN (SELECT idx FROM ${t.entries}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ${order} LIMIT ?) ${order}`;
    let stmt = searches.get(sql);
    if (!stmt) searches.set(sql, (stmt = db.prepare(sql).raw()));
    const rows = (stmt.all([...args, sq.limit]) as unknown[][]).map(toRow);
    return up ? rows : rows.reverse();
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
    search: async (sq) => search(sq),
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
