/**
 * Audit log benchmark: durable appends per second (SQLite, PostgreSQL), proof generation time and full verify time
 * for a large log (SQLite, and PostgreSQL when reachable). `--quick` shrinks every N for a smoke run. Figures depend on the machine's load: compare ratios.
 * Then the search API's store queries (index, time, nation, decision, hash) on the large logs.
 *   node --import tsx bench/audit.ts [--quick] [--big N] [--no-postgres] [--search-only]
 */
import { rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createHash } from "node:crypto";
import { AuditLog, verifyInclusion, verifyConsistency, type SearchQuery } from "../src/audit/index.ts";
import { postgresReachable, PG_URL, sampleEntry, uniquePrefix } from "../test/audit/helpers.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const bigArg = args.indexOf("--big");
const searchOnly = args.includes("--search-only");
const BIG = bigArg >= 0 ? Number(args[bigArg + 1]) : quick ? 100_000 : 1_000_000;
const APPENDS = quick ? 5_000 : 60_000;
const PROOFS = quick ? 500 : 5_000;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
/** Wall and CPU milliseconds of `f`: on a machine shared with other work, CPU time shows what the code itself costs. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

async function durableAppends(log: AuditLog, total: number, concurrency: number): Promise<{ rate: number; cpuRate: number }> {
  let next = 0;
  const t = await timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await log.append(sampleEntry(next++));
      }),
    ),
  );
  return { rate: total / (t.wallMs / 1000), cpuRate: total / (t.cpuMs / 1000) };
}

async function appendBench(label: string, open: () => Promise<AuditLog>): Promise<void> {
  for (const concurrency of [64, 1000]) {
    const log = await open();
    const { rate, cpuRate } = await durableAppends(log, APPENDS, concurrency);
    console.log(`${label}: ${fmt(rate)} durable appends/s wall (${fmt(cpuRate)}/s per CPU-second of this process; ${fmt(APPENDS)} entries, ${concurrency} concurrent callers, each acknowledged after commit)`);
    await log.close();
  }
}

/** `verify` with worker threads (the default: one per core) and on the calling thread alone. */
async function verifyBench(label: string, log: AuditLog, size: number): Promise<void> {
  for (const workers of [undefined, 1]) {
    const v = await timed(() => log.verify(workers === undefined ? {} : { workers }));
    const report = v.value;
    const how = workers === undefined ? `worker threads, ${Math.min(availableParallelism(), 8)} cores` : "one thread";
    console.log(`${label} verify of ${fmt(size)} entries (${how}): ${fmt(v.wallMs / 1000, 2)} s wall / ${fmt(v.cpuMs / 1000, 2)} s CPU of this process (${fmt(size / (v.wallMs / 1000))} entries/s), result ${report.ok ? "intact" : `broken at ${report.index}`}`);
  }
}

/**
 * Searches as the console's audit page makes them (a page of 50, keyset by index), each kind repeated with random
 * positions: mean and slowest wall time of one search, store read and JSON decoding included.
 */
