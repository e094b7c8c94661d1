import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { AuditLog, leafHash } from "../../src/audit/index.ts";
import { bucketRoot, bucketTree } from "../../src/audit/tree.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

/**
 * `verify` split over worker threads (three ranges of 96, 96 and 108 entries here) must name the same index, for
 * the same reason, as one front-to-back reading, including when the tampering sits at or across a range boundary.
 */
const dir = tempDir("parallel");
const base = { keyDir: join(dir, "keys"), origin: "parallel.test/audit", checkpointEvery: 25, checkpointIntervalMs: 0 };
/** One log of 300 entries with checkpoints every 25, written once; each case tampers with its own copy. */
const pristine = (async () => {
  const file = join(dir, "pristine.db");
  const log = await AuditLog.open({ ...base, store: `sqlite:${file}` });
  for (let i = 0; i < 300; i++) await log.append(sampleEntry(i));
  await log.close();
  return file;
})();
let copies = 0;

async function bothReports(tamper: (db: Database.Database) => void) {
  const file = join(dir, `copy-${copies++}.db`);
  copyFileSync(await pristine, file);
  const db = new Database(file);
  tamper(db);
  db.close();
  const log = await AuditLog.open({ ...base, store: `sqlite:${file}` });
  try {
    return { parallel: await log.verify({ workers: 3 }), sequential: await log.verify({ workers: 1 }) };
  } finally {
    await log.close();
  }
}

const changeByte = (idx: number) => (db: Database.Database) => {
  const entry = Buffer.from(db.prepare("SELECT entry FROM audit_entries WHERE idx = ?").pluck().get(idx) as Buffer);
  entry[12] = (entry[12] as number) ^ 0x01;
  db.prepare("UPDATE audit_entries SET entry = ? WHERE idx = ?").run(entry, idx);
};
const swapRows = (a: number, b: number) => (db: Database.Database) => {
  db.prepare("UPDATE audit_entries SET idx = -1 WHERE idx = ?").run(a);
  db.prepare("UPDATE audit_entries SET idx = ? WHERE idx = ?").run(a, b);
  db.prepare("UPDATE audit_entries SET idx = ? WHERE idx = -1").run(b);
};

const cases: [string, (db: Database.Database) => void, number | null][] = [
  ["an untouched log", () => {}, null],
  ["a changed byte in the first range", changeByte(5), 5],
  ["a changed byte at the start of the second range", changeByte(96), 96],
  ["a changed byte in the incomplete last bucket", changeByte(297), 297],
  ["a deleted entry at a range boundary", (db) => db.prepare("DELETE FROM audit_entries WHERE idx = 192").run(), 192],
  ["a deleted entry in the last bucket", (db) => db.prepare("DELETE FROM audit_entries WHERE idx = 290").run(), 290],
  [
    "a deleted entry with the rest renumbered",
    (db) => {
      db.prepare("DELETE FROM audit_entries WHERE idx = 150").run();
      db.prepare("UPDATE audit_entries SET idx = -(idx - 1) WHERE idx > 150").run();
      db.prepare("UPDATE audit_entries SET idx = -idx WHERE idx < 0").run();
    },
    150,
  ],
  ["two rows swapped across ranges", swapRows(12, 170), 12],
  ["two rows swapped across a range boundary", swapRows(95, 96), 95],
  [
    "the newest entries cut off",
    (db) => {
      db.prepare("DELETE FROM audit_entries WHERE idx >= 250").run();
      db.prepare("DELETE FROM audit_buckets WHERE k >= 15").run();
    },
    250,
  ],
  ["an altered subtree hash in the third range", (db) => db.prepare("UPDATE audit_buckets SET hash = zeroblob(32) WHERE k = 14").run(), 224],
  [
    "an entry rewritten with every derived hash recomputed",
    (db) => {
      const rows = db.prepare("SELECT idx, entry FROM audit_entries ORDER BY idx").all() as { idx: number; entry: Buffer }[];
      const forged = rows.map((r) => (r.idx === 130 ? Buffer.from(r.entry.toString().replace('"2026', '"2027')) : r.entry));
      const leaves = forged.map((e) => leafHash(e));
      db.prepare("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE idx = 130").run(forged[130], leaves[130]);
      const tree = bucketTree(leaves.slice(128, 144));
      db.prepare("UPDATE audit_buckets SET hash = ?, nodes = ? WHERE k = 8").run(bucketRoot(tree), tree);
    },
    125,
  ],
];

for (const [what, tamper, index] of cases) {
  test(`parallel verify agrees with a sequential reading: ${what}`, async () => {
    const { parallel, sequential } = await bothReports(tamper);
    assert.deepEqual(parallel, sequential);
    assert.equal(parallel.ok ? null : parallel.index, index, JSON.stringify(parallel));
  });
}
