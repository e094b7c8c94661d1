import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call } from "../helpers/gateway.ts";
import { securityGateway, type SecurityGateway } from "./helpers.ts";

/**
 * OWASP ASVS 5.0.0 chapter V8, authorization: Cedar decides function-level access (src/policy/cedar), the
 * document store enforces releasability in its queries, the audit API shows other nations' entries only as
 * hashes, and workload steps run with the caller's own residency. Nations are the tenants.
 */

const REPORT = "Fuel resupply report. The northern depot holds enough diesel for the exercise. Convoys leave at dawn.";
const upload = (releasable: string[] | "all") => ({ filename: "report.txt", content_base64: Buffer.from(REPORT).toString("base64"), releasable_to: releasable });

describe("ASVS V8 authorization", { timeout: 180_000 }, () => {
  let s: SecurityGateway;
  let deuDoc: string;
  before(async () => {
    s = await securityGateway({ workloads: { model: "m" } });
    const r = await call(s.gw.url, "/v1/workloads/documents", { token: await s.token("DEU"), body: upload(["DEU"]) });
    assert.equal(r.status, 201, r.text);
    deuDoc = r.json.document_id as string;
  });
  after(() => s.close());

  test("ASVS V8.2.1: function-level access needs an explicit permit: analysts cannot administer, auditors cannot run models", async () => {
    const analyst = await s.token("DEU", "analyst");
    const auditor = await s.token("DEU", "auditor");
    for (const [token, method, path, body] of [
      [analyst, "GET", "/admin/audit/entries", undefined],
      [analyst, "POST", "/admin/proposals", { bundle: {}, summary: "x" }],
      [analyst, "GET", "/admin/reviews", undefined],
      [auditor, "POST", "/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "hi" }] }],
      [auditor, "POST", "/v1/workloads/documents", upload("all")],
    ] as const) {
      const r = await call(s.gw.url, path, { token, method, ...(body ? { body } : {}) });
      assert.equal(r.status, 403, `${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.json.error.code, "forbidden");
    }
    assert.equal((await call(s.gw.url, "/admin/audit/entries", { token: auditor })).status, 200, "the control: the auditor reads the log");
  });

  test("ASVS V8.2.2: data-specific access: a document released only to DEU is invisible to FRA by search and by its id", async () => {
    const fra = await s.token("FRA");
    const search = await call(s.gw.url, "/v1/workloads/documents/search?q=diesel", { token: fra });
    assert.equal(search.status, 200);
    assert.deepEqual(search.json.data, []);
    const byId = await call(s.gw.url, "/v1/workloads/summarize", { token: fra, body: { document_ids: [deuDoc], mode: "extractive" } });
    assert.equal(byId.status, 404, byId.text);
    assert.doesNotMatch(byId.text, /diesel/i, "the refusal does not leak the content");
    const own = await call(s.gw.url, "/v1/workloads/documents/search?q=diesel", { token: await s.token("DEU") });
    assert.equal(own.json.data[0]?.document_id, deuDoc, "the control: the owner finds it");
  });

  test("ASVS V8.2.3: field-level access: a nation's auditor reads its own audit entries in full and other nations' only as leaf hashes", async () => {
    await call(s.gw.url, "/v1/models", { token: await s.token("FRA") });
    const r = await call(s.gw.url, "/admin/audit/entries?from=0", { token: await s.token("DEU", "auditor") });
    assert.equal(r.status, 200, r.text);
    const entries = r.json.entries ?? r.json.data;
    assert.ok(Array.isArray(entries) && entries.length > 0, r.text.slice(0, 300));
    const text = JSON.stringify(entries);
    assert.match(text, /"nation":"DEU"/);
    assert.doesNotMatch(text, /"nation":"FRA"/, "FRA's entries carry no fields for DEU's auditor");
  });

  test("ASVS V8.3.1: authorization data comes from the verified principal, never the request: a nation in the body is refused", async () => {
    const token = await s.token("FRA");
    const summarize = await call(s.gw.url, "/v1/workloads/summarize", { token, body: { document_ids: [deuDoc], nation: "DEU" } });
    assert.equal(summarize.status, 400);
    assert.equal(summarize.json.error.code, "invalid_request");
    const up = await call(s.gw.url, "/v1/workloads/documents", { token, body: { ...upload("all"), nation: "DEU" } });
    assert.equal(up.status, 400);
  });

  test("ASVS V8.3.2: a change to authorization data applies at once: a revoked API key is refused on its very next request", async () => {
    const { key, record } = await s.gw.gateway.apiKeys.create({ nation: "DEU", roles: ["analyst"] });
    assert.equal((await call(s.gw.url, "/v1/workloads/documents/search?q=diesel", { token: key })).status, 200);
    await s.gw.gateway.apiKeys.revoke(record.id);
    assert.equal((await call(s.gw.url, "/v1/workloads/documents/search?q=diesel", { token: key })).status, 401);
  });

  test("ASVS V8.3.3: a workload step acts with the caller's permissions: FRA's abstractive summary may not use DEU's model endpoint", async () => {
    const fra = await s.token("FRA");
    const up = await call(s.gw.url, "/v1/workloads/documents", { token: fra, body: upload("all") });
    assert.ok(up.status === 201 || up.status === 200, up.text);
    const before = s.upstream.seen.length;
    const r = await call(s.gw.url, "/v1/workloads/summarize", { token: fra, body: { document_ids: [up.json.document_id], mode: "abstractive" } });
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.error.code, "residency_unavailable");
    assert.equal(s.upstream.seen.length, before, "nothing reached the endpoint FRA's residency excludes");
    const deu = await call(s.gw.url, "/v1/workloads/summarize", { token: await s.token("DEU"), body: { document_ids: [deuDoc], mode: "abstractive" } });
    assert.ok(s.upstream.seen.length > before, `the control: DEU's step reaches it (${deu.status})`);
  });

  test("ASVS V8.4.1: one tenant cannot affect another: DEU exhausting its token budget leaves FRA's untouched", async () => {
    // Token budgets count per UTC day, so a burst cannot straddle two windows as a per-minute one could.
    const t = await securityGateway({ nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { tokens_per_day: 25 } }, FRA: { residency: ["DEU"], identity: "demo", quota: { tokens_per_day: 25 } } } });
    try {
      t.upstream.usage = 20;
      const [deu, fra] = [await t.token("DEU"), await t.token("FRA")];
      const body = { model: "m", messages: [{ role: "user", content: "Status?" }] };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(t.gw.url, "/v1/chat/completions", { token: deu, body })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.equal((await call(t.gw.url, "/v1/chat/completions", { token: fra, body })).status, 200);
    } finally {
      await t.close();
    }
  });
});
