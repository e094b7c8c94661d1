import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { reachable } from "../helpers/services.ts";
import { spawnGateways } from "../helpers/spawn-gateway.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { loadOrCreateDemoKey, mintDemoToken } from "../../src/identity/index.ts";

/** Budgets count per UTC minute: start a burst early in a minute so it cannot straddle two windows. */
async function avoidMinuteBoundary(): Promise<void> {
  const ms = Date.now() % 60_000;
  if (ms > 40_000) await new Promise((r) => setTimeout(r, 60_000 - ms + 100));
}

const chat = { model: "m", messages: [{ role: "user", content: "hi" }] };

describe("quotas", () => {
  let upstream: StubUpstream;
  before(async () => { upstream = await startStubUpstream(); });
  after(async () => { await upstream.close(); });

  test("a nation over its requests-per-minute budget gets 429 quota_exceeded with Retry-After", async () => {
    const gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 3 } }, FRA: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
    try {
      const deu = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
      const fra = await mintDemoToken(gw.gateway.demoKeys.get("FRA")!, { nation: "FRA", role: "analyst" });
      await avoidMinuteBoundary();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(gw.url, "/v1/chat/completions", { token: deu, body: chat })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const r = await call(gw.url, "/v1/chat/completions", { token: deu, body: chat });
      if (r.status === 429) {
        assert.equal(r.json.error.code, "quota_exceeded");
        assert.ok(Number(r.headers.get("retry-after")) >= 1);
      }
      assert.equal((await call(gw.url, "/v1/chat/completions", { token: fra, body: chat })).status, 200, "another nation's budget is its own");
    } finally {
      await gw.close();
    }
  });

  test("a nation whose day's tokens are spent is refused until the next day", async () => {
    const gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { tokens_per_day: 15 } } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
    });
    try {
      const deu = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
      assert.equal((await call(gw.url, "/v1/chat/completions", { token: deu, body: chat })).status, 200);
      assert.equal((await call(gw.url, "/v1/chat/completions", { token: deu, body: chat })).status, 200);
      const r = await call(gw.url, "/v1/chat/completions", { token: deu, body: chat });
      assert.equal(r.status, 429);
      assert.equal(r.json.error.limit, "tokens_per_day");
    } finally {
      await gw.close();
    }
  });

  test("two gateway processes share one budget through Redis", async (t) => {
    if (!(await reachable(6379))) {
      t.skip("Redis is not running on 127.0.0.1:6379; start it to test shared quotas");
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "concord-quota-"));
    const file = join(dir, "concord.yaml");
    const prefix = `concord-test:${process.pid}:${Date.now()}:`;
    writeFileSync(file, stringify({
      network: { name: "t", jurisdiction: "BEL" },
      data_dir: dir,
      store: { url: `sqlite:${join(dir, "concord.db")}` },
      nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 6 } } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
      quota: { redis: "redis://127.0.0.1:6379", prefix },
    }));
    const token = await mintDemoToken(await loadOrCreateDemoKey(dir, "DEU"), { nation: "DEU", role: "analyst" });
    const gateways = await spawnGateways(file, 2);
    const [a, b] = [gateways[0]!, gateways[1]!];
    try {
      await avoidMinuteBoundary();
      const results: number[] = [];
      for (let i = 0; i < 10; i++) results.push((await call(i % 2 ? b.url : a.url, "/v1/chat/completions", { token, body: chat })).status);
      assert.deepEqual(results.filter((s) => s === 200).length, 6, `statuses: ${results.join(",")}`);
      assert.deepEqual(results.slice(6), [429, 429, 429, 429]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
