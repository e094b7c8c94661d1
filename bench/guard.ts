// Throughput of the policy guard on 1 MB and 1 KB inputs: markings, prohibited uses and personal data, each
// and all together, beside a plain indexOf scan of the same input in the same run (the floor any scan pays).
// Inputs: the unmarked and legitimate corpora (twelve languages, look-alikes included: text written to sit near
// the prohibited topics), repeated to 1 MB and cut to 1 KB; and, for comparison, ordinary prose: the
// language-identification sentences of test/comms/langid (24 languages, everyday and logistics wording), to 1 MB.
// Run: node --import tsx bench/guard.ts [--quick] [--before DIR]
// --before DIR: also measure the guard of another checkout (e.g. `git archive <commit> src package.json | tar -x
// -C DIR`, then link node_modules into DIR), each line right after this one's, so a busy machine slows both alike.
// Read its lines with care: both guards' regexes share one process, and V8 compiles regexes without its optimisations
// once a process holds a megabyte of regex code (docs/policy.md, Throughput), so the guard whose rules compile second
// is slowed by the first (session 10: 4.1 MB/s for the older guard here, 14-15 in a process of its own). For figures
// to quote, run this script in each checkout, alternately.
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { detectProhibitedUse, findPersonalData, scanMarkings } from "../src/policy/index.ts";

type Guard = Pick<typeof import("../src/policy/index.ts"), "detectProhibitedUse" | "findPersonalData" | "scanMarkings">;
const beforeAt = process.argv.indexOf("--before");
const beforeDir = beforeAt === -1 ? undefined : process.argv[beforeAt + 1];
if (beforeAt !== -1 && beforeDir === undefined) throw new Error("--before needs a directory holding src/policy/index.ts");
const before: Guard | undefined =
  beforeDir === undefined ? undefined : ((await import(pathToFileURL(resolve(beforeDir, "src/policy/index.ts")).href)) as Guard);

const quick = process.argv.includes("--quick");
const budgetMs = quick ? 200 : 1500;

const corpus = ["unmarked.jsonl", "legitimate.jsonl"]
  .flatMap((f) => readFileSync(new URL(`../test/policy/corpus/${f}`, import.meta.url), "utf8").trim().split("\n"))
  .map((l) => (JSON.parse(l) as { text: string }).text)
  .join("\n\n");

const langidDir = new URL("../test/comms/langid/", import.meta.url);
const prose = readdirSync(langidDir).sort().map((f) => readFileSync(new URL(f, langidDir), "utf8")).join("\n\n");

function sized(bytes: number, text = corpus): string {
  let out = "";
  while (Buffer.byteLength(out) < bytes) out += text + "\n\n";
  // Cut on a character boundary at the byte size.
  return Buffer.from(out).subarray(0, bytes).toString("utf8").replace(/\uFFFD$/, "");
}

function measure(name: string, input: string, run: (s: string) => unknown): number {
  const bytes = Buffer.byteLength(input);
  // Warm-up: JIT tiers, regex compilation and the lazily filled fold table take a few runs to settle.
  const warmFrom = performance.now();
  for (let i = 0; i < 5 && (i === 0 || performance.now() - warmFrom < 1500); i++) run(input);
  let iterations = 0;
  const start = process.cpuUsage();
  const t0 = performance.now();
  while (iterations === 0 || performance.now() - t0 < budgetMs) {
    run(input);
    iterations++;
  }
  const cpu = process.cpuUsage(start);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = (performance.now() - t0) / 1000;
  const mbps = (bytes * iterations) / 1e6 / cpuSeconds;
  console.log(`${name.padEnd(34)} ${String(iterations).padStart(7)} runs  ${mbps.toFixed(1).padStart(8)} MB/s per core (CPU time)  ${((bytes * iterations) / 1e6 / wallSeconds).toFixed(1).padStart(8)} MB/s wall`);
  return mbps;
}

const allOf = (g: Guard) => (s: string) => {
  g.scanMarkings(s);
  g.detectProhibitedUse(s);
  g.findPersonalData(s);
};
const current: Guard = { detectProhibitedUse, findPersonalData, scanMarkings };

/** Measures this guard's `pick`, then (with --before) the other checkout's, on the next line. */
function both(name: string, input: string, pick: (g: Guard) => (s: string) => unknown): number {
  const mbps = measure(name, input, pick(current));
  if (before !== undefined) measure(`  ${name} (--before)`, input, pick(before));
  return mbps;
}

for (const [label, size, text] of [["1 MB", 1_000_000, corpus], ["1 KB", 1_000, corpus], ["1 MB ordinary prose", 1_000_000, prose]] as const) {
  const input = sized(size, text);
  console.log(`\n${label} input (${Buffer.byteLength(input)} bytes)`);
  // The input is legitimate text: if a detector refused it, it would stop early and its figure would flatter it.
  const verdict = detectProhibitedUse(input);
  if (verdict !== null) console.log(`WARNING: the prohibited-use rules refuse this input (${verdict.rule}), so that detector stops early and its MB/s is inflated`);
  const floor = measure("indexOf (baseline)", input, (s) => s.indexOf("NATO SECRET"));
  const markings = both("markings", input, (g) => (s) => g.scanMarkings(s));
  both("prohibited uses", input, (g) => (s) => g.detectProhibitedUse(s));
  both("personal data", input, (g) => (s) => g.findPersonalData(s));
  const guard = both("all detectors", input, allOf);
  console.log(`ratios: indexOf / markings ${(floor / markings).toFixed(1)}x, indexOf / all ${(floor / guard).toFixed(1)}x; target >= 50 MB/s per core on 1 MB: ${size === 1_000_000 ? (guard >= 50 ? "met" : "NOT met") : "n/a"}`);
}
