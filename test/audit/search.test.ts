import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import postgres from "postgres";
import { AuditLog, encodeEntry, leafHash, searchEntries, type AuditScope, type SearchBody } from "../../src/audit/index.ts";
import { Forbidden } from "../../src/errors/index.ts";
import { mulberry32 } from "../helpers/prng.ts";
import { PG_URL, postgresReachable, sampleEntry, tempDir, uniquePrefix } from "./helpers.ts";

const N = 240;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0); // sampleEntry(i) is decided at T0 + i ms
const NATIONS = ["DEU", "FRA", "POL", "NOR", "BEL"];
const entries = Array.from({ length: N }, (_, i) => ({ ...sampleEntry(i), decision: i % 11 === 5 ? "review" : sampleEntry(i).decision }));
const leaves = entries.map((e) => leafHash(encodeEntry(e).bytes).toString("hex"));

type Q = Record<string, string>;

/** What a search must answer, computed by brute force over the entries as appended. */
function expected(q: Q, scope: AuditScope): number[] {
  const nation = scope === "all" ? q.nation : scope.nation;
  return entries.flatMap((e, i) => {
    const t = T0 + i;
    const ok =
      (!nation || e.nation === nation) && (!q.decision || e.decision === q.decision) &&
      (!q.since || t >= Date.parse(q.since)) && (!q.until || t < Date.parse(q.until)) &&
      (!q.hash || leaves[i] === q.hash || e.request_sha256 === q.hash);
    return ok ? [i] : [];
  });
}

/**
 * Pages backwards from the newest matches (the default page) through `previous`, then forwards from the oldest
 * through `next`: both walks must list exactly the matches, and every entry shown must hash to its leaf.
 */
async function walk(log: AuditLog, q: Q, scope: AuditScope, limit: number): Promise<{ forward: number[]; backward: number[] }> {
  const page = (extra: Q) => searchEntries(log, { ...q, limit: String(limit), ...extra }, scope);
  const backward: number[] = [];
  let body = await page({});
  for (;;) {
    backward.unshift(...body.data.map((d) => d.index));
    for (const d of body.data) assert.equal(leafHash(encodeEntry(d.entry).bytes).toString("base64"), d.leaf_hash, "the entry shown hashes to its leaf");
    if (body.previous === null) break;
    body = await page({ before: String(body.previous) });
  }
  const forward: number[] = [];
  const oldest = backward[0];
  if (oldest !== undefined) {
    body = oldest === 0 ? await page({ index: "0" }) : await page({ after: String(oldest - 1) });
    forward.push(...body.data.map((d) => d.index));
    for (let after = oldest === 0 ? 0 : body.next; after !== null; ) {
      body = await page({ after: String(after) });
      forward.push(...body.data.map((d) => d.index));
      after = body.next;
    }
  }
  return { forward, backward };
}

async function checkSearches(log: AuditLog, seed: number): Promise<void> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const iso = (i: number) => new Date(T0 + i).toISOString();
  for (let round = 0; round < 40; round++) {
    const q: Q = {};
    if (rnd() < 0.5) q.nation = pick(NATIONS);
    if (rnd() < 0.5) q.decision = pick(["allow", "deny", "review"]);
    if (rnd() < 0.4) q.since = iso(Math.floor(rnd() * N));
    if (rnd() < 0.4) q.until = iso(Math.floor(rnd() * N));
    if (rnd() < 0.15) { const i = Math.floor(rnd() * N); q.hash = rnd() < 0.5 ? leaves[i]! : entries[i]!.request_sha256; }
    const scope: AuditScope = rnd() < 0.5 ? "all" : { nation: pick(NATIONS) };
    if (scope !== "all" && q.nation && q.nation !== scope.nation) {
      await assert.rejects(searchEntries(log, q, scope), Forbidden, "a nation's auditor may not search another nation's entries");
      continue;
    }
    const want = expected(q, scope);
    const got = await walk(log, q, scope, 1 + Math.floor(rnd() * 20));
    assert.deepEqual(got.backward, want, `backward pages of ${JSON.stringify({ q, scope })}`);
    assert.deepEqual(got.forward, want, `forward pages of ${JSON.stringify({ q, scope })}`);
  }
}

test("SQLite search by nation, decision, time and hash pages through exactly the matching entries, in scope", async () => {
  const dir = tempDir("search");
  const log = await AuditLog.open({ store: `sqlite:${join(dir, "audit.db")}`, keyDir: join(dir, "keys"), origin: "test/search", checkpointIntervalMs: 0 });
  try {
    for (const e of entries) await log.append(e);
    await checkSearches(log, 11);
  } finally {
    await log.close();
  }
});

