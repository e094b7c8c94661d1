/**
 * Crashes: a process killed with SIGKILL in the middle of heavy appends must lose no acknowledged audit entry and
 * leave a log that verifies. "Acknowledged" means the append's promise resolved, the moment the gateway lets a
 * client see an answer. A negative control kills a PostgreSQL server running with synchronous_commit=off and
 * shows the same check does catch lost entries.
 *
 * CRASH_ROUNDS (default 3) sets the kills per scenario; CRASH_SEED reuses a run's kill delays (the scheduler still varies).
 */
import { describe, test, before, after, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { stringify } from "yaml";
import { AuditLog, canonicalJson, defaultOrigin, leafHash, type VerifyReport } from "../../src/audit/index.ts";
import { loadOrCreateDemoKey, mintDemoToken } from "../../src/identity/index.ts";
import { CRASH_ORIGIN, crashLeafHex } from "../helpers/crash-writer.ts";
import { createPgCluster, type PgCluster } from "../helpers/pg-cluster.ts";
import { mulberry32 } from "../helpers/prng.ts";
import { spawnGateway } from "../helpers/spawn-gateway.ts";
import { startStubUpstream } from "../helpers/stub-upstream.ts";

const ROUNDS = Math.max(1, Number(process.env.CRASH_ROUNDS ?? 3));
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
console.log(`crash tests: seed ${SEED} (CRASH_SEED=${SEED} reuses these kill delays), ${ROUNDS} rounds per scenario (CRASH_ROUNDS)`);
const WRITER = fileURLToPath(new URL("../helpers/crash-writer.ts", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const made: string[] = [];
const tempDir = (tag: string) => {
  const dir = mkdtempSync(join(tmpdir(), `concord-crash-${tag}-`));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** One append the writer saw acknowledged: entry `n` of round `round` committed at `index`. */
interface Ack {
  readonly round: string;
  readonly n: number;
  readonly index: number;
  readonly leaf: string;
}

interface Writer {
  readonly acks: Ack[];
  /** Resolves at the first acknowledgement; rejects if the writer ends before one. */
  readonly firstAck: Promise<void>;
  /**
   * SIGKILLs the writer and resolves once its stdout is drained (every ack it wrote is then in `acks`), with how it
   * ended: "SIGKILL", or "exit N" when it had already died on its own.
   */
  kill(): Promise<string>;
  /** The end of what the writer wrote to stderr. */
  stderr(): string;
}

function startWriter(store: string, keyDir: string, round: string): Writer {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, store, keyDir, round, "64"], { stdio: ["ignore", "pipe", "pipe"] });
  const acks: Ack[] = [];
  let buffered = "";
  let stderr = "";
  let onFirst: () => void = () => {};
  const closed = new Promise<string>((resolve) => child.once("close", (code, signal) => resolve(signal ?? `exit ${code}`)));
  const firstAck = new Promise<void>((resolve, reject) => {
    onFirst = resolve;
    void closed.then((how) => reject(new Error(`crash writer ended (${how}) before its first ack: ${stderr.slice(-2000)}`)));
  });
  firstAck.catch(() => {}); // observed by the caller; this keeps a late rejection from being unhandled
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr = (stderr + d).slice(-20_000); });
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? ""; // each ack is one write(2) of one line; an unfinished line is not an ack
    for (const line of lines) {
      const [index, n, leaf] = line.split(" ");
      acks.push({ round, n: Number(n), index: Number(index), leaf: leaf ?? "" });
    }
    if (acks.length > 0) onFirst();
  });
  return {
    acks,
    firstAck,
    kill() {
      child.kill("SIGKILL");
      return closed;
    },
    stderr: () => stderr,
  };
}

interface Stored {
  /** Leaf hash (hex) stored beside the entry. */
  readonly leaf: string;
  /** Leaf hash (hex) recomputed from the stored entry's content. */
  readonly content: string;
}

interface AckCheck {
  readonly checked: number;
  /** Acknowledged indexes the log no longer has. */
  readonly missing: Ack[];
  /** Acknowledged indexes that now hold other content than the entry acknowledged there. */
  readonly replaced: Ack[];
}

