/**
 * Scenario -> linear model. A pure function: the same scenario always yields the same columns and rows, each
 * named and described, so a solution and its duals can be read back as shipments and plain-language reasons.
 *
 * Columns: ship (supply point, commodity, period) leaves a depot; flow (layer, commodity, arc, dispatch period)
 * moves along a link and arrives `transit` periods later; deliver (demand, commodity, layer, arrival period);
 * short (demand, commodity) is the elastic shortfall, charged a penalty so it is used only when nothing else works;
 * exit (layer, commodity, location, period) hands goods to the shared last leg into places that only receive;
 * vehicles (arc, period) are whole vehicles when the link has a vehicle size; contrib (nation) and total feed the
 * burden-sharing bands. Goods do not wait at intermediate places: a depot simply ships later instead.
 */
import type { Commodity, Scenario } from "./schema.ts";
import { at, buildNetwork, mayDeliver, mayLeave, reach, type Layer, type Network } from "./network.ts";

export type ColumnMeaning =
  | { kind: "ship"; supply: number; commodity: Commodity; period: number }
  | { kind: "flow"; layer: number; commodity: Commodity; arc: number; period: number }
  /** `layer` -1: delivered where the layers merge (a place goods only unload at). */
  | { kind: "deliver"; demand: number; commodity: Commodity; layer: number; period: number }
  | { kind: "short"; demand: number; commodity: Commodity }
  /** Goods of a layer handed over at `location` to the merged last leg (see distributionRow). */
  | { kind: "exit"; layer: number; commodity: Commodity; location: number; period: number }
  | { kind: "vehicles"; arc: number; period: number }
  | { kind: "contrib"; nation: string }
  | { kind: "total" };

export type RowMeaning =
  | { kind: "stock"; supply: number; commodity: Commodity }
  | { kind: "balance"; layer: number; commodity: Commodity; location: number; period: number }
  | { kind: "distribution"; commodity: Commodity; location: number; period: number }
  | { kind: "no_transit"; layer: number; commodity: Commodity; location: number; period: number }
  | { kind: "demand"; demand: number; commodity: Commodity }
  | { kind: "capacity"; arc: number; period: number }
  | { kind: "load"; arc: number; period: number }
  | { kind: "slots"; arc: number; period: number }
  | { kind: "contrib"; nation: string }
  | { kind: "total" }
  | { kind: "cap"; nation: string }
  | { kind: "band_low"; nation: string }
  | { kind: "band_high"; nation: string };

export interface Column {
  name: string;
  cost: number;
  lower: number;
  upper: number;
  integer: boolean;
  meaning: ColumnMeaning;
}

export interface Row {
  name: string;
  lower: number;
  upper: number;
  cols: number[];
  coefs: number[];
  meaning: RowMeaning;
}

export interface LinearModel {
  name: string;
  columns: Column[];
  rows: Row[];
  integer: boolean;
  /** Charge per unit of shortfall before the demand's priority multiplies it. */
  shortfallPenalty: number;
  costWeight: number;
  latenessWeight: number;
  network: Network;
}

export interface BuildOptions {
  /** Treat vehicle counts as continuous (the LP relaxation of a MIP scenario). */
  relaxIntegers?: boolean;
}

