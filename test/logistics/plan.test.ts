import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseScenarioText, solvePlan, type Plan } from "../../src/workloads/logistics/index.ts";
import { road, scenario } from "./helpers.ts";

const example = (name: string) => parseScenarioText(readFileSync(new URL(`../../examples/logistics/${name}`, import.meta.url), "utf8"));
const shipped = (plan: Plan, from: string, to: string) => plan.shipments.filter((s) => s.from === from && s.to === to).reduce((a, s) => a + s.quantity, 0);

test("the small transport example reaches the hand-computed optimum of 175 with the unique optimal routes", async () => {
  const plan = await solvePlan(example("small-transport.yaml"));
  assert.equal(plan.status, "optimal");
  assert.equal(plan.objective, 175);
  assert.equal(plan.totals.cost, 175);
  assert.equal(plan.demands_met, true);
  assert.equal(plan.solver.model, "LP");
  assert.equal(plan.solver.gap, 0);
  assert.deepEqual(
    plan.shipments.map((s) => [s.from, s.to, s.quantity]),
    [["Alpha", "Xray", 20], ["Alpha", "Yankee", 10], ["Bravo", "Yankee", 15], ["Bravo", "Zulu", 25]],
  );
  // DEP-B's fuel is worth 1 more than DEP-A's: it would replace A's 4-per-t delivery to Yankee by B's 3.
  const stock = plan.explanation.binding.find((b) => b.kind === "stock");
  assert.equal(stock?.value, 1);
  assert.match(stock?.text ?? "", /DEP-B/);
});

test("whole vehicles make a MIP: 25 t by a 20 t train (one slot) and one 10 t truck costs 225", async () => {
  const plan = await solvePlan(scenario({
    supply: [{ id: "D", nation: "DEU", location: "Depot", stock: { rations: 100 } }],
    demand: [{ id: "U", location: "Camp", quantities: { rations: 25 }, latest_arrival: 1 }],
    links: [
      road("Depot", "Camp", 1, { vehicle_size: 10, cost_per_vehicle: 100 }),
      { from: "Depot", to: "Camp", mode: "rail", vehicle_size: 20, cost_per_vehicle: 120, vehicles_per_period: 1 },
    ],
  }));
  assert.equal(plan.status, "optimal");
  assert.equal(plan.solver.model, "MIP");
  assert.equal(plan.objective, 225);
  const rail = plan.shipments.find((s) => s.mode === "rail");
  const truck = plan.shipments.find((s) => s.mode === "road");
  assert.deepEqual([rail?.quantity, rail?.vehicles, truck?.quantity, truck?.vehicles], [20, 1, 5, 1]);
  // In the LP relaxation rail costs 6 per t and road 11, so one more 20 t train slot saves 20 x 5 = 100.
  assert.equal(plan.explanation.duals, "lp_relaxation");
  const slot = plan.explanation.valuable_capacity.find((b) => b.kind === "slots");
  assert.equal(slot?.value, 100);
  assert.match(slot?.text ?? "", /one more slot/);
});

test("a caveat against transit keeps a nation's goods off the cheap route through the forbidden hub", async () => {
  const plan = await solvePlan(scenario({
    supply: [
      { id: "D-DEU", nation: "DEU", location: "A", stock: { fuel: 50 } },
      { id: "D-POL", nation: "POL", location: "B", stock: { fuel: 30 } },
    ],
    demand: [{ id: "U", location: "C", quantities: { fuel: 60 }, latest_arrival: 1 }],
    links: [road("A", "Hub", 1), road("B", "Hub", 1), road("Hub", "C", 1), road("A", "C", 5)],
    nations: { DEU: { no_transit: ["Hub"] } },
  }));
  assert.equal(plan.status, "optimal");
  // POL's 30 t go through the hub at 2 per t; DEU's 30 t must take the direct road at 5.
  assert.equal(plan.objective, 30 * 2 + 30 * 5);
  assert.equal(shipped(plan, "A", "Hub"), 0);
  assert.equal(shipped(plan, "A", "C"), 30);
  for (const s of plan.shipments.filter((x) => x.from === "Hub" || x.to === "Hub")) assert.ok(!s.goods_of.includes("DEU"), s.route);
});