/** Compares what was acknowledged with what the log holds: every ack's index must hold its entry, byte for byte. */
function checkAcks(acks: readonly Ack[], stored: ReadonlyMap<number, Stored>): AckCheck {
  const missing: Ack[] = [];
  const replaced: Ack[] = [];
  for (const ack of acks) {
    const want = crashLeafHex(ack.round, ack.n);
    assert.equal(ack.leaf, want, `the writer reported another hash for ${ack.round}/${ack.n} than the entry has`);
    const row = stored.get(ack.index);
    if (!row) missing.push(ack);
    else if (row.leaf !== want || row.content !== want) replaced.push(ack);
  }
  return { checked: acks.length, missing, replaced };
}

/** Reopens the store as a restarted gateway would, and reads back every entry and the log's verification. */
async function readBack(store: string, keyDir: string, origin = CRASH_ORIGIN): Promise<{ stored: Map<number, Stored>; entries: Map<number, Record<string, unknown>>; report: VerifyReport }> {
  const log = await AuditLog.open({ store, keyDir, origin, checkpointIntervalMs: 0 });
  try {
    const size = await log.size();
    const stored = new Map<number, Stored>();
    const entries = new Map<number, Record<string, unknown>>();
    for (let from = 0; from < size; from += 10_000) {
      for (const e of await log.entries({ from, to: Math.min(size, from + 10_000) })) {
        stored.set(e.index, { leaf: Buffer.from(e.leaf_hash, "base64").toString("hex"), content: leafHash(Buffer.from(canonicalJson(e.entry), "utf8")).toString("hex") });
        entries.set(e.index, e.entry);
      }
    }
    return { stored, entries, report: await log.verify() };
  } finally {
    await log.close();
  }
}

const lostOf = (c: AckCheck) => c.missing.length + c.replaced.length;
const describeLoss = (c: AckCheck) =>
  `${c.missing.length} acknowledged entries missing (first: ${JSON.stringify(c.missing.slice(0, 3))}), ${c.replaced.length} replaced (first: ${JSON.stringify(c.replaced.slice(0, 3))})`;

/** Kills the writer process at random moments; the store survives. Returns the total acks checked. */
async function writerKillRounds(t: TestContext, store: string, label: string, rand: () => number): Promise<void> {
  const keyDir = join(tempDir(`${label}-keys`), "keys");
  const acked: Ack[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const started = Date.now();
    const writer = startWriter(store, keyDir, `${label}-r${r}`);
    const delay = 100 + Math.floor(rand() * 1500);
    try {
      await writer.firstAck;
      await sleep(delay);
    } finally {
      assert.equal(await writer.kill(), "SIGKILL", `the writer must die by the kill, not on its own: ${writer.stderr().slice(-2000)}`);
    }
    acked.push(...writer.acks);
    const { stored, report } = await readBack(store, keyDir);
    const check = checkAcks(acked, stored);
    t.diagnostic(`${label} round ${r}: writer killed ${delay} ms after its first ack; ${writer.acks.length} acks this round, ${check.checked} acknowledged entries checked, ${lostOf(check)} lost; log of ${stored.size} entries ${report.ok ? `verifies (${report.checkpoints} checkpoints)` : "does NOT verify"}; round took ${Date.now() - started} ms`);
    assert.equal(lostOf(check), 0, `${label} round ${r}: ${describeLoss(check)}`);
    assert.ok(report.ok, `${label} round ${r}: the log does not verify: ${JSON.stringify(report)}`);
  }
}

test("SQLite: SIGKILL of the writer during heavy appends loses no acknowledged entry and the log verifies", async (t) => {
  const store = `sqlite:${join(tempDir("sqlite"), "audit.db")}`;
  await writerKillRounds(t, store, "sqlite", mulberry32(SEED));
});

