import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { AuditLog } from "../../src/audit/index.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

const options = (dir: string, writerThread: boolean) => ({
  store: `sqlite:${join(dir, "audit.db")}`,
  keyDir: join(dir, "keys"),
  origin: "writer.test/audit",
  checkpointEvery: 40,
  checkpointIntervalMs: 0,
  writerThread,
});

test("appends committed on the writer thread build the same log as appends committed inline", async () => {
  const roots: string[] = [];
  for (const writerThread of [false, true]) {
    const dir = tempDir("writer");
    const log = await AuditLog.open(options(dir, writerThread));
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(sampleEntry(i))));
    assert.deepEqual(acks.map((a) => a.index).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    await log.checkpoint(); // stored through the writer thread when it is on
    const report = await log.verify();
    assert.ok(report.ok, JSON.stringify(report));
    assert.ok(report.checkpoints >= 1, "the checkpoint was stored");
    roots.push(report.rootHash);
    await log.close();
  }
  assert.equal(roots[0], roots[1]);
});

test("an append on the writer thread resolves only once another connection can read the entry", async () => {
  const dir = tempDir("writer");
  const opts = options(dir, true);
  const log = await AuditLog.open(opts);
  const reader = new Database(opts.store.slice("sqlite:".length), { readonly: true });
  try {
    for (let i = 0; i < 20; i++) {
      const { index } = await log.append(sampleEntry(i));
      const row = reader.prepare("SELECT idx FROM audit_entries WHERE idx = ?").get(index);
      assert.ok(row, `entry ${index} was acknowledged before it was committed`);
    }
  } finally {
    reader.close();
    await log.close();
  }
});

test("a commit the writer thread cannot make refuses the appends in it", async () => {
  const dir = tempDir("writer");
  const opts = options(dir, true);
  const log = await AuditLog.open(opts);
  await log.append(sampleEntry(0));
  // Another connection holds SQLite's write lock past the busy timeout: the writer's BEGIN IMMEDIATE fails.
  const blocker = new Database(opts.store.slice("sqlite:".length));
  blocker.prepare("BEGIN IMMEDIATE").run();
  try {
    await assert.rejects(log.append(sampleEntry(1)), (err: Error & { code?: string }) => err.code === "audit_unavailable");
  } finally {
    blocker.prepare("ROLLBACK").run();
    blocker.close();
  }
  // The writer is still there for the next append.
  assert.equal((await log.append(sampleEntry(2))).index, 1);
  await log.close();
});
