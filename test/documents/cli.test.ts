import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildPdf } from "./fixtures.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/concord.js");

async function concord(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each run starts a whole CLI process (several seconds on a loaded machine): few runs, each checking several things.
test("concord ingest, search and summarize: releasability holds from the command line, marked files are refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "concord-docs-cli-"));
  try {
    const store = `sqlite:${join(dir, "docs.db")}`;
    writeFileSync(join(dir, "depot.md"), "# Depot report\n\nThe northern depot received fuel supplies on Monday.\n\nFuel stocks will last through the winter if deliveries continue.\n");
    writeFileSync(join(dir, "flood.pdf"), buildPdf([[{ text: "Flood report", size: 18 }, { text: "Heavy rain flooded the valley and cut the road to the depot." }], [{ text: "Engineers built a temporary bridge so that convoys could pass again." }]]));
    writeFileSync(join(dir, "marked.txt"), "NATO SECRET\n\nOperation plan for the crossing of the river.\n");

    const ok = await concord("ingest", join(dir, "depot.md"), join(dir, "flood.pdf"), "--nation", "DEU", "--releasable-to", "FRA", "--store", store);
    assert.equal(ok.code, 0, ok.stderr);
    const lines = ok.stdout.trim().split("\n").map((l) => JSON.parse(l) as { title: string; pages: number | null });
    assert.deepEqual(lines.map((l) => [l.title, l.pages]), [["Depot report", null], ["Flood report", 2]]);

    const refused = await concord("ingest", join(dir, "marked.txt"), "--nation", "DEU", "--store", store);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /marking above the network ceiling/);

    const fraRun = await concord("search", "depot", "--nation", "FRA", "--store", store);
    assert.equal(fraRun.code, 0, fraRun.stderr);
    assert.equal((JSON.parse(fraRun.stdout) as { total: number }).total, 2);
    const pol = await concord("search", "depot", "--nation", "POL", "--store", store);
    assert.equal(pol.code, 0, pol.stderr);
    assert.deepEqual(JSON.parse(pol.stdout), { object: "list", total: 0, data: [] });

    const sum = await concord("summarize", join(dir, "flood.pdf"), "--format", "text", "--sentences", "2");
    assert.equal(sum.code, 0, sum.stderr);
    assert.match(sum.stdout, /^AI-generated summary/);
    assert.match(sum.stdout, /\[2\] .*flood\.pdf, page 2, paragraph 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