async function searchBench(label: string, log: AuditLog, size: number): Promise<void> {
  const t0 = Date.UTC(2026, 10, 25, 10, 0, 0); // sampleEntry(i) is decided at t0 + i ms
  const rnd = () => Math.floor(Math.random() * size);
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const leafOf = async (i: number) => Buffer.from((await log.entries({ from: i, to: i + 1 }))[0]!.leaf_hash, "base64").toString("hex");
  const leaves = await Promise.all(Array.from({ length: 20 }, () => leafOf(rnd())));
  const kinds: [string, () => Promise<SearchQuery> | SearchQuery][] = [
    ["newest page, no filter", () => ({ limit: 50 })],
    ["index: the page after a random index", () => ({ limit: 50, after: rnd() })],
    ["nation, newest page", () => ({ limit: 50, nation: "DEU" })],
    ["nation, page after a random index", () => ({ limit: 50, nation: "FRA", after: rnd() })],
    ["decision deny (1 in 7), page after a random index", () => ({ limit: 50, decision: "deny", after: rnd() })],
    ["nation and decision deny, newest page", () => ({ limit: 50, nation: "POL", decision: "deny" })],
    ["time: a 60 s window at a random place", () => { const a = t0 + rnd(); return { limit: 50, fromMs: a, toMs: a + 60_000 }; }],
    ["time: from a random place to the end, page after it", () => { const a = rnd(); return { limit: 50, fromMs: t0 + a, after: a }; }],
    ["time: the first half of the log, newest page in it", () => ({ limit: 50, fromMs: t0, toMs: t0 + Math.floor(size / 2) })],
    ["hash: a leaf hash", () => ({ limit: 50, hash: leaves[Math.floor(Math.random() * leaves.length)]! })],
    ["hash: a request_sha256", () => ({ limit: 50, hash: sha(`request ${rnd()}`) })],
    ["nation, decision and a 10 min window", () => { const a = t0 + rnd(); return { limit: 50, nation: "DEU", decision: "allow", fromMs: a, toMs: a + 600_000 }; }],
  ];
  const runs = quick ? 20 : 100;
  console.log(`${label} search at ${fmt(size)} entries (page of 50, ${runs} searches each, mean / slowest wall):`);
  for (const [name, make] of kinds) {
    let total = 0;
    let worst = 0;
    let found = 0;
    for (let i = 0; i < runs; i++) {
      const q = await make();
      const t = performance.now();
      found += (await log.search(q)).length;
      const ms = performance.now() - t;
      total += ms;
      worst = Math.max(worst, ms);
    }
    console.log(`  ${name}: ${fmt(total / runs, 2)} ms / ${fmt(worst, 2)} ms (${fmt(found / runs, 1)} rows a search)`);
  }
}

async function dropTables(prefixes: readonly string[]): Promise<void> {
  const postgres = (await import("postgres")).default;
  const sql = postgres(PG_URL, { onnotice: () => {} });
  for (const p of prefixes) {
    for (const t of ["entries", "buckets", "checkpoints"]) await sql`DROP TABLE IF EXISTS ${sql(`${p}_${t}`)}`;
    for (const f of ["entry_field(bytea, text)", "entry_ms(bytea)"]) await sql.unsafe(`DROP FUNCTION IF EXISTS ${p}_${f}`);
  }
  await sql.end();
}

