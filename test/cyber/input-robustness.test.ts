import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { readRecords } from "../../src/workloads/cyber/input/read.ts";
import { decodeRecord, newDecoderState } from "../../src/workloads/cyber/input/decode.ts";

async function records(text: string) {
  const out = [];
  for await (const batch of readRecords(Readable.from([Buffer.from(text)]))) out.push(...batch);
  return out;
}

/** Each record as [line, parsed JSON or "BAD"]. */
async function parsed(text: string): Promise<Array<[number, unknown]>> {
  return (await records(text)).map((r) => {
    try {
      return [r.line, JSON.parse(r.text)];
    } catch {
      return [r.line, "BAD"];
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), "concord-input-"));
const rule = join(dir, "rule.yml");
writeFileSync(rule, "title: f is x\nid: f-is-x\nlogsource: { product: probe }\ndetection:\n  sel:\n    F: x\n  condition: sel\n");

function detect(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["bin/concord.js", "detect", "--no-event", "--rules", rule, ...args], { input, encoding: "utf8" });
  const lines = r.stdout.split("\n").filter((l) => l !== "").map((l) => (JSON.parse(l) as { source: { line: number } }).source.line);
  return { lines, stderr: r.stderr, status: r.status };
}

test("reader: a truncated JSON line is one bad record and every later line is still read", async () => {
  assert.deepEqual(await parsed('{"F":"x"}\n{"F":"x"\n{"F":"x"}\n{"F":"x"}\n'), [[1, { F: "x" }], [2, "BAD"], [3, { F: "x" }], [4, { F: "x" }]]);
  // Cut after a key, so the next line would pass as its value: still only the cut line is lost.
  assert.deepEqual(await parsed('{"F":"x","G":\n{"F":"x"}\n{"F":"x"}\n'), [[1, "BAD"], [2, { F: "x" }], [3, { F: "x" }]]);
  // Cut inside a string, inside an array, after a comma; and as the last line of the file.
  assert.deepEqual(await parsed('{"F":"x\n[{"F":1},\n{"F":"x",\n{"a":1}\n{"F":"x"'), [[1, "BAD"], [2, "BAD"], [3, "BAD"], [4, { a: 1 }], [5, "BAD"]]);
});

test("reader: a line that opens a bracket but is not JSON does not swallow the text lines after it", async () => {
  const recs = await records("[INFO] worker [starting\nOct 11 22:14:15 host sshd[1]: ok\n{broken\nplain text\n");
  assert.deepEqual(recs.map((r) => [r.line, r.text]), [
    [1, "[INFO] worker [starting"], [2, "Oct 11 22:14:15 host sshd[1]: ok"], [3, "{broken"], [4, "plain text"],
  ]);
});

test("reader: pretty-printed documents still span lines (objects, arrays of objects one per line, unindented), also after a broken one", async () => {
  const pretty = JSON.stringify({ a: { b: [1, { c: "}{[" }] }, d: "x" }, null, 2);
  const arrayLines = '[\n{"F":"x"},\n{"F":"y"}\n]';
  const unindented = '{\n"a": [\n{\n"b": 1\n},\n{}\n]\n}';
  const text = `${pretty}\n${arrayLines}\n${unindented}\n{\n  "a": 1\n  "b": 2\n}\n${pretty}\n{"F":"x"}\n`;
  const got = await parsed(text);
  const n = pretty.split("\n").length;
  assert.deepEqual(got.slice(0, 3), [[1, JSON.parse(pretty)], [n + 1, [{ F: "x" }, { F: "y" }]], [n + 5, JSON.parse(unindented)]]);
  const broken = n + 5 + unindented.split("\n").length;
  // The broken document is reported from its first line; nothing after it is lost.
  assert.deepEqual(got[3], [broken, "BAD"]);
  assert.deepEqual(got.slice(-2), [[broken + 4, JSON.parse(pretty)], [broken + 4 + n, { F: "x" }]]);
});

