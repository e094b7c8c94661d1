/**
 * Dependency faults: PostgreSQL (audit store), Redis (quotas) and NATS (detection stream) made unavailable through
 * fault proxies of our own (test/helpers/fault-proxy.ts); the shared services themselves are never stopped.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import postgres from "postgres";
import { Redis } from "ioredis";
import { call, startGateway } from "../helpers/gateway.ts";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../helpers/fault-proxy.ts";
import { reachable } from "../helpers/services.ts";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { jsonLogger, type RunningServer } from "../../src/server/index.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RedisQuotaStore } from "../../src/quota/index.ts";
import { encodeEntry, leafHash } from "../../src/audit/index.ts";
import { openPostgresLogStore } from "../../src/audit/store/postgres.ts";
import { connect as natsConnect } from "nats";
import { compileRules, startNatsDetector, type Alert, type NatsDetector } from "../../src/workloads/cyber/index.ts";

const PG = process.env.CONCORD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const pgSkip = (await reachable(Number(new URL(PG).port || 5432))) ? false : `PostgreSQL not reachable at ${new URL(PG).host}: audit store faults not tested`;
const redisSkip = (await reachable(6379)) ? false : "Redis not reachable at 127.0.0.1:6379: quota fallback not tested";
const natsSkip = (await reachable(4222)) ? false : "NATS JetStream not reachable at 127.0.0.1:4222: detection stream faults not tested";

/** Polls `cond` every 20 ms until it holds; the test's own timeout bounds the wait. */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

/** Budgets count per UTC minute: start a burst early in a minute so it cannot straddle two windows. */
async function avoidMinuteBoundary(): Promise<void> {
  const ms = Date.now() % 60_000;
  if (ms > 45_000) await new Promise((r) => setTimeout(r, 60_000 - ms + 100));
}

