// Throughput of the policy guard on 1 MB and 1 KB inputs: markings, prohibited uses and personal data, each
// and all together, beside a plain indexOf scan of the same input in the same run (the floor any scan pays).
// Inputs: the unmarked and legitimate corpora (twelve languages, look-alikes included: text written to sit near
// the prohibited topics), repeated to 1 MB and cut to 1 KB; and, for comparison, ordinary prose: the
// language-identification sentences of test/comms/langid (24 languages, everyday and logistics wording), to 1 MB.
// Run: node --import tsx bench/guard.ts [--quick] [--before DIR]
// --before DIR: compare with the guard of another checkout (e.g. `git archive <commit> src test package.json | tar -x
// -C DIR`, then link node_modules into DIR): each guard is measured in a process of its own, twice, the two
// alternating, so that a busy machine slows both alike. Not in one process: V8 compiles regexes without its
// optimisations once a process holds a megabyte of regex code (docs/policy.md, Throughput), so the guard whose rules
// compiled second would be slowed by the first (session 10: 4.1 MB/s for the older guard so, 14-15 alone).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

type Guard = Pick<typeof import("../src/policy/index.ts"), "detectProhibitedUse" | "findPersonalData" | "scanMarkings">;
const argOf = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  if (at === -1) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined) throw new Error(`${name} needs a directory holding src/policy/index.ts`);
  return value;
};
const here = resolve(import.meta.dirname, "..");
const beforeDir = argOf("--before");
if (beforeDir !== undefined) {
  for (const [name, root] of [["before", beforeDir], ["now", here], ["before", beforeDir], ["now", here]] as const) {
    console.log(`\n===== ${name}: ${root}`);
    const args = [...process.execArgv, import.meta.filename, "--guard", root, ...(process.argv.includes("--quick") ? ["--quick"] : [])];
    process.stdout.write(execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 }));
  }
  process.exit(0);
}
// The guard measured: this checkout's, or (--guard ROOT, the children of a --before run) another's.
const current = (await import(pathToFileURL(resolve(argOf("--guard") ?? here, "src/policy/index.ts")).href)) as Guard;

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

for (const [label, size, text] of [["1 MB", 1_000_000, corpus], ["1 KB", 1_000, corpus], ["1 MB ordinary prose", 1_000_000, prose]] as const) {
  const input = sized(size, text);
  console.log(`\n${label} input (${Buffer.byteLength(input)} bytes)`);
  // The input is legitimate text: if a detector refused it, it would stop early and its figure would flatter it.
  const verdict = current.detectProhibitedUse(input);
  if (verdict !== null) console.log(`WARNING: the prohibited-use rules refuse this input (${verdict.rule}), so that detector stops early and its MB/s is inflated`);
  const floor = measure("indexOf (baseline)", input, (s) => s.indexOf("NATO SECRET"));
  const markings = measure("markings", input, (s) => current.scanMarkings(s));
  measure("prohibited uses", input, (s) => current.detectProhibitedUse(s));
  measure("personal data", input, (s) => current.findPersonalData(s));
  const guard = measure("all detectors", input, allOf(current));
  console.log(`ratios: indexOf / markings ${(floor / markings).toFixed(1)}x, indexOf / all ${(floor / guard).toFixed(1)}x; target >= 50 MB/s per core on 1 MB: ${size === 1_000_000 ? (guard >= 50 ? "met" : "NOT met") : "n/a"}`);
}
