import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRules, detectEvents } from "../index.ts";

/** Whether a one-rule set with this detection (YAML, indented under `detection:`) fires on the event. */
function fires(detection: string, event: Record<string, unknown>, placeholders?: Record<string, string[]>): boolean {
  const text = `title: t\nid: rule-under-test\nlogsource: { product: test }\ndetection:\n${detection.replace(/^/gm, "    ")}\n`;
  const rs = compileRules([{ path: "t.yml", text }], placeholders ? { placeholders } : {});
  assert.deepEqual(rs.unsupported, [], "the rule must load");
  return detectEvents(rs, [event], { logsource: { product: "test", categories: [], services: [] } }).some((a) => a.rule.id === "rule-under-test");
}

function unsupportedReason(detection: string): string | undefined {
  const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:\n${detection.replace(/^/gm, "    ")}\n`;
  return compileRules([{ path: "t.yml", text }]).unsupported[0]?.reason;
}

const sel = (body: string): string => `sel:\n${body.replace(/^/gm, "    ")}\ncondition: sel`;

test("plain values match whole field values case-insensitively", () => {
  assert.equal(fires(sel("Image: 'C:\\Windows\\cmd.exe'"), { Image: "c:\\windows\\CMD.EXE" }), true);
  assert.equal(fires(sel("Image: 'C:\\Windows\\cmd.exe'"), { Image: "C:\\Windows\\cmd.exe.bak" }), false);
});

test("numbers match numeric and string field values; YAML hex stays text", () => {
  assert.equal(fires(sel("EventID: 4688"), { EventID: 4688 }), true);
  assert.equal(fires(sel("EventID: 4688"), { EventID: "4688" }), true);
  assert.equal(fires(sel("GrantedAccess: 0x1010"), { GrantedAccess: "0x1010" }), true);
  assert.equal(fires(sel("GrantedAccess: 0x1010"), { GrantedAccess: "4112" }), false);
});

test("wildcards: * any run, ? one character, backslash escapes them", () => {
  assert.equal(fires(sel("F: 'a*c'"), { F: "abbbc" }), true);
  assert.equal(fires(sel("F: 'a?c'"), { F: "abc" }), true);
  assert.equal(fires(sel("F: 'a?c'"), { F: "abbc" }), false);
  assert.equal(fires(sel("F: 'a\\*c'"), { F: "a*c" }), true);
  assert.equal(fires(sel("F: 'a\\*c'"), { F: "abc" }), false);
  assert.equal(fires(sel("F: 'a\\?'"), { F: "ab" }), false);
  // A backslash before anything else is itself; a doubled one before a wildcard is one backslash then the wildcard.
  assert.equal(fires(sel("F: 'C:\\Temp\\\\*'"), { F: "C:\\Temp\\x.exe" }), true);
  assert.equal(fires(sel("F: 'C:\\Temp\\x'"), { F: "C:\\Temp\\x" }), true);
});

test("contains, startswith, endswith", () => {
  assert.equal(fires(sel("F|contains: 'mimi'"), { F: "xxMIMIkatz" }), true);
  assert.equal(fires(sel("F|startswith: 'mimi'"), { F: "mimikatz" }), true);
  assert.equal(fires(sel("F|startswith: 'mimi'"), { F: "xmimikatz" }), false);
  assert.equal(fires(sel("F|endswith: '.exe'"), { F: "a.EXE" }), true);
  assert.equal(fires(sel("F|endswith: '.exe'"), { F: "a.exe.txt" }), false);
});

test("a list is OR; all makes it AND", () => {
  assert.equal(fires(sel("F|contains: [a1, b2]"), { F: "xx b2" }), true);
  assert.equal(fires(sel("F|contains|all: [a1, b2]"), { F: "xx b2" }), false);
  assert.equal(fires(sel("F|contains|all: [a1, b2]"), { F: "b2 a1" }), true);
});

test("null matches a missing or null field; '' matches only the empty string", () => {
  assert.equal(fires(sel("F: null"), {}), true);
  assert.equal(fires(sel("F: null"), { F: null }), true);
  assert.equal(fires(sel("F: null"), { F: "" }), false);
  assert.equal(fires(sel("F: ''"), { F: "" }), true);
  assert.equal(fires(sel("F: ''"), {}), false);
});

test("exists checks presence only", () => {
  assert.equal(fires(sel("F|exists: true"), { F: "" }), true);
  assert.equal(fires(sel("F|exists: true"), {}), false);
  assert.equal(fires(sel("F|exists: false"), {}), true);
});

test("cased makes the match case-sensitive", () => {
  assert.equal(fires(sel("F|cased: Secret"), { F: "Secret" }), true);
  assert.equal(fires(sel("F|cased: Secret"), { F: "secret" }), false);
  assert.equal(fires(sel("F|contains|cased: Sec"), { F: "xsec" }), false);
});

test("neq is true when the field differs from every value", () => {
  assert.equal(fires(sel("User|neq: SYSTEM"), { User: "alice" }), true);
  assert.equal(fires(sel("User|neq: SYSTEM"), { User: "system" }), false);
  assert.equal(fires(sel("Port|neq: [80, 443]"), { Port: 443 }), false);
  assert.equal(fires(sel("Port|neq: [80, 443]"), { Port: 22 }), true);
});

test("windash matches every dash form of an option", () => {
  const d = sel("CommandLine|windash|contains: ' -enc '");
  for (const dash of ["-", "/", "\u2013", "\u2014", "\u2015"]) assert.equal(fires(d, { CommandLine: `powershell ${dash}enc AAA` }), true, dash);
  assert.equal(fires(d, { CommandLine: "powershell +enc AAA" }), false);
});

test("re: case-sensitive by default; i, m and s flags", () => {
  assert.equal(fires(sel("F|re: '^ab+c$'"), { F: "abbbc" }), true);
  assert.equal(fires(sel("F|re: '^ab+c$'"), { F: "ABBC" }), false);
  assert.equal(fires(sel("F|re|i: '^ab+c$'"), { F: "ABBC" }), true);
  assert.equal(fires(sel("F|re: '^b$'"), { F: "a\nb" }), false);
  assert.equal(fires(sel("F|re|m: '^b$'"), { F: "a\nb" }), true);
  assert.equal(fires(sel("F|re: 'a.b'"), { F: "a\nb" }), false);
  assert.equal(fires(sel("F|re|s: 'a.b'"), { F: "a\nb" }), true);
  assert.equal(fires(sel("F|re: '(?i)abc'"), { F: "ABC" }), true);
});

test("base64 and base64offset find an encoded value", () => {
  assert.equal(fires(sel("F|base64: 'cmd'"), { F: Buffer.from("cmd").toString("base64") }), true);
  assert.equal(fires(sel("F|base64|contains: 'http://'"), { F: `x ${Buffer.from("http://a").toString("base64")}` }), false);
  for (const prefix of ["", "a", "ab", "abc"]) {
    const encoded = Buffer.from(`${prefix}/bin/bash -i`).toString("base64");
    assert.equal(fires(sel("F|base64offset|contains: '/bin/bash'"), { F: `echo ${encoded} | base64 -d` }), true, prefix);
  }
  assert.equal(fires(sel("F|base64offset|contains: '/bin/bash'"), { F: Buffer.from("/bin/zsh").toString("base64") }), false);
});

test("utf16le/wide, utf16be and utf16 encode before base64", () => {
  const ps = (s: string, enc: "utf16le") => Buffer.from(s, enc).toString("base64");
  assert.equal(fires(sel("F|wide|base64offset|contains: 'iex'"), { F: ps("x iex (new-object)", "utf16le") }), true);
  assert.equal(fires(sel("F|utf16le|base64offset|contains: 'iex'"), { F: ps("y iex", "utf16le") }), true);
  const be = Buffer.from("cmd", "utf16le").swap16().toString("base64");
  assert.equal(fires(sel("F|utf16be|base64: 'cmd'"), { F: be }), true);
  const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("cmd", "utf16le")]).toString("base64");
  assert.equal(fires(sel("F|utf16|base64: 'cmd'"), { F: bom }), true);
});

test("lt, lte, gt, gte compare numbers", () => {
  assert.equal(fires(sel("Size|gt: 100"), { Size: "101" }), true);
  assert.equal(fires(sel("Size|gt: 100"), { Size: 100 }), false);
  assert.equal(fires(sel("Size|gte: 100"), { Size: 100 }), true);
  assert.equal(fires(sel("Size|lt: 10"), { Size: 9.5 }), true);
  assert.equal(fires(sel("Size|lte: 10"), { Size: 11 }), false);
  assert.equal(fires(sel("Size|lt: 10"), { Size: "n/a" }), false);
});

test("cidr matches IPv4 and IPv6 networks", () => {
  assert.equal(fires(sel("Ip|cidr: 10.0.0.0/8"), { Ip: "10.20.30.40" }), true);
  assert.equal(fires(sel("Ip|cidr: 10.0.0.0/8"), { Ip: "11.0.0.1" }), false);
  assert.equal(fires(sel("Ip|cidr: ['192.168.0.0/16', 'fe80::/10']"), { Ip: "FE80::1" }), true);
  assert.equal(fires(sel("Ip|cidr: 'fe80::/10'"), { Ip: "2001:db8::1" }), false);
  assert.equal(fires(sel("Ip|cidr: 10.0.0.0/8"), { Ip: "not an ip" }), false);
});

test("fieldref compares with another field of the same event", () => {
  assert.equal(fires(sel("TargetFilename|fieldref: Image"), { TargetFilename: "C:\\a.exe", Image: "c:\\A.exe" }), true);
  assert.equal(fires(sel("TargetFilename|fieldref: Image"), { TargetFilename: "C:\\a.exe", Image: "C:\\b.exe" }), false);
  assert.equal(fires(sel("User|fieldref|neq: ParentUser"), { User: "a", ParentUser: "b" }), true);
  assert.equal(fires(sel("User|fieldref|neq: ParentUser"), { User: "a", ParentUser: "a" }), false);
  assert.equal(fires(sel("Cmd|fieldref|contains: Name"), { Cmd: "run tool.exe now", Name: "tool.exe" }), true);
});

test("time modifiers extract a part of a timestamp (UTC)", () => {
  const ev = { UtcTime: "2026-04-17 05:24:53.079" };
  assert.equal(fires(sel("UtcTime|hour: 5"), ev), true);
  assert.equal(fires(sel("UtcTime|minute: 24"), ev), true);
  assert.equal(fires(sel("UtcTime|day: 17"), ev), true);
  assert.equal(fires(sel("UtcTime|month: 4"), ev), true);
  assert.equal(fires(sel("UtcTime|year: 2026"), ev), true);
  assert.equal(fires(sel("UtcTime|week: 16"), ev), true);
  assert.equal(fires(sel("UtcTime|hour|gte: 22"), ev), false);
  assert.equal(fires(sel("UtcTime|hour|lt: 6"), ev), true);
});

test("expand substitutes configured placeholder values; an unconfigured one makes the rule unsupported", () => {
  const d = sel("Computer|expand: '%dcs%'");
  assert.equal(fires(d, { Computer: "DC2" }, { dcs: ["DC1", "DC2"] }), true);
  assert.equal(fires(d, { Computer: "WS1" }, { dcs: ["DC1", "DC2"] }), false);
  assert.match(unsupportedReason(d) ?? "", /placeholder %dcs%/);
});

test("array field values match when any element does", () => {
  assert.equal(fires(sel("Tags|contains: evil"), { Tags: ["good", "evil-ish"] }), true);
});

test("dotted field names reach nested JSON", () => {
  assert.equal(fires(sel("userIdentity.type: Root"), { userIdentity: { type: "Root" } }), true);
  assert.equal(fires(sel("id.orig_h: 10.0.0.1"), { "id.orig_h": "10.0.0.1" }), true);
});

test("keywords search every value of the event", () => {
  assert.equal(fires("keywords:\n    - 'mimikatz'\n    - 'sekurlsa'\ncondition: keywords", { msg: "ran SEKURLSA::logonpasswords" }), true);
  assert.equal(fires("keywords:\n    - 'mimikatz'\ncondition: keywords", { msg: "benign" }), false);
  assert.equal(fires("keywords:\n    '|all':\n        - 'a1'\n        - 'b2'\ncondition: keywords", { x: "a1", y: "b2" }), true);
  assert.equal(fires("keywords:\n    '|all':\n        - 'a1'\n        - 'b2'\ncondition: keywords", { x: "a1" }), false);
});

test("unknown and conflicting modifiers are reported, not guessed", () => {
  assert.match(unsupportedReason(sel("F|frobnicate: x")) ?? "", /unknown modifier/);
  assert.match(unsupportedReason(sel("F|startswith|endswith: x")) ?? "", /conflict/);
  assert.match(unsupportedReason(sel("F|re: '(?<=a)b('")) ?? "", /regular expression/);
  assert.match(unsupportedReason(sel("F|cidr: 'nonsense'")) ?? "", /cidr/);
});

test("windash with contains|all: each value is the OR of its dash variants, and all values must match", () => {
  const rule = sel("CommandLine|windash|contains|all:\n  - ' -a'\n  - ' -b'");
  assert.equal(fires(rule, { CommandLine: "tool.exe /a /b" }), true);
  assert.equal(fires(rule, { CommandLine: "tool.exe -a -b" }), true);
  assert.equal(fires(rule, { CommandLine: "tool.exe -a /b" }), true);
  assert.equal(fires(rule, { CommandLine: "tool.exe /a" }), false);
});

test("base64offset with contains|all: each value matches at any of its three offsets, and all values must match", () => {
  const rule = sel("CommandLine|base64offset|contains|all:\n  - IEX\n  - Invoke");
  assert.equal(fires(rule, { CommandLine: "powershell -enc SUVYSW52b2tl" }), true); // base64("IEXInvoke")
  assert.equal(fires(rule, { CommandLine: "powershell -enc eCBJRVggenogSW52b2tlLXk=" }), true); // base64("x IEX z: Invoke-y")
  assert.equal(fires(rule, { CommandLine: "powershell -enc SUVY" }), false); // base64("IEX") only
  const wide = sel("CommandLine|utf16le|base64offset|contains|all:\n  - IEX\n  - Invoke");
  const b64 = (s: string): string => Buffer.from(s, "utf16le").toString("base64");
  assert.equal(fires(wide, { CommandLine: `-enc ${b64("IEX (Invoke-Foo)")}` }), true);
  assert.equal(fires(wide, { CommandLine: `-enc ${b64("x IEX yz Invoke")}` }), true);
  assert.equal(fires(wide, { CommandLine: `-enc ${b64("IEX only")}` }), false);
});

test("out-of-range CIDR prefixes make the rule unsupported with a reason", () => {
  assert.match(unsupportedReason(sel("Ip|cidr: '10.0.0.0/33'")) ?? "", /prefix/);
  assert.match(unsupportedReason(sel("Ip|cidr: '::/129'")) ?? "", /prefix/);
});

test("IPv6 networks do not match plain IPv4 addresses; IPv4 networks still match IPv4-mapped IPv6", () => {
  assert.equal(fires(sel("Ip|cidr: '::/0'"), { Ip: "1.2.3.4" }), false);
  assert.equal(fires(sel("Ip|cidr: '::/64'"), { Ip: "1.2.3.4" }), false);
  assert.equal(fires(sel("Ip|cidr: '::/0'"), { Ip: "2001:db8::1" }), true);
  assert.equal(fires(sel("Ip|cidr: '10.0.0.0/8'"), { Ip: "::ffff:10.0.0.1" }), true);
  assert.equal(fires(sel("Ip|cidr: '10.0.0.0/8'"), { Ip: "10.1.2.3" }), true);
});

test("expand: a backslash before % keeps it plain text, not a placeholder start", () => {
  const ph = { Servers: ["srv1"], plain: ["WRONG"] };
  assert.equal(fires(sel("Host|expand: '\\%plain%Servers%'"), { Host: "%plainsrv1" }, ph), true);
  assert.equal(fires(sel("Host|expand: '\\%plain%Servers%'"), { Host: "WRONGServers%" }, ph), false);
  assert.equal(fires(sel("Host|expand: 'a\\%b\\%c'"), { Host: "a%b%c" }), true);
});

test("wildcard ? matches exactly one character, also one outside the BMP; * and |re are unaffected", () => {
  assert.equal(fires(sel("F: 'a?b'"), { F: "a😀b" }), true);
  assert.equal(fires(sel("F: 'a??b'"), { F: "a😀b" }), false);
  assert.equal(fires(sel("F: 'a??b'"), { F: "a😀xb" }), true);
  assert.equal(fires(sel("F|cased: 'a?b'"), { F: "a😀b" }), true);
  assert.equal(fires(sel("F: '?'"), { F: "😀" }), true);
  assert.equal(fires(sel("F: '*??'"), { F: "😀" }), false);
  assert.equal(fires(sel("F: 'a*b'"), { F: "a😀😀b" }), true);
  assert.equal(fires(sel("F: 'a*?b'"), { F: "a😀b" }), true);
  assert.equal(fires(sel("F|re: '^a..b$'"), { F: "a😀b" }), true); // JavaScript regex: '.' is one UTF-16 unit
});
