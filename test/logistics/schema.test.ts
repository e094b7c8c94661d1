import { test } from "node:test";
import assert from "node:assert/strict";
import { parseScenario, parseScenarioText } from "../../src/workloads/logistics/index.ts";
import { road, scenario } from "./helpers.ts";

const valid = () => scenario({
  supply: [{ id: "D", nation: "DEU", location: "A", stock: { fuel: 10 } }],
  demand: [{ id: "U", location: "B", quantities: { fuel: 5 }, latest_arrival: 1 }],
  links: [road("A", "B", 1)],
});

function refusal(input: unknown): { message: string; param: string | null; code: string } {
  try {
    parseScenario(input);
  } catch (err) {
    return err as { message: string; param: string | null; code: string };
  }
  assert.fail("the scenario was accepted");
}

test("a valid scenario gets its defaults filled in", () => {
  const s = parseScenario(valid());
  assert.equal(s.objective.minimize, "cost");
  assert.equal(s.burden_sharing.band, 0.05);
  assert.equal(s.demand[0]?.priority, 1);
  assert.equal(s.links[0]?.transit_periods, 0);
});

test("a bad enum value is refused naming its field path", () => {
  const input = valid();
  (input.links as Record<string, unknown>[])[0]!["mode"] = "hovercraft";
  const err = refusal(input);
  assert.equal(err.code, "invalid_request");
  assert.equal(err.param, "links[0].mode");
  assert.match(err.message, /links\[0\]\.mode/);
});

test("an unknown key, an unknown commodity and a bad nation code are each named", () => {
  assert.match(refusal({ ...valid(), objectve: {} }).message, /objectve/);
  const s = valid();
  (s.demand[0] as Record<string, unknown>)["quantities"] = { petrol: 5 };
  assert.match(refusal(s).message, /demand\[0\]\.quantities/);
  const n = valid();
  (n.supply[0] as Record<string, unknown>)["nation"] = "Germany";
  assert.equal(refusal(n).param, "supply[0].nation");
});

test("cross-field mistakes are refused: deadline past the horizon, misspelt caveat place, duplicate ids, shares over 1", () => {
  const late = valid();
  (late.demand[0] as Record<string, unknown>)["latest_arrival"] = 3;
  assert.equal(refusal(late).param, "demand[0].latest_arrival");
  assert.equal(refusal({ ...valid(), nations: { DEU: { no_transit: ["Atlantis"] } } }).param, "nations.DEU.no_transit[0]");
  assert.equal(refusal({ ...valid(), supply: [...valid().supply, ...valid().supply] }).param, "supply[1].id");
  assert.match(refusal({ ...valid(), nations: { DEU: { share: 0.7 }, FRA: { share: 0.6 } } }).message, /add up to 1\.3/);
  assert.equal(refusal({ ...valid(), links: [road("A", "B", 1, { vehicles_per_period: 2 })] }).param, "links[0].vehicles_per_period");
});

test("text that is not YAML is refused with its line", () => {
  assert.throws(() => parseScenarioText("periods: [1, 2\nsupply: {"), /not valid YAML or JSON at line/);
});
