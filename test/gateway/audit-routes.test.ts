import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

// The audit log as nations reach it over HTTP, verified with the standalone example (no Concord code).
describe("audit routes", () => {
  let upstream: StubUpstream, gw: RunningServer;
  const t: Record<string, string> = {};

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
    const mint = (nation: string, role: "analyst" | "auditor" | "alliance-auditor") => mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role });
    t.deu = await mint("DEU", "analyst");
    t.fra = await mint("FRA", "analyst");
    t.deuAuditor = await mint("DEU", "auditor");
    t.alliance = await mint("FRA", "alliance-auditor");
    for (const tok of [t.deu, t.fra]) await call(gw.url, "/v1/chat/completions", { token: tok, body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
  });
  after(async () => { await gw.close(); await upstream.close(); });

  test("a nation's auditor reads its own entries in full and only leaf hashes of other nations'", async () => {
    const r = await call(gw.url, "/admin/audit/entries?from=0", { token: t.deuAuditor });
    assert.equal(r.status, 200, r.text);
    const full = r.json.data.filter((d: { entry?: unknown }) => d.entry);
    assert.ok(full.length >= 1);
    assert.ok(full.every((d: { entry: { nation: string } }) => d.entry.nation === "DEU"));
    assert.ok(r.json.data.some((d: { entry?: unknown; leaf_hash: string }) => !d.entry && d.leaf_hash));
  });

  test("the alliance auditor reads every nation's entries", async () => {
    const r = await call(gw.url, "/admin/audit/entries?from=0", { token: t.alliance });
    const nations = new Set(r.json.data.filter((d: { entry?: unknown }) => d.entry).map((d: { entry: { nation: string } }) => d.entry.nation));
    assert.ok(nations.has("DEU") && nations.has("FRA"));
  });

  test("an analyst may not read entries", async () => {
    const r = await call(gw.url, "/admin/audit/entries?from=0", { token: t.deu });
    assert.equal(r.status, 403);
  });

  test("a nation's auditor searches its own nation's entries only, and is refused another nation's", async () => {
    const own = await call(gw.url, "/admin/audit/search?decision=allow", { token: t.deuAuditor });
    assert.equal(own.status, 200, own.text);
    assert.ok(own.json.data.length >= 1);
    assert.ok(own.json.data.every((d: { entry: { nation: string } }) => d.entry.nation === "DEU"));
    const other = await call(gw.url, "/admin/audit/search?nation=FRA", { token: t.deuAuditor });
    assert.equal(other.status, 403);
    assert.equal(other.json.error.code, "forbidden");
  });

  test("the alliance auditor searches any nation's entries; an analyst may not search", async () => {
    const fra = await call(gw.url, "/admin/audit/search?nation=FRA", { token: t.alliance });
    assert.equal(fra.status, 200, fra.text);
    assert.ok(fra.json.data.length >= 1);
    assert.ok(fra.json.data.every((d: { entry: { nation: string } }) => d.entry.nation === "FRA"));
    assert.equal((await call(gw.url, "/admin/audit/search", { token: t.deu })).status, 403);
    const bad = await call(gw.url, "/admin/audit/search?since=yesterday", { token: t.alliance });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, "since");
  });

  test("bad proof parameters are 400 invalid_request", async () => {
    const r = await call(gw.url, "/admin/audit/proof/inclusion?index=-1", { token: t.deu });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, "invalid_request");
  });

  test("the standalone verifier checks a checkpoint signature and an inclusion proof fetched from the gateway", async () => {
    await gw.gateway.audit.checkpoint();
    const key = (await call(gw.url, "/.well-known/concord/audit-key")).json.key as string;
    const script = resolve(import.meta.dirname, "../../examples/verify-inclusion.mjs");
    // Run asynchronously: the gateway answering the script lives in this process.
    const run = (k: string) => new Promise<{ code: number; out: string }>((res) => {
      execFile(process.execPath, [script, "--key", k, "--url", gw.url, "--index", "1", "--token", t.deu!], (err, stdout, stderr) =>
        res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    });
    const ok = await run(key);
    assert.equal(ok.code, 0, ok.out);
    const other = await run(key.replace(/.{6}$/, "AAAAA="));
    assert.notEqual(other.code, 0, "a checkpoint does not verify under another key");
  });
});
