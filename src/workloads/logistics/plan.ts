/**
 * Reads a solver result back as a Plan: shipments by link and period, deliveries against each demand, each
 * nation's contribution against its agreed share, and the explanation. Pure: (scenario, model, result) -> Plan.
 */
import type { Commodity, Mode, Scenario } from "./schema.ts";
import type { LinearModel } from "./model.ts";
import type { SolveResult, SolveStatus } from "./solver/protocol.ts";
import { explain, type Explanation } from "./explain.ts";

export type PlanStatus = SolveStatus;

export interface Shipment {
  link: string;
  route: string;
  from: string;
  to: string;
  mode: Mode;
  /** Period the goods leave `from`. */
  period: number;
  arrival_period: number;
  quantity: number;
  commodities: Partial<Record<Commodity, number>>;
  /** Nations whose goods may be aboard, traced back along the links used (exact for nations with caveats). */
  goods_of: string[];
  vehicles: number | null;
  cost: number;
}

export interface SourceUse {
  supply: string;
  nation: string;
  location: string;
  commodity: Commodity;
  quantity: number;
  stock: number;
}

export interface Delivery {
  demand: string;
  unit: string | null;
  location: string;
  commodity: Commodity;
  required: number;
  delivered: number;
  on_time: number;
  late: { period: number; quantity: number }[];
  shortfall: number;
  latest_arrival: number;
  priority: number;
}

export interface NationContribution {
  nation: string;
  contribution: number;
  /** Fraction of everything shipped in the plan. */
  fraction: number | null;
  agreed_share: number | null;
  band: [number, number] | null;
  within_band: boolean | null;
  cap: number | null;
}

export interface Plan {
  status: PlanStatus;
  /** Solver objective: weighted cost and lateness plus shortfall penalties; null when no plan was found. */
  objective: number | null;
  /** Whether every demand is met in full (by its deadline when lateness is not allowed); null without a plan. */
  demands_met: boolean | null;
  scenario: string;
  unit: string;
  objective_kind: "cost" | "lateness" | "blend";
  solver: {
    engine: string;
    model: "LP" | "MIP";
    columns: number;
    rows: number;
    integer_columns: number;
    seconds: number;
    /** Relative optimality gap (0 = proven optimal); null when unknown. */
    gap: number | null;
    bound: number | null;
    solver_status: string;
  };
  totals: {
    cost: number;
    lateness: number;
    weighted_lateness: number;
    required: number;
    delivered: number;
    on_time: number;
    shortfall: number;
    shortfall_penalty_per_unit: number;
  };
  shipments: Shipment[];
  sources: SourceUse[];
  deliveries: Delivery[];
  nations: NationContribution[];
  explanation: Explanation;
}

const EPS = 1e-6;
export const tidy = (x: number): number => (Math.abs(x) < EPS ? 0 : Math.round(x * 1e6) / 1e6);

