import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateDemoKey, mintDemoToken } from "../../src/identity/index.ts";
import { call } from "../helpers/gateway.ts";
import { spawnGateway } from "../helpers/spawn-gateway.ts";

/**
 * Regression "pdf-stray-rejection" (found by "mutated PDF bytes give text or a clean invalid_request", seed 202):
 * this mutated PDF is refused with invalid_request, but pdf.js, which runs its worker in-process under Node, also
 * leaves a promise rejected with nobody to handle it. Node ends a process on an unhandled rejection, so one upload
 * took the whole gateway down. `concord serve` now logs such a rejection and keeps serving; this test runs the
 * real command in its own process, because an in-process gateway would take the test runner down instead.
 */
const BAD_PDF = "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyAvUGFnZXMgMiAwIFIgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL1R5cGUgL1BhZ2VzIC9LaWRzIFs1IDAgUiA3IDAgUl0gL0NvdW50IDIgPj4KZW5kb2JqCjMgMCBvYmoKPDwgL1R5cGUgL0ZvbnQgL1N1YnR5cGUgL1R5cGUxIC9CYXNlRm9udCAvSGVsdmV0aWNhIC9FbmNvZGluZyAvV2luQW5zaUVuY29kaW5nID4+CmVuZG9iago0IDAgb2JqCjw8IC9MZW5ndGggMTI1ID4+CnN0cmVhbQpCVCAvRjEgMTggVGYgNTYgNzc2LjYgVGQgKExvZ2lzdGljcyByZXBvcnQpIFRqIEVUCkJUIC9GMSAxMSBUZiA1NiA3NjIuMyBUZCAoRnVlbCBzdG9ja3MgYXJlIGFkZXF1YXRlIGZvciB0aGUgZXhlcmNpc2UuKSBUaiBFVAplbmRzdHJlYW0KZW5kb2JqCjUgMCBvYmoKPDwgL1R5cGUgL1BhZ2UgL1BhcmVudCAyIDAgUiAvTWVkaWFCb3ggWzAgMCA1OTUgODQyXSAvUmVzb3VyY2VzIDw8IC9Gb250IDw8IC9GMSAzIDAgUiA+PiA+PiAvQ29udGVudHMgNCAwIFIgPvMKZW5kb2JqCjYgMCBvYmoKPDwgL0xlbmd0aCA0NSA+PgpzdHJlYW0KQlQgL0YxIDExIFRmIDU2IDc4NS43IFRkIChTZWNvbmQgcGFnZS4pIFRqIEVUCmVuZHN0cmVhbQplbmRvYmoKNyAwIG9iago8PCAvVHlwZSAvUGFnZSAvUGFyZW50IDIgMCBSIC9NZWRpYUJveCBbMCAwIDU5NSA4NDJZIC9SZXNvdXJjZXMgPDwgL0ZvbnQgPDwgL0YxIDMgMCBSID4+ID4+IC9Db250ZW50cyA2IDAgUiA+PgplbmRvYmoKOCAwIG9iago8PCAvVGl0bGUgKFJlcG9ydCkgL1Byb2R1Y2VyIChjb25jb3JkIHRlc3RzKSA+PgplbmRvYmoKeHJlZgowIDkKMDAwMDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDE1IDAwMDAwIG4gCjAwMDAwMDAwNjQgMDAwMDAgbiAKMDAwMDAwMDEyNyAwMDAwMCBuIAowMDAwMDAwMjI0IDAwMDAwIG4gCjAwMDAwMDA0MDAgMDAwMDAgbiAKMDAwMDAwMDUyNiAwMDAwMCBuIAowMDAwMDAwNjIxIDAwMDAwIG4gCjAwMDAwMDA3NDcgMDAwMDAgbiAKdHJhaWxlcgo8PCAvU2l6ZSA5IC9Sb290IDEgMCBSIC9JbmZvIDggMCBSIC9JRCBbPDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmPiA8MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY+XSA+PgpzdGFydHhyZWYKODEwCiUlRU9GCg==";

describe("regression pdf-stray-rejection: a PDF that makes pdf.js reject a promise nobody awaits", { timeout: 180_000 }, () => {
  let dir: string, gw: Awaited<ReturnType<typeof spawnGateway>>, token: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "concord-pdf-crash-"));
    const config = join(dir, "concord.yaml");
    writeFileSync(config, JSON.stringify({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, endpoints: [], data_dir: dir }));
    gw = await spawnGateway(config);
    token = await mintDemoToken(await loadOrCreateDemoKey(dir, "DEU"), { nation: "DEU", role: "analyst" });
  });
  after(async () => { await gw.stop(); rmSync(dir, { recursive: true, force: true }); });

  test("the upload is refused with invalid_request and the gateway process keeps serving", async () => {
    const r = await call(gw.url, "/v1/workloads/documents", { token, body: { filename: "report.pdf", content_base64: BAD_PDF } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, "invalid_request");
    // The stray rejection settles after the answer: give it the time pdf.js takes, then ask again.
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(gw.child.exitCode, null, "the gateway process is still running");
    assert.equal((await call(gw.url, "/healthz")).status, 200);
  });
});
