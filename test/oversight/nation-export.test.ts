import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { parseVerifierKey } from "../../src/audit/index.ts";
import { exportNation, verifyNationExport } from "../../src/oversight/index.ts";

// A nation keeps its own record: its entries and their inclusion proofs in one signed checkpoint.
describe("a nation's export of its own audit entries", () => {
  let upstream: StubUpstream, gw: RunningServer;
  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
    for (const n of ["DEU", "FRA", "DEU"]) {
      const token = await mintDemoToken(gw.gateway.demoKeys.get(n)!, { nation: n, role: "analyst" });
      await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: n }] } });
    }
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  test("holds only that nation's entries, each proven in the signed checkpoint; an altered entry fails", async () => {
    const x = await exportNation(gw.gateway.audit, "DEU");
    assert.equal(x.entries.length, 2);
    assert.ok(x.entries.every((e) => (e.entry as { nation: string }).nation === "DEU"));
    const key = parseVerifierKey(gw.gateway.audit.publicKey());
    assert.deepEqual(verifyNationExport(x, key), { ok: true, entries: 2 });
    const altered = structuredClone(x) as typeof x & { entries: Array<{ entry: { decision: string } }> };
    altered.entries[0]!.entry.decision = "deny";
    const r = verifyNationExport(altered, key);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.problem : "", /altered/);
  });
});
