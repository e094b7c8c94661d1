import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditLog, encodeEntry } from "../../src/audit/index.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

const CHILD = fileURLToPath(new URL("./fixtures/append-child.ts", import.meta.url));

/** Runs the append child until it has acknowledged `killAfter` entries, then SIGKILLs it; returns the acks. */
function runAndKill(args: string[], killAfter: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    const acks = new Map<number, string>();
    let buffered = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? ""; // a torn last line is not an acknowledgement the parent saw whole
      for (const line of lines) {
        const [index, tag, n] = line.split(" ");
        acks.set(Number(index), `${tag} ${n}`);
      }
      if (acks.size >= killAfter && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(acks) : reject(new Error(`child ended with ${signal ?? _code} before being killed`))));
  });
}

test("SIGKILL during heavy appends loses no acknowledged entry and leaves a log that verifies", async () => {
  const dir = tempDir("crash");
  const store = `sqlite:${join(dir, "audit.db")}`;
  const keyDir = join(dir, "keys");
  let expectedAcks = 0;
  // Two rounds: the second appends after a crash, onto a log whose tail and checkpoints the first left behind.
  for (const [round, killAfter] of [["r1", 1500 + Math.floor(Math.random() * 3000)], ["r2", 500 + Math.floor(Math.random() * 2000)]] as const) {
    const acks = await runAndKill([store, keyDir, "audit", round, "0", "64"], killAfter);
    assert.ok(acks.size >= killAfter, `round ${round}: ${acks.size} acknowledgements`);
    const log = await AuditLog.open({ store, keyDir, origin: "crash.test/audit", checkpointIntervalMs: 0 });
    const report = await log.verify();
    assert.ok(report.ok, `round ${round}: ${JSON.stringify(report)}`);
    const size = await log.size();
    const indexes = [...acks.keys()];
    assert.ok(Math.max(...indexes) < size, `round ${round}: acknowledged index ${Math.max(...indexes)} but the log holds ${size}`);
    for (const [index, what] of acks) {
      const [tag = "", n = ""] = what.split(" ");
      const [got] = await log.entries({ from: index, to: index + 1 });
      const want = encodeEntry({ ...sampleEntry(Number(n)), subject: `${tag}-${n}` }).entry;
      assert.deepEqual(got?.entry, want, `acknowledged entry ${index} (${what})`);
    }
    expectedAcks += acks.size;
    assert.ok(size >= expectedAcks);
    await log.close();
  }
});