export function buildModel(s: Scenario, opts: BuildOptions = {}): LinearModel {
  const mode = s.objective.minimize;
  const costWeight = mode === "lateness" ? 0 : mode === "cost" ? 1 : s.objective.cost_weight;
  const latenessWeight = mode === "cost" ? 0 : mode === "lateness" ? 1 : s.objective.lateness_weight;
  const net = buildNetwork(s, { allowLate: mode !== "cost" });
  const P = net.periods;
  const penalty = s.shortfall_penalty ?? autoPenalty(s, net, costWeight, latenessWeight);

  const columns: Column[] = [];
  const rows: Row[] = [];
  const addColumn = (name: string, cost: number, meaning: ColumnMeaning, upper = Infinity, integer = false): number => {
    columns.push({ name, cost, lower: 0, upper, integer, meaning });
    return columns.length - 1;
  };
  const addRow = (name: string, lower: number, upper: number, meaning: RowMeaning): Row => {
    const row: Row = { name, lower, upper, cols: [], coefs: [], meaning };
    rows.push(row);
    return row;
  };
  const term = (row: Row, col: number, coef: number) => {
    row.cols.push(col);
    row.coefs.push(coef);
  };

  // Row groups created on first use; keys are numeric so alliance-scale models stay cheap to index.
  // Where goods can only be unloaded (no link leaves, the usual demand point), layers need not be told apart:
  // a layer barred from delivering there cannot reach it at all. One balance row serves them all (layer -1).
  const sink = net.locations.map((_, v) => net.outArcs[v]!.length === 0);
  // The last leg into such places is shared too: each layer that may deliver to every place a location serves
  // hands its goods over ("exit") to one distribution row there, and merged flows leave it for those places.
  const sinkArcs = net.locations.map((_, v) => net.outArcs[v]!.filter((a) => sink[net.arcs[a]!.to]));
  const pooled = (layer: Layer, v: number): boolean => sinkArcs[v]!.every((a) => !layer.noDelivery.has(net.arcs[a]!.to));
  const distribution = new Map<number, Row>();
  const distributionRow = (ci: number, v: number, t: number): Row => {
    const key = (ci * net.locations.length + v) * P + t - 1;
    let row = distribution.get(key);
    if (row === undefined) {
      const c = net.commodities[ci]!;
      row = addRow(`dist_${c}_n${v}_t${t}`, 0, 0, { kind: "distribution", commodity: c, location: v, period: t });
      distribution.set(key, row);
    }
    return row;
  };
  const balance = new Map<number, Row>();
  const balanceRow = (layer: number, ci: number, v: number, t: number): Row => {
    const k = sink[v] ? -1 : layer;
    const key = (((k + 1) * net.commodities.length + ci) * net.locations.length + v) * P + t - 1;
    let row = balance.get(key);
    if (row === undefined) {
      const c = net.commodities[ci]!;
      row = addRow(`bal_${k < 0 ? "all" : `k${k}`}_${c}_n${v}_t${t}`, 0, 0, { kind: "balance", layer: k, commodity: c, location: v, period: t });
      balance.set(key, row);
    }
    return row;
  };
  const addDelivery = (i: number, c: Commodity, ci: number, k: number, t: number) => {
    const d = s.demand[i]!;
    const late = Math.max(0, t - d.latest_arrival);
    const col = addColumn(`del_d${i}_${c}_${k < 0 ? "all" : `k${k}`}_t${t}`, latenessWeight * d.priority * late, {
      kind: "deliver", demand: i, commodity: c, layer: k, period: t,
    });
    term(balanceRow(k, ci, net.demandLocation[i]!, t), col, -1);
  };
  const noTransit = new Map<number, Row>();
  const arcLoad = new Map<number, number[]>();
  const shipsBySupply: number[][] = s.supply.map(() => []);

  net.commodities.forEach((c, ci) => {
    const sinkArrivals = new Map<number, Set<number>>(); // demand at a sink -> periods some layer can arrive
    const mergedArcs = new Set<number>(); // (arc into a sink, period) carried by the merged distribution
    for (const layer of net.layers) {
      const k = layer.index;
      const r = reach(net, s, k, c);
      const exits = new Set<number>();
      const guarded = (v: number, t: number): Row | undefined => {
        // Only a no-transit place that is also an origin needs a row; elsewhere pruning already forbids leaving.
        if (!layer.noTransit.has(v) || !mayLeave(net, s, k, c, v)) return undefined;
        const key = ((k * net.commodities.length + ci) * net.locations.length + v) * P + t - 1;
        let row = noTransit.get(key);
        if (row === undefined) {
          row = addRow(`ntr_k${k}_${c}_n${v}_t${t}`, -Infinity, 0, { kind: "no_transit", layer: k, commodity: c, location: v, period: t });
          noTransit.set(key, row);
        }
        return row;
      };
      s.supply.forEach((p, i) => {
        if (net.supplyLayer[i] !== k || (p.stock[c] ?? 0) <= 0) return;
        const v = net.supplyLocation[i]!;
        for (let t = 1; t <= P; t++) {
          if (!at(r.backward, P, v, t)) continue;
          const col = addColumn(`ship_s${i}_${c}_t${t}`, 0, { kind: "ship", supply: i, commodity: c, period: t });
          term(balanceRow(k, ci, v, t), col, 1);
          const nt = guarded(v, t);
          if (nt !== undefined) term(nt, col, -1);
          shipsBySupply[i]!.push(col);
        }
      });
      for (const arc of net.arcs) {
        for (let t = 1; t + arc.transit <= P; t++) {
          if (!at(r.forward, P, arc.from, t) || !at(r.backward, P, arc.to, t + arc.transit)) continue;
          if (!mayLeave(net, s, k, c, arc.from)) continue;
          if (sink[arc.to] && pooled(layer, arc.from)) {
            const exitKey = arc.from * P + t - 1;
            if (!exits.has(exitKey)) {
              exits.add(exitKey);
              const col = addColumn(`exit_k${k}_${c}_n${arc.from}_t${t}`, 0, { kind: "exit", layer: k, commodity: c, location: arc.from, period: t });
              term(balanceRow(k, ci, arc.from, t), col, -1);
              term(distributionRow(ci, arc.from, t), col, 1);
              const nt = guarded(arc.from, t);
              if (nt !== undefined) term(nt, col, 1);
            }
            mergedArcs.add(arc.index * P + t - 1);
            continue;
          }
          const col = addColumn(`flow_k${k}_${c}_a${arc.index}_t${t}`, costWeight * arc.costPerUnit, {
            kind: "flow", layer: k, commodity: c, arc: arc.index, period: t,
          });
          term(balanceRow(k, ci, arc.from, t), col, -1);
          term(balanceRow(k, ci, arc.to, t + arc.transit), col, 1);
          const nt = guarded(arc.from, t);
          if (nt !== undefined) term(nt, col, 1);
          const key = arc.index * P + t - 1;
          const load = arcLoad.get(key);
          if (load === undefined) arcLoad.set(key, [col]);
          else load.push(col);
        }
      }
      s.demand.forEach((d, i) => {
        if ((d.quantities[c] ?? 0) <= 0 || !mayDeliver(net, k, i)) return;
        const v = net.demandLocation[i]!;
        for (let t = 1; t <= net.demandDeadline[i]!; t++) {
          if (!at(r.forward, P, v, t)) continue;
          if (sink[v]) sinkArrivals.set(i, (sinkArrivals.get(i) ?? new Set()).add(t));
          else addDelivery(i, c, ci, k, t);
        }
      });
    }
    for (const key of [...mergedArcs].sort((a, b) => a - b)) {
      const arc = net.arcs[Math.floor(key / P)]!;
      const t = (key % P) + 1;
      const col = addColumn(`flow_all_${c}_a${arc.index}_t${t}`, costWeight * arc.costPerUnit, { kind: "flow", layer: -1, commodity: c, arc: arc.index, period: t });
      term(distributionRow(ci, arc.from, t), col, -1);
      term(balanceRow(-1, ci, arc.to, t + arc.transit), col, 1);
      const load = arcLoad.get(key);
      if (load === undefined) arcLoad.set(key, [col]);
      else load.push(col);
    }
    for (const [i, periods] of sinkArrivals) for (const t of [...periods].sort((a, b) => a - b)) addDelivery(i, c, ci, -1, t);
  });

  // Demand rows gather deliveries over layers and periods, plus the elastic shortfall.
  const deliveries = new Map<string, number[]>();
  columns.forEach((col, j) => {
    if (col.meaning.kind !== "deliver") return;
    const key = `${col.meaning.demand}/${col.meaning.commodity}`;
    const list = deliveries.get(key);
    if (list === undefined) deliveries.set(key, [j]);
    else list.push(j);
  });
  s.demand.forEach((d, i) => {
    for (const c of net.commodities) {
      const q = d.quantities[c] ?? 0;
      if (q <= 0) continue;
      const row = addRow(`dem_d${i}_${c}`, q, q, { kind: "demand", demand: i, commodity: c });
      for (const j of deliveries.get(`${i}/${c}`) ?? []) term(row, j, 1);
      term(row, addColumn(`short_d${i}_${c}`, penalty * d.priority, { kind: "short", demand: i, commodity: c }), 1);
    }
  });

  s.supply.forEach((p, i) => {
    for (const c of net.commodities) {
      const cols = shipsBySupply[i]!.filter((j) => commodityOf(columns[j]!.meaning) === c);
      if (cols.length === 0) continue;
      const row = addRow(`stock_s${i}_${c}`, -Infinity, p.stock[c] ?? 0, { kind: "stock", supply: i, commodity: c });
      for (const j of cols) term(row, j, 1);
    }
  });

  let integer = false;
  for (const [key, cols] of [...arcLoad].sort((a, b) => a[0] - b[0])) {
    const arc = net.arcs[Math.floor(key / P)]!;
    const t = (key % P) + 1;
    if (arc.capacity !== undefined) {
      const row = addRow(`cap_a${arc.index}_t${t}`, -Infinity, arc.capacity, { kind: "capacity", arc: arc.index, period: t });
      for (const j of cols) term(row, j, 1);
    }
    if (arc.vehicleSize === undefined) continue;
    const isInt = !opts.relaxIntegers;
    integer ||= isInt;
    const veh = addColumn(`veh_a${arc.index}_t${t}`, costWeight * arc.costPerVehicle, { kind: "vehicles", arc: arc.index, period: t }, Infinity, isInt);
    const load = addRow(`load_a${arc.index}_t${t}`, -Infinity, 0, { kind: "load", arc: arc.index, period: t });
    for (const j of cols) term(load, j, 1);
    term(load, veh, -arc.vehicleSize);
    if (arc.slots !== undefined) term(addRow(`slots_a${arc.index}_t${t}`, -Infinity, arc.slots, { kind: "slots", arc: arc.index, period: t }), veh, 1);
  }

  addBurdenRows(s, shipsBySupply, addColumn, addRow, term);

  return { name: s.name, columns, rows, integer, shortfallPenalty: penalty, costWeight, latenessWeight, network: net };
}

