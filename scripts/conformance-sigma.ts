/**
 * Sigma conformance: `npx tsx scripts/conformance-sigma.ts [CORPUS_DIR] [--verbose]`.
 * Loads every rule under the corpus's rules* folders, prints loaded/unsupported counts with reasons grouped,
 * runs every regression case and prints passes and failures. Exit 1 when a regression case fails.
 * The corpus defaults to CONCORD_SIGMA_DIR or ../shared/data/sigma.
 */
import { runConformance, sigmaCorpusDir } from "../src/workloads/cyber/conformance.ts";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const dir = args.find((a) => !a.startsWith("--")) ?? sigmaCorpusDir();
if (dir === undefined) {
  console.log("conformance-sigma: no Sigma corpus found (set CONCORD_SIGMA_DIR or place it at ../shared/data/sigma); nothing to check");
  process.exit(0);
}

const started = performance.now();
const report = await runConformance(dir);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const nonDeprecated = report.documents - report.deprecated;
const unsupportedNonDeprecated = report.unsupported.length;
console.log(`corpus: ${dir}`);
console.log(`rule files: ${report.ruleFiles}, rule documents: ${report.documents} (${report.deprecated} deprecated)`);
console.log(`loaded: ${report.loaded}, unsupported: ${report.unsupported.length}`);
console.log(`load rate (non-deprecated): ${((100 * (nonDeprecated - unsupportedNonDeprecated)) / Math.max(1, nonDeprecated)).toFixed(2)}%`);

const byReason = new Map<string, string[]>();
for (const u of report.unsupported) {
  const key = u.reason.replace(/%[^%]+%/g, "%…%").replace(/'[^']*'/g, "'…'").replace(/: .*$/, "");
  byReason.set(key, [...(byReason.get(key) ?? []), u.id]);
}
if (byReason.size > 0) {
  console.log("unsupported, by reason:");
  for (const [reason, ids] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${String(ids.length).padStart(4)}  ${reason}${verbose ? `\n        ${ids.join("\n        ")}` : ""}`);
  }
}
if (verbose) for (const u of report.unsupported) console.log(`  - ${u.id} (${u.file}): ${u.reason}`);

const passed = report.regression.filter((r) => r.passed);
const failed = report.regression.filter((r) => !r.passed);
const countMismatch = passed.filter((r) => r.expected !== undefined && r.expected !== r.fired);
console.log(`regression cases: ${report.regression.length}, passed: ${passed.length}, failed: ${failed.length}`);
for (const f of failed) console.log(`  FAIL ${f.case} rule ${f.rule}${f.title ? ` (${f.title})` : ""}: ${f.reason}`);
if (countMismatch.length > 0) {
  console.log(`match_count differs (rule fired, count not as stated) in ${countMismatch.length} case(s):`);
  for (const m of countMismatch) console.log(`  ${m.case}: fired ${m.fired}, expected ${m.expected}`);
}
console.log(`took ${seconds} s`);
process.exit(failed.length > 0 ? 1 : 0);
