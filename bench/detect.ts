/**
 * Sigma engine throughput: `npx tsx bench/detect.ts [--quick] [--events N] [--one-core] [CORPUS_DIR]`.
 *
 * Rules: every rule under the corpus's rules* folders whose log source product is windows. Events: the
 * regression events replicated into distinct variants (ids, times, hosts, users varied; nine in ten made benign
 * by swapping process names and command lines for common ones), cycled to N events (default 500k, 50k with
 * --quick) as compact JSON lines held in memory, so disk speed is not measured. Printed in one run: plain
 * JSON.parse of the same lines (the ceiling), events/s on one core (one thread: parse + decode + match), and on
 * every core through worker threads (rule compilation in the workers excluded), with the ratios. The first two
 * are also given per second of this process's CPU time, which a machine busy with other work inflates far less
 * than wall-clock time (it includes V8's garbage-collection helper threads, so it errs low). `--one-core` stops
 * before the worker threads. To compare two commits, see bench/detect-stages.ts.
 */
import { availableParallelism } from "node:os";
import { compileRules, readRuleSources } from "../src/workloads/cyber/index.ts";
import { ruleDirs, sigmaCorpusDir } from "../src/workloads/cyber/conformance.ts";
import { EventMatcher } from "../src/workloads/cyber/engine/detector.ts";
import { WorkerPool } from "../src/workloads/cyber/engine/pool.ts";
import { decodeRecord, newDecoderState } from "../src/workloads/cyber/input/decode.ts";
import { benchEventLines } from "./lib/sigma-events.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const oneCore = args.includes("--one-core");
const eventsArg = args.indexOf("--events");
const total = eventsArg >= 0 ? Number(args[eventsArg + 1]) : quick ? 50_000 : 500_000;
const corpus = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--events") ?? sigmaCorpusDir();
if (corpus === undefined) {
  console.error("bench/detect: no Sigma corpus (set CONCORD_SIGMA_DIR or pass its directory)");
  process.exit(1);
}


// Rules.
let t0 = performance.now();
const all = await readRuleSources(await ruleDirs(corpus));
const sources = all.filter((s) => /^\s*product:\s*windows\s*$/m.test(s.text));
const ruleSet = compileRules(sources);
const compileMs = performance.now() - t0;
t0 = performance.now();
const matcher = new EventMatcher(ruleSet);
const indexMs = performance.now() - t0;
console.log(`rules: ${ruleSet.detections.length} Windows rules loaded (${ruleSet.unsupported.length} unsupported) in ${(compileMs / 1000).toFixed(1)} s, index built in ${(indexMs / 1000).toFixed(1)} s`);

// Events.
const VARIANTS = Math.min(total, 20_000);
const { lines, templates } = await benchEventLines(corpus, VARIANTS);
const bytes = lines.reduce((n, l) => n + l.length, 0);
console.log(`events: ${total} (${VARIANTS} distinct variants of ${templates} regression events, avg ${Math.round(bytes / VARIANTS)} bytes), cores: ${availableParallelism()}`);
const line = (i: number): string => lines[i % VARIANTS]!;

const fmt = (n: number): string => `${Math.round(n).toLocaleString("en-US")} events/s`;
/** Events per second of wall-clock time and of this process's CPU time while `run` goes over every event. */
const timed = (run: () => void): { wall: number; cpu: number } => {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpu0);
  return { wall: total / ((performance.now() - wall0) / 1000), cpu: total / ((cpu.user + cpu.system) / 1e6) };
};

// 1. JSON.parse ceiling.
let sink = 0;
const parse = timed(() => {
  for (let i = 0; i < total; i++) sink += (JSON.parse(line(i)) as object) ? 1 : 0;
});
console.log(`JSON.parse only:          ${fmt(parse.wall)}  (per CPU second: ${fmt(parse.cpu)})`);

// 2. One core.
const state = newDecoderState("bench");
let alerts = 0;
const one = timed(() => {
  for (let i = 0; i < total; i++) {
    for (const ev of decodeRecord(state, line(i), i + 1)) alerts += matcher.evaluate(ev).alerts.length;
  }
});
const oneRate = one.wall;
console.log(`detect, one core:         ${fmt(one.wall)}  (${(one.wall / parse.wall).toFixed(2)} of JSON.parse; ${alerts} alerts)`);
console.log(`  per CPU second:         ${fmt(one.cpu)}  (${(one.cpu / parse.cpu).toFixed(2)} of JSON.parse per CPU second)`);

if (oneCore) process.exit(0);

// 3. Every core.
const threads = availableParallelism();
const pool = await WorkerPool.start(ruleSet, threads);
let poolAlerts = 0;
const BATCH = 512;
t0 = performance.now();
for (let i = 0; i < total; i += BATCH) {
  const records = [];
  for (let j = i; j < Math.min(total, i + BATCH); j++) records.push({ text: line(j), line: j + 1 });
  await pool.submit(state, records, (r) => { poolAlerts += r.alerts.length; });
}
await pool.finish();
const allRate = total / ((performance.now() - t0) / 1000);
await pool.close();

console.log(`detect, ${threads} worker threads: ${fmt(allRate)}  (${(allRate / oneRate).toFixed(2)}x one core; ${poolAlerts} alerts)`);
if (sink < 0) console.log(sink);
