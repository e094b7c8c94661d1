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
