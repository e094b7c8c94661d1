import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import { publicKeyFromBase64, verifyProvenance } from "../../src/oversight/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

// A streamed chat answer ends with a chunk carrying its signed provenance, as a JSON answer carries it in a header.
describe("provenance of streamed answers", () => {
  let upstream: StubUpstream, gw: RunningServer;
  before(async () => {
    upstream = await startStubUpstream({ answer: "Convoy C crosses the river at dawn and reaches the depot by noon." });
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
  });
  after(async () => { await gw.close(); await upstream.close(); });

  test("the last chunk before [DONE] signs the streamed text and names the stream's final audit entry", async () => {
    const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "When does convoy C arrive?" }] }),
    });
    assert.equal(res.status, 200);
    const payloads = (await res.text()).split("\n\n").filter((f) => f.startsWith("data: ")).map((f) => f.slice(6));
    assert.equal(payloads.at(-1), "[DONE]");
    const last = JSON.parse(payloads.at(-2)!) as { object: string; choices: unknown[]; concord_provenance?: string };
    assert.equal(last.object, "chat.completion.chunk");
    assert.deepEqual(last.choices, [{ index: 0, delta: {}, finish_reason: null }], "an empty delta: clients reading choices[0].delta keep working");
    assert.equal(typeof last.concord_provenance, "string");

    const text = payloads.slice(0, -2).map((p) => (JSON.parse(p) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "").join("");
    assert.equal(text, upstream.answer);
    const key = publicKeyFromBase64(gw.gateway.oversight.provenance.publicKeyBase64);
    const ok = await verifyProvenance(text, last.concord_provenance!, key);
    assert.ok(ok.ok, JSON.stringify(ok));
    const entry = (await gw.gateway.audit.entries({ from: ok.record.audit_index, to: ok.record.audit_index + 1 }))[0]!.entry;
    assert.deepEqual([entry.action, entry.decision, entry.reason, entry.nation], ["chat", "allow", "ok", "DEU"], "the entry appended when the stream ended");
    assert.equal(ok.record.model, "m");
    assert.equal(ok.record.endpoint, "deu");

    const edited = await verifyProvenance(text.replace("noon", "dusk"), last.concord_provenance!, key);
    assert.equal(edited.ok, false, "an edited answer does not verify");
  });
});
