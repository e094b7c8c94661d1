import { test } from "node:test";
import assert from "node:assert/strict";
import { EndpointRegistry } from "./registry.ts";
import type { Endpoint } from "../config/index.ts";

const ep = (id: string, jurisdiction: string, models = ["m"]): Endpoint => ({
  id, url: `http://127.0.0.1:1/${id}`, jurisdiction, models, timeouts: { connect: 1000, first_byte: 1000, total: 1000 }, max_connections: 4,
});

test("candidates exclude endpoints outside the nation's allowed jurisdictions", () => {
  const reg = new EndpointRegistry([ep("usa", "USA"), ep("deu", "DEU"), ep("fra", "FRA")], { failures: 3, cooldown: 1000 });
  const ids = reg.candidates({ allowed: new Set(["DEU", "FRA"]), model: "m" }).map((s) => s.endpoint.id);
  assert.deepEqual(ids, ["deu", "fra"]);
});

test("candidates exclude endpoints that do not serve the model", () => {
  const reg = new EndpointRegistry([ep("a", "DEU", ["x"]), ep("b", "DEU", ["m"])], { failures: 3, cooldown: 1000 });
  assert.deepEqual(reg.candidates({ allowed: new Set(["DEU"]), model: "m" }).map((s) => s.endpoint.id), ["b"]);
});

test("candidates prefer the endpoint with the fewest outstanding requests", () => {
  const reg = new EndpointRegistry([ep("a", "DEU"), ep("b", "DEU")], { failures: 3, cooldown: 1000 });
  reg.states[0]!.outstanding = 5;
  assert.equal(reg.candidates({ allowed: new Set(["DEU"]), model: "m" })[0]?.endpoint.id, "b");
});

test("an open circuit removes the endpoint until the cooldown passes, then lets one trial through", () => {
  let now = 0;
  const reg = new EndpointRegistry([ep("a", "DEU")], { failures: 2, cooldown: 1000 }, () => now);
  const br = reg.states[0]!.breaker;
  br.onFailure();
  br.onFailure();
  assert.equal(reg.candidates({ allowed: new Set(["DEU"]), model: "m" }).length, 0);
  now = 1500;
  assert.equal(br.state, "half-open");
  assert.equal(reg.candidates({ allowed: new Set(["DEU"]), model: "m" }).length, 1);
  br.onAttempt();
  assert.equal(reg.candidates({ allowed: new Set(["DEU"]), model: "m" }).length, 0, "only one trial while half-open");
  br.onSuccess();
  assert.equal(br.state, "closed");
});

test("tried endpoints are excluded so a retry moves to the next allowed one", () => {
  const reg = new EndpointRegistry([ep("a", "DEU"), ep("b", "DEU"), ep("c", "USA")], { failures: 3, cooldown: 1000 });
  const ids = reg.candidates({ allowed: new Set(["DEU"]), model: "m", exclude: new Set(["a"]) }).map((s) => s.endpoint.id);
  assert.deepEqual(ids, ["b"]);
});
