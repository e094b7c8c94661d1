import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const concord = (...args: string[]) => spawnSync(process.execPath, ["bin/concord.js", ...args], { encoding: "utf8" });

test("concord policy check accepts the shipped schema and policies", () => {
  const r = concord("policy", "check", "src/policy/cedar/default.cedar", "src/policy/cedar/concord.cedarschema");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ok src\/policy\/cedar\/default\.cedar: base policies, \d+ policies/);
});

test("concord policy check refuses a nation's permit and an attribute the schema lacks, naming each file", () => {
  const dir = mkdtempSync(join(tmpdir(), "concord-policy-"));
  writeFileSync(join(dir, "DEU.cedar"), '@id("no-comms")\nforbid (principal, action == Concord::Action::"comms.analyze", resource);\n');
  writeFileSync(join(dir, "FRA.cedar"), "permit (principal, action, resource);\n");
  writeFileSync(join(dir, "typo.cedar"), 'permit (principal, action == Concord::Action::"chat", resource) when { principal.rank > 3 };\n');
  const r = concord("policy", "check", join(dir, "DEU.cedar"), join(dir, "FRA.cedar"), join(dir, "typo.cedar"));
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /ok .*DEU\.cedar: DEU policies, 1 policy/);
  assert.match(r.stderr, /FRA\.cedar: .*may only forbid/);
  assert.match(r.stderr, /typo\.cedar: .*rank/);
  assert.match(r.stderr, /2 of 3 policy files failed/);
});
