/**
 * Plain-language reasons a staff officer can act on. Binding constraints and the value of extra capacity come
 * from the duals (shadow prices): the change in the objective if a limit moved by one unit. Shortfalls are
 * explained first by what the network allows at all (no depot, no route, caveats, deadlines, stock within
 * reach), then by the binding limits on the routes that could have served the demand.
 */
import type { Commodity, Scenario } from "./schema.ts";
import type { LinearModel, RowMeaning } from "./model.ts";
import type { SolveResult } from "./solver/protocol.ts";
import type { Plan } from "./plan.ts";
import { at, buildNetwork, reach, type Network } from "./network.ts";

export interface Binding {
  constraint: string;
  kind: RowMeaning["kind"];
  text: string;
  /** Objective saved per unit the limit is relaxed (objective units). */
  value: number;
}

export interface ShortfallReason {
  demand: string;
  commodity: Commodity;
  location: string;
  quantity: number;
  reasons: string[];
}

export interface Explanation {
  summary: string[];
  binding: Binding[];
  /** Capacity whose increase would improve the plan most: link capacity, vehicle slots, stock, contribution caps. */
  valuable_capacity: Binding[];
  shortfalls: ShortfallReason[];
  duals: "lp" | "lp_relaxation" | "unavailable";
}

const MAX_LISTED = 10;
const MAX_ANALYSED = 200;
const CAPACITY_KINDS = new Set<RowMeaning["kind"]>(["capacity", "slots", "stock", "cap"]);
const EXPLAINED_KINDS = new Set<RowMeaning["kind"]>(["capacity", "slots", "stock", "cap", "band_low", "band_high", "no_transit"]);

export function explain(s: Scenario, model: LinearModel, r: SolveResult, plan: Plan): Explanation {
  const binding = bindingConstraints(s, model, r, plan);
  return {
    summary: summary(s, r, plan),
    binding: binding.slice(0, MAX_LISTED),
    valuable_capacity: binding.filter((b) => CAPACITY_KINDS.has(b.kind)).slice(0, 5),
    shortfalls: shortfalls(s, model, r, plan),
    duals: r.dualsFrom ?? "unavailable",
  };
}

/**
 * Every short demand line is reported; the heaviest (priority x quantity) are analysed in full, since each
 * analysis walks the network again. The rest say so rather than guess.
 */
function shortfalls(s: Scenario, model: LinearModel, r: SolveResult, plan: Plan): ShortfallReason[] {
  const short = plan.deliveries.filter((d) => d.shortfall > 0);
  const heaviest = new Set([...short].sort((a, b) => b.shortfall * b.priority - a.shortfall * a.priority).slice(0, MAX_ANALYSED));
  return short.map((d) => heaviest.has(d)
    ? shortfallReason(s, model, r, d.demand, d.commodity, d.shortfall)
    : { demand: d.demand, commodity: d.commodity, location: d.location, quantity: d.shortfall,
        reasons: [`Not analysed: only the ${MAX_ANALYSED} heaviest of ${short.length} shortfalls are; fix those first.`] });
}

function summary(s: Scenario, r: SolveResult, plan: Plan): string[] {
  const u = s.unit;
  const lines: string[] = [];
  if (plan.objective === null) {
    lines.push(r.status === "time_limit" || r.status === "interrupted"
      ? "The solver stopped before it found any plan; allow more time."
      : `The solver found no plan (${r.solverStatus}).`);
    return lines;
  }
  const t = plan.totals;
  if (plan.demands_met) {
    const late = t.lateness > 0 ? `; ${fmt(t.required - t.on_time)} ${u} arrive late (${fmt(t.lateness)} ${u}-periods)` : ", all on time";
    lines.push(`Every demand is met: ${fmt(t.delivered)} ${u} delivered${late}, at a transport cost of ${fmt(t.cost)}.`);
  } else {
    const short = plan.deliveries.filter((d) => d.shortfall > 0);
    lines.push(
      `${short.length} of ${plan.deliveries.length} demand lines cannot be met in full: ${fmt(t.shortfall)} of ${fmt(t.required)} ${u} ` +
        `short (see the shortfalls for why). ${fmt(t.delivered)} ${u} are delivered at a transport cost of ${fmt(t.cost)}.`,
    );
  }
  const within = r.gap !== null && r.gap > 0 ? ` (within the requested gap, ${pct(r.gap)})` : "";
  if (plan.status === "infeasible") lines.push(`No plan can do better${within}: the shortfall, weighted by priority, is the least possible.`);
  else if (r.status === "optimal") lines.push(`This plan is proven optimal${within}.`);
  else if (r.status === "time_limit") lines.push(`Stopped at the time limit: the best plan found${r.gap === null ? "" : ` is within ${pct(r.gap)} of the best possible`}.`);
  else lines.push(`The solver stopped early (${r.solverStatus}); this is the best plan it found.`);
  const outside = plan.nations.filter((n) => n.within_band === false);
  if (outside.length > 0) lines.push(`Outside their burden-sharing band: ${outside.map((n) => n.nation).join(", ")}.`);
  if (r.dualsFrom === "lp_relaxation") lines.push("Marginal values come from the LP relaxation (vehicle counts treated as divisible); read them as estimates.");
  return lines;
}

