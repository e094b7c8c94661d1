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

test("detectEvents refuses events that are not JSON objects with InvalidRequest", () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }]);
  assert.throws(() => detectEvents(rs, ["text"]), InvalidRequest);
  assert.equal(detectEvents(rs, [{ message: "x" }]).length, 0);
});

test("an event of unknown origin can be given a log source", () => {
  const rs = compileRules([{ path: "r.yml", text: RULE }]);
  const ev = { msg: "COMMAND=/bin/sh" };
  assert.equal(detectEvents(rs, [ev], { logsource: { product: "linux", categories: [], services: ["sudo"] } }).length, 1);
  assert.equal(detectEvents(rs, [ev], { logsource: { product: "windows", categories: [], services: [] } }).length, 0);
});
