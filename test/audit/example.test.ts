import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { AuditLog, getCheckpoint, getConsistencyProof, getEntries, getInclusionProof, getPublicKey } from "../../src/audit/index.ts";
import { ConcordError } from "../../src/errors/index.ts";
import { sampleEntry, tempDir } from "./helpers.ts";

const EXAMPLE = fileURLToPath(new URL("../../examples/verify-inclusion.mjs", import.meta.url));

/** The audit routes as the gateway mounts them, over plain node:http; `lie` lets a test make the server cheat. */
function serve(log: AuditLog, lie: { proofIndex?: number } = {}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const query = Object.fromEntries(url.searchParams);
    try {
      let body: unknown;
      if (url.pathname === "/admin/audit/checkpoint") body = await getCheckpoint(log);
      else if (url.pathname === "/.well-known/concord/audit-key") body = getPublicKey(log);
      else if (url.pathname === "/admin/audit/proof/inclusion") {
        const asked = lie.proofIndex === undefined ? query : { ...query, index: String(lie.proofIndex) };
        body = { ...(await getInclusionProof(log, asked)), index: Number(query.index) };
      } else if (url.pathname === "/admin/audit/proof/consistency") body = await getConsistencyProof(log, query);
      else if (url.pathname === "/admin/audit/entries") body = await getEntries(log, query, { nation: "DEU" });
      else return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    } catch (err) {
      const e = err instanceof ConcordError ? err : new ConcordError("internal_error", 500, "server_error", String(err));
      res.writeHead(e.status, { "content-type": "application/json" }).end(JSON.stringify(e.toBody()));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [EXAMPLE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (err += c));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

test("the standalone verifier checks checkpoint signature, inclusion, entry content and consistency against the HTTP API", async (t) => {
  const dir = tempDir("example");
  const log = await AuditLog.open({ store: `sqlite:${join(dir, "a.db")}`, keyDir: join(dir, "keys"), origin: "example.test/audit", checkpointIntervalMs: 0 });
  t.after(() => log.close());
  for (let i = 0; i < 20; i++) await log.append(sampleEntry(i));
  await log.checkpoint();
  const server = await serve(log);
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = log.publicKey();
  const saved = join(dir, "saved.txt");

  const entries = (await (await fetch(`${url}/admin/audit/entries?from=0&to=20`)).json()) as { data: { index: number; entry?: unknown }[] };
  assert.ok(entries.data.every((d) => (d.entry === undefined) === (sampleEntry(d.index).nation !== "DEU")), "a nation's auditor sees only its own entries in full");
  const mine = entries.data.find((d) => d.entry !== undefined) as { index: number };
  const entryFile = join(dir, "entry.json");
  writeFileSync(entryFile, JSON.stringify(mine));

  const first = await run(["--key", key, "--url", url, "--index", String(mine.index), "--entry", entryFile, "--save", saved]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /checkpoint signed by example.test\/audit: origin example.test\/audit, 20 entries/);
  assert.match(first.out, new RegExp(`entry ${mine.index} .* is included`));
  assert.match(first.out, /is exactly leaf/);

  for (let i = 20; i < 33; i++) await log.append(sampleEntry(i));
  await log.checkpoint();
  const second = await run(["--key", key, "--url", url, "--index", "25", "--previous", saved]);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /saved checkpoint of 20 entries is a prefix of this one/);

  const wrongEntry = await run(["--key", key, "--url", url, "--index", String(mine.index + 1), "--entry", entryFile]);
  assert.equal(wrongEntry.code, 1);
  assert.match(wrongEntry.err, /does not hash to leaf/);

  const { verifierKey: otherKey } = (await import("../../src/audit/index.ts")).generateNoteKey("example.test/audit");
  const foreign = await run(["--key", otherKey, "--url", url, "--index", "3"]);
  assert.equal(foreign.code, 1);
  assert.match(foreign.err, /no valid signature/);

  const liar = await serve(log, { proofIndex: 4 });
  t.after(() => liar.close());
  const cheated = await run(["--key", key, "--url", `http://127.0.0.1:${(liar.address() as AddressInfo).port}`, "--index", "5"]);
  assert.equal(cheated.code, 1);
  assert.match(cheated.err, /entry 5 is NOT included/);

  const cpFile = join(dir, "cp.json");
  const proofFile = join(dir, "proof.json");
  writeFileSync(cpFile, JSON.stringify(await getCheckpoint(log)));
  writeFileSync(proofFile, JSON.stringify(await getInclusionProof(log, { index: "30" })));
  const offline = await run(["--key", key, "--checkpoint", cpFile, "--proof", proofFile]);
  assert.equal(offline.code, 0, offline.err);
});

test("audit HTTP handlers refuse malformed query parameters as invalid_request naming the parameter", async (t) => {
  const dir = tempDir("http");
  const log = await AuditLog.open({ store: `sqlite:${join(dir, "a.db")}`, keyDir: join(dir, "keys"), origin: "http.test/audit", checkpointIntervalMs: 0 });
  t.after(() => log.close());
  await log.append(sampleEntry(0));
  await assert.rejects(getInclusionProof(log, { index: "-1" }), (e: ConcordError) => e.code === "invalid_request" && e.param === "index");
  await assert.rejects(getInclusionProof(log, { index: "0", size: "5" }), (e: ConcordError) => e.code === "invalid_request" && e.param === "size");
  await assert.rejects(getConsistencyProof(log, { from: "1" }), (e: ConcordError) => e.code === "invalid_request" && e.param === "to");
  const all = await getEntries(log, {}, "all");
  assert.equal(all.data.length, 1);
  assert.ok("entry" in (all.data[0] as object));
});