function bindingConstraints(s: Scenario, model: LinearModel, r: SolveResult, plan: Plan): Binding[] {
  const y = r.rowDual;
  if (y === null) return [];
  const scale = model.columns.reduce((m, c) => Math.max(m, Math.abs(c.cost)), 1);
  const out: Binding[] = [];
  model.rows.forEach((row, i) => {
    if (!EXPLAINED_KINDS.has(row.meaning.kind)) return;
    const dual = y[i]!;
    if (Math.abs(dual) <= 1e-9 * scale) return;
    // For a minimisation, relaxing a <= limit upward or a >= limit downward saves |dual| per unit.
    const value = Math.abs(dual);
    out.push({ constraint: row.name, kind: row.meaning.kind, value: round(value), text: describe(s, model, row.meaning, row.upper, value, plan) });
  });
  return out.sort((a, b) => b.value - a.value || a.constraint.localeCompare(b.constraint));
}

function describe(s: Scenario, model: LinearModel, m: RowMeaning, limit: number, value: number, plan: Plan): string {
  const net = model.network;
  const u = s.unit;
  const gain = savings(value, model, plan);
  switch (m.kind) {
    case "capacity": {
      const a = net.arcs[m.arc]!;
      return `${cap(a.label)} is full in period ${m.period} (${fmt(limit)} ${u}); one more ${u} of capacity would ${gain}.`;
    }
    case "slots": {
      const a = net.arcs[m.arc]!;
      return `All ${fmt(limit)} vehicle slots on ${a.label} are used in period ${m.period}; one more slot (${fmt(a.vehicleSize ?? 0)} ${u}) would ${gain}.`;
    }
    case "stock": {
      const p = s.supply[m.supply]!;
      return `Depot ${p.id} (${p.nation}, ${p.location}) ships all its ${label(m.commodity)} (${fmt(limit)} ${u}); one more ${u} there would ${gain}.`;
    }
    case "cap":
      return `${m.nation} is at its contribution cap of ${fmt(limit)} ${u}; raising it by one ${u} would ${gain}.`;
    case "band_low":
      return `${m.nation}'s burden-sharing floor binds: each ${u} it could give below its floor would ${gain}.`;
    case "band_high":
      return `${m.nation}'s burden-sharing ceiling binds: each ${u} more it could give would ${gain}.`;
    case "no_transit": {
      const nations = net.layers[m.layer]!.nations.join(", ");
      return `${nations}'s caveat against transit through ${net.locations[m.location]} binds in period ${m.period}; letting one ${u} of ${label(m.commodity)} through would ${gain}.`;
    }
    default:
      return `${m.kind} binds; relaxing it by one unit would ${gain}.`;
  }
}

function savings(value: number, model: LinearModel, plan: Plan): string {
  // A marginal value near the shortfall penalty means the unit would reach a demand that now goes short.
  if (plan.totals.shortfall > 0 && value >= model.shortfallPenalty / 2) return `let one more ${plan.unit} reach a demand that now goes short`;
  return `save ${fmt(value)}`;
}

function shortfallReason(s: Scenario, model: LinearModel, r: SolveResult, demandId: string, c: Commodity, quantity: number): ShortfallReason {
  const i = s.demand.findIndex((d) => d.id === demandId);
  const d = s.demand[i]!;
  const net = model.network;
  const u = s.unit;
  const reasons: string[] = [];
  const deadline = net.demandDeadline[i]!;
  const byWhen = deadline === s.periods && s.objective.minimize !== "cost" ? "within the planning horizon" : `by period ${deadline}`;
  const holders = s.supply.filter((p) => (p.stock[c] ?? 0) > 0);
  if (holders.length === 0) {
    reasons.push(`No depot holds any ${label(c)}.`);
    return { demand: d.id, commodity: c, location: d.location, quantity, reasons };
  }

  const sources = reachingSupplies(s, net, c, i);
  if (sources.length === 0) {
    const unconstrained = reachingSupplies(s, buildNetwork(s, { allowLate: s.objective.minimize !== "cost", ignoreCaveats: true }), c, i);
    const anyTime = reachingSupplies(s, buildNetwork(s, { allowLate: true, ignoreCaveats: true }), c, i);
    if (unconstrained.length > 0) {
      for (const nation of [...new Set(unconstrained.map((k) => s.supply[k]!.nation))].sort()) {
        const t = s.nations[nation];
        if (t?.no_delivery.includes(d.location)) reasons.push(`${nation}'s goods may not be delivered to ${d.location}.`);
        else if (t !== undefined && t.no_transit.length > 0) reasons.push(`${nation}'s goods may not pass through ${t.no_transit.join(", ")}, and every route from its depots does.`);
      }
    } else if (anyTime.length > 0) {
      reasons.push(`No depot holding ${label(c)} can get it to ${d.location} ${byWhen}: the routes are too slow for a latest arrival in period ${d.latest_arrival}.`);
    } else {
      reasons.push(`No route connects any depot holding ${label(c)} to ${d.location}.`);
    }
  } else {
    const reachable = sources.reduce((a, k) => a + (s.supply[k]!.stock[c] ?? 0), 0);
    const required = d.quantities[c] ?? 0;
    if (reachable < required - 1e-6) {
      reasons.push(`Only ${fmt(reachable)} ${u} of ${label(c)} is held at depots that can reach ${d.location} ${byWhen}; ${fmt(required)} ${u} are required.`);
    }
    reasons.push(...limitsOnRoutes(s, model, r, c, i, sources));
  }
  if (reasons.length === 0) reasons.push(`The ${label(c)} that can reach ${d.location} ${byWhen} is used for other demands of equal or higher priority.`);
  return { demand: d.id, commodity: c, location: d.location, quantity, reasons };
}