/** A well-formed audit entry (the store indexes fields of the entry's JSON). */
const auditEntry = (subject: string) => ({
  time: new Date().toISOString(), nation: "DEU", subject, action: "chat", decision: "allow", reason: "ok", policy_version: "0".repeat(64),
  endpoint: null, jurisdiction: null, request_sha256: "0".repeat(64), response_sha256: null,
});
const chatBody = (text: string, stream = false) => JSON.stringify({ model: "m", messages: [{ role: "user", content: text }], ...(stream ? { stream: true } : {}) });
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("audit store (PostgreSQL) unavailable", { skip: pgSkip, timeout: 60_000 }, () => {
  const db = `concord_depfault_${process.pid}_${randomBytes(3).toString("hex")}`;
  let admin: postgres.Sql;
  let proxy: FaultProxy;
  let upstream: StubUpstream;
  let gw: RunningServer;
  let token: string;
  /** Every 2xx answer the client received: the SHA-256 of its request body and whether it was a finished stream. */
  const served: Array<{ hash: string; stream: boolean }> = [];

  before(async () => {
    admin = postgres(PG, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${db}`);
    proxy = await startFaultProxy({ port: Number(new URL(PG).port || 5432) });
    upstream = await startStubUpstream();
    const url = new URL(PG);
    url.port = String(proxy.port);
    url.pathname = `/${db}`;
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      audit: { store: url.toString(), timeout: "1s" },
    });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => {
    await gw?.close();
    await proxy?.close();
    await upstream?.close();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin?.end();
  });

  let n = 0;
  /** One request with a unique body; 2xx answers are remembered for the cross-check. */
  async function send(stream = false) {
    const body = chatBody(`status report ${n++}`, stream);
    const r = await call(gw.url, "/v1/chat/completions", { token, body });
    if (r.status >= 200 && r.status < 300) served.push({ hash: sha(body), stream });
    return r;
  }

  for (const kind of ["blackhole", "reset"] as const) {
    test(`${kind}: plain and streamed requests are refused 503 audit_unavailable, none answered unaudited; service resumes after`, async () => {
      assert.equal((await send()).status, 200);
      proxy.set({ kind } as FaultMode);
      // Several at once: one batch of appends fails together, nothing waits for the store beyond its timeout.
      const during = await Promise.all([send(), send(), send(true), send(true), send()]);
      for (const r of during) {
        assert.equal(r.status, 503, r.text);
        assert.equal(r.json.error.code, "audit_unavailable");
      }
      assert.equal(gw.gateway.audit.pending, 0, "no append is left queued once the requests were refused");
      proxy.set({ kind: "pass" });
      // The pool reconnects on demand; the first requests after healing may still meet a dead connection.
      let r = await send();
      while (r.status === 503) r = await send();
      assert.equal(r.status, 200);
      assert.equal((await send(true)).status, 200);
    });
  }

  test("latency below the store timeout slows answers but refuses none", async () => {
    proxy.set({ kind: "latency", ms: 50 });
    try {
      const rs = await Promise.all([send(), send(true), send()]);
      assert.deepEqual(rs.map((r) => r.status), [200, 200, 200]);
    } finally {
      proxy.set({ kind: "pass" });
    }
  });

  test("connections reset again and again under appends: the driver's crash ends only the store's thread, and the store recovers", async (t) => {
    // postgres 3.4.9 can throw from a timer when a connection dies mid-transaction (porsager/postgres#1154, #1208);
    // in this process that would end the test run. The store keeps the driver on a worker thread.
    const url = new URL(PG);
    url.port = String(proxy.port);
    url.pathname = `/${db}`;
    const store = await openPostgresLogStore(url.toString(), "churn", { timeoutMs: 1000 });
    let stop = false;
    let acked = 0;
    const reasons = new Map<string, number>();
    const writer = async () => {
      for (let n = 0; !stop; n++) {
        const { bytes: entry } = encodeEntry(auditEntry(`churn-${n}`));
        try {
          await store.append([{ entry, leaf: leafHash(entry), nation: "DEU" }]);
          acked++;
        } catch (err) {
          const why = /thread exited|reading 'write'/.test((err as Error).message) ? "thread" : "other";
          reasons.set(why, (reasons.get(why) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    for (let i = 0; i < 300 && !reasons.has("thread"); i++) {
      proxy.set(i % 2 === 0 ? { kind: "reset" } : { kind: "pass" });
      await new Promise((r) => setTimeout(r, 20 + (i % 7) * 15));
    }
    proxy.set({ kind: "pass" });
    stop = true;
    await Promise.all(writers);
    t.diagnostic(`appends acknowledged ${acked}; failed because the store's thread died ${reasons.get("thread") ?? 0}, otherwise ${reasons.get("other") ?? 0}`);
    // Still here, and the store works: the next append commits and the size covers every acknowledged one.
    const { bytes: entry } = encodeEntry(auditEntry("after-the-churn"));
    let first: number | null = null;
    while (first === null) first = await store.append([{ entry, leaf: leafHash(entry), nation: "DEU" }]).catch(() => null);
    assert.ok(first >= acked, `index ${first} is below the ${acked} appends acknowledged`);
    assert.equal(await store.size(), first + 1);
    await store.close();
  });

  test("every answer the client received has its entry, the log verifies, and no connection is left behind", async () => {
    assert.ok(served.length >= 4);
    const entries = await gw.gateway.audit.entries({ from: 0 });
    for (const s of served) {
      const mine = entries.filter((e) => e.entry.request_sha256 === s.hash).map((e) => `${e.entry.decision}:${e.entry.reason}`);
      assert.ok(mine.includes("allow:ok"), `a served ${s.stream ? "stream" : "answer"} lacks its audit entry (found ${mine.join(", ") || "none"})`);
    }
    const report = await gw.gateway.audit.verify();
    assert.equal(report.ok, true, JSON.stringify(report));
    // The pools replaced after timeouts closed their connections: at most one pool's worth stays open.
    await until(() => proxy.stats().open <= 4);
    assert.equal(gw.gateway.audit.pending, 0);
  });
});

describe("quota store (Redis) unavailable", { skip: redisSkip, timeout: 60_000 }, () => {
  let proxy: FaultProxy;
  let upstream: StubUpstream;
  let gw: RunningServer;
  let token: string;
  let redis: Redis;
  const lines: string[] = [];
  const prefix = `concord:test:depfault:${process.pid}:${randomBytes(3).toString("hex")}:`;

  before(async () => {
    proxy = await startFaultProxy({ port: 6379 });
    upstream = await startStubUpstream();
    redis = new Redis(6379, "127.0.0.1");
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 10 } } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      quota: { redis: `redis://127.0.0.1:${proxy.port}`, prefix, replicas: 2 },
    }, jsonLogger((l) => lines.push(l), "info"));
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => {
    await gw?.close();
    await proxy?.close();
    await upstream?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const chat = () => call(gw.url, "/v1/chat/completions", { token, body: chatBody("hi") });
  const fallbackMetric = async () => (await gw.gateway.metrics.registry.getSingleMetric("concord_quota_fallback")!.get()).values[0]?.value;
  const counted = async () => Number(await redis.get(`${prefix}rpm:DEU:${Math.floor(Date.now() / 60_000)}`)) || 0;
  const store = () => gw.gateway.quota as RedisQuotaStore;

  for (const kind of ["reset", "blackhole"] as const) {
    test(`${kind}: quotas fall back to this replica's share in process, with a metric and a log line, and return to Redis`, async () => {
      await avoidMinuteBoundary();
      assert.equal((await chat()).status, 200);
      assert.ok((await counted()) >= 1, "requests are counted in Redis while it is up");
      const logged = lines.length;
      proxy.set({ kind } as FaultMode);
      // Budget 10 a minute shared by 2 replicas: alone, this one grants 5 in the minute, then refuses.
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await chat()).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      assert.equal(await fallbackMetric(), 1);
      assert.ok(lines.slice(logged).some((l) => l.includes('"event":"quota_fallback"')), "the fallback is logged");
      const before = await counted();
      proxy.set({ kind: "pass" });
      await until(() => !store().inFallback);
      assert.equal(await fallbackMetric(), 0);
      assert.ok(lines.slice(logged).some((l) => l.includes('"event":"quota_recovered"')), "the recovery is logged");
      await chat();
      assert.equal(await counted(), before + 1, "requests are counted in Redis again");
      // Back on Redis, one connection: the blackholed and reset ones are gone.
      await until(() => proxy.stats().open === 1);
    });
  }
});

