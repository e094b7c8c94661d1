import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = mkdtempSync(join(tmpdir(), "concord-detect-"));
const rule = join(dir, "rule.yml");
writeFileSync(rule, `title: Whoami execution
id: 11111111-2222-3333-4444-555555555555
status: test
level: high
tags: [attack.discovery, attack.t1033]
logsource: { product: windows, category: process_creation }
detection:
    sel:
        Image|endswith: '\\whoami.exe'
    condition: sel
`);
const sysmon = (image: string) => JSON.stringify({
  Event: { System: { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational" }, EventData: { Image: image, CommandLine: "whoami /all" } },
});

function concord(args: string[], input?: string | Buffer) {
  return spawnSync(process.execPath, ["bin/concord.js", "detect", ...args], { input, encoding: "utf8" });
}

test("concord detect prints one JSON alert line per (rule, event) with rule, source line, matched fields and event", () => {
  const log = join(dir, "events.jsonl.gz");
  writeFileSync(log, gzipSync(Buffer.from([sysmon("C:\\Windows\\notepad.exe"), sysmon("C:\\Windows\\System32\\whoami.exe")].join("\n") + "\n")));
  const r = concord(["--rules", rule, log]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  const alert = JSON.parse(lines[0]!);
  assert.deepEqual(alert.rule, { id: "11111111-2222-3333-4444-555555555555", title: "Whoami execution", level: "high", status: "test", tags: ["attack.discovery", "attack.t1033"] });
  assert.deepEqual(alert.source, { file: log, line: 2 });
  assert.deepEqual(alert.matched, { Image: "C:\\Windows\\System32\\whoami.exe" });
  assert.equal(alert.event.Event.EventData.CommandLine, "whoami /all");
  assert.match(r.stderr, /1 rules loaded, 0 unsupported/);
});

test("concord detect reads stdin with '-' and prints text with --format text", () => {
  const r = concord(["--rules", dir, "--format", "text", "-"], sysmon("C:\\x\\WHOAMI.EXE") + "\n");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HIGH\s+Whoami execution \[11111111-2222-3333-4444-555555555555\] stdin:1 {2}Image=C:\\x\\WHOAMI.EXE\n$/);
});

test("concord detect refuses a rules path that does not exist with one line and exit 2", () => {
  const r = concord(["--rules", join(dir, "missing"), "-"], "");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^concord: rules path .* does not exist/);
});

test("concord detect lists each unsupported rule with id and reason when no rule loads, and exits non-zero", () => {
  const bad = join(dir, "bad-only.yml");
  writeFileSync(bad, `title: a\nid: bad-one\nlogsource: { product: p }\ndetection:\n    sel:\n        F|frobnicate: x\n    condition: sel\n---\ntitle: b\nid: bad-two\nlogsource: { product: p }\ndetection:\n    sel:\n        Ip|cidr: '10.0.0.0/33'\n    condition: sel\n`);
  const r = concord(["--rules", bad, "-"], "");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /bad-one.*frobnicate/);
  assert.match(r.stderr, /bad-two.*prefix/);
  assert.match(r.stderr, /no rule could be loaded/);
});

test("concord detect reports a rule with an out-of-range CIDR prefix as unsupported and runs the others", () => {
  const mixed = join(dir, "mixed.yml");
  writeFileSync(mixed, `title: a\nid: cidr-33\nlogsource: { product: windows }\ndetection:\n    sel:\n        Ip|cidr: '10.0.0.0/33'\n    condition: sel\n---\ntitle: b\nid: cidr-129\nlogsource: { product: windows }\ndetection:\n    sel:\n        Ip|cidr: '::/129'\n    condition: sel\n`);
  const r = concord(["--rules", mixed, rule, "--show-unsupported", "-"], sysmon("C:\\Windows\\System32\\whoami.exe") + "\n");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /1 rules loaded, 2 unsupported/);
  assert.match(r.stderr, /cidr-33.*prefix/);
  assert.match(r.stderr, /cidr-129.*prefix/);
  assert.equal(r.stdout.trim().split("\n").length, 1);
});