test("reader: any sequence of JSON documents, compact or pretty-printed with any indentation, comes back one record each", async () => {
  const doc = fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(doc, fc.constantFrom(undefined, 0, 1, 2, "\t")), { minLength: 1, maxLength: 6 }), async (docs) => {
      const texts = docs.map(([d, indent]) => JSON.stringify(d, null, indent));
      const starts = texts.map((_, i) => 1 + texts.slice(0, i).reduce((n, t) => n + t.split("\n").length, 0));
      const got = await parsed(texts.join("\n") + "\n");
      assert.deepEqual(got, docs.map(([d], i) => [starts[i], JSON.parse(JSON.stringify(d))]));
    }),
    { numRuns: 300 },
  );
});

test("reader: a JSON line cut anywhere loses only that line", async () => {
  const obj = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 });
  await fc.assert(
    fc.asyncProperty(fc.array(obj, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), async (objs, which, where) => {
      const bad = which % objs.length;
      const lines = objs.map((o) => JSON.stringify(o));
      lines[bad] = lines[bad]!.slice(0, 1 + (where % (lines[bad]!.length - 1)));
      const got = await parsed(lines.join("\n") + "\n");
      assert.deepEqual(got, objs.map((o, i) => [i + 1, i === bad ? "BAD" : JSON.parse(JSON.stringify(o))]));
    }),
    { numRuns: 500 },
  );
});

test("concord detect: a truncated line is reported with file and line, and the lines after it are evaluated (file, stdin, json format)", () => {
  const file = join(dir, "trunc.jsonl");
  writeFileSync(file, '{"F":"x"}\n{"F":"x"\n{"F":"x"}\n{"F":"x"}\n');
  for (const args of [[file], ["--input-format", "json", file]]) {
    const r = detect(args);
    assert.deepEqual(r.lines, [1, 3, 4], args.join(" "));
    assert.match(r.stderr, /3 events in 1 file\(s\), 3 alerts, 1 undecodable records \(first: \S*trunc\.jsonl:2 not valid JSON\)/);
  }
  assert.deepEqual(detect(["-"], '{"F":"x"\n{"F":"x"}\n').lines, [2]);
});

test("concord detect: a bad first line followed by many valid lines loses only that line", () => {
  const file = join(dir, "many.jsonl");
  writeFileSync(file, '{"F":"x"\n' + '{"F":"y"}\n'.repeat(50_000) + '{"F":"x"}\n');
  const r = detect([file]);
  assert.deepEqual(r.lines, [50_002]);
  assert.match(r.stderr, /50001 events in 1 file\(s\), 1 alerts, 1 undecodable records \(first: \S*many\.jsonl:1 not valid JSON\)/);
});

test("Windows: a Data-list name with spaces is also offered without them, as EventData names are", () => {
  const st = newDecoderState("f");
  const system = { EventID: 4657, Channel: "Security" };
  const list = decodeRecord(st, JSON.stringify({ Event: { System: system, EventData: { Data: [{ "#attributes": { Name: "New Value" }, "#text": "abc" }, { "#attributes": { Name: "Old Value" }, "#text": "z" }] } } }), 1)[0]!;
  assert.equal(list.get("NewValue"), "abc");
  assert.equal(list.get("New Value"), "abc");
  assert.equal(list.get("OldValue"), "z");
  const single = decodeRecord(st, JSON.stringify({ Event: { System: system, EventData: { Data: { "#attributes": { Name: "New Value" }, "#text": "abc" } } } }), 1)[0]!;
  assert.equal(single.get("NewValue"), "abc");
  // A name already present without spaces keeps its own value.
  const both = decodeRecord(st, JSON.stringify({ Event: { System: system, EventData: { Data: [{ "#attributes": { Name: "NewValue" }, "#text": "own" }, { "#attributes": { Name: "New Value" }, "#text": "abc" }] } } }), 1)[0]!;
  assert.equal(both.get("NewValue"), "own");
});
