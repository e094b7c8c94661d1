import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import type { Role } from "../../src/config/index.ts";
import { generatedOutput, publicKeyFromBase64, verifyProvenance } from "../../src/oversight/index.ts";

// A held result reaches its requester only after two distinct reviewers of other nations approve it.
describe("review queue over HTTP (four-eyes, other_nation)", () => {
  let upstream: StubUpstream, gw: RunningServer;
  const tokens = new Map<string, string>();
  const token = async (nation: string, role: Role, subject: string) => {
    const k = `${nation}/${role}/${subject}`;
    if (!tokens.has(k)) tokens.set(k, await mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role, subject }));
    return tokens.get(k)!;
  };
  const held = async () => {
    const r = await call(gw.url, "/v1/chat/completions", {
      token: await token("DEU", "analyst", "anna"),
      body: { model: "m", messages: [{ role: "user", content: "summarise the depot reports" }], metadata: { purpose: "intelligence_summary" } },
    });
    assert.equal(r.status, 202, r.text);
    return r.json;
  };

  before(async () => {
    upstream = await startStubUpstream({ answer: "Depot 7 holds fuel for nine days." });
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" }, POL: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      oversight: { review: ["chat.intelligence_summary", "comms.analyze"], approvals_required: 2, reviewers: "other_nation", expiry: "1h" },
    });
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  test("a high-risk chat answers 202 with the review object and is audited as a review", async () => {
    const r = await held();
    assert.match(r.id, /^rev_/);
    assert.deepEqual({ ...r, id: undefined, created_at: undefined, expires_at: undefined }, { object: "review", id: undefined, status: "pending", capability: "chat.intelligence_summary", approvals_required: 2, approvals: 0, created_at: undefined, expires_at: undefined });
    const size = await gw.gateway.audit.size();
    const [e] = await gw.gateway.audit.entries({ from: size - 1, to: size });
    assert.equal(e!.entry.decision, "review");
    assert.equal(e!.entry["review_id"], r.id);
    assert.ok(!JSON.stringify(e!.entry).includes("Depot 7"));
  });

  test("only the requester and their own nation's reviewers and admins can poll; another nation gets 404", async () => {
    const { id } = await held();
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "analyst", "anna") })).json.status, "pending");
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "reviewer", "rolf") })).status, 200);
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "nation-admin", "ada") })).status, 200);
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "analyst", "bert") })).status, 404);
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("FRA", "reviewer", "francoise") })).status, 404);
    assert.equal((await call(gw.url, `/v1/reviews/${id}`, { token: await token("FRA", "nation-admin", "fa") })).status, 404);
    assert.equal((await call(gw.url, `/v1/reviews/rev_nope`, { token: await token("DEU", "analyst", "anna") })).status, 404);
  });

  test("released only after two distinct reviewers of other nations; same-nation and repeated approvals refused and not counted", async () => {
    const { id } = await held();
    const approve = async (nation: string, role: Role, subject: string) => call(gw.url, `/admin/reviews/${id}/approve`, { token: await token(nation, role, subject), body: { comment: "checked against the sources" } });
    const sameNation = await approve("DEU", "reviewer", "rolf");
    assert.equal(sameNation.status, 403);
    assert.match(sameNation.json.error.message, /other than DEU/);
    assert.equal((await approve("FRA", "analyst", "fred")).status, 403);
    const first = await approve("FRA", "reviewer", "francoise");
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.approvals, 1);
    assert.equal(first.json.status, "pending");
    const again = await approve("FRA", "reviewer", "francoise");
    assert.equal(again.status, 403);
    assert.match(again.json.error.message, /already approved/);
    const poll = await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "analyst", "anna") });
    assert.equal(poll.json.status, "pending");
    assert.equal(poll.json.approvals, 1);
    assert.equal(poll.json.result, undefined);
    const second = await approve("POL", "reviewer", "piotr");
    assert.equal(second.json.status, "approved");
    const done = await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "analyst", "anna") });
    assert.equal(done.json.status, "approved");
    assert.equal(done.json.result.choices[0].message.content, "Depot 7 holds fuel for nine days.");
    assert.equal(done.json.result.concord.ai_generated, true);
    assert.match(done.headers.get("ai-disclosure") ?? "", /mode=ai-originated/);
    // The released result carries the provenance signed when it was held.
    const key = publicKeyFromBase64(gw.gateway.oversight.provenance.publicKeyBase64);
    const check = await verifyProvenance(generatedOutput(done.json.result), done.headers.get("concord-provenance") ?? "", key);
    assert.equal(check.ok, true);
    const late = await approve("POL", "reviewer", "pawel");
    assert.equal(late.status, 400);
    assert.match(late.json.error.message, /is approved, not pending/);
  });

  test("the reviewer queue shows the held content to an eligible reviewer only", async () => {
    const { id } = await held();
    const fra = await call(gw.url, "/admin/reviews?status=pending", { token: await token("FRA", "reviewer", "francoise") });
    const item = fra.json.data.find((x: { id: string }) => x.id === id);
    assert.equal(item.may_decide, true);
    assert.equal(item.held.choices[0].message.content, "Depot 7 holds fuel for nine days.");
    const deu = await call(gw.url, "/admin/reviews?status=pending", { token: await token("DEU", "reviewer", "rolf") });
    const own = deu.json.data.find((x: { id: string }) => x.id === id);
    assert.equal(own.may_decide, false);
    assert.equal(own.held, undefined);
    assert.equal((await call(gw.url, "/admin/reviews", { token: await token("FRA", "analyst", "fred") })).status, 403);
  });

  test("the reviewer queue returns the request to a reviewer of another nation only, and a rejection deletes it", async () => {
    const { id } = await held();
    const fra = (await call(gw.url, "/admin/reviews?status=pending", { token: await token("FRA", "reviewer", "francoise") })).json.data.find((x: { id: string }) => x.id === id);
    assert.deepEqual(fra.request.messages, [{ role: "user", content: "summarise the depot reports" }]);
    assert.equal(fra.request.metadata.purpose, "intelligence_summary");
    assert.equal(fra.request_truncated, false);
    for (const [n, role, s] of [["DEU", "reviewer", "rolf"], ["DEU", "nation-admin", "ada"], ["POL", "alliance-admin", "pa"]] as const) {
      const r = await call(gw.url, "/admin/reviews?status=pending", { token: await token(n, role, s) });
      assert.equal(r.status, 200, r.text);
      assert.ok(!r.text.includes("summarise the depot reports"), `${n} ${role} must not read the request`);
    }
    assert.equal((await call(gw.url, "/admin/reviews?status=pending", { token: await token("FRA", "analyst", "fred") })).status, 403);
    await call(gw.url, `/admin/reviews/${id}/reject`, { token: await token("POL", "reviewer", "piotr"), body: { comment: "no" } });
    const stored = (await gw.gateway.oversight.reviews.list({ nation: "FRA", subject: "x", roles: ["reviewer"], via: "jwt" }, "rejected")).find((x) => x.id === id);
    assert.equal(stored?.status, "rejected");
    assert.equal(stored?.request, undefined);
  });

  test("a rejection gives the requester the reason, never the result, and deletes the content", async () => {
    const { id } = await held();
    const r = await call(gw.url, `/admin/reviews/${id}/reject`, { token: await token("POL", "reviewer", "piotr"), body: { comment: "the sources do not support it" } });
    assert.equal(r.status, 200, r.text);
    const poll = await call(gw.url, `/v1/reviews/${id}`, { token: await token("DEU", "analyst", "anna") });
    assert.equal(poll.json.status, "rejected");
    assert.equal(poll.json.reason, "the sources do not support it");
    assert.equal(poll.json.result, undefined);
    assert.ok(!poll.text.includes("Depot 7"));
    const stored = (await gw.gateway.oversight.reviews.list({ nation: "POL", subject: "x", roles: ["reviewer"], via: "jwt" }, "rejected")).find((x) => x.id === id);
    assert.equal(stored?.held, undefined);
  });

  test("streaming a capability under review is refused with a clear error", async () => {
    const r = await call(gw.url, "/v1/chat/completions", {
      token: await token("DEU", "analyst", "anna"),
      body: { model: "m", stream: true, messages: [{ role: "user", content: "x" }], metadata: { purpose: "intelligence_summary" } },
    });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /held for human review and cannot be streamed/);
  });

  test("a plain answer is labelled AI-generated and its provenance fails on one changed character", async () => {
    const r = await call(gw.url, "/v1/chat/completions", { token: await token("DEU", "analyst", "anna"), body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
    assert.equal(r.status, 200);
    assert.equal(r.json.concord.ai_generated, true);
    assert.equal(r.json.concord.jurisdiction, "DEU");
    const sig = r.headers.get("concord-provenance") ?? "";
    const key = publicKeyFromBase64((await call(gw.url, "/v1/provenance/key")).json.public_key);
    const output = r.json.choices[0].message.content as string;
    const ok = await verifyProvenance(output, sig, key);
    assert.equal(ok.ok, true);
    assert.equal(ok.ok && ok.record.model, "m");
    assert.equal(ok.ok && ok.record.policy_version, gw.gateway.policyVersion());
    const size = await gw.gateway.audit.size();
    const [e] = await gw.gateway.audit.entries({ from: size - 1, to: size });
    assert.equal(ok.ok && ok.record.audit_index, size - 1);
    assert.equal(e!.entry.decision, "allow");
    const edited = output.replace("Depot 7", "Depot 8");
    assert.notEqual(edited, output);
    assert.equal((await verifyProvenance(edited, sig, key)).ok, false);
  });

  test("a workload result under review is held too, though no model wrote it, and released unlabelled after approval", async () => {
    const r = await call(gw.url, "/v1/workloads/comms/analyze", { token: await token("DEU", "analyst", "anna"), body: { messages: [{ id: "m1", text: "The exercise went very well.", author: "a" }] } });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.capability, "comms.analyze");
    for (const [n, s] of [["FRA", "francoise"], ["POL", "piotr"]] as const) {
      assert.equal((await call(gw.url, `/admin/reviews/${r.json.id}/approve`, { token: await token(n, "reviewer", s), body: {} })).status, 200);
    }
    const done = await call(gw.url, `/v1/reviews/${r.json.id}`, { token: await token("DEU", "analyst", "anna") });
    assert.equal(done.json.status, "approved");
    assert.ok(JSON.stringify(done.json.result).includes("m1"));
    assert.equal(done.json.result.concord, undefined);
  });
});
