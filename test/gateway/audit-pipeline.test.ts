import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import { jsonLogger, type RunningServer } from "../../src/server/index.ts";

// Every decision, allowed or refused, is appended to the audit log before the client is answered.
describe("the pipeline audits every decision", () => {
  let upstream: StubUpstream, gw: RunningServer, token: string;
  const logLines: string[] = [];

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    }, jsonLogger((l) => logLines.push(l)));
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "anna" });
  });
  after(async () => {
    await gw.close().catch(() => {});
    await upstream.close();
  });

  const lastEntry = async () => {
    const size = await gw.gateway.audit.size();
    const [e] = await gw.gateway.audit.entries({ from: size - 1, to: size });
    return e!.entry;
  };

  test("an allowed chat completion is audited with nation, endpoint, jurisdiction and both body hashes", async () => {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "fuel state at depot 7?" }] });
    const r = await call(gw.url, "/v1/chat/completions", { token, body });
    assert.equal(r.status, 200);
    const e = await lastEntry();
    assert.equal(e.nation, "DEU");
    assert.equal(e.subject, "anna");
    assert.equal(e.action, "chat");
    assert.equal(e.decision, "allow");
    assert.equal(e.endpoint, "deu");
    assert.equal(e.jurisdiction, "DEU");
    assert.equal(e.request_sha256, createHash("sha256").update(body).digest("hex"));
    assert.equal(e.response_sha256, createHash("sha256").update(r.text).digest("hex"));
    assert.equal(e.policy_version, gw.gateway.policyVersion());
  });

  test("a refused request is audited by reason and hash, and its content appears nowhere in the entry", async () => {
    const secret = "prompt-text-that-must-not-be-stored";
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: secret }], bogus: 1 } });
    assert.equal(r.status, 400);
    const e = await lastEntry();
    assert.equal(e.decision, "deny");
    assert.equal(e.reason, "invalid_request");
    assert.equal(e.response_sha256, null);
    assert.ok(!JSON.stringify(e).includes(secret));
  });

  test("an unauthenticated request is audited with no nation", async () => {
    const r = await call(gw.url, "/v1/models", { token: "garbage" });
    assert.equal(r.status, 401);
    const e = await lastEntry();
    assert.equal(e.nation, null);
    assert.equal(e.reason, "unauthenticated");
  });

  test("a streamed answer is audited when it starts and again with its hash when it ends", async () => {
    const before = await gw.gateway.audit.size();
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "hi" }], stream: true } });
    assert.equal(r.status, 200);
    const entries = await gw.gateway.audit.entries({ from: before, to: before + 2 });
    assert.deepEqual(entries.map((x) => x.entry.reason), ["stream_started", "ok"]);
    assert.match(entries[1]!.entry.response_sha256 ?? "", /^[0-9a-f]{64}$/);
  });

  test("the logs never contain the token or the prompt", () => {
    const all = logLines.join("");
    assert.ok(!all.includes(token));
    assert.ok(!all.includes("fuel state at depot 7"));
    assert.ok(!all.includes("prompt-text-that-must-not-be-stored"));
  });

  test("when the audit log cannot commit, requests are refused with 503 audit_unavailable, never answered unaudited", async () => {
    await gw.gateway.audit.close();
    const hits = upstream.hits.length;
    const r = await call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "audit_unavailable");
    assert.ok(upstream.hits.length <= hits + 1);
    assert.ok(!r.text.includes(upstream.answer));
  });
});
