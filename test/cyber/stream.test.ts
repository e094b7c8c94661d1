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

test("worker threads infer the years of syslog stamps as one thread does, across batches", async () => {
  // One stamp well before "now", then a long run dated more than a day ahead of it: the year of the run comes from
  // the stamps before it (carried across New Year), not from the clock, however the file is cut into batches.
  const now = new Date();
  const stamp = (d: Date) => `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, " ")} ${d.toISOString().slice(11, 19)}`;
  const early = new Date(now.getTime() - 6 * 86_400_000);
  const ahead = new Date(now.getTime() + 5 * 86_400_000);
  const file = join(dir, "auth.log");
  const rows = [`<38>${stamp(early)} srv1 sshd[1]: Failed password for bob`];
  for (let i = 0; i < 20_000; i++) rows.push(`<38>${stamp(new Date(ahead.getTime() + i * 1000))} srv1 sshd[1]: Failed password for bob`);
  writeFileSync(file, rows.join("\n") + "\n");
  const rules = `title: sshd failure\nid: r-ssh\nlogsource: { product: linux, service: sshd }\ndetection: { keywords: ['Failed password'], condition: keywords }\n---\ntitle: every failure\nid: r-each\ncorrelation: { type: event_count, rules: [r-ssh], group-by: [host], timespan: 1s, condition: { gte: 1 } }\n`;
  const years = async (threads: number) => {
    const seen = new Map<string, number>();
    await detectStream(compileRules([{ path: "r.yml", text: rules }]), [file], { threads, onAlert: (a) => {
      for (const e of a.correlation?.events ?? []) seen.set(e.time.slice(0, 4), (seen.get(e.time.slice(0, 4)) ?? 0) + 1);
    } });
    return [...seen].sort();
  };
  const one = await years(1);
  assert.deepEqual(await years(2), one);
  assert.equal(one.length, 1, `one year for every stamp: ${JSON.stringify(one)}`);
});