test("a caveat against delivery keeps a nation's goods from the place even when they are the only ones near", async () => {
  const plan = await solvePlan(scenario({
    supply: [
      { id: "D-FRA", nation: "FRA", location: "A", stock: { water: 100 } },
      { id: "D-ITA", nation: "ITA", location: "B", stock: { water: 100 } },
    ],
    demand: [
      { id: "U1", location: "X", quantities: { water: 40 }, latest_arrival: 1 },
      { id: "U2", location: "Y", quantities: { water: 10 }, latest_arrival: 1 },
    ],
    links: [road("A", "X", 1), road("B", "X", 7), road("A", "Y", 1), road("X", "Y", 1)],
    nations: { FRA: { no_delivery: ["X"] } },
  }));
  assert.equal(plan.status, "optimal");
  // U1 must take ITA's water at 7; U2 gets FRA's directly at 1 (FRA may pass through X, not unload there).
  assert.equal(plan.objective, 40 * 7 + 10 * 1);
  assert.deepEqual(plan.sources.map((s) => [s.supply, s.quantity]), [["D-FRA", 10], ["D-ITA", 40]]);
});

test("burden-sharing bands hold each nation within its agreed share even against cost", async () => {
  const base = {
    supply: [
      { id: "D-DEU", nation: "DEU", location: "A", stock: { fuel: 100 } },
      { id: "D-FRA", nation: "FRA", location: "B", stock: { fuel: 100 } },
    ],
    demand: [{ id: "U", location: "C", quantities: { fuel: 100 }, latest_arrival: 1 }],
    links: [road("A", "C", 1), road("B", "C", 3)],
  };
  const banded = await solvePlan(scenario({ ...base, nations: { DEU: { share: 0.5 }, FRA: { share: 0.5 } }, burden_sharing: { band: 0.1 } }));
  assert.equal(banded.status, "optimal");
  assert.equal(banded.objective, 60 * 1 + 40 * 3);
  assert.deepEqual(banded.nations.map((n) => [n.nation, n.contribution, n.fraction, n.within_band]), [["DEU", 60, 0.6, true], ["FRA", 40, 0.4, true]]);
  assert.ok(banded.explanation.binding.some((b) => b.kind === "band_high" && /DEU/.test(b.text)));

  const capped = await solvePlan(scenario({ ...base, nations: { DEU: { max_contribution: 45 } } }));
  assert.equal(capped.objective, 45 * 1 + 55 * 3);
  const cap = capped.explanation.valuable_capacity.find((b) => b.kind === "cap");
  assert.equal(cap?.value, 2);
});

test("minimizing lateness delivers late over a slow route, counting quantity times periods late", async () => {
  const plan = await solvePlan(scenario({
    periods: 3,
    supply: [{ id: "D", nation: "NOR", location: "A", stock: { shelter: 10 } }],
    demand: [{ id: "U", location: "B", quantities: { shelter: 10 }, latest_arrival: 1, priority: 2 }],
    links: [{ from: "A", to: "B", mode: "sea", transit_periods: 2, cost_per_unit: 3 }],
    objective: { minimize: "lateness" },
  }));
  assert.equal(plan.status, "optimal");
  assert.equal(plan.totals.lateness, 20);
  assert.equal(plan.totals.weighted_lateness, 40);
  assert.equal(plan.objective, 40);
  assert.deepEqual(plan.deliveries[0]?.late, [{ period: 3, quantity: 10 }]);
});

