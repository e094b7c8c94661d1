import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileRules } from "./ruleset.ts";
import { detectEvents } from "../index.ts";
import { Matcher } from "./ruleset.ts";
import { SigmaEvent, type EventLogsource } from "../event.ts";
import { admits } from "../logsource.ts";
import { Automaton, FOLDS_TO_ASCII } from "./automaton.ts";

const RULES = `
title: endswith
id: r1
logsource: { product: windows, category: process_creation }
detection: { sel: { Image|endswith: ['\\\\cmd.exe', '\\\\pwsh.exe'] }, condition: sel }
---
title: contains all and not
id: r2
logsource: { product: windows, category: process_creation }
detection: { sel: { CommandLine|contains|all: [' -enc ', 'hidden'] }, filter: { User: admin }, condition: sel and not filter }
---
title: only a regex (unindexed)
id: r3
logsource: { product: windows }
detection: { sel: { CommandLine|re: 'a[0-9]+b' }, condition: sel }
---
title: one of two selections
id: r4
logsource: { product: windows, category: process_creation }
detection: { sel_a: { ParentImage|contains: 'winword' }, sel_b: { CommandLine|startswith: 'rundll32' }, condition: 1 of sel_* }
---
title: linux only
id: r5
logsource: { product: linux, category: process_creation }
detection: { sel: { Image|endswith: '/sh' }, condition: sel }
---
title: keyword
id: r6
logsource: { product: windows }
detection: { keywords: ['mimikatz'], condition: keywords }
---
title: two selections on different fields (two clauses)
id: r7
logsource: { product: windows, category: process_creation }
detection: { sel_img: { Image|endswith: '\\\\cmd.exe' }, sel_cmd: { CommandLine|contains: 'hidden' }, condition: sel_img and sel_cmd }
---
title: a disjunction of conjunctions
id: r8
logsource: { product: windows }
detection:
  a1: { Image|endswith: 'pwsh.exe', User: bob }
  b1: { ParentImage|contains: winword }
  b2: { CommandLine|startswith: 'rundll32' }
  condition: a1 or (b1 and b2)
---
title: all of the selections, one of them with contains all and a cased value
id: r9
logsource: { product: windows }
detection:
  sel_x: { CommandLine|contains|all: ['-enc', 'AAA'] }
  sel_y: { User|cased: admin }
  condition: all of sel_*
---
title: kill keyword, all of two
id: r10
logsource: { product: windows }
detection: { keywords: { '|all': ['kill', 'cmd'] }, condition: keywords }
---
title: a whole value whose lower-case form is longer than the value (U+0130)
id: r11
logsource: { product: windows }
detection: { sel: { User: "\u0130nfo" }, condition: sel }
`;

const WORDS = [
  "C:\\Windows\\cmd.exe", "C:\\x\\pwsh.exe", "/bin/sh", "powershell -enc AAA hidden", "a12b", "winword.exe", "rundll32 x.dll",
  "mimikatz", "admin", "bob", "", "CMD.EXE", "C:\\X\\CMD.EXE -ENC aaa HIDDEN", "ADMIN", "BOB", "WINWORD.EXE", "RunDLL32 y",
  "\u212Aill cmd", "\u0130 MIMIKATZ", "r\u00e9sum\u00e9 \\cmd.exe", "\u0130NFO", "i\u0307nfo", "info", "\u0130nf",
];
const LOGSOURCES: Array<EventLogsource | null> = [
  { product: "windows", categories: ["process_creation"], services: ["sysmon"] },
  { product: "windows", categories: [], services: ["security"] },
  { product: "linux", categories: ["process_creation"], services: [] },
  null,
];

test("the index finds exactly the rules a full scan of admitted rules finds", () => {
  const rs = compileRules([{ path: "r.yml", text: RULES }]);
  assert.equal(rs.detections.length, 11);
  const matcher = new Matcher(rs.detections);
  const field = fc.constantFrom(...WORDS);
  fc.assert(
    fc.property(field, field, field, field, fc.constantFrom(...LOGSOURCES.keys()), (image, cmd, parent, user, ls) => {
      const ev = new SigmaEvent({ Image: image, CommandLine: cmd, ParentImage: parent, User: user }, LOGSOURCES[ls]!, undefined, { file: "f", line: 1 });
      const expected = rs.detections.flatMap((r, i) => (admits(r.info.logsource, ev.logsource) && r.detection.test(ev) ? [i] : []));
      assert.deepEqual(matcher.match(ev), expected);
    }),
    { numRuns: 2000 },
  );
});

