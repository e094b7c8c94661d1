import postgres from "postgres";
import { BUCKET_SIZE, sequence, type NewRow } from "../tree.ts";
import type { LogStore, SearchQuery, StoredCheckpoint, StoredRow } from "./types.ts";

const SCAN_PAGE = 10_000;
const INSERT_CHUNK = 5000; // 4 parameters a row stays well under PostgreSQL's 65535 bind parameters
export const DEFAULT_STORE_TIMEOUT_MS = 5000;

export interface PostgresLogStoreOptions {
  /**
   * Longest any store operation (connecting included) may take before it fails. A database that stalls or a
   * network that drops packets then refuses requests within this time instead of holding them forever.
   */
  readonly timeoutMs?: number;
}

/** A store operation that ran past its deadline; the log turns it into AuditUnavailable like any store failure. */
export class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`the audit store did not answer within ${ms} ms`);
    this.name = "StoreTimeout";
  }
}

/**
 * The replicated store on this thread (postgres.ts runs it on a worker thread): any number of gateway processes
 * append to one PostgreSQL log. The sequencer is a
 * transaction-scoped advisory lock keyed by the table prefix, so appends from all processes form one sequence.
 *
 * Every operation runs under a deadline. The server enforces it too (statement, lock and idle-in-transaction
 * timeouts), but a partitioned network answers nothing, so the client side gives up on its own; it then replaces
 * the connection pool, because a connection whose reply never came can carry nothing after it. An append that
 * timed out may still have committed: its request was refused anyway, so the log can hold an entry for a refused
 * request, never a served request without its entry.
 */
