/**
 * Where a Sigma event's time goes: `npx tsx bench/detect-stages.ts [--before DIR] [CORPUS_DIR]`.
 *
 * The Windows rules and 20,000 event variants of bench/detect.ts; each stage is timed as a whole pass over the
 * events, and each pass repeats the stages before it (an event's caches are filled as it goes), so a stage's cost is
 * the difference between its pass and the one before. Printed in microseconds per event, the best of five rounds:
 * a machine shared with other tenants slows single runs by a fifth and more, and the best round is the one least
 * disturbed. Stages: JSON.parse alone; decoding (the Windows record's fields, beyond the parse); the index (the rules
 * worth testing); the rule tests; the alerts.
 *
 * `--before DIR` (a checkout of another commit, e.g. `git archive <commit> src package.json | tar -x -C DIR`, with
 * node_modules linked in) compares the two: each engine is measured in a process of its own, three times, the two
 * alternating, and the best of each stage is kept. Not in one process: V8 compiles regular expressions without its
 * optimisations once a process holds a megabyte of regex code, so whichever engine ran its rules' expressions second
 * would be slowed by the first.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readRuleSources } from "../src/workloads/cyber/index.ts";
import { ruleDirs, sigmaCorpusDir } from "../src/workloads/cyber/conformance.ts";
import { benchEventLines } from "./lib/sigma-events.ts";

const args = process.argv.slice(2);
const beforeAt = args.indexOf("--before");
const beforeDir = beforeAt >= 0 ? args[beforeAt + 1] : undefined;
if (beforeAt >= 0 && beforeDir === undefined) throw new Error("--before needs a directory holding src/workloads/cyber");
const corpus = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--before" && args[i - 1] !== "--engine") ?? sigmaCorpusDir();
if (corpus === undefined) {
  console.error("bench/detect-stages: no Sigma corpus (set CONCORD_SIGMA_DIR or pass its directory)");
  process.exit(1);
}

const sources = (await readRuleSources(await ruleDirs(corpus))).filter((s) => /^\s*product:\s*windows\s*$/m.test(s.text));
const { lines } = await benchEventLines(corpus, 20_000);

/** The modules of one checkout that the stages call (loaded by path, so another checkout's can sit beside). */
async function engineAt(root: string) {
  const at = (p: string) => import(pathToFileURL(resolve(root, p)).href);
  const index = await at("src/workloads/cyber/index.ts");
  const decode = await at("src/workloads/cyber/input/decode.ts");
  const ruleset = await at("src/workloads/cyber/engine/ruleset.ts");
  const detector = await at("src/workloads/cyber/engine/detector.ts");
  const rules = index.compileRules(sources);
  const matcher = new ruleset.Matcher(rules.detections);
  const eventMatcher = new detector.EventMatcher(rules);
  const state = decode.newDecoderState("bench");
  const event = (i: number) => decode.decodeRecord(state, lines[i]!, i + 1)[0];
  // Each returns a number so that no pass can be optimised away.
  const stages: Array<[string, (i: number) => number]> = [
    ["JSON.parse", (i) => (JSON.parse(lines[i]!) === null ? 0 : 1)],
    ["decode", (i) => (event(i) === undefined ? 0 : 1)],
    ["index", (i) => matcher.candidates(event(i)).candidates.length],
    ["rule tests", (i) => matcher.match(event(i)).length],
    ["alerts", (i) => eventMatcher.evaluate(event(i)).alerts.length],
  ];
  return stages;
}

const STAGES = ["JSON.parse", "decode", "index", "rule tests", "alerts"];

/** Each stage's passes of one engine, in microseconds per event: the best of five rounds in this process. */
async function measure(root: string): Promise<number[]> {
  const stages = await engineAt(root);
  let best = stages.map(() => Infinity);
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    best = stages.map(([, run], k) => {
      const t0 = performance.now();
      for (let i = 0; i < lines.length; i++) sink += run(i);
      return Math.min(best[k]!, ((performance.now() - t0) * 1000) / lines.length);
    });
  }
  if (sink < 0) console.log(sink);
  return best;
}

/** A pass's own cost: less the pass before it (JSON.parse and decode both start from the text, so decode less the parse). */
const own = (passes: number[]): number[] => passes.map((us, k) => (k === 0 ? us : us - passes[k - 1]!));

const here = resolve(import.meta.dirname, "..");
const engineArg = args.indexOf("--engine");
if (engineArg >= 0) {
  // A child of a --before run: one engine, its passes as JSON on stdout.
  console.log(JSON.stringify(await measure(args[engineArg + 1]!)));
  process.exit(0);
}

const rows: Array<[string, number[]]> = [];
if (beforeDir === undefined) rows.push(["now", await measure(here)]);
else {
  const runChild = (root: string): number[] => {
    const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, "--engine", root, corpus], { encoding: "utf8", maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split("\n").at(-1)!) as number[];
  };
  const best: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, root] of round % 2 === 0 ? [["before", beforeDir], ["now", here]] : [["now", here], ["before", beforeDir]]) {
      const passes = runChild(root!);
      best[name!] = passes.map((us, k) => Math.min(us, best[name!]?.[k] ?? Infinity));
    }
  }
  rows.push(["before", best.before!], ["now", best.now!]);
}

console.log(`${sources.length} Windows rule files, ${lines.length} events; microseconds per event, best of ${beforeDir === undefined ? "5 rounds" : "3 processes of 5 rounds each"}`);
console.log(`${"stage".padEnd(12)}${rows.map(([e]) => e.padStart(10)).join("")}`);
STAGES.forEach((stage, k) => console.log(`${stage.padEnd(12)}${rows.map(([, p]) => own(p)[k]!.toFixed(2).padStart(10)).join("")}`));
console.log(`${"total".padEnd(12)}${rows.map(([, p]) => p.at(-1)!.toFixed(2).padStart(10)).join("")}`);