test("an infeasible scenario still returns the best partial plan and says why each demand goes short", async () => {
  const plan = await solvePlan(scenario({
    periods: 2,
    supply: [
      { id: "D1", nation: "DEU", location: "A", stock: { fuel: 30 } },
      { id: "D2", nation: "FRA", location: "F", stock: { water: 50 } },
    ],
    demand: [
      { id: "SHORT", location: "L1", quantities: { fuel: 50 }, latest_arrival: 2 },
      { id: "CUT-OFF", location: "L2", quantities: { fuel: 5 }, latest_arrival: 2 },
      { id: "NO-STOCK", location: "L1", quantities: { medical: 5 }, latest_arrival: 2 },
      { id: "TOO-LATE", location: "L3", quantities: { water: 5 }, latest_arrival: 1 },
      { id: "BARRED", location: "L4", quantities: { water: 5 }, latest_arrival: 2 },
    ],
    links: [road("A", "L1", 1), road("F", "L3", 1, { transit_periods: 1 }), road("F", "L4", 1)],
    nations: { FRA: { no_delivery: ["L4"] } },
  }));
  assert.equal(plan.status, "infeasible");
  assert.equal(plan.demands_met, false);
  assert.notEqual(plan.objective, null);
  assert.equal(shipped(plan, "A", "L1"), 30);
  const why = Object.fromEntries(plan.explanation.shortfalls.map((s) => [s.demand, [s.quantity, s.reasons.join(" ")]]));
  assert.deepEqual(Object.keys(why).sort(), ["BARRED", "CUT-OFF", "NO-STOCK", "SHORT", "TOO-LATE"]);
  assert.equal(why["SHORT"]?.[0], 20);
  assert.match(String(why["SHORT"]?.[1]), /Only 30 t of fuel is held at depots that can reach L1/);
  assert.match(String(why["CUT-OFF"]?.[1]), /No route connects any depot holding fuel to L2/);
  assert.match(String(why["NO-STOCK"]?.[1]), /No depot holds any medical/);
  assert.match(String(why["TOO-LATE"]?.[1]), /too slow for a latest arrival in period 1/);
  assert.match(String(why["BARRED"]?.[1]), /FRA's goods may not be delivered to L4/);
});

test("shortfall is charged by priority: scarce stock goes to the higher-priority demand", async () => {
  const plan = await solvePlan(scenario({
    supply: [{ id: "D", nation: "DEU", location: "A", stock: { medical: 10 } }],
    demand: [
      { id: "LOW", location: "B", quantities: { medical: 10 }, latest_arrival: 1, priority: 1 },
      { id: "HIGH", location: "C", quantities: { medical: 10 }, latest_arrival: 1, priority: 5 },
    ],
    links: [road("A", "B", 1), road("A", "C", 9)],
  }));
  assert.equal(plan.status, "infeasible");
  assert.deepEqual(plan.deliveries.map((d) => [d.demand, d.delivered, d.shortfall]), [["LOW", 0, 10], ["HIGH", 10, 0]]);
});

test("the three example scenarios solve: hand-checkable, exercise resupply within every band, infeasible with reasons", async () => {
  const exercise = await solvePlan(example("exercise-resupply.yaml"));
  assert.equal(exercise.status, "optimal");
  assert.equal(exercise.demands_met, true);
  assert.equal(exercise.solver.model, "MIP");
  assert.ok(exercise.nations.every((n) => n.within_band !== false));
  assert.ok(exercise.shipments.every((s) => s.vehicles === null || Number.isInteger(s.vehicles)));
  // POL may not route through Kaunas: no shipment into or out of Kaunas carries Polish goods.
  assert.ok(exercise.shipments.filter((s) => s.from === "Kaunas" || s.to === "Kaunas").every((s) => !s.goods_of.includes("POL")));
  const storm = await solvePlan(example("infeasible-winter-storm.yaml"));
  assert.equal(storm.status, "infeasible");
  assert.deepEqual(storm.explanation.shortfalls.map((s) => [s.demand, s.quantity]), [["BG-NORTH", 100], ["OP-ISLAND", 40], ["FIELD-HOSPITAL", 30], ["BG-EAST", 80]]);
  assert.ok(storm.explanation.shortfalls.every((s) => s.reasons.length > 0));
});

test("a delivery caveat holds on a shared last leg: the barred nation's goods reach the hub's other places only", async () => {
  const plan = await solvePlan(scenario({
    supply: [
      { id: "D-FRA", nation: "FRA", location: "A", stock: { rations: 100 } },
      { id: "D-ITA", nation: "ITA", location: "B", stock: { rations: 100 } },
    ],
    demand: [
      { id: "AT-P", location: "P", quantities: { rations: 20 }, latest_arrival: 1 },
      { id: "AT-Q", location: "Q", quantities: { rations: 30 }, latest_arrival: 1 },
    ],
    links: [road("A", "H", 1), road("B", "H", 6), road("H", "P", 1), road("H", "Q", 1)],
    nations: { FRA: { no_delivery: ["P"] } },
  }));
  assert.equal(plan.status, "optimal");
  // FRA's 30 t to Q cost 2 per t; P's 20 t must be ITA's at 7 per t.
  assert.equal(plan.objective, 30 * 2 + 20 * 7);
  assert.ok(!plan.shipments.find((s) => s.to === "P")?.goods_of.includes("FRA"));
  assert.deepEqual(plan.shipments.find((s) => s.to === "Q")?.goods_of, ["FRA"]);
});

test("an aborted solve reports interrupted with no plan rather than throwing", async () => {
  const controller = new AbortController();
  controller.abort();
  const plan = await solvePlan(example("small-transport.yaml"), { signal: controller.signal });
  assert.equal(plan.status, "interrupted");
  assert.equal(plan.objective, null);
  assert.equal(plan.demands_met, null);
});
