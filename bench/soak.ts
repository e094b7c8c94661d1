/**
 * Soak: the full gateway (JWT auth, guard, Cedar, quotas on Redis, audit on PostgreSQL) in this process under a
 * steady mixed load from a child process (plain and streamed chat, classified and prohibited-use refusals, a
 * nation over its budget), with an outage of Redis and PostgreSQL in the middle, both through fault proxies (the
 * shared services are never touched): the first half of the outage blackholes PostgreSQL and resets Redis, the
 * second half resets PostgreSQL and blackholes Redis. After warm-up it samples the post-GC heap and RSS every
 * second and the queues every 100 ms; at the end it cross-checks every answer the client got against the log.
 *
 *   node --expose-gc --import tsx bench/soak.ts [--duration 30m] [--rate 150] [--connections 16] [--out DIR]
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (trust, database `test`; CONCORD_TEST_POSTGRES overrides) and Redis on 6379.
 * The log goes to a database of its own and quotas to a Redis prefix of their own, both removed at the end unless
 * --keep.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import postgres from "postgres";
import { parseDuration, parseConfig } from "../src/config/index.ts";
import { mintDemoToken } from "../src/identity/index.ts";
import { jsonLogger, startServer } from "../src/server/index.ts";
import { RedisQuotaStore } from "../src/quota/index.ts";
import { startFaultProxy, type FaultProxy } from "../test/helpers/fault-proxy.ts";
import { reachable } from "../test/helpers/services.ts";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] as string) : fallback;
};
const durationMs = parseDuration(arg("duration", "30m")) ?? 0;
const rate = Number(arg("rate", "150"));
const connections = Number(arg("connections", "16"));
const outDir = resolve(arg("out", join(tmpdir(), `concord-soak-${process.pid}`)));
const keep = process.argv.includes("--keep");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx bench/soak.ts");
if (durationMs < 60_000) throw new Error("--duration must be at least 60s");
const PG = process.env.CONCORD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
if (!(await reachable(5432)) || !(await reachable(6379))) throw new Error("the soak needs PostgreSQL on 5432 and Redis on 6379");

const root = resolve(import.meta.dirname, "..");
mkdirSync(outDir, { recursive: true });
const warmupMs = Math.min(120_000, durationMs * 0.1);
const outageAt = durationMs * 0.45;
const outageMs = Math.min(180_000, durationMs * 0.1);
const MiB = 1024 * 1024;
const started = Date.now();
const elapsed = () => Date.now() - started;
const say = (line: string) => console.log(`[${(elapsed() / 1000).toFixed(0).padStart(5)} s] ${line}`);

// A database of its own for the log.
const dbName = `concord_soak_${Date.now()}`;
const admin = postgres(PG, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${dbName}`);
const pgUrl = new URL(PG);
const pgProxy = await startFaultProxy({ port: Number(pgUrl.port || 5432) });
const redisProxy = await startFaultProxy({ port: 6379 });
pgUrl.port = String(pgProxy.port);
pgUrl.pathname = `/${dbName}`;

// The stub upstream in a child process: its work and memory are not the gateway's.
function child(args: string[], opts: { ready?: RegExp } = {}): Promise<{ proc: ChildProcess; first: string; out: () => string }> {
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((res, rej) => {
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = opts.ready?.exec(out);
      if (m) res({ proc, first: m[1] as string, out: () => out });
    });
    if (!opts.ready) res({ proc, first: "", out: () => out });
    proc.once("exit", (c) => rej(new Error(`${args.join(" ")} exited ${c}`)));
  });
}
const upstream = await child([join(root, "bench/lib/upstream.mjs"), "mixed"], { ready: /(\d+)\n/ });

// Gateway log lines go to a file; the events that matter here are counted.
const events = new Map<string, number>();
const logFile = createWriteStream(join(outDir, "gateway.log"));
const log = jsonLogger((line) => {
  const ev = /"event":"([a-z_]+)"/.exec(line)?.[1];
  if (ev) events.set(ev, (events.get(ev) ?? 0) + 1);
  logFile.write(line);
}, "info");

const dataDir = join(outDir, "data");
const cfg = parseConfig({
  network: { name: "soak", jurisdiction: "BEL" },
  data_dir: dataDir,
  jurisdictions: { EU: ["DEU", "FRA"] },
  nations: {
    DEU: { residency: ["EU"], identity: "demo", quota: { requests_per_minute: 10_000_000, tokens_per_day: 1_000_000_000_000 } },
    // A small budget: part of FRA's traffic is refused 429 (and audited).
    FRA: { residency: ["EU"], identity: "demo", quota: { requests_per_minute: Math.max(1, Math.floor(rate * 60 * 0.02)), tokens_per_day: 1_000_000_000_000 } },
  },
  endpoints: [{ id: "deu", url: `http://127.0.0.1:${upstream.first}/v1`, jurisdiction: "DEU", models: ["m"] }],
  quota: { redis: `redis://127.0.0.1:${redisProxy.port}`, prefix: `concord:soak:${dbName}:` },
  audit: { store: pgUrl.toString() },
  store: { url: `sqlite:${join(dataDir, "concord.db")}` },
}, "soak");
const server = await startServer(cfg, log, { port: 0, host: "127.0.0.1" });
const gw = server.gateway;

// Every acknowledged append, as a bit per log index (a few hundred KB for a million entries).
let acked = new Uint8Array(1 << 16);
let ackedCount = 0;
const append = gw.audit.append.bind(gw.audit);
gw.audit.append = async (entry) => {
  const r = await append(entry);
  if (r.index >> 3 >= acked.length) {
    const grown = new Uint8Array(Math.max(acked.length * 2, (r.index >> 3) + 1));
    grown.set(acked);
    acked = grown;
  }
  acked[r.index >> 3] = (acked[r.index >> 3] as number) | (1 << (r.index & 7));
  ackedCount++;
  return r;
};

let requests = 0;
let inFlight = 0;
server.app.server.on("request", (_req, res) => {
  requests++;
  inFlight++;
  res.once("close", () => { inFlight--; });
});

const tokens = {
  DEU: await mintDemoToken(gw.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", ttl: "30d" }),
  FRA: await mintDemoToken(gw.demoKeys.get("FRA")!, { nation: "FRA", role: "analyst", ttl: "30d" }),
};
// Preflight: the pipeline answers before any load starts.
for (const stream of [false, true]) {
  const r = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${tokens.DEU}`, "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "preflight" }], stream }) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`preflight ${stream ? "stream" : "chat"} answered ${r.status}: ${text}`);
}
const answers = join(outDir, "answers.txt");
const load = await child(["--import", "tsx", join(root, "bench/lib/soak-load.ts"), JSON.stringify({ url: server.url, tokens, rate, connections, out: answers })]);
say(`soak: ${(durationMs / 60_000).toFixed(1)} min, warm-up ${(warmupMs / 1000).toFixed(0)} s, outage at ${(outageAt / 1000).toFixed(0)} s for ${(outageMs / 1000).toFixed(0)} s; ${rate} req/s cap, ${connections} connections; ${cpus().length} cores, node ${process.version}; files in ${outDir}`);

// Queues every 100 ms: the audit appends waiting to commit, HTTP requests in flight in the gateway.
type Phase = "before" | "outage" | "after";
const phase = (): Phase => (elapsed() < outageAt ? "before" : elapsed() < outageAt + outageMs ? "outage" : "after");
const maxQ = { before: { audit: 0, http: 0 }, outage: { audit: 0, http: 0 }, after: { audit: 0, http: 0 } };
const qTimer = setInterval(() => {
  const m = maxQ[phase()];
  m.audit = Math.max(m.audit, gw.audit.pending);
  m.http = Math.max(m.http, inFlight);
}, 100);

// Post-GC heap and RSS every second after warm-up.
const samples: Array<{ t: number; heap: number; rss: number; requests: number }> = [];
const sample = () => {
  gc();
  const m = process.memoryUsage();
  samples.push({ t: elapsed() / 1000, heap: m.heapUsed / MiB, rss: m.rss / MiB, requests });
};
let sTimer: NodeJS.Timeout | null = null;
setTimeout(() => { sample(); sTimer = setInterval(sample, 1000); }, warmupMs);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const setBoth = (pg: FaultProxy["mode"], redis: FaultProxy["mode"]) => { pgProxy.set(pg); redisProxy.set(redis); };
const progress = setInterval(() => {
  const s = samples.at(-1);
  say(`${requests} requests, ${inFlight} in flight, audit pending ${gw.audit.pending}${s ? `, heap ${s.heap.toFixed(1)} MiB, rss ${s.rss.toFixed(1)} MiB` : ""}`);
}, Math.max(10_000, durationMs / 30));

await wait(outageAt);
const requestsAtOutage = requests;
say("outage 1/2: PostgreSQL blackholed, Redis connections reset");
setBoth({ kind: "blackhole" }, { kind: "reset" });
await wait(outageMs / 2);
say("outage 2/2: PostgreSQL connections reset, Redis blackholed");
setBoth({ kind: "reset" }, { kind: "blackhole" });
await wait(outageMs / 2);
setBoth({ kind: "pass" }, { kind: "pass" });
const requestsDuringOutage = requests - requestsAtOutage;
say("outage over: both proxies pass again");
await wait(Math.max(0, durationMs - elapsed()));

// Stop the load, let the gateway settle.
const loadDone = new Promise<string>((r) => load.proc.once("exit", () => r(load.out())));
load.proc.kill("SIGTERM");
const loadTotals = JSON.parse((await loadDone).trim().split("\n").at(-1) as string) as { sent: number; totals: Record<string, number> };
clearInterval(progress);
clearInterval(qTimer);
if (sTimer) clearInterval(sTimer);
while (gw.audit.pending > 0 || inFlight > 0) await wait(50);
sample();
const quotaStore = gw.quota as RedisQuotaStore;
const quotaRecovered = !quotaStore.inFallback;

// Memory figures.
const n = samples.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const window = Math.max(5, Math.min(60, Math.floor(n / 10)));
const head = samples.slice(0, window);
const tail = samples.slice(-window);
const growth = (key: "heap" | "rss") => ((median(tail.map((s) => s[key])) - median(head.map((s) => s[key]))) / median(head.map((s) => s[key]))) * 100;
const last = samples.slice(-Math.max(10, Math.floor(n / 4)));
const slope = (key: "heap" | "rss") => {
  const mt = last.reduce((a, s) => a + s.t, 0) / last.length;
  const mv = last.reduce((a, s) => a + s[key], 0) / last.length;
  const num = last.reduce((a, s) => a + (s.t - mt) * (s[key] - mv), 0);
  const den = last.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  return (num / den) * 60; // MiB per minute
};
const reqsSampled = ((samples.at(-1)?.requests ?? 0) - (samples[0]?.requests ?? 0)) / 1000;
const perK = (key: "heap" | "rss") => ((samples.at(-1)?.[key] ?? 0) - (samples[0]?.[key] ?? 0)) / reqsSampled;

// Cross-check: every answer the client got against the log.
say("reading the log back and cross-checking every answer");
const byHash = new Map<string, string[]>();
let size = 0;
let contiguous = true;
for (;;) {
  const page = await gw.audit.entries({ from: size });
  if (page.length === 0) break;
  for (const e of page) {
    if (e.index !== size) contiguous = false;
    size = e.index + 1;
    const h = (e.entry as { request_sha256?: string }).request_sha256;
    if (typeof h === "string") (byHash.get(h) ?? byHash.set(h, []).get(h)!).push(`${e.entry.decision}:${e.entry.reason}`);
  }
}
let ackedMissing = 0;
for (let i = 0; i < acked.length * 8; i++) if ((acked[i >> 3] as number) & (1 << (i & 7)) && i >= size) ackedMissing++;
let served = 0, unaudited = 0, refusedAnswers = 0, refusedUnlogged = 0, auditRefusals = 0;
const rl = createInterface({ input: createReadStream(answers) });
for await (const line of rl) {
  const [sha, , statusText, code] = line.split(" ") as [string, string, string, string];
  const status = Number(statusText);
  const logged = byHash.get(sha) ?? [];
  if (status >= 200 && status < 300) {
    served++;
    // A completed stream needs its closing entry; anything else the client was given needs an allow entry.
    const need = code === "stream_done" ? (d: string) => d === "allow:ok" : (d: string) => d.startsWith("allow:");
    if (!logged.some(need)) unaudited++;
  } else if (code === "audit_unavailable") {
    auditRefusals++;
  } else if (status > 0) {
    // Any other refusal was answered after its entry was acknowledged.
    refusedAnswers++;
    if (!logged.some((d) => d.startsWith("deny:"))) refusedUnlogged++;
  }
}
say("verifying the log");
const report = await gw.audit.verify();

console.log("");
console.log(`soak results (${(durationMs / 60_000).toFixed(1)} min, ${cpus().length} cores, node ${process.version})`);
console.log(`requests: ${loadTotals.sent} sent by the client, ${requests} seen by the gateway, ${requestsDuringOutage} during the outage`);
console.log("answers by kind, status and code:");
for (const [k, v] of Object.entries(loadTotals.totals).sort()) console.log(`  ${k}: ${v}`);
console.log(`memory samples after warm-up: ${n} (one per second, post-GC)`);
console.log(`heap: ${median(head.map((s) => s.heap)).toFixed(1)} -> ${median(tail.map((s) => s.heap)).toFixed(1)} MiB (median of first/last ${window}), growth ${growth("heap").toFixed(1)}%, trend of the last ${last.length} samples ${slope("heap").toFixed(3)} MiB/min, ${perK("heap").toFixed(4)} MiB per 1000 requests`);
console.log(`rss:  ${median(head.map((s) => s.rss)).toFixed(1)} -> ${median(tail.map((s) => s.rss)).toFixed(1)} MiB (median of first/last ${window}), growth ${growth("rss").toFixed(1)}%, trend of the last ${last.length} samples ${slope("rss").toFixed(3)} MiB/min, ${perK("rss").toFixed(4)} MiB per 1000 requests`);
console.log(`max queue lengths (audit appends pending / gateway requests in flight): before the outage ${maxQ.before.audit}/${maxQ.before.http}, during ${maxQ.outage.audit}/${maxQ.outage.http}, after ${maxQ.after.audit}/${maxQ.after.http}; at the end ${gw.audit.pending}/${inFlight}`);
console.log(`gateway log events: ${[...events].map(([k, v]) => `${k} ${v}`).join(", ") || "none"}; quotas back on Redis: ${quotaRecovered ? "yes" : "NO"}`);
console.log(`answers served (2xx): ${served}; unaudited: ${unaudited}`);
console.log(`refusals answered: ${refusedAnswers} (without their entry: ${refusedUnlogged}); refused 503 audit_unavailable: ${auditRefusals}`);
console.log(`acknowledged appends: ${ackedCount}; log entries: ${size} (contiguous: ${contiguous ? "yes" : "NO"}); acknowledged entries lost: ${ackedMissing}`);
console.log(`log verification: ${report.ok ? `ok, ${report.size} entries, ${report.checkpoints} checkpoints` : `FAILED at ${report.index}: ${report.reason}`}`);

await server.close();
upstream.proc.kill("SIGTERM");
await Promise.all([pgProxy.close(), redisProxy.close()]);
if (!keep) {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  const redis = new Redis(6379, "127.0.0.1");
  const keys = await redis.keys(`concord:soak:${dbName}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
await admin.end();
await new Promise<void>((r) => logFile.end(r));
process.exit(unaudited === 0 && ackedMissing === 0 && refusedUnlogged === 0 && report.ok && quotaRecovered ? 0 : 1);
