import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { compileRules, detectEvents, type RuleSet } from "../../src/workloads/cyber/index.ts";
import { detectText } from "../../src/workloads/cyber/index.ts";
import { parseScenarioText, solveLpFile } from "../../src/workloads/logistics/index.ts";
import { extract } from "../../src/workloads/documents/index.ts";
import { createPseudonymizer, handleAnalyze, handleTranslate, readCorpus, type CorpusFormat } from "../../src/workloads/comms/index.ts";
import { buildDocx, buildPdf } from "../documents/fixtures.ts";
import { mutatedBytes, mutatedText, onlyCodes, params } from "./fc.ts";

// A rule written for these tests (Sigma 2.0 rule format): field modifiers, a filter, a list and a keyword search.
const RULE = `title: Whoami with all groups from cmd
id: 6c1b4f4e-2b4a-4d1e-9d49-0b1c7a0e5a11
status: test
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image|endswith: '\\cmd.exe'
    CommandLine|contains|all: ['whoami', '/all']
  filter:
    User|re: '^SYSTEM$'
  keywords:
    - 'mimikatz'
  condition: (sel and not filter) or keywords
level: high
`;
const EVENT = { EventID: 1, Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd /c whoami /all", User: "alice" };
const LOG_LINES = [
  JSON.stringify(EVENT),
  "<13>Nov 25 18:00:00 host sshd[123]: Failed password for root from 10.0.0.1 port 22 ssh2",
  'type=EXECVE msg=audit(1700000000.123:42): argc=2 a0="whoami" a1="/all"',
  "CEF:0|Vendor|Product|1.0|100|Signature|5|src=10.0.0.1 dst=10.0.0.2 msg=mimikatz",
  "#separator \\x09\n#fields\tts\tuid\tid.orig_h\n1700000000.0\tC1\t10.0.0.1",
].join("\n");

describe("property: Sigma rules and log events (src/workloads/cyber)", { timeout: 180_000 }, () => {
  let rules: RuleSet;
  before(() => { rules = compileRules([{ path: "test.yml", text: RULE }]); });

  test("the test rule itself fires on its event (the properties below run a rule that can match)", () => {
    assert.equal(detectEvents(rules, [EVENT]).length, 1);
  });

  test("any mutation of a rule compiles (possibly as unsupported) or is refused with invalid_request", async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedText(RULE), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), async (text) => {
        await onlyCodes(() => {
          const set = compileRules([{ path: "fuzz.yml", text }]);
          detectEvents(set, [EVENT, { CommandLine: text.slice(0, 200) }]);
        }, ["invalid_request"]);
      }),
      params(t, 300, 6000),
    );
  });

  test("any JSON events run through the rules or are refused with invalid_request", async (t) => {
    const value = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(EVENT.CommandLine), fc.double(), fc.constant(null));
    const event = fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom("Image", "CommandLine", "User", "EventID", "a.b", "", "__proto__"), value), fc.constant(EVENT));
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 6 }), async (events) => {
        await onlyCodes(() => detectEvents(rules, events), ["invalid_request"]);
      }),
      params(t, 300, 4000),
    );
  });

  test("any log bytes in any format (JSON, syslog, auditd, CEF, Zeek, gzip) give alerts or invalid_request", async (t) => {
    const bytes = fc.oneof(
      mutatedText(LOG_LINES).map((s) => new TextEncoder().encode(s)),
      fc.uint8Array({ maxLength: 2048 }),
      mutatedBytes(gzipSync(LOG_LINES)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        await onlyCodes(async () => {
          const r = await detectText(rules, b);
          assert.ok(r.events >= 0 && r.undecodable >= 0);
        }, ["invalid_request"]);
      }),
      params(t, 200, 5000),
    );
  });
});

// The workshop MIP from the highs-js README (optimum 1100) and a two-variable free MPS model.
const CHAIRS_LP = "Maximize\n profit: 30 chairs + 50 tables\nSubject To\n carpentry: chairs + 2 tables <= 40\n finishing: 2 chairs + tables <= 50\nGenerals\n chairs tables\nEnd\n";
const SMALL_MPS = "NAME          SMALL\nROWS\n N  COST\n G  LIM1\nCOLUMNS\n    X         COST         1.0   LIM1         1.0\n    Y         COST         2.0   LIM1         1.0\nRHS\n    RHS       LIM1         3.0\nBOUNDS\n UP BND       X            2.0\nENDATA\n";

describe("property: LP/MPS files and scenarios (src/workloads/logistics)", { timeout: 180_000 }, () => {
  test("any mutated LP or MPS model (plain or gzip) solves to a status or is refused with invalid_request", async (t) => {
    const model = fc.oneof(
      fc.tuple(mutatedText(CHAIRS_LP), fc.constantFrom(undefined, "lp" as const, "mps" as const)),
      fc.tuple(mutatedText(SMALL_MPS), fc.constantFrom(undefined, "lp" as const, "mps" as const)),
      fc.tuple(fc.string(), fc.constantFrom(undefined, "lp" as const, "mps" as const)),
    );
    await fc.assert(
      fc.asyncProperty(model, fc.boolean(), async ([text, format], gz) => {
        await onlyCodes(async () => {
          const r = await solveLpFile(gz ? gzipSync(text) : text, format, { timeLimitSeconds: 2 });
          assert.equal(typeof r.status, "string");
        }, ["invalid_request"]);
      }),
      params(t, 40, 8000),
    );
  });

  test("any scenario text is a scenario or invalid_request", async (t) => {
    const SCENARIO = JSON.stringify({ name: "s", supply: [{ nation: "DEU", depot: "A", commodity: "fuel", quantity: 10 }], demand: [{ nation: "POL", site: "B", commodity: "fuel", quantity: 5 }] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedText(SCENARIO), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), async (text) => {
        await onlyCodes(() => parseScenarioText(text), ["invalid_request"]);
      }),
      params(t, 300, 3000),
    );
  });
});

