import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { verifyPolicyRecord } from "../../src/oversight/index.ts";

// Demo nations sign with their generated governance keys; adoption changes the version every later entry cites.
describe("governance over HTTP", () => {
  let upstream: StubUpstream, gw: RunningServer;
  const admin = (nation: string) => mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role: "nation-admin", subject: `admin-${nation}` });

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" }, POL: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      oversight: { review: [], approvals_required: 2 },
      governance: { quorum: "all" },
    });
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  test("a proposal adopted by all nations changes the policy in force, and the next decision cites the new version", async () => {
    const before = await call(gw.url, "/admin/policy", { token: await admin("FRA") });
    assert.equal(before.status, 200);
    const oldVersion = before.json.version as string;
    const bundle = structuredClone(before.json.bundle);
    bundle.oversight.review = ["chat.intelligence_summary"];
    const analyst = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "anna" });
    assert.equal((await call(gw.url, "/admin/proposals", { token: analyst, body: { bundle } })).status, 403);

    const created = await call(gw.url, "/admin/proposals", { token: await admin("DEU"), body: { bundle, summary: "hold intelligence summaries" } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.approved_by, ["DEU"]);
    const id = created.json.id as string;
    const fra = await call(gw.url, `/admin/proposals/${id}/approve`, { token: await admin("FRA"), body: { comment: "agreed" } });
    assert.equal(fra.json.status, "pending");
    const repeat = await call(gw.url, `/admin/proposals/${id}/approve`, { token: await admin("FRA"), body: {} });
    assert.equal(repeat.status, 403);
    const pol = await call(gw.url, `/admin/proposals/${id}/approve`, { token: await admin("POL"), method: "POST" });
    assert.equal(pol.json.status, "adopted", pol.text);
    assert.equal(gw.gateway.policyVersion(), created.json.bundle_sha256);

    const held = await call(gw.url, "/v1/chat/completions", { token: analyst, body: { model: "m", messages: [{ role: "user", content: "x" }], metadata: { purpose: "intelligence_summary" } } });
    assert.equal(held.status, 202, "the adopted bundle's oversight settings apply without a restart");
    const size = await gw.gateway.audit.size();
    const [last] = await gw.gateway.audit.entries({ from: size - 1, to: size });
    assert.equal(last!.entry.policy_version, created.json.bundle_sha256);
    assert.notEqual(last!.entry.policy_version, oldVersion);

    const all = await gw.gateway.audit.entries({ from: 0, to: size });
    const actions = all.map((e) => e.entry.action);
    for (const a of ["governance.propose", "governance.approve", "governance.adopt"]) assert.ok(actions.includes(a), a);

    const record = (await call(gw.url, "/admin/policy", { token: await admin("POL") })).json;
    assert.deepEqual(record.signatures, ["DEU", "FRA", "POL"]);
    const v = verifyPolicyRecord(record, gw.gateway.oversight.keys.verifiers, "t");
    assert.equal(v.ok, true, v.problem);
  });

  test("an objection under all blocks a proposal and is audited", async () => {
    const current = (await call(gw.url, "/admin/policy", { token: await admin("FRA") })).json;
    const bundle = structuredClone(current.bundle);
    bundle.oversight.approvals_required = 3;
    const created = await call(gw.url, "/admin/proposals", { token: await admin("FRA"), body: { bundle } });
    const objected = await call(gw.url, `/admin/proposals/${created.json.id}/object`, { token: await admin("POL"), body: { comment: "too slow" } });
    assert.equal(objected.json.status, "rejected");
    assert.equal(gw.gateway.policyVersion(), current.version);
    const size = await gw.gateway.audit.size();
    const entries = await gw.gateway.audit.entries({ from: size - 4, to: size });
    assert.ok(entries.some((e) => e.entry.action === "governance.object" && e.entry.nation === "POL"));
  });

  test("a red-line weakening is refused at validation with 400", async () => {
    const current = (await call(gw.url, "/admin/policy", { token: await admin("FRA") })).json;
    const bundle = structuredClone(current.bundle);
    bundle.ceiling = "NATO SECRET";
    const r = await call(gw.url, "/admin/proposals", { token: await admin("DEU"), body: { bundle } });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /red line/);
  });

  test("an adopted residency table routes at once: a nation whose residency no longer includes the endpoint gets 503", async () => {
    const analyst = await mintDemoToken(gw.gateway.demoKeys.get("POL")!, { nation: "POL", role: "analyst", subject: "pia" });
    const ask = () => call(gw.url, "/v1/chat/completions", { token: analyst, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
    assert.equal((await ask()).status, 200);
    const current = (await call(gw.url, "/admin/policy", { token: await admin("FRA") })).json;
    const bundle = structuredClone(current.bundle);
    bundle.residency.POL.residency = ["POL"];
    const seen: string[] = [];
    const off = gw.gateway.oversight.onAdopt((a) => seen.push(a.version));
    const p = (await call(gw.url, "/admin/proposals", { token: await admin("POL"), body: { bundle } })).json;
    await call(gw.url, `/admin/proposals/${p.id}/approve`, { token: await admin("DEU"), method: "POST" });
    const last = await call(gw.url, `/admin/proposals/${p.id}/approve`, { token: await admin("FRA"), method: "POST" });
    off();
    assert.equal(last.json.status, "adopted", last.text);
    assert.deepEqual(seen, [p.bundle_sha256]);
    const r = await ask();
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "residency_unavailable");
  });
});
