import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");
const run = (args: string[], input?: string) => spawnSync(process.execPath, ["bin/concord.js", ...args], { cwd: ROOT, encoding: "utf8", input, env: { ...process.env, CONCORD_GATEWAY_URL: "" } });
const apertiumSkip = existsSync("/usr/share/apertium/modes/fr-es.mode") && existsSync("/usr/share/apertium/modes/spa-eng.mode") ? false : "Debian apertium-fr-es and apertium-eng-spa are not installed";

test("concord analyze-comms writes one JSON line per message and reports malformed lines by number", () => {
  const r = run(["analyze-comms", "examples/comms/winter-bridge.jsonl"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 48);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l).slice(0, 4), ["id", "language", "confidence", "sentiment"]);
    assert.match(String(l.author), /^p_/);
  }
  assert.match(r.stderr, /line 21: not valid JSON/);
  assert.match(r.stderr, /line 34: text/);
  assert.match(r.stderr, /48 messages analysed, 2 malformed/);
});

test("concord analyze-comms refuses an unknown file format with a one-line error", () => {
  const r = run(["analyze-comms", "package.json.txt"]);
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr.trim().split("\n").length, 1);
});

test("concord translate --list shows direct and pivot Apertium pairs and what is LLM only", { skip: apertiumSkip }, () => {
  const r = run(["translate", "--list"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^eng {2}spa {2}apertium {2}direct$/m);
  assert.match(r.stdout, /^fra {2}eng {2}apertium {2}pivot via spa$/m);
  assert.match(r.stdout, /llm only — not served now/);
});

test("concord translate reads standard input and names the packages for a pair Apertium lacks", { skip: apertiumSkip }, () => {
  const ok = run(["translate", "--from", "fr", "--to", "en", "-"], "Le convoi de l'OTAN est arrivé.\n");
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /convoy/i);
  assert.match(ok.stdout, /OTAN/);
  const missing = run(["translate", "--from", "de", "--to", "pl", "-"], "Guten Tag\n");
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no translation engine can serve deu→pol \(engines: apertium\): Debian's Apertium has no pair or pivot path/);
});
