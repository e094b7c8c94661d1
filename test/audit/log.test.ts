import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  AuditLog,
  encodeEntry,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "../../src/audit/index.ts";
import { AuditUnavailable, InvalidRequest } from "../../src/errors/index.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

const b = (s: string) => Buffer.from(s, "base64");

async function openLog(dir: string, extra: Partial<Parameters<typeof AuditLog.open>[0]> = {}) {
  return AuditLog.open({ store: `sqlite:${join(dir, "audit.db")}`, keyDir: join(dir, "keys"), origin: "test.concord/audit", checkpointIntervalMs: 0, ...extra });
}

test("concurrent appends get distinct consecutive indexes and every proof verifies against a signed checkpoint", async () => {
  const dir = tempDir("log");
  const log = await openLog(dir, { checkpointEvery: 50 });
  const n = 203;
  const acks = await Promise.all(Array.from({ length: n }, (_, i) => log.append(sampleEntry(i))));
  assert.deepEqual(acks.map((a) => a.index).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i));
  const leaves = Array.from({ length: n }, (_, i) => leafHash(encodeEntry(sampleEntry(i)).bytes));
  const byIndex: Buffer[] = [];
  acks.forEach((a, i) => (byIndex[a.index] = leaves[i] as Buffer));
  const key = parseVerifierKey(log.publicKey());

  for (const [index, size] of [[0, 1], [5, 17], [15, 16], [16, 33], [100, 203], [202, 203], [31, 64], [64, 65]] as const) {
    const p = await log.inclusionProof(index, size);
    assert.equal(p.tree_size, size);
    assert.deepEqual(b(p.leaf_hash), byIndex[index]);
    assert.deepEqual(b(p.root_hash), rootOf(byIndex.slice(0, size)), `root ${size}`);
    assert.ok(verifyInclusion(index, size, b(p.leaf_hash), p.hashes.map(b), b(p.root_hash)), `inclusion ${index}@${size}`);
    const cp = openCheckpoint(p.checkpoint, key, "test.concord/audit");
    assert.equal(cp.size, size);
    assert.deepEqual(cp.rootHash, b(p.root_hash));
  }
  for (const [from, to] of [[0, 10], [1, 203], [16, 32], [17, 203], [100, 101], [128, 200], [203, 203]] as const) {
    const c = await log.consistencyProof(from, to);
    assert.deepEqual(b(c.to_root), rootOf(byIndex.slice(0, to)));
    assert.ok(verifyConsistency(from, to, b(c.from_root), b(c.to_root), c.hashes.map(b)), `consistency ${from}->${to}`);
  }
  const latest = await log.latestCheckpoint();
  assert.ok(latest && latest.size >= 200, "a checkpoint was issued after every 50 entries");
  const noSize = await log.inclusionProof(202);
  assert.equal(noSize.tree_size, 203, "an entry newer than the last checkpoint gets a fresh one");
  const report = await log.verify();
  assert.ok(report.ok && report.size === n && report.checkpoints >= 1, JSON.stringify(report));
  assert.equal(report.rootHash, rootOf(byIndex).toString("base64"));
  await log.close();
});

test("reopening keeps the key, the entries and the checkpoints, and proofs still verify", async () => {
  const dir = tempDir("reopen");
  const first = await openLog(dir);
  for (let i = 0; i < 40; i++) await first.append(sampleEntry(i));
  const key = first.publicKey();
  await first.close();
  const again = await openLog(dir);
  assert.equal(again.publicKey(), key);
  assert.equal((await again.latestCheckpoint())?.size, 40, "close signs a last checkpoint");
  await Promise.all(Array.from({ length: 9 }, (_, i) => again.append(sampleEntry(40 + i))));
  const p = await again.inclusionProof(3, 49);
  assert.ok(verifyInclusion(3, 49, b(p.leaf_hash), p.hashes.map(b), b(p.root_hash)));
  assert.equal((await again.verify()).ok, true);
  await again.close();
});

test("entries can be read by range and by nation; each carries its leaf hash", async () => {
  const dir = tempDir("entries");
  const log = await openLog(dir);
  for (let i = 0; i < 30; i++) await log.append(sampleEntry(i));
  const some = await log.entries({ from: 10, to: 15 });
  assert.deepEqual(some.map((e) => e.index), [10, 11, 12, 13, 14]);
  assert.deepEqual(b((some[0] as { leaf_hash: string }).leaf_hash), leafHash(encodeEntry(sampleEntry(10)).bytes));
  const fra = await log.entries({ from: 0, to: 30, nation: "FRA" });
  assert.ok(fra.length === 6 && fra.every((e) => e.entry.nation === "FRA"));
  await log.close();
});

test("an invalid entry is refused as invalid_request; a store that cannot commit rejects with audit_unavailable", async () => {
  const dir = tempDir("fail");
  const log = await openLog(dir);
  await assert.rejects(log.append({ ...sampleEntry(0), decision: "perhaps" }), InvalidRequest);
  await log.append(sampleEntry(1));
  const other = new Database(join(dir, "audit.db"));
  other.exec("DROP TABLE audit_entries");
  other.close();
  await assert.rejects(log.append(sampleEntry(2)), (err: unknown) => err instanceof AuditUnavailable && err.code === "audit_unavailable");
  await log.close().catch(() => {});
});

test("a trusted witness's co-signature is verified and kept on the stored checkpoint; others are refused", async () => {
  const { cosignCheckpoint, generateNoteKey, parseSignerKey, openNote } = await import("../../src/audit/index.ts");
  const dir = tempDir("witness");
  const log = await openLog(dir);
  for (let i = 0; i < 10; i++) await log.append(sampleEntry(i));
  const old = await log.checkpoint();
  for (let i = 10; i < 25; i++) await log.append(sampleEntry(i));
  const next = await log.checkpoint();
  const proof = (await log.consistencyProof(old.size, next.size)).hashes.map(b);
  const witness = generateNoteKey("witness.deu.example");
  const stranger = generateNoteKey("stranger.example");
  const logKey = parseVerifierKey(log.publicKey());
  const cosigned = cosignCheckpoint({ oldCheckpoint: old.note, newCheckpoint: next.note, proof, logKey, witness: parseSignerKey(witness.signerKey) });
  const stored = await log.addCosignatures(cosigned, [witness.verifierKey]);
  assert.deepEqual(openNote(stored, [parseVerifierKey(witness.verifierKey), logKey]).verifiedBy, [log.publicKey(), witness.verifierKey]);
  assert.equal((await log.latestCheckpoint())?.note, stored);
  const byStranger = cosignCheckpoint({ oldCheckpoint: null, newCheckpoint: next.note, proof: [], logKey, witness: parseSignerKey(stranger.signerKey) });
  await assert.rejects(log.addCosignatures(byStranger, [witness.verifierKey]), /no valid signature by a trusted witness/);
  assert.ok((await log.verify()).ok, "co-signed checkpoints still verify");
  await log.close();
});

test("an in-memory SQLite log verifies too (whole-log reads stay on its one connection)", async () => {
  const dir = tempDir("memory");
  const log = await AuditLog.open({ store: "sqlite::memory:", keyDir: join(dir, "keys"), origin: "memory.test/audit", checkpointEvery: 10, checkpointIntervalMs: 0 });
  for (let i = 0; i < 37; i++) await log.append(sampleEntry(i));
  await log.checkpoint();
  const report = await log.verify();
  assert.ok(report.ok && report.size === 37, JSON.stringify(report));
  await log.close();
});
