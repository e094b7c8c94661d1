import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { compileRules, detectEvents, detectText } from "./index.ts";
import { InvalidRequest } from "../../errors/index.ts";

const RULE = `title: sudo to root shell
id: r-sudo
status: experimental
level: medium
tags: [attack.privilege-escalation]
logsource: { product: linux, service: sudo }
detection: { keywords: ['COMMAND=/bin/sh'], condition: keywords }
`;

test("detectText reads a syslog body (plain or gzip) and returns alerts with their lines", async () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }]);
  const body = "Oct 11 22:14:15 h sshd[1]: Accepted publickey\nOct 11 22:14:16 h sudo[2]: bob : TTY=pts/0 ; USER=root ; COMMAND=/bin/sh\n";
  for (const input of [body, gzipSync(Buffer.from(body))]) {
    const out = await detectText(rs, input, { source: "upload.log" });
    assert.equal(out.events, 2);
    assert.deepEqual(out.alerts.map((a) => [a.rule.id, a.rule.status, a.source.file, a.source.line]), [["r-sudo", "experimental", "upload.log", 2]]);
  }
});

test("detectEvents refuses events that are neither JSON objects nor log lines with InvalidRequest", () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }]);
  assert.throws(() => detectEvents(rs, [42]), InvalidRequest);
  assert.throws(() => detectEvents(rs, [["a"]]), InvalidRequest);
  assert.equal(detectEvents(rs, [{ message: "x" }]).length, 0);
});

test("detectEvents reads raw log lines as the CLI reads a file: syslog, and Zeek TSV after its header lines", () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }, { path: "z.yml", text: "title: z\nid: z-dns\nlogsource: { product: zeek, service: dns }\ndetection: { sel: { query: evil.example }, condition: sel }\n" }]);
  const alerts = detectEvents(rs, ["Oct 11 22:14:15 h sshd[1]: Accepted", "Oct 11 22:14:16 h sudo[2]: bob : TTY=pts/0 ; USER=root ; COMMAND=/bin/sh"]);
  assert.deepEqual(alerts.map((a) => [a.rule.id, a.source.line]), [["r-sudo", 2]]);
  const zeek = ["#separator \\x09", "#path\tdns", "#fields\tts\tquery", "1.0\tevil.example"];
  assert.deepEqual(detectEvents(rs, zeek).map((a) => a.rule.id), ["z-dns"]);
});

test("an event of unknown origin can be given a log source", () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }]);
  const ev = { msg: "COMMAND=/bin/sh" };
  assert.equal(detectEvents(rs, [ev], { logsource: { product: "linux", categories: [], services: ["sudo"] } }).length, 1);
  assert.equal(detectEvents(rs, [ev], { logsource: { product: "windows", categories: [], services: [] } }).length, 0);
});

const WHOAMI = `title: whoami
id: r-whoami
logsource: { product: windows, category: process_creation }
detection: { sel: { Image|endswith: '\\whoami.exe' }, condition: sel }
`;
const whoamiOn = (host: string) => ({ EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Image: "C:\\Windows\\System32\\whoami.exe", Computer: host });

test("a meta filter's condition joins its rule's with AND: `not selection` keeps what the selection does not match", () => {
  const filter = (logsource: string, rules: string) => `title: not on domain controllers\nlogsource: ${logsource}\nfilter:\n  rules: ${rules}\n  selection: { Computer|startswith: 'DC' }\n  condition: not selection\n`;
  const hosts = (text: string) => detectEvents(compileRules([{ path: "r.yml", text: `${WHOAMI}---\n${text}` }]), [whoamiOn("DC01"), whoamiOn("WS07")]).map((a) => a.matched.Image && (a.event as { Computer: string }).Computer);
  assert.deepEqual(hosts(filter("{ product: windows, category: process_creation }", "[r-whoami]")), ["WS07"]);
  assert.deepEqual(hosts(filter("{ product: windows }", "any")), ["WS07"]);
  // A filter for another log source leaves the rule alone.
  assert.deepEqual(hosts(filter("{ product: linux }", "[r-whoami]")), ["DC01", "WS07"]);
});

test("a record nested ten thousand levels deep is searched without overflowing the stack, and its alert leaves it out", () => {
  const rs = compileRules([{ path: "k.yml", text: "title: k\nid: r-k\nlogsource: { product: acme }\ndetection: { keywords: [needle-zz], condition: keywords }\n" }]);
  let deep: unknown = "needle-zz";
  for (let i = 0; i < 10_000; i++) deep = { a: deep };
  const alerts = detectEvents(rs, [deep, { x: "needle-zz" }]);
  assert.equal(alerts.length, 2);
  assert.match(JSON.stringify(alerts[0]!.event), /nests deeper than/);
  assert.deepEqual(alerts[1]!.event, { x: "needle-zz" });
});

test("a second rule with an id already loaded is reported with both rules named, and only the first runs", () => {
  const rule = (title: string, field: string) => `title: ${title}\nid: 0b8e7c1a-0000-4000-8000-000000000001\nlogsource: { product: acme }\ndetection: { sel: { ${field}: x }, condition: sel }\n`;
  const rs = compileRules([{ path: "a.yml", text: rule("first", "A") }, { path: "b.yml", text: rule("second", "B") }]);
  assert.equal(rs.detections.length, 1);
  assert.equal(rs.unsupported.length, 1);
  assert.equal(rs.unsupported[0]!.file, "b.yml");
  assert.match(rs.unsupported[0]!.reason, /duplicate id '0b8e7c1a-0000-4000-8000-000000000001': 'first' in a\.yml/);
  assert.deepEqual(detectEvents(rs, [{ A: "x" }, { B: "x" }]).map((a) => a.rule.title), ["first"]);
});
