import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { AuditLog, leafHash } from "../../src/audit/index.ts";
import { bucketRoot, bucketTree } from "../../src/audit/tree.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

/** A log of 100 entries with checkpoints every 25, closed; `tamper` then edits the SQLite file behind its back. */
async function tamperedReport(tamper: (db: Database.Database) => void) {
  const dir = tempDir("tamper");
  const opts = { store: `sqlite:${join(dir, "audit.db")}`, keyDir: join(dir, "keys"), origin: "tamper.test/audit", checkpointEvery: 25, checkpointIntervalMs: 0 };
  const log = await AuditLog.open(opts);
  for (let i = 0; i < 100; i++) await log.append(sampleEntry(i));
  await log.close();
  const db = new Database(opts.store.slice("sqlite:".length));
  tamper(db);
  db.close();
  const reopened = await AuditLog.open(opts);
  const report = await reopened.verify();
  await reopened.close();
  return report;
}

test("an untouched log verifies", async () => {
  const report = await tamperedReport(() => {});
  assert.deepEqual({ ok: report.ok, size: report.ok ? report.size : -1 }, { ok: true, size: 100 });
});

test("one changed byte in a stored entry is found and named by its index", async () => {
  const report = await tamperedReport((db) => {
    const row = db.prepare("SELECT entry FROM audit_entries WHERE idx = 41").get() as { entry: Buffer };
    const changed = Buffer.from(row.entry);
    const at = changed.indexOf("allow") >= 0 ? changed.indexOf("allow") : 10;
    changed[at] = (changed[at] as number) ^ 0x01;
    db.prepare("UPDATE audit_entries SET entry = ? WHERE idx = 41").run(changed);
  });
  assert.equal(report.ok, false);
  assert.equal(!report.ok && report.index, 41, JSON.stringify(report));
});

test("a deleted entry is found and named by its index", async () => {
  const report = await tamperedReport((db) => db.prepare("DELETE FROM audit_entries WHERE idx = 57").run());
  assert.equal(!report.ok && report.index, 57, JSON.stringify(report));
});

test("a deleted entry with the later ones renumbered to close the gap is still named by its index", async () => {
  const report = await tamperedReport((db) => {
    db.prepare("DELETE FROM audit_entries WHERE idx = 57").run();
    db.prepare("UPDATE audit_entries SET idx = -(idx - 1) WHERE idx > 57").run();
    db.prepare("UPDATE audit_entries SET idx = -idx WHERE idx < 0").run();
  });
  assert.equal(!report.ok && report.index, 57, JSON.stringify(report));
});

test("two entries swapped in order are found and the first of them named", async () => {
  const report = await tamperedReport((db) => {
    db.prepare("UPDATE audit_entries SET idx = -1 WHERE idx = 12").run();
    db.prepare("UPDATE audit_entries SET idx = 12 WHERE idx = 70").run();
    db.prepare("UPDATE audit_entries SET idx = 70 WHERE idx = -1").run();
  });
  assert.equal(!report.ok && report.index, 12, JSON.stringify(report));
});

test("two entries' contents swapped in place are found at the first of them", async () => {
  const report = await tamperedReport((db) => {
    const get = db.prepare("SELECT entry FROM audit_entries WHERE idx = ?").pluck();
    const [a, c] = [get.get(30), get.get(31)];
    db.prepare("UPDATE audit_entries SET entry = ? WHERE idx = ?").run(c, 30);
    db.prepare("UPDATE audit_entries SET entry = ? WHERE idx = ?").run(a, 31);
  });
  assert.equal(!report.ok && report.index, 30, JSON.stringify(report));
});

test("truncating the newest entries is found against the signed checkpoint that covered them", async () => {
  const report = await tamperedReport((db) => {
    db.prepare("DELETE FROM audit_entries WHERE idx >= 90").run();
    db.prepare("DELETE FROM audit_buckets WHERE k >= 5").run();
  });
  assert.equal(!report.ok && report.index, 90, JSON.stringify(report));
});

test("a rewritten entry whose leaf and subtree hashes were all recomputed still fails its signed checkpoint", async () => {
  const report = await tamperedReport((db) => {
    // The forger rebuilds every derived hash; only the signed checkpoints (key kept outside the DB) disagree.
    const rows = db.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx").all() as { idx: number; entry: Buffer }[];
    const forged = rows.map((r) => (r.idx === 60 ? Buffer.from(r.entry.toString().replace('"allow"', '"deny"').replace('"ok"', '"forged"')) : r.entry));
    const leaves = forged.map((e) => leafHash(e));
    forged.forEach((e, i) => db.prepare("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE idx = ?").run(e, leaves[i], i));
    for (let k = 0; k < 6; k++) {
      const tree = bucketTree(leaves.slice(k * 16, k * 16 + 16));
      db.prepare("UPDATE audit_buckets SET hash = ?, nodes = ? WHERE k = ?").run(bucketRoot(tree), tree, k);
    }
  });
  assert.equal(report.ok, false);
  assert.ok(!report.ok && report.checkpoint === 75 && report.index === 50, JSON.stringify(report));
});

test("an altered stored subtree hash is found and its entries named", async () => {
  const report = await tamperedReport((db) => db.prepare("UPDATE audit_buckets SET hash = zeroblob(32) WHERE k = 2").run());
  assert.equal(!report.ok && report.index, 32, JSON.stringify(report));
});

test("a checkpoint note rewritten without the log key is refused, naming its size", async () => {
  const report = await tamperedReport((db) => {
    const note = db.prepare("SELECT note FROM audit_checkpoints WHERE size = 50").pluck().get() as string;
    db.prepare("UPDATE audit_checkpoints SET note = ? WHERE size = 50").run(note.replace("\n50\n", "\n49\n"));
  });
  assert.ok(!report.ok && report.checkpoint === 50 && report.index === 25, JSON.stringify(report));
});
