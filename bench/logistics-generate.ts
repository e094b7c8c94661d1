/**
 * A generated alliance-scale logistics scenario, the same for a given seed: nations' depots, regional hubs joined
 * by rail and sea, and demand points served by road from their nearest hubs. Costs grow with distance on a
 * 1000 x 1000 km map. Stocks exceed demand by about a third per commodity, so the scenario is feasible unless the
 * network, caveats or deadlines say otherwise.
 */
import { COMMODITIES, type ScenarioInput } from "../src/workloads/logistics/index.ts";
import { mulberry32 } from "../test/helpers/prng.ts";

// 32 member nations (ISO 3166-1 alpha-3).
const NATIONS = [
  "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "ITA", "LVA",
  "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "TUR", "GBR", "USA",
];

export interface GenerateOptions {
  nations: number;
  depots: number;
  demands: number;
  hubs: number;
  periods: number;
  /** Nations whose goods may not transit one hub each. */
  caveatedNations: number;
  /** Whole rail wagons (60 t, ten paths a period) from each depot to its nearest hub (a MIP). */
  vehicles: boolean;
  seed: number;
}

export const ALLIANCE_SCALE: GenerateOptions = { nations: 32, depots: 200, demands: 1000, hubs: 24, periods: 4, caveatedNations: 3, vehicles: true, seed: 1 };
export const QUICK_SCALE: GenerateOptions = { nations: 8, depots: 40, demands: 150, hubs: 8, periods: 4, caveatedNations: 2, vehicles: true, seed: 1 };

type Item = ScenarioInput["supply"][number];
type Need = ScenarioInput["demand"][number];
type Link = NonNullable<ScenarioInput["links"]>[number];

export function generateScenario(o: GenerateOptions): ScenarioInput {
  const rand = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const point = () => ({ x: rand() * 1000, y: rand() * 1000 });
  const km = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
  const nations = NATIONS.slice(0, o.nations);

  const hubs = Array.from({ length: o.hubs }, (_, i) => ({ name: `HUB-${i + 1}`, ...point() }));
  const nearest = (p: { x: number; y: number }, n: number) => [...hubs].sort((a, b) => km(p, a) - km(p, b)).slice(0, n);

  const demand: Need[] = [];
  const required: Record<string, number> = {};
  const demandPlaces = Array.from({ length: o.demands }, () => point());
  demandPlaces.forEach((p, i) => {
    const kinds = [...COMMODITIES].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 3));
    const quantities: Record<string, number> = {};
    for (const c of kinds) {
      quantities[c] = 5 + Math.round(rand() * 45);
      required[c] = (required[c] ?? 0) + quantities[c]!;
    }
    demand.push({ id: `DP-${i + 1}`, location: `DP-${i + 1}`, quantities, latest_arrival: 2 + Math.floor(rand() * (o.periods - 1)), priority: pick([1, 1, 1, 2, 3]) });
  });

  // Every nation has at least one depot; the rest go to nations at random, weighted towards the first (larger) ones.
  const owners = nations.concat(Array.from({ length: o.depots - nations.length }, () => nations[Math.floor(rand() ** 2 * nations.length)]!));
  const supply: Item[] = [];
  const depotPlaces = owners.map(() => point());
  const perDepot = (c: string) => ((required[c] ?? 0) * 1.35) / (o.depots * 0.6);
  owners.forEach((nation, i) => {
    const stock: Record<string, number> = {};
    for (const c of COMMODITIES) if (rand() < 0.6) stock[c] = Math.round(perDepot(c) * (0.5 + rand()));
    supply.push({ id: `DEP-${i + 1}`, nation, location: `DEP-${i + 1}`, stock });
  });

  const links: Link[] = [];
  const cost = (d: number, perKm: number) => Math.round(d * perKm * 100) / 100;
  depotPlaces.forEach((p, i) => {
    nearest(p, 2).forEach((h, k) => {
      const d = km(p, h);
      links.push(k === 0 && o.vehicles
        ? { from: `DEP-${i + 1}`, to: h.name, mode: "rail", transit_periods: d > 300 ? 1 : 0, cost_per_unit: cost(d, 0.02), vehicle_size: 60, cost_per_vehicle: cost(d, 0.6), vehicles_per_period: 10 }
        : { from: `DEP-${i + 1}`, to: h.name, mode: "road", transit_periods: d > 300 ? 1 : 0, cost_per_unit: cost(d, 0.08), capacity: 600 });
    });
  });
  const joined = new Set<string>();
  hubs.forEach((h) => {
    for (const g of nearest(h, 4).slice(1)) {
      const key = [h.name, g.name].sort().join("|");
      if (joined.has(key)) continue;
      joined.add(key);
      const d = km(h, g);
      links.push({ from: h.name, to: g.name, mode: d > 350 ? "sea" : "rail", transit_periods: d > 250 ? 1 : 0, cost_per_unit: cost(d, d > 350 ? 0.015 : 0.03), capacity: 4000, bidirectional: true });
    }
  });
  demandPlaces.forEach((p, i) => {
    for (const h of nearest(p, 2)) links.push({ from: h.name, to: `DP-${i + 1}`, mode: "road", transit_periods: 0, cost_per_unit: cost(km(p, h), 0.1), capacity: 300 });
  });

  const totalStock = new Map<string, number>();
  for (const s of supply) totalStock.set(s.nation, (totalStock.get(s.nation) ?? 0) + Object.values(s.stock).reduce((a, b) => a + (b ?? 0), 0));
  const allStock = [...totalStock.values()].reduce((a, b) => a + b, 0);
  const terms: NonNullable<ScenarioInput["nations"]> = {};
  nations.forEach((n, i) => {
    // Agreed shares follow stock holdings, rounded down so they add up to at most 1; the band absorbs the rest.
    const share = Math.floor(((totalStock.get(n) ?? 0) / allStock) * 1000) / 1000;
    terms[n] = { share, band: Math.round(share * 400) / 1000 }; // within 40% of the agreed share either way
    if (i >= nations.length - o.caveatedNations) terms[n]!.no_transit = [pick(hubs).name];
  });
  return {
    name: `generated: ${o.nations} nations, ${o.depots} depots, ${o.demands} demand points, seed ${o.seed}`,
    periods: o.periods,
    supply,
    demand,
    links,
    nations: terms,
    objective: { minimize: "blend", cost_weight: 1, lateness_weight: 20 },
  };
}

