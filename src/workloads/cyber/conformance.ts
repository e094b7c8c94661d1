/**
 * Conformance against a SigmaHQ corpus checkout: every rule under `rules*` loads or is reported unsupported, and
 * every regression case (`regression_data/**\/info.yml` + the event file beside it) raises the rule it names.
 * Used by `scripts/conformance-sigma.ts` and the integration test; nothing in the engine knows of the corpus.
 */
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { Detector } from "./engine/detector.ts";
import { compileRules, type RuleSet } from "./engine/ruleset.ts";
import { decodeRecord, newDecoderState } from "./input/decode.ts";
import { openInput, readRecords } from "./input/read.ts";
import { readRuleSources } from "./rules-files.ts";
import type { UnsupportedEntry } from "./rule/types.ts";

export interface RegressionResult {
  case: string;
  rule: string;
  title?: string;
  passed: boolean;
  /** Alerts the named rule raised, and how many the case expects. */
  fired: number;
  expected?: number;
  reason?: string;
}

export interface ConformanceReport {
  ruleFiles: number;
  documents: number;
  deprecated: number;
  loaded: number;
  unsupported: UnsupportedEntry[];
  regression: RegressionResult[];
}

/** Where the corpus is: `CONCORD_SIGMA_DIR`, else `../shared/data/sigma` from the working directory. */
export function sigmaCorpusDir(): string | undefined {
  const dir = process.env.CONCORD_SIGMA_DIR ?? resolve(process.cwd(), "../shared/data/sigma");
  return existsSync(join(dir, "regression_data")) || existsSync(join(dir, "rules")) ? dir : undefined;
}

export async function ruleDirs(corpus: string): Promise<string[]> {
  return (await readdir(corpus, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^rules/.test(e.name))
    .map((e) => join(corpus, e.name))
    .sort();
}

export async function runConformance(corpus: string): Promise<ConformanceReport> {
  const sources = await readRuleSources(await ruleDirs(corpus));
  const ruleSet = compileRules(sources);
  let documents = 0;
  let deprecated = 0;
  for (const s of sources) {
    documents += s.text.split(/^---\s*$/m).filter((d) => /^\s*title:/m.test(d)).length;
    deprecated += (s.text.match(/^status:\s*deprecated\s*$/gm) ?? []).length;
  }
  const loaded = ruleSet.detections.length + ruleSet.correlations.length;
  const regression = await runRegression(corpus, ruleSet);
  return { ruleFiles: sources.length, documents, deprecated, loaded, unsupported: ruleSet.unsupported, regression };
}

async function findInfoFiles(dir: string, out: string[]): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await findInfoFiles(p, out);
    else if (e.name === "info.yml") out.push(p);
  }
  return out;
}

interface CaseInfo {
  rule_metadata?: Array<{ id?: string; title?: string }>;
  regression_tests_info?: Array<{ path?: string; match_count?: number }>;
}

export async function runRegression(corpus: string, ruleSet: RuleSet): Promise<RegressionResult[]> {
  const root = join(corpus, "regression_data");
  if (!existsSync(root)) return [];
  const results: RegressionResult[] = [];
  for (const infoFile of (await findInfoFiles(root, [])).sort()) {
    const dir = dirname(infoFile);
    const info = parse(await readFile(infoFile, "utf8")) as CaseInfo;
    const name = dir.slice(root.length + 1);
    for (const meta of info.rule_metadata ?? []) {
      const rule = meta.id ?? "(no id)";
      const base = { case: name, rule, ...(meta.title ? { title: meta.title } : {}) };
      for (const test of info.regression_tests_info ?? [{}]) {
        const file = await eventFile(dir, test.path);
        const expected = test.match_count;
        if (file === undefined) {
          results.push({ ...base, passed: false, fired: 0, reason: "no event file" });
          continue;
        }
        const unsupported = ruleSet.unsupported.find((u) => u.id === rule);
        if (unsupported) {
          results.push({ ...base, passed: false, fired: 0, reason: `rule unsupported: ${unsupported.reason}`, ...(expected ? { expected } : {}) });
          continue;
        }
        const fired = await countAlerts(ruleSet, file, rule);
        results.push({ ...base, passed: fired > 0, fired, ...(expected !== undefined ? { expected } : {}), ...(fired > 0 ? {} : { reason: "rule did not fire" }) });
      }
    }
  }
  return results;
}

async function eventFile(dir: string, declared: string | undefined): Promise<string | undefined> {
  if (declared !== undefined) {
    const json = join(dir, basename(declared).replace(/\.evtx$/i, ".json"));
    if (existsSync(json)) return json;
  }
  const any = (await readdir(dir)).filter((f) => f !== "info.yml" && !f.endsWith(".evtx")).sort();
  return any.length > 0 ? join(dir, any[0]!) : undefined;
}

async function countAlerts(ruleSet: RuleSet, file: string, ruleId: string): Promise<number> {
  const detector = new Detector(ruleSet);
  const state = newDecoderState(file);
  let fired = 0;
  for await (const batch of readRecords(openInput(file))) {
    for (const r of batch) {
      for (const ev of decodeRecord(state, r.text, r.line)) {
        for (const a of detector.process(ev)) if (a.rule.id === ruleId) fired++;
      }
    }
  }
  for (const a of detector.flush()) if (a.rule.id === ruleId) fired++;
  return fired;
}
