import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { solveLpFile } from "../../src/workloads/logistics/index.ts";
import { findSampleDir, instanceFile, KNOWN_OPTIMA, matches } from "../../scripts/conformance-lp.ts";

// Debian's coinor-libcoinutils-dev ships the netlib/MIPLIB samples; without it these tests skip and say so.
const dir = findSampleDir();
const skip = dir === undefined ? "public MPS samples absent: install coinor-libcoinutils-dev (or set COIN_SAMPLE_DIR)" : false;

for (const name of ["afiro", "brandy", "p0033", "lseu"]) {
  test(`the public instance ${name} solves to its published optimum`, { skip }, async () => {
    const file = instanceFile(dir!, name);
    assert.ok(file, `${name}.mps is missing from ${dir}`);
    const known = KNOWN_OPTIMA[name]!;
    const r = await solveLpFile(readFileSync(file), "mps", { timeLimitSeconds: 300 });
    assert.equal(r.status, "optimal");
    assert.equal(r.solver.model, known.kind);
    assert.ok(matches(r.objective, known.optimum), `${name}: ${r.objective} vs ${known.optimum}`);
  });
}