describe("detection stream (NATS JetStream) unavailable", { skip: natsSkip, timeout: 60_000 }, () => {
  const RULE = `title: Encoded PowerShell
id: aaaaaaaa-0000-4000-8000-00000000000e
level: high
logsource: { product: windows, category: process_creation }
detection:
    sel:
        CommandLine|contains: ' -enc '
    condition: sel
`;
  const id = randomBytes(4).toString("hex");
  const inSubject = `concord.test.${id}.logs`;
  const outSubject = `concord.test.${id}.alerts`;
  const streams = { logs: `CONCORD_FAULT_${id}`, alerts: `CONCORD_FAULT_${id}_ALERTS` };
  let proxy: FaultProxy;
  let nc: Awaited<ReturnType<typeof natsConnect>>;
  let detector: NatsDetector;

  before(async () => {
    proxy = await startFaultProxy({ port: 4222 });
    nc = await natsConnect({ servers: "127.0.0.1:4222" });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: streams.logs, subjects: [inSubject] });
    await jsm.streams.add({ name: streams.alerts, subjects: [outSubject] });
    detector = await startNatsDetector({
      servers: `127.0.0.1:${proxy.port}`, inSubject, outSubject, queue: `fault-${id}`,
      ruleSet: compileRules([{ path: "r.yml", text: RULE }]),
      batch: 8, ackWaitMs: 1000, pingIntervalMs: 300, reconnectWaitMs: 100, pullExpiresMs: 1000,
    });
  });
  after(async () => {
    proxy?.set({ kind: "pass" });
    await detector?.stop().catch(() => {});
    const jsm = await nc?.jetstreamManager();
    for (const s of Object.values(streams)) await jsm?.streams.delete(s).catch(() => {});
    await nc?.close();
    await proxy?.close();
  });

  test("blackhole then reset: the worker's backlog stays within its bound, every acknowledged event gets its alert, the backlog empties", async () => {
    const js = nc.jetstream();
    let published = 0;
    /** Publishes events that each match the rule; resolves once JetStream acknowledged them (stored). */
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++, published++) {
        await js.publish(inSubject, JSON.stringify({ Event: { System: { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational" }, EventData: { CommandLine: `powershell -enc SQBFAFgA ${published}`, Seq: published } } }));
      }
    };
    let maxInFlight = 0;
    const watch = setInterval(() => { maxInFlight = Math.max(maxInFlight, detector.inFlight); }, 5);
    try {
      await publish(10);
      await until(() => detector.processed >= 10);
      proxy.set({ kind: "blackhole" });
      await publish(30);
      await until(() => proxy.stats().swallowed > 0); // the worker's pings and pulls went into the void
      const { accepted } = proxy.stats();
      proxy.set({ kind: "reset" });
      await publish(30);
      await until(() => proxy.stats().accepted > accepted); // it tried to reconnect and was reset
      proxy.set({ kind: "pass" });
      await publish(10);
      // Alerts are read back from their own stream: what the worker published and JetStream stored.
      const seen = new Set<number>();
      const jsm = await nc.jetstreamManager();
      let next = 1;
      await until(async () => {
        const last = (await jsm.streams.info(streams.alerts)).state.last_seq;
        for (; next <= last; next++) {
          const m = await jsm.streams.getMessage(streams.alerts, { seq: next });
          seen.add(((JSON.parse(m.string()) as Alert).event as { Event: { EventData: { Seq: number } } }).Event.EventData.Seq);
        }
        return seen.size === published;
      });
      assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: published }, (_, i) => i));
      await until(() => detector.inFlight === 0);
      await until(() => proxy.stats().open === 1);
    } finally {
      clearInterval(watch);
    }
    assert.ok(maxInFlight <= detector.bound, `the worker held ${maxInFlight} messages, above its bound of ${detector.bound}`);
    assert.ok(maxInFlight > 0, "the watch saw the worker hold messages");
  });
});
