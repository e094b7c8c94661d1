import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, deadPort, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import type { RunningServer } from "../../src/server/index.ts";

const chat = { model: "m", messages: [{ role: "user", content: "status of the exercise?" }] };

// DEU may use EU jurisdictions only; USA only USA. Whatever fails, a DEU request must never reach the USA endpoint.
describe("residency-aware routing", () => {
  let deuEp: StubUpstream, fraEp: StubUpstream, usaEp: StubUpstream, gw: RunningServer, deadUrl: string;
  let tokens: Record<string, string>;

  before(async () => {
    [deuEp, fraEp, usaEp] = await Promise.all([startStubUpstream(), startStubUpstream(), startStubUpstream()]);
    deadUrl = `http://127.0.0.1:${await deadPort()}/v1`;
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      jurisdictions: { EU: ["DEU", "FRA", "BEL"] },
      nations: {
        DEU: { residency: ["EU"], identity: "demo" },
        USA: { residency: ["USA"], identity: "demo" },
        TUR: { residency: ["TUR"], identity: "demo" },
      },
      endpoints: [
        { id: "usa", url: usaEp.url, jurisdiction: "USA", models: ["m", "only-usa"] },
        { id: "deu-down", url: deadUrl, jurisdiction: "DEU", models: ["m"] },
        { id: "deu", url: deuEp.url, jurisdiction: "DEU", models: ["m"] },
        { id: "fra", url: fraEp.url, jurisdiction: "FRA", models: ["m"] },
      ],
      server: { retries: 5, breaker: { failures: 3, cooldown: "60s" } },
    });
    const { mintDemoToken } = await import("../../src/identity/index.ts");
    tokens = {};
    for (const n of ["DEU", "USA", "TUR"]) tokens[n] = await mintDemoToken(gw.gateway.demoKeys.get(n)!, { nation: n, role: "analyst" });
  });
  after(async () => {
    await gw.close();
    await Promise.all([deuEp.close(), fraEp.close(), usaEp.close()]);
  });

  const reset = () => { for (const s of [deuEp, fraEp, usaEp]) { s.hits.length = 0; s.mode = "ok"; } };

  test("DEU requests are served in EU jurisdictions and never reach the USA endpoint", async () => {
    reset();
    for (let i = 0; i < 10; i++) {
      const r = await call(gw.url, "/v1/chat/completions", { token: tokens.DEU, body: chat });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal(usaEp.hits.length, 0);
    assert.equal(deuEp.hits.length + fraEp.hits.length, 10);
  });

  test("a USA request is served by the USA endpoint", async () => {
    reset();
    const r = await call(gw.url, "/v1/chat/completions", { token: tokens.USA, body: chat });
    assert.equal(r.status, 200);
    assert.equal(usaEp.hits.length, 1);
  });

  test("with the allowed endpoints failing, retries move to the next allowed one, never to the USA", async () => {
    reset();
    deuEp.mode = "fail500";
    for (let i = 0; i < 5; i++) {
      const r = await call(gw.url, "/v1/chat/completions", { token: tokens.DEU, body: chat });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal(fraEp.hits.length, 5, "FRA served every request");
    assert.equal(usaEp.hits.length, 0);
  });

  test("with every allowed endpoint down, DEU gets an error and the USA endpoint is still untouched", async () => {
    reset();
    deuEp.mode = "fail500";
    fraEp.mode = "fail500";
    const r = await call(gw.url, "/v1/chat/completions", { token: tokens.DEU, body: chat });
    assert.ok(r.status === 502 || r.status === 503, `got ${r.status}`);
    assert.ok(["upstream_error", "residency_unavailable"].includes(r.json.error.code));
    assert.equal(usaEp.hits.length, 0);
    // Streaming requests follow the same rule.
    const s = await call(gw.url, "/v1/chat/completions", { token: tokens.DEU, body: { ...chat, stream: true } });
    assert.ok(s.status === 502 || s.status === 503);
    assert.equal(usaEp.hits.length, 0);
  });

  test("a model served only outside the nation's jurisdictions answers 503 residency_unavailable", async () => {
    reset();
    const r = await call(gw.url, "/v1/chat/completions", { token: tokens.DEU, body: { ...chat, model: "only-usa" } });
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "residency_unavailable");
    assert.equal(usaEp.hits.length, 0);
  });

  test("a nation with no endpoint in its jurisdictions gets 503 residency_unavailable and sees no models", async () => {
    const r = await call(gw.url, "/v1/chat/completions", { token: tokens.TUR, body: chat });
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "residency_unavailable");
    const m = await call(gw.url, "/v1/models", { token: tokens.TUR });
    assert.deepEqual(m.json.data, []);
  });

  test("the models list shows only what the nation may reach", async () => {
    const deu = await call(gw.url, "/v1/models", { token: tokens.DEU });
    assert.deepEqual(deu.json.data.map((m: { id: string }) => m.id), ["m"]);
    const usa = await call(gw.url, "/v1/models", { token: tokens.USA });
    assert.deepEqual(usa.json.data.map((m: { id: string }) => m.id), ["m", "only-usa"]);
  });

  test("the endpoint that keeps failing has its circuit opened", async () => {
    const down = gw.gateway.registry.states.find((s) => s.endpoint.id === "deu-down")!;
    assert.equal(down.breaker.state, "open");
    const ready = await call(gw.url, "/readyz");
    assert.equal(ready.json.endpoints.find((e: { id: string }) => e.id === "deu-down").circuit, "open");
  });

  test("decisions and requests are counted in /metrics by nation, endpoint and code", async () => {
    const m = await call(gw.url, "/metrics");
    assert.match(m.text, /concord_requests_total\{route="\/v1\/chat\/completions",nation="DEU",endpoint="(deu|fra)",code="ok"\} \d+/);
    assert.match(m.text, /concord_upstream_failures_total\{endpoint="deu-down",jurisdiction="DEU"\}/);
    assert.match(m.text, /concord_request_duration_seconds_bucket/);
  });
});
