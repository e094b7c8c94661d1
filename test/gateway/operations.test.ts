import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

interface Summary {
  endpoints: { id: string; jurisdiction: string; health: string }[];
  nations: { nation: string; quota: { requests_this_minute: number; requests_per_minute: number; tokens_today: number; tokens_per_day: number }; minutes: { at: string; requests: number; refused: number }[] }[];
}

// The operations API: quota use against each nation's budget and the last hour's request and refusal rates,
// Cedar-authorized under admin.operations (a nation's admin sees its own nation, the alliance admin all).
describe("operations summary", () => {
  let upstream: StubUpstream, gw: RunningServer;
  const t: Record<string, string> = {};

  before(async () => {
    upstream = await startStubUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: {
        DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 50, tokens_per_day: 10_000 } },
        FRA: { residency: ["FRA"], identity: "demo" },
      },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }, { id: "fra", url: upstream.url, jurisdiction: "FRA", models: ["m"] }],
    });
    const mint = (nation: string, role: "analyst" | "nation-admin" | "alliance-admin") => mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role });
    t.deu = await mint("DEU", "analyst");
    t.fra = await mint("FRA", "analyst");
    t.deuAdmin = await mint("DEU", "nation-admin");
    t.alliance = await mint("FRA", "alliance-admin");
    for (let i = 0; i < 3; i++) assert.equal((await call(gw.url, "/v1/chat/completions", { token: t.deu, body: { model: "m", messages: [{ role: "user", content: "hi" }] } })).status, 200);
    assert.equal((await call(gw.url, "/v1/chat/completions", { token: t.deu, body: { model: "no-such-model", messages: [{ role: "user", content: "hi" }] } })).status >= 400, true);
    assert.equal((await call(gw.url, "/v1/chat/completions", { token: t.fra, body: { model: "m", messages: [{ role: "user", content: "hi" }] } })).status, 200);
  });
  after(async () => { await gw.close(); await upstream.close(); });

  const hour = (s: Summary, nation: string) => {
    const n = s.nations.find((x) => x.nation === nation)!;
    return { requests: n.minutes.reduce((a, m) => a + m.requests, 0), refused: n.minutes.reduce((a, m) => a + m.refused, 0) };
  };

  test("a DEU admin sees DEU only: its endpoints, its quota against its budget and its last hour", async () => {
    const r = await call(gw.url, "/v1/operations/summary", { token: t.deuAdmin });
    assert.equal(r.status, 200, r.text);
    const s = r.json as Summary;
    assert.deepEqual(s.nations.map((n) => n.nation), ["DEU"]);
    assert.deepEqual(s.endpoints.map((e) => [e.id, e.jurisdiction, e.health]), [["deu", "DEU", "healthy"]], "only endpoints DEU's residency reaches");
    const q = s.nations[0]!.quota;
    assert.equal(q.requests_per_minute, 50);
    assert.equal(q.tokens_per_day, 10_000);
    assert.ok(q.requests_this_minute >= 3, JSON.stringify(q));
    assert.ok(q.tokens_today > 0, "the stub's answers were charged");
    assert.equal(s.nations[0]!.minutes.length, 60);
    const h = hour(s, "DEU");
    assert.ok(h.requests >= 4 && h.refused >= 1, JSON.stringify(h));
    const fra = await call(gw.url, "/v1/operations/summary?nation=FRA", { token: t.deuAdmin });
    assert.equal(fra.status, 403);
    assert.equal(fra.json.error.code, "forbidden");
  });

  test("the alliance admin sees every nation, or one asked for", async () => {
    const s = (await call(gw.url, "/v1/operations/summary", { token: t.alliance })).json as Summary;
    assert.deepEqual(s.nations.map((n) => n.nation), ["DEU", "FRA"]);
    assert.deepEqual(s.endpoints.map((e) => e.id).sort(), ["deu", "fra"]);
    assert.ok(hour(s, "FRA").requests >= 1);
    assert.equal(hour(s, "FRA").refused, 0);
    const one = await call(gw.url, "/v1/operations/summary?nation=DEU", { token: t.alliance });
    assert.deepEqual((one.json as Summary).nations.map((n) => n.nation), ["DEU"]);
    assert.equal((await call(gw.url, "/v1/operations/summary?nation=deu", { token: t.alliance })).status, 400);
  });

  test("an analyst is refused, and so is an anonymous caller", async () => {
    const r = await call(gw.url, "/v1/operations/summary", { token: t.deu });
    assert.equal(r.status, 403);
    assert.equal((await call(gw.url, "/v1/operations/summary")).status, 401);
  });
});