export function readPlan(s: Scenario, model: LinearModel, r: SolveResult): Plan {
  const net = model.network;
  const x = r.colValue;
  const value = (j: number): number => (x === null ? 0 : tidy(x[j]!));

  const shipments = new Map<number, Shipment>();
  const sources = new Map<string, SourceUse>();
  const deliveries = new Map<string, Delivery>();
  const contribution = new Map<string, number>();
  let cost = 0;
  let lateness = 0;
  let weightedLateness = 0;

  s.demand.forEach((d, i) => {
    for (const c of net.commodities) {
      const q = d.quantities[c] ?? 0;
      if (q <= 0) continue;
      deliveries.set(`${i}/${c}`, {
        demand: d.id, unit: d.unit ?? null, location: d.location, commodity: c, required: q, delivered: 0, on_time: 0,
        late: [], shortfall: 0, latest_arrival: d.latest_arrival, priority: d.priority,
      });
    }
  });
  const shipmentOf = (arcIndex: number, period: number): Shipment => {
    const key = arcIndex * net.periods + period - 1;
    let sh = shipments.get(key);
    if (sh === undefined) {
      const arc = net.arcs[arcIndex]!;
      const link = s.links[arc.link]!;
      sh = {
        link: link.id ?? `links[${arc.link}]`, route: `${net.locations[arc.from]} → ${net.locations[arc.to]}`,
        from: net.locations[arc.from]!, to: net.locations[arc.to]!, mode: arc.mode, period, arrival_period: period + arc.transit,
        quantity: 0, commodities: {}, goods_of: [], vehicles: null, cost: 0,
      };
      shipments.set(key, sh);
    }
    return sh;
  };

  model.columns.forEach((col, j) => {
    const v = value(j);
    if (v === 0) return;
    const m = col.meaning;
    switch (m.kind) {
      case "ship": {
        const p = s.supply[m.supply]!;
        const key = `${m.supply}/${m.commodity}`;
        const use = sources.get(key) ?? { supply: p.id, nation: p.nation, location: p.location, commodity: m.commodity, quantity: 0, stock: p.stock[m.commodity] ?? 0 };
        use.quantity = tidy(use.quantity + v);
        sources.set(key, use);
        contribution.set(p.nation, (contribution.get(p.nation) ?? 0) + v);
        break;
      }
      case "flow": {
        const arc = net.arcs[m.arc]!;
        const sh = shipmentOf(m.arc, m.period);
        sh.quantity = tidy(sh.quantity + v);
        sh.commodities[m.commodity] = tidy((sh.commodities[m.commodity] ?? 0) + v);
        sh.cost += v * arc.costPerUnit;
        cost += v * arc.costPerUnit;
        break;
      }
      case "vehicles": {
        const arc = net.arcs[m.arc]!;
        const sh = shipmentOf(m.arc, m.period);
        sh.vehicles = col.integer ? Math.round(v) : v;
        sh.cost += sh.vehicles * arc.costPerVehicle;
        cost += sh.vehicles * arc.costPerVehicle;
        break;
      }
      case "deliver": {
        const del = deliveries.get(`${m.demand}/${m.commodity}`)!;
        const d = s.demand[m.demand]!;
        del.delivered = tidy(del.delivered + v);
        const late = m.period - d.latest_arrival;
        if (late <= 0) del.on_time = tidy(del.on_time + v);
        else {
          del.late.push({ period: m.period, quantity: v });
          lateness += v * late;
          weightedLateness += v * late * d.priority;
        }
        break;
      }
      case "short": {
        const del = deliveries.get(`${m.demand}/${m.commodity}`)!;
        del.shortfall = tidy(del.shortfall + v);
        break;
      }
      default:
        break;
    }
  });

  const aboard = x === null ? new Map<number, string[]>() : traceOrigins(s, model, x);
  const shipmentList = [...shipments]
    .filter(([, sh]) => sh.quantity > 0)
    .map(([key, sh]) => ({ ...sh, cost: tidy(sh.cost), goods_of: aboard.get(key) ?? [] }))
    .sort((a, b) => a.period - b.period || a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.mode.localeCompare(b.mode));
  const deliveryList = [...deliveries.values()].map((d) => ({ ...d, late: d.late.sort((a, b) => a.period - b.period) }));
  const delivered = sum(deliveryList.map((d) => d.delivered));
  const shipped = sum([...contribution.values()]);
  const hasPlan = x !== null;

  const plan: Plan = {
    status: r.status,
    objective: r.objective === null ? null : tidy(r.objective),
    demands_met: hasPlan ? deliveryList.every((d) => d.shortfall === 0) : null,
    scenario: s.name,
    unit: s.unit,
    objective_kind: s.objective.minimize,
    solver: {
      engine: r.solverVersion,
      model: r.numIntegers > 0 ? "MIP" : "LP",
      columns: r.numCols,
      rows: r.numRows,
      integer_columns: r.numIntegers,
      seconds: Math.round(r.seconds * 1000) / 1000,
      gap: r.gap,
      bound: r.bound === null ? null : tidy(r.bound),
      solver_status: r.solverStatus,
    },
    totals: {
      cost: tidy(cost),
      lateness: tidy(lateness),
      weighted_lateness: tidy(weightedLateness),
      required: tidy(sum(deliveryList.map((d) => d.required))),
      delivered: tidy(delivered),
      on_time: tidy(sum(deliveryList.map((d) => d.on_time))),
      shortfall: tidy(sum(deliveryList.map((d) => d.shortfall))),
      shortfall_penalty_per_unit: model.shortfallPenalty,
    },
    shipments: shipmentList,
    sources: [...sources.values()].sort((a, b) => a.supply.localeCompare(b.supply) || a.commodity.localeCompare(b.commodity)),
    deliveries: deliveryList,
    nations: nationTable(s, contribution, shipped, hasPlan),
    explanation: { summary: [], binding: [], valuable_capacity: [], shortfalls: [], duals: "unavailable" },
  };
  // With every demand met the elastic model's optimum is the scenario's optimum; otherwise it proves infeasibility.
  if (plan.status === "optimal" && plan.demands_met === false) plan.status = "infeasible";
  plan.explanation = explain(s, model, r, plan);
  return plan;
}