describe("PostgreSQL (a throwaway cluster of this test's own)", () => {
  let cluster: PgCluster | string;
  // The same server settings for every scenario: only synchronous_commit differs between the server-kill test and
  // its negative control. With synchronous_commit=off a commit returns once its WAL record is in the server's
  // shared memory. The WAL writer then writes whole WAL pages out as they fill, but the last, partly filled page
  // only when it flushes: every 10 s here, with a 1 GB flush threshold, and no autovacuum or background writer to
  // flush WAL for pages of their own. So the latest commits are in server memory only, and a kill loses them.
  const settings = (synchronousCommit: "on" | "off") => ({
    synchronous_commit: synchronousCommit,
    wal_writer_delay: "10s",
    wal_writer_flush_after: "1GB",
    autovacuum: "off",
    bgwriter_lru_maxpages: "0",
  });
  const createDb = async (c: PgCluster, name: string) => {
    const sql = postgres(c.url(), { onnotice: () => {} });
    try {
      await sql.unsafe(`CREATE DATABASE ${name}`);
    } finally {
      await sql.end({ timeout: 5 });
    }
    return c.url(name);
  };
  const skip = (t: TestContext) => {
    if (typeof cluster !== "string") return false;
    t.skip(`no throwaway PostgreSQL: ${cluster}`);
    return true;
  };

  before(async () => {
    cluster = await createPgCluster("crash");
    if (typeof cluster !== "string") await cluster.start(settings("on"));
  });
  after(async () => {
    if (typeof cluster !== "string") await cluster.destroy();
  });

  test("SIGKILL of the writer during heavy appends loses no acknowledged entry and the log verifies", async (t) => {
    if (skip(t)) return;
    const c = cluster as PgCluster;
    await writerKillRounds(t, await createDb(c, "writer_kill"), "pg-writer", mulberry32(SEED + 1));
  });

  /**
   * Kills every server process while the writer is acknowledging, restarts the server, and checks the acks.
   * Returns the loss per round; the caller decides what it must be.
   */
  async function serverKillRounds(t: TestContext, c: PgCluster, db: string, synchronousCommit: "on" | "off", rand: () => number): Promise<AckCheck[]> {
    const store = await createDb(c, db);
    const keyDir = join(tempDir(`${db}-keys`), "keys");
    await c.stop();
    await c.start(settings(synchronousCommit));
    const probe = postgres(store, { onnotice: () => {} });
    const [shown] = await probe`SHOW synchronous_commit`.finally(() => probe.end({ timeout: 5 }));
    assert.equal(shown?.synchronous_commit, synchronousCommit, "the server runs with the synchronous_commit this scenario is about");
    const acked: Ack[] = [];
    const checks: AckCheck[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const started = Date.now();
      const writer = startWriter(store, keyDir, `${db}-r${r}`);
      const delay = 200 + Math.floor(rand() * 1000);
      let how: string;
      try {
        await writer.firstAck;
        await sleep(delay);
        await c.kill();
      } finally {
        // Nothing can commit once the server is dead, so the acks the writer printed are final. The writer may have
        // died on its own by now: postgres.js 3.4.9 can throw from a timer when a connection in a transaction closes
        // (porsager/postgres#1154, #1208). That is an availability problem, not a durability one: it is reported.
        how = await writer.kill();
      }
      const crashed = how === "SIGKILL" ? "" : ` (the writer had already died on its own, ${how}: ${/TypeError[^\n]*/.exec(writer.stderr())?.[0] ?? writer.stderr().slice(-300)})`;
      acked.push(...writer.acks);
      await c.start(settings(synchronousCommit));
      const { stored, report } = await readBack(store, keyDir);
      const check = checkAcks(acked, stored);
      const thisRound = checkAcks(writer.acks, stored);
      checks.push(thisRound);
      t.diagnostic(`synchronous_commit=${synchronousCommit} round ${r}: server killed ${delay} ms after the first ack; ${writer.acks.length} acks this round, ${lostOf(thisRound)} of them lost; ${check.checked} acknowledged entries checked in all, ${lostOf(check)} lost; log of ${stored.size} entries ${report.ok ? "verifies" : `does NOT verify: ${JSON.stringify(report)}`}; round took ${Date.now() - started} ms${crashed}`);
      if (synchronousCommit === "on") {
        assert.equal(lostOf(check), 0, `round ${r}: ${describeLoss(check)}`);
        assert.ok(report.ok, `round ${r}: the log does not verify: ${JSON.stringify(report)}`);
      }
    }
    await c.stop();
    await c.start(settings("on")); // as the other tests expect it
    return checks;
  }

  test("SIGKILL of the whole database server with synchronous_commit=on loses no acknowledged entry", async (t) => {
    if (skip(t)) return;
    await serverKillRounds(t, cluster as PgCluster, "server_kill_sync", "on", mulberry32(SEED + 2));
  });

  test("negative control: the same server kill with synchronous_commit=off loses acknowledged entries, and the check reports it", async (t) => {
    if (skip(t)) return;
    const checks = await serverKillRounds(t, cluster as PgCluster, "server_kill_async", "off", mulberry32(SEED + 3));
    const lost = checks.reduce((s, c) => s + lostOf(c), 0);
    const acked = checks.reduce((s, c) => s + c.checked, 0);
    t.diagnostic(`control: ${lost} of ${acked} acknowledged entries lost over ${checks.length} server kills (${checks.filter((c) => lostOf(c) > 0).length} rounds with loss)`);
    assert.ok(
      lost > 0,
      `the control lost nothing in ${checks.length} server kills with synchronous_commit=off, so this run does NOT show that the harness detects loss ` +
        "(an asynchronous commit should have been in the server's memory when it died; see the settings above)",
    );
  });
});