function addBurdenRows(
  s: Scenario,
  shipsBySupply: number[][],
  addColumn: (name: string, cost: number, meaning: ColumnMeaning) => number,
  addRow: (name: string, lower: number, upper: number, meaning: RowMeaning) => Row,
  term: (row: Row, col: number, coef: number) => void,
): void {
  const terms = Object.entries(s.nations).filter(([, t]) => t.share !== undefined || t.max_contribution !== undefined);
  if (terms.length === 0) return;
  const contrib = new Map<string, number>();
  for (const [nation] of terms) {
    const col = addColumn(`contrib_${nation}`, 0, { kind: "contrib", nation });
    contrib.set(nation, col);
    const row = addRow(`def_contrib_${nation}`, 0, 0, { kind: "contrib", nation });
    term(row, col, 1);
    s.supply.forEach((p, i) => {
      if (p.nation === nation) for (const j of shipsBySupply[i]!) term(row, j, -1);
    });
  }
  const banded = terms.filter(([, t]) => t.share !== undefined);
  let total = -1;
  if (banded.length > 0) {
    total = addColumn("total", 0, { kind: "total" });
    const row = addRow("def_total", 0, 0, { kind: "total" });
    term(row, total, 1);
    for (const list of shipsBySupply) for (const j of list) term(row, j, -1);
  }
  for (const [nation, t] of terms) {
    const col = contrib.get(nation)!;
    if (t.max_contribution !== undefined) term(addRow(`ncap_${nation}`, -Infinity, t.max_contribution, { kind: "cap", nation }), col, 1);
    if (t.share === undefined) continue;
    const band = t.band ?? s.burden_sharing.band;
    const low = Math.max(0, t.share - band);
    const high = Math.min(1, t.share + band);
    if (low > 0) {
      const row = addRow(`blo_${nation}`, 0, Infinity, { kind: "band_low", nation });
      term(row, col, 1);
      term(row, total, -low);
    }
    if (high < 1) {
      const row = addRow(`bhi_${nation}`, -Infinity, 0, { kind: "band_high", nation });
      term(row, col, 1);
      term(row, total, -high);
    }
  }
}

