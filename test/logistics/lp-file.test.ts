import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { buildLp, parseScenarioText, solveLpFile, solvePlan } from "../../src/workloads/logistics/index.ts";

// The workshop MIP from the highs-js README: optimum 20 chairs and 10 tables, profit 1100.
const CHAIRS_LP = `Maximize
 profit: 30 chairs + 50 tables
Subject To
 carpentry: chairs + 2 tables <= 40
 finishing: 2 chairs + tables <= 50
Generals
 chairs tables
End
`;

// A two-variable LP in free MPS: min x + 2y, x + y >= 3, x <= 2 -> x = 2, y = 1, objective 4.
const SMALL_MPS = `NAME          SMALL
ROWS
 N  COST
 G  LIM1
COLUMNS
    X         COST         1.0   LIM1         1.0
    Y         COST         2.0   LIM1         1.0
RHS
    RHS       LIM1         3.0
BOUNDS
 UP BND       X            2.0
ENDATA
`;

test("a CPLEX LP model with integers solves to its known optimum, reporting variables by name", async () => {
  const r = await solveLpFile(CHAIRS_LP, "lp");
  assert.equal(r.status, "optimal");
  assert.equal(r.objective, 1100);
  assert.equal(r.solver.model, "MIP");
  assert.deepEqual(r.variables, { chairs: 20, tables: 10 });
});

test("an MPS model is recognised without a format hint, and gzip is unpacked", async () => {
  const plain = await solveLpFile(SMALL_MPS);
  assert.equal(plain.objective, 4);
  assert.deepEqual(plain.variables, { X: 2, Y: 1 });
  const zipped = await solveLpFile(gzipSync(Buffer.from(SMALL_MPS)));
  assert.equal(zipped.objective, 4);
  const lpZipped = await solveLpFile(gzipSync(Buffer.from(CHAIRS_LP)));
  assert.equal(lpZipped.objective, 1100);
});

test("an infeasible LP file reports status infeasible with no objective", async () => {
  const r = await solveLpFile("Minimize\n obj: x\nSubject To\n c1: x >= 5\n c2: x <= 3\nEnd\n", "lp");
  assert.equal(r.status, "infeasible");
  assert.equal(r.objective, null);
});

test("a file HiGHS cannot read is refused as invalid_request", async () => {
  await assert.rejects(solveLpFile("this is not a model", "mps"), (err: Error & { code?: string }) => err.code === "invalid_request");
  await assert.rejects(solveLpFile(Buffer.from([0x1f, 0x8b, 1, 2, 3])), /gzip/);
});

test("the LP text written for a scenario solves to the same optimum as the scenario itself", async () => {
  const s = parseScenarioText(readFileSync(new URL("../../examples/logistics/small-transport.yaml", import.meta.url), "utf8"));
  const { lp, variables, constraints } = buildLp(s);
  assert.match(lp, /^Minimize$/m);
  assert.ok(variables.some((v) => v.meaning.kind === "short"));
  assert.ok(constraints.some((c) => c.meaning.kind === "demand"));
  const r = await solveLpFile(lp, "lp");
  assert.equal(r.objective, 175);
  // Caveats, shared last legs and shortfall columns survive the round trip as well.
  const storm = parseScenarioText(readFileSync(new URL("../../examples/logistics/infeasible-winter-storm.yaml", import.meta.url), "utf8"));
  const [direct, viaText] = await Promise.all([solvePlan(storm), solveLpFile(buildLp(storm).lp, "lp")]);
  assert.equal(direct.status, "infeasible");
  assert.equal(viaText.objective, direct.objective);
  assert.ok(Object.keys(viaText.variables).some((name) => name.startsWith("exit_")));
});
