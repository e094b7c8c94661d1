import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openSqlite } from "../../src/store/index.ts";

const STORE = resolve(import.meta.dirname, "../../src/store/index.ts");

function run(script: string, db: string, at: number): Promise<{ code: number | null; err: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, db, String(at)], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    child.once("exit", (code) => res({ code, err }));
  });
}

test("processes opening one fresh SQLite database together all start, and each migration is applied once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "concord-store-race-"));
  try {
    const script = join(dir, "open.mts");
    // Each process waits for the same instant before opening, so their opens really overlap.
    writeFileSync(script, `import { openSqlite, migrateSqlite } from ${JSON.stringify(STORE)};
const at = Number(process.argv[3]);
while (Date.now() < at) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
const db = openSqlite(process.argv[2]);
migrateSqlite(db, [{ id: "race/001", sql: "CREATE TABLE a (x INTEGER)" }, { id: "race/002", sql: "CREATE TABLE b (x INTEGER)" }]);
db.close();
`);
    // A race needs luck to show, so several rounds, each on a new file, three processes at once.
    for (let round = 0; round < 4; round++) {
      const db = join(dir, `r${round}.db`);
      const at = Date.now() + 2500;
      const results = await Promise.all([run(script, db, at), run(script, db, at), run(script, db, at)]);
      for (const r of results) assert.equal(r.code, 0, `round ${round}: a process failed to open and migrate: ${r.err}`);
      const check = openSqlite(db);
      const applied = check.prepare("SELECT id FROM schema_migrations ORDER BY id").pluck().all();
      check.close();
      assert.deepEqual(applied, ["race/001", "race/002"]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
