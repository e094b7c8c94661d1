import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRules, detectStream, type Alert } from "../../src/workloads/cyber/index.ts";

const RULES = `title: Whoami
id: r-whoami
logsource: { product: windows, category: process_creation }
detection: { sel: { Image|endswith: '\\whoami.exe' }, condition: sel }
---
title: Many whoami per host
id: r-burst
correlation: { type: event_count, rules: [r-whoami], group-by: [Computer], timespan: 1m, condition: { gte: 3 }, generate: true }
---
title: sshd failure
id: r-ssh
logsource: { product: linux, service: sshd }
detection: { keywords: ['Failed password'], condition: keywords }
---
title: auditd execve of nc
id: r-nc
logsource: { product: linux, service: auditd }
detection: { sel: { type: EXECVE, a0: nc }, condition: sel }
`;

const dir = mkdtempSync(join(tmpdir(), "concord-stream-"));
const windows = join(dir, "sysmon.jsonl");
const lines: string[] = [];
for (let i = 0; i < 3000; i++) {
  const image = i % 100 === 0 ? "C:\\Windows\\System32\\whoami.exe" : "C:\\Windows\\notepad.exe";
  lines.push(JSON.stringify({ Event: { System: { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Computer: `h${i % 2}`, TimeCreated: { "#attributes": { SystemTime: new Date(Date.UTC(2026, 0, 1) + i * 100).toISOString() } } }, EventData: { Image: image } } }));
}
writeFileSync(windows, lines.join("\n") + "\n");
const mixed = join(dir, "mixed.log");
writeFileSync(mixed, [
  "<38>Oct 11 22:14:15 gw sshd[77]: Failed password for root from 10.0.0.9 port 2222 ssh2",
  'type=EXECVE msg=audit(1700000000.1:5): argc=2 a0="nc" a1="-lvp"',
  "not a log line at all",
].join("\n"));

async function run(threads: number) {
  const ruleSet = compileRules([{ path: "r.yml", text: RULES }]);
  const alerts: Alert[] = [];
  const summary = await detectStream(ruleSet, [windows, mixed], { threads, onAlert: (a) => alerts.push(a) });
  return { summary, alerts: alerts.map((a) => `${a.rule.id}@${a.source.file}:${a.source.line}`) };
}

test("streaming detection over mixed formats raises rule and correlation alerts at the right lines", async () => {
  const { summary, alerts } = await run(1);
  assert.equal(summary.events, 3003);
  assert.equal(alerts.filter((a) => a.startsWith("r-whoami@")).length, 30);
  assert.ok(alerts.includes(`r-ssh@${mixed}:1`));
  assert.ok(alerts.includes(`r-nc@${mixed}:2`));
  // Whoami every 100 events, alternating two hosts, 10 s apart per host: three within a minute on one host.
  assert.ok(alerts.filter((a) => a.startsWith("r-burst@")).length >= 1);
});

test("worker threads raise the same alerts, in the same order, as one thread", async () => {
  const one = await run(1);
  const two = await run(2);
  assert.deepEqual(two.alerts, one.alerts);
  assert.equal(two.summary.events, one.summary.events);
});
