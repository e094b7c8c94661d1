/**
 * Solves public netlib (LP) and MIPLIB 3 (MIP) instances through Concord's LP/MPS adapter and prints each
 * objective beside the published optimum. Installs nothing: it reads the MPS samples that Debian's
 * `coinor-libcoinutils-dev` ships under /usr/share/coin/Data/Sample/ (or --dir DIR, or $COIN_SAMPLE_DIR).
 * Without them:  apt-get download coinor-libcoinutils-dev && dpkg -x coinor-libcoinutils-dev_*.deb /tmp/coin
 * then run with --dir /tmp/coin/usr/share/coin/Data/Sample.
 *
 *   npx tsx scripts/conformance-lp.ts [--dir DIR] [--time-limit S] [NAME...]
 *
 * Exit status 0 when every instance found matches its optimum, 1 when one does not, 2 when no instance is found.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { solveLpFile } from "../src/workloads/logistics/index.ts";

/** Published optima: netlib (Gay's listing, as in glpk-doc's netlib notes) and MIPLIB 3 (glpk-doc's miplib3 notes). */
export const KNOWN_OPTIMA: Record<string, { optimum: number; kind: "LP" | "MIP"; offset?: number }> = {
  afiro: { optimum: -464.7531429, kind: "LP" },
  brandy: { optimum: 1518.509896, kind: "LP" },
  // netlib's e226 puts 7.113 in the objective row's RHS; netlib counts it as a constant, HiGHS's MPS reader does not.
  e226: { optimum: -18.75192907, kind: "LP", offset: 7.113 },
  finnis: { optimum: 172791.0656, kind: "LP" },
  p0033: { optimum: 3089, kind: "MIP" },
  p0201: { optimum: 7615, kind: "MIP" },
  p0548: { optimum: 8691, kind: "MIP" },
  lseu: { optimum: 1120, kind: "MIP" },
};

export const SAMPLE_DIRS = [process.env["COIN_SAMPLE_DIR"], "/usr/share/coin/Data/Sample"].filter((d): d is string => d !== undefined && d !== "");

export function findSampleDir(explicit?: string): string | undefined {
  return [explicit, ...SAMPLE_DIRS].find((d): d is string => d !== undefined && existsSync(d));
}

/** The file for an instance: plain or gzip-compressed MPS. */
export function instanceFile(dir: string, name: string): string | undefined {
  return [`${name}.mps`, `${name}.mps.gz`].map((f) => join(dir, f)).find((p) => existsSync(p));
}

export const matches = (objective: number | null, optimum: number): boolean =>
  objective !== null && Math.abs(objective - optimum) <= 1e-6 * Math.max(1, Math.abs(optimum));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { dir: { type: "string" }, "time-limit": { type: "string", default: "120" } },
    allowPositionals: true,
  });
  const dir = findSampleDir(values.dir);
  if (dir === undefined) {
    console.error("No MPS samples found. Install coinor-libcoinutils-dev, or extract it and pass --dir (see the header of this script).");
    return 2;
  }
  const names = positionals.length > 0 ? positionals : Object.keys(KNOWN_OPTIMA);
  console.log(`Instances from ${dir}`);
  console.log(["instance", "kind", "status", "objective", "known optimum", "match", "seconds"].map((h, i) => h.padEnd([10, 5, 10, 20, 20, 6, 8][i]!)).join(""));
  let bad = 0;
  let found = 0;
  for (const name of names) {
    const known = KNOWN_OPTIMA[name];
    const file = instanceFile(dir, name);
    if (known === undefined || file === undefined) {
      console.log(`${name.padEnd(10)}${known === undefined ? "no known optimum listed" : "not present"}`);
      continue;
    }
    found++;
    const r = await solveLpFile(readFileSync(file), "mps", { timeLimitSeconds: Number(values["time-limit"]) });
    const expected = known.optimum + (known.offset ?? 0);
    const ok = matches(r.objective, expected);
    if (!ok) bad++;
    console.log([
      name, r.solver.model, r.status, r.objective === null ? "none" : r.objective.toPrecision(10), known.optimum.toPrecision(10),
      ok ? "yes" : "NO", r.solver.seconds.toFixed(3),
    ].map((c, i) => c.padEnd([10, 5, 10, 20, 20, 6, 8][i]!)).join("") + (known.offset === undefined ? "" : `  (objective constant ${known.offset} not counted by the MPS reader)`));
  }
  if (found === 0) return 2;
  console.log(bad === 0 ? `All ${found} instances match their published optimum.` : `${bad} of ${found} instances differ from their published optimum.`);
  return bad === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