test("the gateway: SIGKILL of `concord serve` under concurrent requests loses the audit entry of no 2xx answer", async (t) => {
  const rand = mulberry32(SEED + 4);
  const upstream = await startStubUpstream({ answer: "ok" });
  const dir = tempDir("gateway");
  const file = join(dir, "concord.yaml");
  const network = "crash test network";
  const auditStore = `sqlite:${join(dir, "audit.db")}`;
  writeFileSync(file, stringify({
    network: { name: network, jurisdiction: "BEL" },
    data_dir: dir,
    store: { url: `sqlite:${join(dir, "concord.db")}` },
    audit: { store: auditStore, checkpoint_every: 200, checkpoint_interval: "1s" },
    nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 10_000_000, tokens_per_day: 1_000_000_000 } } },
    endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
  }));
  const token = await mintDemoToken(await loadOrCreateDemoKey(dir, "DEU"), { nation: "DEU", role: "analyst" });
  /** Each 2xx answer: the audit index its provenance header names and the SHA-256 of the request body sent. */
  const answered: { index: number; requestSha: string }[] = [];
  let unanswered = 0;
  const refused = new Map<number, number>();
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      const gw = await spawnGateway(file);
      let stop = false;
      let i = 0;
      let firstAnswer: () => void = () => {};
      const answeredOnce = new Promise<void>((res) => { firstAnswer = res; });
      const client = async () => {
        while (!stop) {
          const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: `round ${r} request ${i++}` }] });
          let res: Response;
          try {
            res = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
            await res.arrayBuffer();
          } catch {
            unanswered++; // the gateway died under this request: no answer, so no entry is owed
            if (stop || gw.child.exitCode !== null || gw.child.signalCode !== null) return;
            continue;
          }
          if (res.status < 200 || res.status > 299) { refused.set(res.status, (refused.get(res.status) ?? 0) + 1); continue; }
          const jws = res.headers.get("concord-provenance");
          assert.ok(jws, "a model answer carries its provenance header");
          const record = JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")) as { audit_index: number };
          answered.push({ index: record.audit_index, requestSha: createHash("sha256").update(body).digest("hex") });
          firstAnswer();
        }
      };
      const before = answered.length;
      const clients = Array.from({ length: 16 }, client);
      const delay = 100 + Math.floor(rand() * 1000);
      const exited = new Promise((res) => gw.child.once("exit", res));
      try {
        // The kill moment counts from the first answer: the first requests of a fresh process are the slowest.
        await Promise.race([answeredOnce, Promise.all(clients)]);
        await sleep(delay);
      } finally {
        gw.child.kill("SIGKILL");
        await exited;
        stop = true;
      }
      await Promise.all(clients);
      t.diagnostic(`gateway round ${r}: killed ${delay} ms after its first answer under 16 concurrent clients; ${answered.length - before} 2xx answers this round`);
    }
    const { entries, report } = await readBack(auditStore, join(dir, "keys", "audit"), defaultOrigin(network));
    const lost = answered.filter((a) => {
      const e = entries.get(a.index);
      return !e || e["request_sha256"] !== a.requestSha || e["decision"] !== "allow";
    });
    t.diagnostic(`gateway: ${answered.length} 2xx answers checked against their audit entries, ${lost.length} lost; ${unanswered} requests cut off by the kills, non-2xx answers by status ${JSON.stringify(Object.fromEntries(refused))}; log of ${entries.size} entries ${report.ok ? "verifies" : "does NOT verify"}`);
    assert.ok(answered.length > 0, "the clients got answers before the kills");
    assert.deepEqual(lost.slice(0, 5), [], `${lost.length} answered requests have no matching audit entry`);
    assert.ok(report.ok, `the log does not verify: ${JSON.stringify(report)}`);
  } finally {
    await upstream.close();
  }
});
