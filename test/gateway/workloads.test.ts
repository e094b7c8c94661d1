import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

// A rule written here (not from the corpus): a process launched with an encoded PowerShell command.
const RULE = `title: Encoded PowerShell command line
id: 6b1f2b7e-0000-4000-8000-000000000001
status: test
level: high
tags: [attack.execution, attack.t1059.001]
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\powershell.exe'
    CommandLine|contains: [' -enc ', ' -EncodedCommand ']
  condition: selection
`;

describe("cyber and logistics workloads over HTTP", () => {
  let gw: RunningServer, token: string;
  before(async () => {
    gw = await startGateway({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } } });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => { await gw.close(); });

  test("detect runs the request's Sigma rules over its events and reports the matching one", async () => {
    const events = [
      { Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd /c dir" },
      { Image: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", CommandLine: "powershell.exe -NoP -enc SQBFAFgA" },
    ];
    const r = await call(gw.url, "/v1/workloads/detect", { token, body: { rules: [RULE], events, logsource: { product: "windows", category: "process_creation" } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.alerts.length, 1);
    assert.equal(r.json.alerts[0].rule.id, "6b1f2b7e-0000-4000-8000-000000000001");
    assert.equal(r.json.alerts[0].source.line, 2);
  });

  test("detect without rules and none configured says what to configure", async () => {
    const r = await call(gw.url, "/v1/workloads/detect", { token, body: { events: [{ a: 1 }] } });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /workloads\.sigma_rules/);
  });

  test("detect with an empty rule list is a bad request, not a run that can find nothing", async () => {
    const r = await call(gw.url, "/v1/workloads/detect", { token, body: { rules: [], events: [{ a: 1 }] } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, "invalid_request");
    assert.match(r.json.error.message, /at least one rule/);
  });

  test("a rule the engine cannot evaluate is reported with its reason, not silently skipped", async () => {
    const bad = RULE.replace("CommandLine|contains", "CommandLine|nosuchmodifier").replace("000000000001", "000000000002");
    const r = await call(gw.url, "/v1/workloads/detect", { token, body: { rules: [bad], events: [{ Image: "x" }] } });
    assert.equal(r.status, 200);
    assert.equal(r.json.unsupported_rules[0].id, "6b1f2b7e-0000-4000-8000-000000000002");
    assert.match(r.json.unsupported_rules[0].reason, /nosuchmodifier/);
  });

  test("a logistics plan is solved and explained", async () => {
    const scenario = parseYaml(readFileSync(resolve(import.meta.dirname, "../../examples/logistics/small-transport.yaml"), "utf8"));
    const r = await call(gw.url, "/v1/workloads/logistics/plan", { token, body: scenario });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, "optimal");
    assert.equal(typeof r.json.objective, "number");
  });

  test("an invalid scenario gets 400 naming the field", async () => {
    const r = await call(gw.url, "/v1/workloads/logistics/plan", { token, body: { name: "x", supply: "nope" } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, "invalid_request");
    assert.match(r.json.error.message, /supply/);
  });
});
