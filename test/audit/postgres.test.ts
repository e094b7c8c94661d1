import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { AuditLog, encodeEntry, verifyInclusion } from "../../src/audit/index.ts";
import { PG_URL, postgresReachable, sampleEntry, tempDir, uniquePrefix } from "./helpers.ts";

const CHILD = fileURLToPath(new URL("./fixtures/append-child.ts", import.meta.url));
const reachable = await postgresReachable();
const skip = reachable ? false : `PostgreSQL is not reachable at ${PG_URL} (set CONCORD_TEST_POSTGRES to run this test)`;

function runChild(args: string[]): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (c: string) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`append child exited with ${code}`));
      const acks = new Map<number, string>();
      for (const line of out.trim().split("\n")) {
        const [index, tag, n] = line.split(" ");
        acks.set(Number(index), `${tag} ${n}`);
      }
      resolve(acks);
    });
  });
}

test("two processes appending to one PostgreSQL log produce one consistent log", { skip }, async (t) => {
  const dir = tempDir("pg");
  const prefix = uniquePrefix("two");
  t.after(async () => {
    const sql = postgres(PG_URL, { onnotice: () => {} });
    for (const name of ["entries", "buckets", "checkpoints"]) await sql`DROP TABLE IF EXISTS ${sql(`${prefix}_${name}`)}`;
    for (const f of ["entry_field(bytea, text)", "entry_ms(bytea)"]) await sql.unsafe(`DROP FUNCTION IF EXISTS ${prefix}_${f}`);
    await sql.end();
  });
  const keyDir = join(dir, "keys");
  const perChild = 1500;
  const [a, b] = await Promise.all([
    runChild([PG_URL, keyDir, prefix, "a", String(perChild), "48"]),
    runChild([PG_URL, keyDir, prefix, "b", String(perChild), "48"]),
  ]);
  assert.equal(a.size, perChild);
  assert.equal(b.size, perChild);
  const indexes = [...a.keys(), ...b.keys()].sort((x, y) => x - y);
  assert.deepEqual(indexes, Array.from({ length: 2 * perChild }, (_, i) => i), "every index assigned exactly once across both processes");

  const interleaved = Math.min(...a.keys()) < Math.max(...b.keys()) && Math.min(...b.keys()) < Math.max(...a.keys());
  t.diagnostic(`the two processes' index ranges ${interleaved ? "interleaved" : "did not overlap"}`);

  const log = await AuditLog.open({ store: PG_URL, tablePrefix: prefix, keyDir, origin: "crash.test/audit", checkpointIntervalMs: 0 });
  const report = await log.verify();
  assert.ok(report.ok && report.size === 2 * perChild && report.checkpoints > 1, JSON.stringify(report));
  for (const [index, what] of [...a, ...b].filter((_, i) => i % 97 === 0)) {
    const [tag = "", n = ""] = what.split(" ");
    const [got] = await log.entries({ from: index, to: index + 1 });
    assert.deepEqual(got?.entry, encodeEntry({ ...sampleEntry(Number(n)), subject: `${tag}-${n}` }).entry, `entry ${index}`);
    const p = await log.inclusionProof(index);
    const b64 = (s: string) => Buffer.from(s, "base64");
    assert.ok(verifyInclusion(p.index, p.tree_size, b64(p.leaf_hash), p.hashes.map(b64), b64(p.root_hash)));
  }
  await log.close();
});