/**
 * Whose goods may be aboard each (arc, period): a nation is named when its depot shipped something that could
 * have reached that arc along links actually used by its layer. Caveated nations have their own layer, so for them
 * this is exact; within the shared pool it is an upper bound (pooled goods are interchangeable).
 */
function traceOrigins(s: Scenario, model: LinearModel, x: Float64Array): Map<number, string[]> {
  const net = model.network;
  const P = net.periods;
  const used = new Map<string, { arc: number; period: number }[]>(); // by layer/commodity
  const starts = new Map<string, { nation: string; location: number; period: number }[]>();
  const exits = new Map<string, number[]>(); // by layer/commodity: states where goods join the merged last leg
  model.columns.forEach((col, j) => {
    if (tidy(x[j]!) <= 0) return;
    const m = col.meaning;
    if (m.kind === "flow") {
      push(used, `${m.layer}/${m.commodity}`, { arc: m.arc, period: m.period });
    } else if (m.kind === "exit") {
      push(exits, `${m.layer}/${m.commodity}`, m.location * P + m.period - 1);
    } else if (m.kind === "ship") {
      push(starts, `${net.supplyLayer[m.supply]}/${m.commodity}`, { nation: s.supply[m.supply]!.nation, location: net.supplyLocation[m.supply]!, period: m.period });
    }
  });
  const aboard = new Map<number, Set<string>>();
  const leaving = (flows: { arc: number; period: number }[] | undefined) => {
    const out = new Map<number, { arc: number; period: number }[]>(); // state (location, period) -> used arcs leaving it
    for (const f of flows ?? []) push(out, net.arcs[f.arc]!.from * P + f.period - 1, f);
    return out;
  };
  for (const [key, layerStarts] of starts) {
    const c = key.slice(key.indexOf("/") + 1);
    const out = leaving(used.get(key));
    const lastLeg = leaving(used.get(`-1/${c}`));
    for (const state of exits.get(key) ?? []) for (const f of lastLeg.get(state) ?? []) push(out, state, f);
    for (const start of layerStarts) {
      const seen = new Set<number>();
      const stack = [start.location * P + start.period - 1];
      while (stack.length > 0) {
        const state = stack.pop()!;
        if (seen.has(state)) continue;
        seen.add(state);
        for (const f of out.get(state) ?? []) {
          const k = f.arc * P + f.period - 1;
          aboard.set(k, (aboard.get(k) ?? new Set()).add(start.nation));
          const arc = net.arcs[f.arc]!;
          stack.push(arc.to * P + f.period + arc.transit - 1);
        }
      }
    }
  }
  return new Map([...aboard].map(([k, v]) => [k, [...v].sort()]));
}

function nationTable(s: Scenario, contribution: Map<string, number>, shipped: number, hasPlan: boolean): NationContribution[] {
  const nations = [...new Set([...s.supply.map((p) => p.nation), ...Object.keys(s.nations)])].sort();
  return nations.map((nation) => {
    const terms = s.nations[nation];
    const amount = tidy(contribution.get(nation) ?? 0);
    const fraction = shipped > 0 ? tidy(amount / shipped) : null;
    const share = terms?.share ?? null;
    const band = share === null ? null : ([Math.max(0, share - (terms?.band ?? s.burden_sharing.band)), Math.min(1, share + (terms?.band ?? s.burden_sharing.band))] as [number, number]);
    const within = band === null || !hasPlan ? null : shipped === 0 || (amount >= band[0] * shipped - 1e-6 && amount <= band[1] * shipped + 1e-6);
    return {
      nation,
      contribution: amount,
      fraction,
      agreed_share: share,
      band: band === null ? null : [tidy(band[0]), tidy(band[1])],
      within_band: within,
      cap: terms?.max_contribution ?? null,
    };
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