function commodityOf(m: ColumnMeaning): Commodity | undefined {
  return "commodity" in m ? m.commodity : undefined;
}

/**
 * A penalty that outweighs anything a delivered unit can cost: every link's per-unit and per-vehicle charge plus
 * the longest possible lateness, with a tenfold margin, rounded up to a readable figure.
 */
function autoPenalty(s: Scenario, net: Network, costWeight: number, latenessWeight: number): number {
  let bound = 0;
  for (const a of net.arcs) bound += costWeight * (a.costPerUnit + a.costPerVehicle);
  bound += latenessWeight * s.periods;
  const raw = Math.max(100, 10 * bound);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return Math.ceil(raw / magnitude) * magnitude;
}

/** Each integer vehicle column with the load row it covers and the vehicle size (for the solver's MIP start). */
export function vehicleHints(model: LinearModel): { cols: Int32Array; rows: Int32Array; sizes: Float64Array } {
  const cols: number[] = [];
  const rows: number[] = [];
  const sizes: number[] = [];
  model.rows.forEach((row, i) => {
    if (row.meaning.kind !== "load") return;
    row.cols.forEach((j, k) => {
      if (!model.columns[j]!.integer) return;
      cols.push(j);
      rows.push(i);
      sizes.push(-row.coefs[k]!);
    });
  });
  return { cols: Int32Array.from(cols), rows: Int32Array.from(rows), sizes: Float64Array.from(sizes) };
}
