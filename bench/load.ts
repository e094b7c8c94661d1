/**
 * Load: autocannon at fixed request sizes through the full pipeline (JWT authentication, classification and
 * prohibited-use guard, Cedar, quotas, audit log, a stub upstream that answers at once), and directly against the
 * same upstream with the same body in the same run. Prints req/s, p50/p99 latency, errors and the throughput ratio
 * per size. One run, one machine: compare the ratios, not absolute figures across runs (FACTS.md).
 *
 *   npx tsx bench/load.ts [--duration S] [--connections N] [--sizes 256,4096,65536] [--audit sqlite|postgres://...]
 */
import { cpus } from "node:os";
import autocannon from "autocannon";
import { cpuSeconds, startBenchGateway, startUpstream } from "./lib/bench-gateway.ts";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] as string) : fallback;
};
const duration = Number(arg("duration", "10"));
const connections = Number(arg("connections", "32"));
const sizes = arg("sizes", "256,4096,65536").split(",").map(Number);
const audit = arg("audit", "sqlite");

/** A chat request of exactly `size` bytes: benign words, so the guard reads all of it and refuses nothing. */
function bodyOf(size: number): string {
  const empty = JSON.stringify({ model: "m", messages: [{ role: "user", content: "" }] });
  const words = "Logistics status for the northern depot: fuel, rations and spare parts are on schedule. ";
  const room = size - empty.length;
  if (room < 0) throw new Error(`--sizes: ${size} bytes is below the smallest request (${empty.length})`);
  const content = words.repeat(Math.ceil(room / words.length)).slice(0, room);
  return JSON.stringify({ model: "m", messages: [{ role: "user", content }] });
}

async function run(url: string, headers: Record<string, string>, body: string) {
  const r = await autocannon({ url, connections, duration, method: "POST", headers: { "content-type": "application/json", ...headers }, body, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, total: r.requests.total };
}

const upstream = await startUpstream("chat");
const gateway = await startBenchGateway(upstream.port, audit === "sqlite" ? {} : { extra: { audit: { store: audit } } });
const auth = { authorization: `Bearer ${gateway.token}` };
const directUrl = `http://127.0.0.1:${upstream.port}/v1/chat/completions`;
const viaUrl = `${gateway.url}/v1/chat/completions`;

try {
  await autocannon({ url: viaUrl, connections: 8, duration: 2, method: "POST", headers: { "content-type": "application/json", ...auth }, body: bodyOf(sizes[0] as number) });
  console.log(`load: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), node ${process.version}, ${connections} connections, ${duration} s per run, audit store ${audit === "sqlite" ? "SQLite" : "PostgreSQL"}`);
  console.log("| request bytes | target | req/s | p50 ms | p99 ms | errors | gateway CPU µs/req | Concord / direct |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const size of sizes) {
    const body = bodyOf(size);
    const direct = await run(directUrl, {}, body);
    const c0 = cpuSeconds(gateway.child);
    const via = await run(viaUrl, auth, body);
    const cpuUs = ((cpuSeconds(gateway.child) - c0) * 1e6) / via.total;
    console.log(`| ${Buffer.byteLength(body)} | direct to upstream | ${direct.rps.toFixed(0)} | ${direct.p50} | ${direct.p99} | ${direct.errors} | | |`);
    console.log(`| ${Buffer.byteLength(body)} | through Concord | ${via.rps.toFixed(0)} | ${via.p50} | ${via.p99} | ${via.errors} | ${cpuUs.toFixed(0)} | ${((via.rps / direct.rps) * 100).toFixed(1)}% |`);
  }
} finally {
  for (const p of [upstream, gateway]) p.child.kill("SIGTERM");
}