test("a rule set is tried only on events whose log source it admits", () => {
  const rs = compileRules([{ path: "r.yml", text: RULES }]);
  const matcher = new Matcher(rs.detections);
  const ev = (ls: EventLogsource | null) => new SigmaEvent({ Image: "/bin/sh" }, ls, undefined, { file: "f", line: 1 });
  assert.deepEqual(matcher.match(ev(LOGSOURCES[0]!)), []);
  assert.deepEqual(matcher.match(ev(LOGSOURCES[2]!)).map((i) => rs.detections[i]!.info.id), ["r5"]);
  assert.deepEqual(matcher.match(ev(null)).map((i) => rs.detections[i]!.info.id), ["r5"]);
});

test("the automaton reports every occurrence of every pattern, overlapping ones included", () => {
  const a = Automaton.build([{ text: "he", value: 1 }, { text: "she", value: 2 }, { text: "his", value: 3 }, { text: "hers", value: 4 }]);
  const hits: number[] = [];
  a.scan("ushers", { hit: (v) => hits.push(v) });
  assert.deepEqual(hits.sort(), [1, 2, 4]);
});

test("the automaton ignores case, and finds letters that only lower-casing makes ASCII", () => {
  const a = Automaton.build([{ text: "\\cmd.exe", value: 1 }, { text: "kill", value: 2 }]);
  const found = (text: string): number[] => {
    const hits = new Set<number>();
    a.scan(text, { hit: (v) => hits.add(v) });
    return [...hits].sort();
  };
  assert.deepEqual(found("C:\\Windows\\CMD.EXE"), [1]);
  // U+212A KELVIN SIGN lower-cases to an ASCII "k"; U+0130 to "i" and a combining dot (a longer string).
  assert.deepEqual(found("\u212AILL"), [2]);
  assert.deepEqual(found("\u0130 \\cmd.exe KILL"), [1, 2]);
  assert.deepEqual(found("c:\\cmd.ex"), []);
});

test("the table of non-ASCII characters that lower-case to ASCII is complete", () => {
  const found = new Map<number, string>();
  for (let c = 0x80; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if ([...lower].some((ch) => ch.charCodeAt(0) < 128)) found.set(c, lower);
  }
  assert.deepEqual([...found], [...FOLDS_TO_ASCII]);
});

/** Every (pattern value) found in `text` by plain lower-casing and searching: what a scan must report at least. */
function naiveHits(patterns: ReadonlyArray<{ text: string; value: number }>, text: string): number[] {
  const lower = text.toLowerCase();
  return [...new Set(patterns.filter((p) => lower.includes(p.text)).map((p) => p.value))].sort((a, b) => a - b);
}

function scanHits(a: Automaton, text: string): number[] {
  const hits = new Set<number>();
  a.scan(text, { hit: (v) => hits.add(v) });
  return [...hits].sort((x, y) => x - y);
}

test("the automaton finds what lower-casing and searching finds (its superset only ever differs on non-ASCII text)", () => {
  const unit = fc.constantFrom("a", "B", "k", "\u212A", "\u0130", "i", "\u0307", "\\", ".", "\u00e9", "\u00c9", "x");
  const str = (max: number) => fc.array(unit, { minLength: 1, maxLength: max }).map((u) => u.join(""));
  fc.assert(
    fc.property(fc.array(str(4), { minLength: 1, maxLength: 8 }), str(16), (texts, text) => {
      const patterns = texts.map((t, i) => ({ text: t.toLowerCase(), value: i }));
      const a = Automaton.build(patterns);
      const found = scanHits(a, text);
      const expected = naiveHits(patterns, text);
      for (const v of expected) assert.ok(found.includes(v), `missed ${JSON.stringify(patterns[v]!.text)} in ${JSON.stringify(text)}`);
      // Extra reports come only from folding non-ASCII characters together.
      if (!/[^\x00-\x7f]/.test(text + texts.join(""))) assert.deepEqual(found, expected);
    }),
    { numRuns: 3000 },
  );
});

