/**
 * Gateway overhead: autocannon (64 connections) against a raw Node http echo, directly against an upstream that
 * answers at once, through two proxies with no checks at all (node:http + undici passing bytes through, and
 * Fastify + undici parsing and re-serialising the JSON: the ceilings any Node gateway starts from), and through
 * Concord (authentication, guard, Cedar, residency routing, quotas, metrics, durable audit) to that same upstream;
 * then one connection each to read the latency Concord adds at p50 and p99, once with its audit log on the
 * disk (the default) and once on tmpfs (/dev/shm), so the share of the disk's fsync in the added latency shows.
 * One run, one machine: compare the ratios, not absolute figures across runs (FACTS.md).
 *
 *   npx tsx bench/gateway-overhead.ts [--quick] [--duration S] [--only via64|via1] [--cpu-prof DIR]
 *
 * `--only via64|via1` runs just that measurement (for profiling); `--cpu-prof DIR` writes the gateway process's V8
 * CPU profile into DIR when it exits (open it in Chrome DevTools or speedscope, sort by self time).
 */
import { existsSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { Pool } from "undici";
import { cpuSeconds, root, startBenchGateway, startChild as start, type Child } from "./lib/bench-gateway.ts";

const quick = process.argv.includes("--quick");
const dIdx = process.argv.indexOf("--duration");
const duration = dIdx > 0 ? Number(process.argv[dIdx + 1]) : quick ? 3 : 10;
const pIdx = process.argv.indexOf("--cpu-prof");
const oIdx = process.argv.indexOf("--only");
const only = oIdx > 0 ? process.argv[oIdx + 1] : null;
const profileDir = pIdx > 0 ? resolve(process.argv[pIdx + 1] as string) : null;

/** Runs `f` and adds the CPU time per request of the process that answered: on a shared machine steadier than req/s. */
async function withCpu<T extends { total: number }>(f: () => Promise<T>, server: Child = gateway): Promise<T & { cpuUs: number }> {
  const c0 = cpuSeconds(server.child);
  const r = await f();
  return { ...r, cpuUs: ((cpuSeconds(server.child) - c0) * 1e6) / r.total };
}

async function run(url: string, connections: number, headers: Record<string, string>, body: string) {
  const r = await autocannon({ url, connections, duration, method: "POST", headers: { "content-type": "application/json", ...headers }, body, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, total: r.requests.total };
}

/** Sequential requests on one keep-alive connection, timed with hrtime (autocannon rounds latency to 1 ms). */
async function latency(url: string, headers: Record<string, string>, body: string, seconds: number) {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  const samples: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    const r = await pool.request({ path: u.pathname, method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    await r.body.arrayBuffer();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await pool.close();
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
  return { rps: samples.length / seconds, p50: q(0.5), p99: q(0.99), errors: 0, total: samples.length };
}

const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "Status report for sector 4?" }] });
const echo = await start([join(root, "bench/lib/upstream.mjs"), "echo"], /(\d+)\n/);
const upstream = await start([join(root, "bench/lib/upstream.mjs"), "chat"], /(\d+)\n/);
const bare = await start([join(root, "bench/lib/bare-proxy.mjs"), `http://127.0.0.1:${upstream.match[1]}`], /(\d+)\n/);
const rawProxy = await start([join(root, "bench/lib/raw-proxy.mjs"), `http://127.0.0.1:${upstream.match[1]}`], /(\d+)\n/);
const gateway = await startBenchGateway(Number(upstream.match[1]), { nodeArgs: profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [] });
// The same gateway with its data directory (audit log) on tmpfs, where fsync costs nothing: only to attribute latency.
const shm = existsSync("/dev/shm") && !only ? await startBenchGateway(Number(upstream.match[1]), { dataRoot: "/dev/shm" }) : null;
const token = gateway.token;
const auth = { authorization: `Bearer ${token}` };

const echoUrl = `http://127.0.0.1:${echo.match[1]}/`;
const directUrl = `http://127.0.0.1:${upstream.match[1]}/v1/chat/completions`;
const viaUrl = `${gateway.url}/v1/chat/completions`;
const bareUrl = `http://127.0.0.1:${bare.match[1]}/v1/chat/completions`;
const rawProxyUrl = `http://127.0.0.1:${rawProxy.match[1]}/v1/chat/completions`;

