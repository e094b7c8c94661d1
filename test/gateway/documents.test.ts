import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

const report = `# Exercise Northern Shield after-action report

The exercise tested fuel resupply between allied depots in the north.

Convoys reached the forward depot at Bodø two hours late because of icy roads.

Future exercises should pre-position winter tyres at each depot.`;

const b64 = (s: string) => Buffer.from(s).toString("base64");

// The documents workload through the gateway: releasability decides what each nation can find.
describe("documents over HTTP", () => {
  let gw: RunningServer;
  const t: Record<string, string> = {};

  before(async () => {
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" }, NOR: { residency: ["DEU"], identity: "demo" } },
    });
    for (const n of ["DEU", "FRA", "NOR"]) t[n] = await mintDemoToken(gw.gateway.demoKeys.get(n)!, { nation: n, role: "analyst" });
  });
  after(async () => { await gw.close(); });

  test("a document released to NOR is found by NOR and by its owner, and by no one else", async () => {
    const up = await call(gw.url, "/v1/workloads/documents", { token: t.DEU!, body: { filename: "northern-shield.md", content_base64: b64(report), releasable_to: ["NOR"] } });
    assert.equal(up.status, 201, up.text);
    assert.match(up.json.document_id, /^doc_/);
    const id = up.json.document_id as string;
    for (const n of ["DEU", "NOR"]) {
      const s = await call(gw.url, "/v1/workloads/documents/search?q=winter%20tyres", { token: t[n]! });
      assert.equal(s.status, 200);
      assert.equal(s.json.data[0]?.document_id, id, `${n} finds it`);
    }
    const fra = await call(gw.url, "/v1/workloads/documents/search?q=winter%20tyres", { token: t.FRA! });
    assert.equal(fra.status, 200);
    assert.deepEqual(fra.json.data, []);
    assert.ok(!fra.text.includes("Bodø") && !fra.text.includes(id));
    const sum = await call(gw.url, "/v1/workloads/summarize", { token: t.FRA!, body: { document_ids: [id] } });
    assert.equal(sum.status, 404, "FRA cannot tell the document exists");
    assert.ok(!sum.text.includes("Northern Shield"));
  });

  test("re-uploading the same file is idempotent", async () => {
    const up = await call(gw.url, "/v1/workloads/documents", { token: t.DEU!, body: { filename: "northern-shield.md", content_base64: b64(report), releasable_to: ["NOR"] } });
    assert.equal(up.status, 200);
    assert.equal(up.json.duplicate, true);
  });

  test("a multipart upload with releasability works like the JSON one", async () => {
    const form = new FormData();
    form.append("file", new Blob(["Logistics note: water purification units arrive Tuesday."], { type: "text/plain" }), "note.txt");
    form.append("releasable_to", "all");
    const res = await fetch(`${gw.url}/v1/workloads/documents`, { method: "POST", headers: { authorization: `Bearer ${t.FRA}` }, body: form });
    assert.equal(res.status, 201, await res.clone().text());
    const s = await call(gw.url, "/v1/workloads/documents/search?q=purification", { token: t.DEU! });
    assert.equal(s.json.data.length, 1);
  });

  test("a document marked above the ceiling is refused and not stored", async () => {
    const marked = "NATO SECRET\n\nThe submarine patrol schedule for the quarter.";
    const up = await call(gw.url, "/v1/workloads/documents", { token: t.DEU!, body: { filename: "patrol.txt", content_base64: b64(marked) } });
    assert.equal(up.status, 403);
    assert.equal(up.json.error.code, "classification_exceeded");
    const s = await call(gw.url, "/v1/workloads/documents/search?q=submarine%20patrol", { token: t.DEU! });
    assert.deepEqual(s.json.data, []);
  });

  test("an extractive summary cites its sources and is labelled AI-generated", async () => {
    const s = await call(gw.url, "/v1/workloads/documents/search?q=convoys", { token: t.NOR! });
    const id = s.json.data[0].document_id;
    const r = await call(gw.url, "/v1/workloads/summarize", { token: t.NOR!, body: { document_ids: [id], sentences: 2 } });
    assert.equal(r.status, 200, r.text);
    assert.match(JSON.stringify(r.json), /ai_generated|AI-generated/i);
    assert.match(JSON.stringify(r.json), new RegExp(id));
  });

  test("a caller cannot name another nation in the request", async () => {
    const r = await call(gw.url, "/v1/workloads/summarize", { token: t.FRA!, body: { document_ids: ["doc_" + "0".repeat(32)], nation: "DEU" } });
    assert.equal(r.status, 400);
  });
});