/** Supply points whose goods can reach demand `i` in time, through links and caveats as modelled. */
function reachingSupplies(s: Scenario, net: Network, c: Commodity, i: number): number[] {
  const out: number[] = [];
  for (const layer of net.layers) {
    const r = reach(net, s, layer.index, c, i);
    s.supply.forEach((p, k) => {
      if (net.supplyLayer[k] !== layer.index || (p.stock[c] ?? 0) <= 0) return;
      for (let t = 1; t <= net.periods; t++) if (at(r.backward, net.periods, net.supplyLocation[k]!, t)) return void out.push(k);
    });
  }
  return out;
}

/** Binding limits (nonzero duals) on links, depots and national terms that could have served demand `i`. */
function limitsOnRoutes(s: Scenario, model: LinearModel, r: SolveResult, c: Commodity, i: number, sources: number[]): string[] {
  const y = r.rowDual;
  if (y === null) return [];
  const net = model.network;
  const P = net.periods;
  const usable = new Set<number>();
  for (const layer of net.layers) {
    const rr = reach(net, s, layer.index, c, i);
    for (const a of net.arcs) for (let t = 1; t + a.transit <= P; t++) if (at(rr.forward, P, a.from, t) && at(rr.backward, P, a.to, t + a.transit)) usable.add(a.index * P + t - 1);
  }
  const sourceSet = new Set(sources);
  const nations = new Set(sources.map((k) => s.supply[k]!.nation));
  const found = new Map<string, { value: number; text: (periods: string) => string; periods: number[] }>();
  const note = (key: string, value: number, text: (periods: string) => string, period?: number) => {
    const f = found.get(key) ?? { value: 0, text, periods: [] };
    f.value = Math.max(f.value, value);
    if (period !== undefined) f.periods.push(period);
    found.set(key, f);
  };
  model.rows.forEach((row, j) => {
    const dual = Math.abs(y[j]!);
    if (dual <= 1e-9) return;
    const m = row.meaning;
    if ((m.kind === "capacity" || m.kind === "slots") && usable.has(m.arc * P + m.period - 1)) {
      const a = net.arcs[m.arc]!;
      const what = m.kind === "capacity" ? "is full" : "has no vehicle slot left";
      note(`${m.kind}/${m.arc}`, dual, (periods) => `${cap(a.label)} ${what} in ${periods}.`, m.period);
    } else if (m.kind === "stock" && sourceSet.has(m.supply) && m.commodity === c) {
      note(`stock/${m.supply}`, dual, () => `Depot ${s.supply[m.supply]!.id} has no ${label(c)} left.`);
    } else if (m.kind === "cap" && nations.has(m.nation)) {
      note(`cap/${m.nation}`, dual, () => `${m.nation} has reached its contribution cap.`);
    } else if (m.kind === "band_high" && nations.has(m.nation)) {
      note(`bhi/${m.nation}`, dual, () => `${m.nation} has reached the top of its burden-sharing band.`);
    } else if (m.kind === "band_low") {
      // A floor caps the total: every extra unit delivered obliges that nation to give its share of it too.
      note(`blo/${m.nation}`, dual, () => `${m.nation}'s burden-sharing floor caps the total: it cannot give its share of any more.`);
    }
  });
  return [...found.values()]
    .sort((a, b) => b.value - a.value)
    .slice(0, 4)
    .map((f) => f.text(f.periods.length === 1 ? `period ${f.periods[0]}` : `periods ${f.periods.sort((x, y) => x - y).join(", ")}`));
}

const label = (c: Commodity): string => c.replace("_", " ");
const cap = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const pct = (x: number): string => `${(x * 100).toFixed(x < 0.001 ? 3 : 2)}%`;
export function fmt(x: number): string {
  return Number(x.toFixed(2)).toLocaleString("en-GB");
}