const dir = mkdtempSync(join(tmpdir(), "concord-bench-audit-"));
try {
  let n = 0;
  if (!searchOnly) await appendBench("sqlite", () =>
    AuditLog.open({ store: `sqlite:${join(dir, `append-${n++}.db`)}`, keyDir: join(dir, "keys"), origin: "bench/audit", checkpointIntervalMs: 0 }),
  );
  if (!args.includes("--no-postgres") && (await postgresReachable())) {
    const prefixes: string[] = [];
    if (!searchOnly) await appendBench("postgres", () => {
      const prefix = uniquePrefix("bench");
      prefixes.push(prefix);
      return AuditLog.open({ store: PG_URL, tablePrefix: prefix, keyDir: join(dir, "keys"), origin: "bench/audit", checkpointIntervalMs: 0 });
    });
    await dropTables(prefixes);
    // A large PostgreSQL log for `verify`, dropped afterwards.
    const prefix = uniquePrefix("benchbig");
    const pgBig = await AuditLog.open({ store: PG_URL, tablePrefix: prefix, keyDir: join(dir, "keys"), origin: "bench/audit", checkpointEvery: 100_000, checkpointIntervalMs: 0 });
    try {
      const pgFill = await durableAppends(pgBig, BIG, 5_000);
      console.log(`postgres fill: ${fmt(BIG)} entries at ${fmt(pgFill.rate)} appends/s wall, ${fmt(pgFill.cpuRate)}/s per CPU-second (5,000 concurrent callers)`);
      // Statistics for the planner, as autovacuum would have gathered them on a log that grew over time.
      const postgres = (await import("postgres")).default;
      const sql = postgres(PG_URL, { onnotice: () => {} });
      await sql.unsafe(`ANALYZE ${prefix}_entries`);
      await sql.end();
      await searchBench("postgres", pgBig, BIG);
      if (!searchOnly) {
        await pgBig.checkpoint();
        await verifyBench("postgres", pgBig, BIG);
      }
    } finally {
      await pgBig.close();
      await dropTables([prefix]);
    }
  } else {
    console.log("postgres: skipped (no PostgreSQL at 127.0.0.1:5432 or --no-postgres)");
  }

  // A large log, filled through the same durable path with many callers so batches are large.
  const big = await AuditLog.open({ store: `sqlite:${join(dir, "big.db")}`, keyDir: join(dir, "keys"), origin: "bench/audit", checkpointEvery: 100_000, checkpointIntervalMs: 0 });
  const fill = await durableAppends(big, BIG, 20_000);
  console.log(`sqlite fill: ${fmt(BIG)} entries at ${fmt(fill.rate)} appends/s wall, ${fmt(fill.cpuRate)}/s per CPU-second (20,000 concurrent callers)`);
  const size = await big.size();
  await searchBench("sqlite", big, size);
  if (!searchOnly) {
    await big.checkpoint();
    const rnd = () => Math.floor(Math.random() * size);
    await big.inclusionProof(rnd(), size); // warm the subtree cache (loads every stored bucket hash once)
    const proofs: Awaited<ReturnType<AuditLog["inclusionProof"]>>[] = [];
    const inc = await timed(async () => {
      for (let i = 0; i < PROOFS; i++) proofs.push(await big.inclusionProof(rnd(), size));
    });
    const odd = size - 7;
    const incOdd = await timed(async () => {
      for (let i = 0; i < PROOFS; i++) await big.inclusionProof(rnd() % odd, odd);
    });
    const cons: Awaited<ReturnType<AuditLog["consistencyProof"]>>[] = [];
    const con = await timed(async () => {
      for (let i = 0; i < PROOFS; i++) {
        const a = rnd();
        cons.push(await big.consistencyProof(a, a + Math.floor(Math.random() * (size - a))));
      }
    });
    // What witnesses and nations ask for: from a checkpoint they hold to the latest one.
    const held = (await big.checkpoint()).size;
    const cps = [Math.floor(size / 4), Math.floor(size / 2), Math.floor((3 * size) / 4)];
    for (const c of cps) await big.inclusionProof(0, c); // signs notes at those sizes, warming nothing else
    const conCp = await timed(async () => {
      for (let i = 0; i < PROOFS; i++) cons.push(await big.consistencyProof(cps[i % cps.length] as number, held));
    });
    const b = (s: string) => Buffer.from(s, "base64");
    const allValid =
      proofs.every((p) => verifyInclusion(p.index, p.tree_size, b(p.leaf_hash), p.hashes.map(b), b(p.root_hash))) &&
      cons.every((c) => verifyConsistency(c.from, c.to, b(c.from_root), b(c.to_root), c.hashes.map(b)));
    const us = (t: { wallMs: number; cpuMs: number }) => `${fmt((t.wallMs * 1000) / PROOFS, 1)} µs wall / ${fmt((t.cpuMs * 1000) / PROOFS, 1)} µs CPU`;
    console.log(`proof generation at ${fmt(size)} entries (${fmt(PROOFS)} random each, store read included):`);
    console.log(`  inclusion at a checkpoint size: ${us(inc)}`);
    console.log(`  inclusion at a size with no checkpoint (signs a note): ${us(incOdd)}`);
    console.log(`  consistency from an earlier tree size to the latest checkpoint: ${us(conCp)}`);
    console.log(`  consistency between random sizes (both ends uncached): ${us(con)}`);
    console.log(`  all proofs verified: ${allValid}`);

    await verifyBench("sqlite", big, size);
  }
  await big.close();
  console.log(
    `targets: 20k durable appends/s on SQLite, proof < 100 µs at 1M, verify of 1M < 10 s` + (BIG !== 1_000_000 ? ` (this run used ${fmt(BIG)} entries)` : ""),
  );
  await big.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