try {
  // Warm-up: JIT, keep-alive pools, the token cache.
  await autocannon({ url: viaUrl, connections: 8, duration: 2, method: "POST", headers: { "content-type": "application/json", ...auth }, body });
  if (shm) await autocannon({ url: `${shm.url}/v1/chat/completions`, connections: 8, duration: 2, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${shm.token}` }, body });
  if (only === "via64") console.log("through Concord, 64 connections:", await withCpu(() => run(viaUrl, 64, auth, body)));
  else if (only === "via1") console.log("through Concord, 1 connection:", await withCpu(() => latency(viaUrl, auth, body, duration)));
  else await fullRun();
} finally {
  const exited = new Promise((r) => gateway.child.once("exit", r));
  for (const p of [echo, upstream, bare, rawProxy, gateway, ...(shm ? [shm] : [])]) p.child.kill("SIGTERM");
  if (profileDir) await exited; // the profile is written as the gateway exits
  if (shm) {
    await new Promise((r) => shm.child.once("exit", r));
    rmSync(shm.dir, { recursive: true, force: true }); // tmpfs is memory
  }
}

async function fullRun(): Promise<void> {
  const raw64 = await run(echoUrl, 64, {}, body);
  const direct64 = await run(directUrl, 64, {}, body);
  const rawProxy64 = await withCpu(() => run(rawProxyUrl, 64, {}, body), rawProxy);
  const bare64 = await withCpu(() => run(bareUrl, 64, {}, body), bare);
  const via64 = await withCpu(() => run(viaUrl, 64, auth, body));
  const direct1 = await latency(directUrl, {}, body, duration);
  const via1 = await withCpu(() => latency(viaUrl, auth, body, duration));
  const shm1 = shm ? await withCpu(() => latency(`${shm.url}/v1/chat/completions`, { authorization: `Bearer ${shm.token}` }, body, duration), shm) : null;

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`gateway overhead: ${cpus().length} cores (${cpu}), node ${process.version}, ${duration} s per run`);
  console.log("| run | connections | req/s | p50 ms | p99 ms | errors |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  const rows = [
    ["raw node http echo", 64, raw64], ["direct to upstream", 64, direct64], ["node:http + undici proxy (no checks, bytes passed through)", 64, rawProxy64],
    ["bare Fastify + undici proxy (no checks)", 64, bare64], ["through Concord", 64, via64], ["direct to upstream", 1, direct1], ["through Concord", 1, via1],
    ...(shm1 ? [["through Concord, audit log on tmpfs (attribution only: no fsync)", 1, shm1] as const] : []),
  ] as const;
  for (const [name, c, r] of rows) {
    console.log(`| ${name} | ${c} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
  }
  console.log(`Concord throughput / direct: ${((via64.rps / direct64.rps) * 100).toFixed(1)}%  (target >= 60%)`);
  console.log(`node:http + undici proxy throughput / direct: ${((rawProxy64.rps / direct64.rps) * 100).toFixed(1)}%, bare Fastify + undici proxy: ${((bare64.rps / direct64.rps) * 100).toFixed(1)}%  (the ceilings: HTTP in and out, nothing else)`);
  console.log(`proxy CPU per request: node:http + undici ${rawProxy64.cpuUs.toFixed(0)} µs, Fastify + undici ${bare64.cpuUs.toFixed(0)} µs`);
  console.log(`Concord throughput / raw echo: ${((via64.rps / raw64.rps) * 100).toFixed(1)}%`);
  console.log(`gateway CPU per request (all its threads): ${via64.cpuUs.toFixed(0)} µs at 64 connections, ${via1.cpuUs.toFixed(0)} µs at 1`);
  console.log(`added latency, one connection: p50 +${(via1.p50 - direct1.p50).toFixed(3)} ms, p99 +${(via1.p99 - direct1.p99).toFixed(3)} ms  (target p99 < 2 ms)`);
  if (shm1) console.log(`added latency, one connection, audit log on tmpfs (no fsync; attribution, not a configuration): p50 +${(shm1.p50 - direct1.p50).toFixed(3)} ms, p99 +${(shm1.p99 - direct1.p99).toFixed(3)} ms`);
}
