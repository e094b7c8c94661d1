import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { AuditLog, auditLogOptions, openCheckpoint, parseVerifierKey, verifyConsistency, verifyInclusion } from "../../src/audit/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

const BIN = fileURLToPath(new URL("../../bin/concord.js", import.meta.url));
const concord = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
const b = (s: string) => Buffer.from(s, "base64");

test("concord audit verify / proof: summary and exit 0 when intact, JSON proofs, exit 1 naming the first bad index", async () => {
  const dir = tempDir("cli");
  const config = join(dir, "concord.yaml");
  writeFileSync(config, `network: { name: CLI Test, jurisdiction: BEL }\ndata_dir: ./data\nnations:\n  DEU: { residency: [DEU], identity: demo }\naudit: { store: "sqlite:./data/audit.db", checkpoint_every: 10 }\n`);
  const log = await AuditLog.open({ ...auditLogOptions(loadConfig(config)), checkpointIntervalMs: 0 });
  for (let i = 0; i < 45; i++) await log.append(sampleEntry(i));
  const key = parseVerifierKey(log.publicKey());
  await log.close();

  const ok = concord("audit", "verify", "--config", config);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^audit log intact: 45 entries, \d+ signed checkpoints verified, root [A-Za-z0-9+/]{43}=\n$/);

  const inc = concord("audit", "proof", "--config", config, "--index", "7", "--size", "30");
  assert.equal(inc.status, 0, inc.stderr);
  const p = JSON.parse(inc.stdout);
  assert.deepEqual(Object.keys(p), ["index", "tree_size", "leaf_hash", "hashes", "root_hash", "checkpoint"]);
  assert.ok(verifyInclusion(p.index, p.tree_size, b(p.leaf_hash), p.hashes.map(b), b(p.root_hash)));
  assert.equal(openCheckpoint(p.checkpoint, key).size, 30);

  const con = concord("audit", "proof", "--config", config, "--from", "10", "--to", "45");
  assert.equal(con.status, 0, con.stderr);
  const c = JSON.parse(con.stdout);
  assert.deepEqual(Object.keys(c), ["from", "to", "hashes", "from_root", "to_root"]);
  assert.ok(verifyConsistency(c.from, c.to, b(c.from_root), b(c.to_root), c.hashes.map(b)));

  const bad = concord("audit", "proof", "--config", config, "--index", "3", "--from", "1");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /either --index/);

  const db = new Database(join(dir, "data", "audit.db"));
  db.prepare("UPDATE audit_entries SET entry = CAST(replace(CAST(entry AS TEXT), 'analyst', 'analyzt') AS BLOB) WHERE idx = 33").run();
  db.close();
  const broken = concord("audit", "verify", "--config", config);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /^audit log broken at index 33: /);
});