test("a SQLite log created before search gains its columns on open, with every entry byte and leaf unchanged", async () => {
  const dir = tempDir("search-migrate");
  const path = join(dir, "audit.db");
  // The log as the first schema wrote it: only migration 001 applied.
  const db = new Database(path);
  db.exec(`CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
    INSERT INTO schema_migrations VALUES ('audit/001-merkle-log:audit', '2026-01-01T00:00:00Z');
    CREATE TABLE audit_entries (idx INTEGER PRIMARY KEY, nation TEXT, entry BLOB NOT NULL, leaf_hash BLOB NOT NULL);
    CREATE INDEX audit_entries_nation ON audit_entries (nation, idx);
    CREATE TABLE audit_buckets (k INTEGER PRIMARY KEY, hash BLOB NOT NULL, nodes BLOB NOT NULL);
    CREATE TABLE audit_checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at TEXT NOT NULL);`);
  db.close();
  const first = await AuditLog.open({ store: `sqlite:${path}`, keyDir: join(dir, "keys"), origin: "test/search", checkpointIntervalMs: 0 });
  for (const e of entries.slice(0, 40)) await first.append(e);
  await first.checkpoint();
  await first.close();
  const before = new Database(path).prepare("SELECT idx, entry, leaf_hash FROM audit_entries ORDER BY idx").all();

  // The migration is applied once per database, on the next open.
  const raw = new Database(path);
  raw.prepare("DELETE FROM schema_migrations WHERE id = 'audit/002-search:audit'").run();
  for (const ix of ["decision", "nation_decision", "time", "leaf", "request"]) raw.exec(`DROP INDEX audit_entries_${ix}`);
  for (const c of ["decision", "time_ms", "request_sha256"]) raw.exec(`ALTER TABLE audit_entries DROP COLUMN ${c}`);
  raw.close();

  const log = await AuditLog.open({ store: `sqlite:${path}`, keyDir: join(dir, "keys"), origin: "test/search", checkpointIntervalMs: 0 });
  try {
    assert.deepEqual(new Database(path).prepare("SELECT idx, entry, leaf_hash FROM audit_entries ORDER BY idx").all(), before, "no stored byte changed");
    assert.equal((await log.verify()).ok, true, "the log still verifies");
    const denied = await searchEntries(log, { decision: "deny" }, "all");
    assert.deepEqual(denied.data.map((d) => d.index), entries.slice(0, 40).flatMap((e, i) => (e.decision === "deny" ? [i] : [])));
  } finally {
    await log.close();
  }
});

const pgSkip = (await postgresReachable()) ? false : `PostgreSQL is not reachable at ${PG_URL} (set CONCORD_TEST_POSTGRES to run this test)`;

test("PostgreSQL search answers as SQLite's does", { skip: pgSkip }, async (t) => {
  const dir = tempDir("search-pg");
  const prefix = uniquePrefix("search");
  t.after(async () => {
    const sql = postgres(PG_URL, { onnotice: () => {} });
    for (const name of ["entries", "buckets", "checkpoints"]) await sql`DROP TABLE IF EXISTS ${sql(`${prefix}_${name}`)}`;
    for (const f of ["entry_field(bytea, text)", "entry_ms(bytea)"]) await sql.unsafe(`DROP FUNCTION IF EXISTS ${prefix}_${f}`);
    await sql.end();
  });
  const log = await AuditLog.open({ store: PG_URL, tablePrefix: prefix, keyDir: join(dir, "keys"), origin: "test/search", checkpointIntervalMs: 0 });
  try {
    for (const e of entries) await log.append(e);
    await checkSearches(log, 12);
  } finally {
    await log.close();
  }

  // The log as it was before search: no generated columns, functions or search indexes. Opening it adds them.
  const sql = postgres(PG_URL, { onnotice: () => {} });
  const rows = () => sql.unsafe(`SELECT idx, entry, leaf_hash FROM ${prefix}_entries ORDER BY idx`);
  const before = await rows();
  for (const ix of ["decision", "nation_decision", "time", "leaf", "request"]) await sql.unsafe(`DROP INDEX ${prefix}_entries_${ix}`);
  await sql.unsafe(`ALTER TABLE ${prefix}_entries DROP COLUMN decision, DROP COLUMN time_ms, DROP COLUMN request_sha256`);
  for (const f of ["entry_field(bytea, text)", "entry_ms(bytea)"]) await sql.unsafe(`DROP FUNCTION ${prefix}_${f}`);
  const reopened = await AuditLog.open({ store: PG_URL, tablePrefix: prefix, keyDir: join(dir, "keys"), origin: "test/search", checkpointIntervalMs: 0 });
  try {
    assert.deepEqual(await rows(), before, "no stored byte changed");
    assert.equal((await reopened.verify()).ok, true, "the log still verifies");
    const denied = await searchEntries(reopened, { decision: "deny", limit: "1000" }, "all");
    assert.deepEqual(denied.data.map((d) => d.index), expected({ decision: "deny" }, "all"));
  } finally {
    await reopened.close();
    await sql.end();
  }
});