export async function openDirectPostgresLogStore(url: string, prefix: string, opts: PostgresLogStoreOptions = {}): Promise<LogStore> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const pool = () =>
    postgres(url, {
      max: 4,
      onnotice: () => {},
      connect_timeout: Math.max(1, timeoutMs / 1000),
      keep_alive: 5,
      connection: { statement_timeout: timeoutMs, lock_timeout: timeoutMs, idle_in_transaction_session_timeout: 2 * timeoutMs },
    });
  let sql = pool();
  const timed = async <T>(op: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
    const current = sql;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(current),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new StoreTimeout(timeoutMs)), timeoutMs); }),
      ]);
    } catch (err) {
      if (err instanceof StoreTimeout && sql === current) {
        sql = pool();
        // Ends the stuck connections at once; their pending queries reject, and nobody awaits them any more.
        void current.end({ timeout: 0 }).catch(() => {});
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  const t = { entries: `${prefix}_entries`, buckets: `${prefix}_buckets`, checkpoints: `${prefix}_checkpoints` };
  const lock = (tx: postgres.TransactionSql) => tx`SELECT pg_advisory_xact_lock(hashtext(${`concord-audit:${prefix}`}))`;
  try {
    await timed((sql) => sql.begin(async (tx) => {
      await lock(tx);
      await tx`CREATE TABLE IF NOT EXISTS ${tx(t.entries)} (idx bigint PRIMARY KEY, nation text, entry bytea NOT NULL, leaf_hash bytea NOT NULL)`;
      await tx`CREATE INDEX IF NOT EXISTS ${tx(`${t.entries}_nation`)} ON ${tx(t.entries)} (nation, idx)`;
      await tx`CREATE TABLE IF NOT EXISTS ${tx(t.buckets)} (k bigint PRIMARY KEY, hash bytea NOT NULL, nodes bytea NOT NULL)`;
      await tx`CREATE TABLE IF NOT EXISTS ${tx(t.checkpoints)} (size bigint PRIMARY KEY, note text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;
    }));
    const [has] = await timed((sql) => sql`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${t.entries} AND column_name = 'request_sha256'`);
    if (!has) await addSearchColumns(sql, prefix, t.entries, lock);
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw err;
  }
  const num = (v: unknown) => Number(v);
  const toRow = (r: postgres.Row): StoredRow => ({ index: num(r.idx), entry: r.entry as Buffer, leaf: r.leaf_hash as Buffer });
  return {
    append: (rows: readonly NewRow[]) =>
      timed((sql) => sql.begin(async (tx) => {
        // Pipelined: the lock, then (in order, on the same connection) the log's length and its partial bucket.
        const [, end] = await Promise.all([
          lock(tx),
          tx`WITH e AS (SELECT coalesce(max(idx) + 1, 0) AS n FROM ${tx(t.entries)})
             SELECT e.n, x.leaf_hash FROM e LEFT JOIN ${tx(t.entries)} x ON x.idx >= e.n - e.n % ${BUCKET_SIZE} ORDER BY x.idx`,
        ]);
        const n = num(end[0]?.n ?? 0);
        const tail = end.filter((r) => r.leaf_hash !== null).map((r) => r.leaf_hash as Buffer);
        const s = sequence(n, tail, rows);
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < s.rows.length; i += INSERT_CHUNK) {
          const chunk = s.rows.slice(i, i + INSERT_CHUNK).map((r) => ({ idx: r.index, nation: r.nation, entry: r.entry, leaf_hash: r.leaf }));
          writes.push(tx`INSERT INTO ${tx(t.entries)} ${tx(chunk, "idx", "nation", "entry", "leaf_hash")}`);
        }
        for (let i = 0; i < s.buckets.length; i += INSERT_CHUNK) {
          writes.push(tx`INSERT INTO ${tx(t.buckets)} ${tx(s.buckets.slice(i, i + INSERT_CHUNK), "k", "hash", "nodes")}`);
        }
        await Promise.all(writes);
        return n;
      })),
    size: async () => {
      const [last] = await timed((sql) => sql`SELECT idx FROM ${sql(t.entries)} ORDER BY idx DESC LIMIT 1`);
      return last ? num(last.idx) + 1 : 0;
    },
    leafHashes: async (from, to) =>
      (await timed((sql) => sql`SELECT leaf_hash FROM ${sql(t.entries)} WHERE idx >= ${from} AND idx < ${to} ORDER BY idx`)).map((r) => r.leaf_hash as Buffer),
    bucketHashes: async (from, to) =>
      (await timed((sql) => sql`SELECT hash FROM ${sql(t.buckets)} WHERE k >= ${from} AND k < ${to} ORDER BY k`)).map((r) => r.hash as Buffer),
    bucketTrees: async (from, to) =>
      (await timed((sql) => sql`SELECT nodes FROM ${sql(t.buckets)} WHERE k >= ${from} AND k < ${to} ORDER BY k`)).map((r) => r.nodes as Buffer),
    rows: async (from, limit, nation) =>
      (await timed((sql) => nation === undefined
        ? sql`SELECT idx, entry, leaf_hash FROM ${sql(t.entries)} WHERE idx >= ${from} ORDER BY idx LIMIT ${limit}`
        : sql`SELECT idx, entry, leaf_hash FROM ${sql(t.entries)} WHERE nation = ${nation} AND idx >= ${from} ORDER BY idx LIMIT ${limit}`
      )).map(toRow),
    search: async (q: SearchQuery) => {
      const where: string[] = [];
      const args: (string | number | Buffer)[] = [];
      const add = (cond: (n: () => string) => string, ...v: (string | number | Buffer)[]) => {
        where.push(cond(() => `$${args.push(v.shift() as string | number | Buffer)}`));
      };
      if (q.nation !== undefined) add((p) => `nation = ${p()}`, q.nation);
      if (q.decision !== undefined) add((p) => `decision = ${p()}`, q.decision);
      if (q.fromMs !== undefined) add((p) => `time_ms >= ${p()}`, q.fromMs);
      if (q.toMs !== undefined) add((p) => `time_ms < ${p()}`, q.toMs);
      if (q.hash !== undefined) add((p) => `idx IN (SELECT idx FROM ${t.entries} WHERE leaf_hash = ${p()} UNION ALL SELECT idx FROM ${t.entries} WHERE request_sha256 = ${p()})`, Buffer.from(q.hash, "hex"), q.hash);
      const up = q.after !== undefined;
      if (up) add((p) => `idx > ${p()}`, q.after as number);
      else if (q.before !== undefined) add((p) => `idx < ${p()}`, q.before);
      // The page's indexes first (index-only where the visibility map allows), then only those rows read.
      const order = `ORDER BY idx ${up ? "ASC" : "DESC"}`;
      const text = `SELECT idx, entry, leaf_hash FROM ${t.entries} WHERE idx IN (SELECT idx FROM ${t.entries}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ${order} LIMIT ${Math.trunc(q.limit)}) ${order}`;
      const rows = (await timed((sql) => sql.unsafe(text, args))).map(toRow);
      return up ? rows : rows.reverse();
    },
    scan: async function* (from) {
      // Keyset pages rather than a cursor: no transaction stays open however long the reader takes.
      for (let next = from; ; ) {
        const page = (await timed((sql) => sql`SELECT idx, entry, leaf_hash FROM ${sql(t.entries)} WHERE idx >= ${next} ORDER BY idx LIMIT ${SCAN_PAGE}`)).map(toRow);
        if (page.length === 0) return;
        yield page;
        next = (page[page.length - 1] as StoredRow).index + 1;
      }
    },
    putCheckpoint: async (size, note) => {
      await timed((sql) => sql`INSERT INTO ${sql(t.checkpoints)} (size, note) VALUES (${size}, ${note}) ON CONFLICT (size) DO NOTHING`);
    },
    updateCheckpoint: async (size, note) => {
      await timed((sql) => sql`UPDATE ${sql(t.checkpoints)} SET note = ${note} WHERE size = ${size}`);
    },
    checkpointAt: async (size) => {
      const [r] = await timed((sql) => sql`SELECT note FROM ${sql(t.checkpoints)} WHERE size = ${size}`);
      return r ? (r.note as string) : null;
    },
    checkpoints: async () => (await timed((sql) => sql`SELECT size, note FROM ${sql(t.checkpoints)} ORDER BY size`)).map((r) => ({ size: num(r.size), note: r.note as string })),
    latestCheckpoint: async () => {
      const [r] = await timed((sql) => sql`SELECT size, note FROM ${sql(t.checkpoints)} ORDER BY size DESC LIMIT 1`);
      return r ? ({ size: num(r.size), note: r.note as string } satisfies StoredCheckpoint) : null;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * Search columns generated from the entry bytes (which never change), and their indexes: once per log, in one
 * transaction under the sequencer's lock. Adding a stored column rewrites the table and the indexes read every
 * row, so this runs without the store's deadline (a log of a million entries takes far longer than one
 * operation may). The two functions are immutable in fact (UTF-8 decoding, an ISO time with its Z offset), as
 * PostgreSQL requires of a generated column, though the built-ins they call are only declared stable.
 */
async function addSearchColumns(sql: postgres.Sql, prefix: string, entries: string, lock: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SET LOCAL statement_timeout = 0`;
    await lock(tx);
    const fn = { field: `${prefix}_entry_field`, ms: `${prefix}_entry_ms` };
    await tx.unsafe(`CREATE OR REPLACE FUNCTION ${fn.field}(bytea, text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT convert_from($1, 'UTF8')::jsonb ->> $2 $$`);
    await tx.unsafe(`CREATE OR REPLACE FUNCTION ${fn.ms}(bytea) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT round(extract(epoch FROM (convert_from($1, 'UTF8')::jsonb ->> 'time')::timestamptz) * 1000)::bigint $$`);
    await tx.unsafe(`ALTER TABLE ${entries}
      ADD COLUMN IF NOT EXISTS decision text GENERATED ALWAYS AS (${fn.field}(entry, 'decision')) STORED,
      ADD COLUMN IF NOT EXISTS time_ms bigint GENERATED ALWAYS AS (${fn.ms}(entry)) STORED,
      ADD COLUMN IF NOT EXISTS request_sha256 text GENERATED ALWAYS AS (${fn.field}(entry, 'request_sha256')) STORED`);
    for (const [name, cols] of [["decision", "decision, idx"], ["nation_decision", "nation, decision, idx"], ["time", "time_ms, idx"], ["leaf", "leaf_hash"], ["request", "request_sha256"]]) {
      await tx.unsafe(`CREATE INDEX IF NOT EXISTS ${entries}_${name} ON ${entries} (${cols})`);
    }
  });
}
