// `concord policy check`, driven through its commander registration (the same code bin/concord.js runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { register } from "../../src/cli/commands/policy.ts";

async function concord(...args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string; error: string }> {
  const program = new Command("concord").exitOverride();
  register(program);
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    await program.parseAsync(["node", "concord", ...args]);
    return { ok: true, stdout, stderr, error: "" };
  } catch (e) {
    return { ok: false, stdout, stderr, error: (e as Error).message };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test("concord policy check accepts the shipped schema and policies", async () => {
  const r = await concord("policy", "check", "src/policy/cedar/default.cedar", "src/policy/cedar/concord.cedarschema");
  assert.equal(r.ok, true, r.stderr + r.error);
  assert.match(r.stdout, /ok src\/policy\/cedar\/default\.cedar: base policies, \d+ policies/);
  assert.match(r.stdout, /ok src\/policy\/cedar\/concord\.cedarschema: schema/);
});

test("concord policy check refuses a nation's permit and an attribute the schema lacks, naming each file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "concord-policy-"));
  writeFileSync(join(dir, "DEU.cedar"), '@id("no-comms")\nforbid (principal, action == Concord::Action::"comms.analyze", resource);\n');
  writeFileSync(join(dir, "FRA.cedar"), "permit (principal, action, resource);\n");
  writeFileSync(join(dir, "typo.cedar"), 'permit (principal, action == Concord::Action::"chat", resource) when { principal.rank > 3 };\n');
  const r = await concord("policy", "check", join(dir, "DEU.cedar"), join(dir, "FRA.cedar"), join(dir, "typo.cedar"));
  assert.equal(r.ok, false);
  assert.match(r.stdout, /ok .*DEU\.cedar: DEU policies, 1 policy/);
  assert.match(r.stderr, /FRA\.cedar: .*may only forbid/);
  assert.match(r.stderr, /typo\.cedar: .*rank/);
  assert.match(r.error, /2 of 3 policy files failed/);
});

test("concord policy check names a file it cannot read", async () => {
  const r = await concord("policy", "check", "/nonexistent/DEU.cedar");
  assert.equal(r.ok, false);
  assert.match(r.error, /cannot read \/nonexistent\/DEU\.cedar/);
});
