import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { verifyConsistency, verifyInclusion } from "../../web/verify.ts";

// The console's browser-side audit verifier (web/verify.ts, WebCrypto only), run in Node against a real log.
describe("audit verification in the console's verifier", () => {
  let upstream: StubUpstream, gw: RunningServer, token: string, key: string;

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "alliance-auditor", subject: "aud" });
    key = (await call(gw.url, "/.well-known/concord/audit-key")).json.key;
    for (let i = 0; i < 6; i++) await call(gw.url, "/v1/models", { token });
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  test("an entry's inclusion in a signed checkpoint verifies; a changed entry, path or key does not", async () => {
    const proof = (await call(gw.url, "/admin/audit/proof/inclusion?index=3", { token })).json;
    const entry = (await call(gw.url, "/admin/audit/entries?from=3&to=4", { token })).json.data[0].entry;
    const cp = await verifyInclusion({ key, checkpoint: proof.checkpoint, index: 3, entry, hashes: proof.hashes });
    assert.equal(cp.size, proof.tree_size);
    await assert.rejects(verifyInclusion({ key, checkpoint: proof.checkpoint, index: 3, entry: { ...entry, decision: "deny" }, hashes: proof.hashes }), /not included/);
    await assert.rejects(verifyInclusion({ key, checkpoint: proof.checkpoint, index: 2, entry, hashes: proof.hashes }), /not included/);
    await assert.rejects(verifyInclusion({ key, checkpoint: proof.checkpoint.replace(/\n(\d+)\n/, (_m: string, n: string) => `\n${Number(n) + 1}\n`), index: 3, entry, hashes: proof.hashes }), /no valid signature/);
    const other = key.replace(/\+([0-9a-f]{8})\+/, "+00000000+");
    await assert.rejects(verifyInclusion({ key: other, checkpoint: proof.checkpoint, index: 3, entry, hashes: proof.hashes }), /key id/);
  });

  test("a checkpoint kept earlier is consistent with a later one; a different older root is not", async () => {
    // A proof for the newest entry needs a checkpoint covering it, so the log signs one at its current size.
    const latest = async () => {
      const size = (await call(gw.url, "/admin/audit/entries?from=0&to=1", { token })).json.tree_size as number;
      return (await call(gw.url, `/admin/audit/proof/inclusion?index=${size - 1}`, { token })).json.checkpoint as string;
    };
    const older = await latest();
    for (let i = 0; i < 5; i++) await call(gw.url, "/v1/models", { token });
    const newer = await latest();
    const from = Number(older.split("\n")[1]);
    const to = Number(newer.split("\n")[1]);
    assert.ok(to > from);
    const proof = (await call(gw.url, `/admin/audit/proof/consistency?from=${from}&to=${to}`, { token })).json;
    const r = await verifyConsistency({ key, older, newer, hashes: proof.hashes });
    assert.deepEqual([r.from.size, r.to.size], [from, to]);
    const shorter = (await call(gw.url, `/admin/audit/proof/consistency?from=${from - 1}&to=${to}`, { token })).json;
    await assert.rejects(verifyConsistency({ key, older, newer, hashes: shorter.hashes }), /does not extend/);
  });
});
