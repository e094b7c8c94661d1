import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

describe("comms workload over HTTP", () => {
  let gw: RunningServer, token: string;
  before(async () => {
    gw = await startGateway({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, official_accounts: ["press@nato.example"] });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => { await gw.close(); });

  test("messages are analysed with language and sentiment, and authors come back only as pseudonyms", async () => {
    const messages = [
      { id: "m1", text: "The exercise went very well and the teams worked brilliantly together.", author: "john.smith@army.example", channel: "ops" },
      { id: "m2", text: "Die Verlegung war eine Katastrophe, nichts hat funktioniert.", author: "john.smith@army.example", channel: "ops" },
      { id: "m3", text: "Statement on the exercise schedule.", author: "press@nato.example", channel: "press" },
    ];
    const r = await call(gw.url, "/v1/workloads/comms/analyze", { token, body: { messages, options: { purpose: "exercise feedback" } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.length, 3);
    assert.equal(r.json.data[0].language, "eng");
    assert.equal(r.json.data[1].language, "deu");
    assert.equal(r.json.data[0].sentiment.label, "positive");
    assert.equal(r.json.data[1].sentiment.label, "negative");
    assert.ok(!r.text.includes("john.smith"), "no real author appears in the output");
  });

  test("a request for per-person profiling is refused as mass surveillance", async () => {
    const r = await call(gw.url, "/v1/workloads/comms/analyze", { token, body: { messages: [{ text: "hello", author: "a" }], options: { group_by: ["author"] } } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "prohibited_use");
    assert.equal(r.json.error.reason, "mass_surveillance");
  });

  test("text is translated by the embedded engine when no model is configured", async (t) => {
    if (!existsSync("/usr/share/apertium/modes/eng-spa.mode")) {
      t.skip("Debian package apertium-eng-spa is not installed");
      return;
    }
    const r = await call(gw.url, "/v1/workloads/translate", { token, body: { text: "The convoy arrives tomorrow.", from: "en", to: "es" } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.route.engine, "apertium");
    assert.match(r.json.text, /convoy|convoy|mañana/i);
  });

  test("marked text is refused before it reaches any translation engine", async () => {
    const r = await call(gw.url, "/v1/workloads/translate", { token, body: { text: "NATO SECRET\nThe plan.", from: "en", to: "es" } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "classification_exceeded");
  });
});