describe("property: documents (src/workloads/documents ingest, every format)", { timeout: 180_000 }, () => {
  const samples: Array<{ name: string; bytes: Uint8Array; runs: number }> = [
    { name: "report.pdf", bytes: buildPdf([[{ text: "Logistics report", size: 18 }, { text: "Fuel stocks are adequate for the exercise." }], [{ text: "Second page." }]], { title: "Report" }), runs: 60 },
    { name: "report.docx", bytes: buildDocx([{ text: "Logistics report", style: "Title" }, { text: "Fuel stocks are adequate." }], { header: "UNCLASSIFIED" }), runs: 80 },
    { name: "report.html", bytes: new TextEncoder().encode("<!doctype html><html><head><title>R</title></head><body><h1>Report</h1><p>Fuel &amp; water.</p><script>x()</script></body></html>"), runs: 150 },
    { name: "report.md", bytes: new TextEncoder().encode("# Report\n\nFuel *stocks* are [adequate](http://x).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"), runs: 150 },
    { name: "report.txt", bytes: new TextEncoder().encode("REPORT\n\nFuel stocks are adequate.\r\nWater too.\n"), runs: 150 },
  ];
  for (const s of samples) {
    test(`mutated ${s.name.split(".")[1]!.toUpperCase()} bytes give text or a clean invalid_request / payload_too_large`, async (t) => {
      const limits = { maxBytes: 1 << 20, maxPages: 50 };
      assert.ok((await extract(s.name, s.bytes, limits)).blocks.length > 0, "the unmutated sample extracts");
      await fc.assert(
        fc.asyncProperty(mutatedBytes(s.bytes), fc.constantFrom(s.name, "upload.bin", "x.pdf", "x.docx", "x.html"), async (b, name) => {
          await onlyCodes(async () => {
            const doc = await extract(name, b, limits);
            assert.ok(doc.blocks.every((x) => typeof x.text === "string"));
          }, ["invalid_request", "payload_too_large"]);
        }),
        params(t, s.runs, 6000),
      );
    });
  }
});

describe("property: comms inputs (src/workloads/comms)", { timeout: 180_000 }, () => {
  const pseudonymize = createPseudonymizer({ key: new Uint8Array(32).fill(7), salt: new Uint8Array(16) });
  const message = fc.oneof(
    fc.record({ id: fc.string(), text: fc.string(), time: fc.string(), channel: fc.string(), author: fc.string() }, { requiredKeys: [] }),
    fc.record({ text: fc.constantFrom("Die Lage ist ruhig.", "La situation est calme.", "All quiet tonight, good news."), author: fc.string() }),
    fc.jsonValue(),
  );
  const analyze = fc.oneof(
    fc.jsonValue(),
    fc.record({ messages: fc.array(message, { maxLength: 8 }), options: fc.oneof(fc.dictionary(fc.constantFrom("to", "purpose", "per_author", "group_by", "llm_sentiment", "x"), fc.jsonValue()), fc.jsonValue()) }, { requiredKeys: ["messages"] }),
  );

  test("any analyze body gives an analysis or invalid_request / prohibited_use", async (t) => {
    await fc.assert(
      fc.asyncProperty(analyze, async (body) => {
        await onlyCodes(async () => {
          const r = await handleAnalyze(body, { pseudonymize, translators: [] });
          assert.equal(r.object, "comms.analysis");
        }, ["invalid_request", "prohibited_use"]);
      }),
      params(t, 150, 6000),
    );
  });

  test("any translate body is refused with invalid_request when no engine serves it, never another error", async (t) => {
    const body = fc.oneof(fc.jsonValue(), fc.record({ text: fc.string(), texts: fc.array(fc.string()), from: fc.string(), to: fc.string(), glossary: fc.jsonValue() }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await onlyCodes(() => handleTranslate(b, []), ["invalid_request"]);
      }),
      params(t, 300, 3000),
    );
  });

  test("any corpus bytes in every reader (JSON lines, CSV, EML, mbox) give records or invalid_request", async (t) => {
    const samples: Record<CorpusFormat, string> = {
      jsonl: '{"id":"1","text":"Hello","author":"a"}\n{"text":"Bonjour"}\n',
      csv: 'id,text,author,time\n1,"Hello, ""you""",a,2026-01-01T00:00:00Z\n2,Bonjour,b,\n',
      eml: "From: a@example.org\r\nSubject: Hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello there.\r\n",
      mbox: "From a@example.org Thu Nov 25 10:00:00 2026\nFrom: a@example.org\nSubject: x\n\nHello.\n\nFrom b@example.org Thu Nov 25 10:01:00 2026\nFrom: b@example.org\n\nBonjour.\n",
    };
    const input = fc.constantFrom(...(Object.keys(samples) as CorpusFormat[])).chain((format) => fc.tuple(fc.constant(format), fc.oneof(mutatedBytes(new TextEncoder().encode(samples[format])), fc.uint8Array({ maxLength: 1024 }))));
    await fc.assert(
      fc.asyncProperty(input, async ([format, bytes]) => {
        await onlyCodes(async () => {
          for await (const r of readCorpus(Readable.from([Buffer.from(bytes)]), format)) assert.ok(r.kind === "message" || r.kind === "malformed");
        }, ["invalid_request"]);
      }),
      params(t, 300, 5000),
    );
  });
});