test("an automaton with more than 65536 states (32-bit table) finds the same as a naive search", () => {
  // 9000 pseudo-random 10-letter patterns share few prefixes: well over 65536 trie states.
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const patterns: Array<{ text: string; value: number }> = [];
  let seed = 0x9e3779b9;
  const rnd = (): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % 26;
  };
  for (let i = 0; i < 9000; i++) patterns.push({ text: Array.from({ length: 10 }, () => letters[rnd()]).join(""), value: i });
  const a = Automaton.build(patterns);
  assert.ok(a.states > 65536, `only ${a.states} states`);
  const texts = [patterns[0]!.text.toUpperCase(), `x ${patterns[8999]!.text} y ${patterns[4500]!.text}`, "no match here at all", patterns[17]!.text.slice(1)];
  for (const t of texts) assert.deepEqual(scanHits(a, t), naiveHits(patterns, t));
  assert.equal(scanHits(a, texts[1]!).length >= 2, true);
});

test("numbers and booleans are searched by keywords that could occur in them, and matched by whole-value and substring rules", () => {
  const rs = compileRules([{ path: "n.yml", text: `
title: keyword that is a number
id: n1
logsource: { product: windows }
detection: { keywords: ['4624'], condition: keywords }
---
title: keyword with letters
id: n2
logsource: { product: windows }
detection: { keywords: ['mimikatz'], condition: keywords }
---
title: whole number value
id: n3
logsource: { product: windows }
detection: { sel: { EventID: 4688, LogonType: 3 }, condition: sel }
---
title: number value contains
id: n4
logsource: { product: windows }
detection: { sel: { ProcessId|endswith: '99' }, condition: sel }
---
title: boolean keyword
id: n5
logsource: { product: windows }
detection: { keywords: ['true'], condition: keywords }
` }]);
  const matcher = new Matcher(rs.detections);
  const ls: EventLogsource = { product: "windows", categories: [], services: [] };
  const fired = (fields: Record<string, unknown>): string[] =>
    matcher.match(new SigmaEvent(fields, ls, undefined, { file: "f", line: 1 })).map((i) => rs.detections[i]!.info.id);
  assert.deepEqual(fired({ EventID: 4624, Other: "x" }), ["n1"]);
  assert.deepEqual(fired({ EventID: 14624 }), ["n1"]);
  assert.deepEqual(fired({ EventID: 4688, LogonType: 3 }), ["n3"]);
  assert.deepEqual(fired({ EventID: 4688, LogonType: "3" }), ["n3"]);
  assert.deepEqual(fired({ ProcessId: 1099, Signed: true }), ["n4", "n5"]);
  assert.deepEqual(fired({ ProcessId: 1098, Signed: false }), []);
  // Every fired set is what testing every rule finds.
  for (const f of [{ EventID: 4624 }, { ProcessId: 99, EventID: 4688, LogonType: 3 }, { A: [4624, true] }]) {
    const ev = new SigmaEvent(f, ls, undefined, { file: "f", line: 1 });
    assert.deepEqual(matcher.match(ev), rs.detections.flatMap((r, i) => (r.detection.test(ev) ? [i] : [])));
  }
});

test("a Sigma 1 rule collection: a global template merged into each rule until reset, a repeat merged over the rule before", () => {
  const rs = compileRules([{ path: "c.yml", text: `action: global
title: certutil use
logsource: { product: windows, category: process_creation }
detection:
  base: { Image|endswith: '\\certutil.exe' }
  condition: base and sel
level: high
---
id: c-1
detection:
  sel: { CommandLine|contains: urlcache }
---
action: repeat
id: c-2
detection:
  sel: { CommandLine|contains: decode }
---
action: reset
---
id: c-3
title: alone
logsource: { product: windows }
detection: { sel: { Image: x }, condition: sel }
---
action: jump
` }]);
  assert.deepEqual(rs.detections.map((r) => [r.info.id, r.info.title, r.info.level]), [["c-1", "certutil use", "high"], ["c-2", "certutil use", "high"], ["c-3", "alone", "medium"]]);
  assert.match(rs.unsupported[0]?.reason ?? "", /unknown rule collection action 'jump'/);
  const ev = (cmd: string) => ({ Image: "C:\\Windows\\System32\\certutil.exe", CommandLine: cmd, EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational" });
  assert.deepEqual(detectEvents(rs, [ev("certutil -urlcache -f http://x")]).map((a) => a.rule.id), ["c-1"]);
  assert.deepEqual(detectEvents(rs, [ev("certutil -decode a b")]).map((a) => a.rule.id), ["c-2"]);
});
