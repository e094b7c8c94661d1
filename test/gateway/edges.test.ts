import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import type { RunningServer } from "../../src/server/index.ts";

describe("gateway edges: API keys, body limits, timeouts", () => {
  let slow: StubUpstream, fast: StubUpstream, gw: RunningServer & { dataDir: string };

  before(async () => {
    [slow, fast] = await Promise.all([startStubUpstream(), startStubUpstream()]);
    slow.mode = "hang";
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["DEU"], identity: "demo" } },
      endpoints: [
        { id: "slow", url: slow.url, jurisdiction: "DEU", models: ["m"], timeouts: { first_byte: "300ms" } },
        { id: "fast", url: fast.url, jurisdiction: "DEU", models: ["m"] },
      ],
      server: { body_limit: 4096 },
    });
  });
  after(async () => { await gw.close(); await Promise.all([slow.close(), fast.close()]); });

  test("a nation-scoped API key authenticates as its nation and roles, and is stored only as a hash", async () => {
    const { key, record } = await gw.gateway.apiKeys.create({ nation: "FRA", roles: ["analyst"], name: "ops" });
    const r = await call(gw.url, "/v1/models", { token: key });
    assert.equal(r.status, 200);
    const db = readFileSync(join(gw.dataDir, "concord.db"));
    const secret = key.split(".")[1]!;
    assert.ok(!db.includes(Buffer.from(secret)), "the secret is not in the database");
    await gw.gateway.apiKeys.revoke(record.id);
    assert.equal((await call(gw.url, "/v1/models", { token: key })).status, 401, "a revoked key stops working");
    const forged = key.slice(0, -2) + (key.endsWith("AA") ? "BB" : "AA");
    assert.equal((await call(gw.url, "/v1/models", { token: forged })).status, 401);
  });

  test("an endpoint that sends no first byte in time is left for the next allowed one", async () => {
    const { key } = await gw.gateway.apiKeys.create({ nation: "DEU", roles: ["analyst"] });
    const r = await call(gw.url, "/v1/chat/completions", { token: key, body: { model: "m", messages: [{ role: "user", content: "hi" }] } });
    assert.equal(r.status, 200, r.text);
    assert.equal(fast.hits.length, 1);
  });

  test("a body over the limit gets 413 payload_too_large in the OpenAI error shape", async () => {
    const r = await call(gw.url, "/v1/chat/completions", { body: { model: "m", messages: [{ role: "user", content: "x".repeat(10_000) }] } });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, "payload_too_large");
  });

  test("malformed JSON and a wrong content type get 400 invalid_request", async () => {
    const bad = await call(gw.url, "/v1/chat/completions", { body: "{not json" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, "invalid_request");
    const proto = await call(gw.url, "/v1/chat/completions", { body: '{"__proto__":{"x":1}}' });
    assert.equal(proto.status, 400);
    const type = await call(gw.url, "/v1/chat/completions", { body: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(type.status, 400);
    assert.equal(type.json.error.code, "invalid_request");
  });

  test("unknown routes answer 404 not_found in the OpenAI error shape", async () => {
    const r = await call(gw.url, "/v1/nothing");
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, "not_found");
  });
});
