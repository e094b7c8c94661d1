import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./loader.ts";
import { allowedJurisdictions } from "./residency.ts";

const write = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "concord-cfg-")), "concord.yaml");
  writeFileSync(file, text);
  return file;
};
const minimal = `network: { name: n, jurisdiction: BEL }\nnations:\n  DEU: { residency: [DEU], identity: demo }\n`;

test("the demo alliance validates and has at least six nations with different residency", () => {
  const cfg = loadConfig();
  assert.ok(Object.keys(cfg.nations).length >= 6);
  assert.equal(new Set(Object.values(cfg.nations).map((n) => n.residency.join(","))).size >= 4, true);
  assert.deepEqual([...allowedJurisdictions(cfg, cfg.nations.NOR!.residency)].includes("NOR"), true);
  assert.equal(allowedJurisdictions(cfg, cfg.nations.DEU!.residency).has("USA"), false);
});

test("an unknown key is an error naming the key and the file", () => {
  const file = write(minimal + "nations_typo: 1\n");
  assert.throws(() => loadConfig(file), (e: Error) => e.message.includes(file) && e.message.includes('"nations_typo"'));
});

test("an unknown key deep inside is named by its path", () => {
  const file = write(`network: { name: n, jurisdiction: BEL }\nnations:\n  DEU: { residency: [DEU], identity: demo, quota: { requests_per_min: 5 } }\n`);
  assert.throws(() => loadConfig(file), /nations\.DEU\.quota: unknown key\(s\) "requests_per_min"/);
});

test("a bad value is an error naming the key", () => {
  const file = write(minimal + "server: { port: 70000 }\n");
  assert.throws(() => loadConfig(file), /server\.port/);
  const bad = write(`network: { name: n, jurisdiction: BEL }\nnations:\n  deu: { residency: [DEU], identity: demo }\n`);
  assert.throws(() => loadConfig(bad), /alpha-3/);
});

test("durations are checked and explained", () => {
  const file = write(minimal + "oversight: { expiry: soon }\n");
  assert.throws(() => loadConfig(file), /oversight\.expiry: "soon" is not a duration/);
});

test("a JWT identity needs exactly one of jwks_uri or jwks_file", () => {
  const file = write(`network: { name: n, jurisdiction: BEL }\nnations:\n  DEU: { residency: [DEU], identity: { issuer: "https://idp.example", audience: concord } }\n`);
  assert.throws(() => loadConfig(file), /exactly one of jwks_uri/);
});

test("invalid YAML and a missing file give one clear line", () => {
  assert.throws(() => loadConfig(write("network: [unclosed\n")), /not valid YAML/);
  assert.throws(() => loadConfig("/nonexistent/concord.yaml"), /cannot read configuration file \/nonexistent\/concord.yaml: ENOENT/);
});

test("duplicate endpoint ids are refused", () => {
  const file = write(minimal + "endpoints:\n  - { id: a, url: 'http://x:1/v1', jurisdiction: DEU, models: [m] }\n  - { id: a, url: 'http://y:1/v1', jurisdiction: DEU, models: [m] }\n");
  assert.throws(() => loadConfig(file), /duplicate endpoint id "a"/);
});

test("relative paths are resolved against the configuration file's folder", () => {
  const file = write(minimal + "data_dir: ./state\n");
  const cfg = loadConfig(file);
  assert.equal(cfg.data_dir, join(file, "..", "state"));
});
