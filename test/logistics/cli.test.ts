import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const concord = (...args: string[]) => spawnSync(process.execPath, ["bin/concord.js", ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });

test("concord plan prints JSON with status and objective, and its exit status says whether every demand is met", () => {
  const ok = concord("plan", "examples/logistics/small-transport.yaml");
  assert.equal(ok.status, 0, ok.stderr);
  const plan = JSON.parse(ok.stdout) as { status: string; objective: number };
  assert.deepEqual([plan.status, plan.objective], ["optimal", 175]);

  const short = concord("plan", "examples/logistics/infeasible-winter-storm.yaml", "--format", "text");
  assert.equal(short.status, 1);
  assert.match(short.stdout, /Status: infeasible/);
  assert.match(short.stdout, /ITA's goods may not be delivered to Tallinn/);
});
