/**
 * The scenario as an indexed, time-expanded network: locations, directed arcs, and "layers" of goods whose
 * movement must be tracked apart. Goods of nations without caveats are interchangeable and share one layer; each
 * nation with a caveat gets its own layer, so its goods can be kept out of the places it forbids. Reachability
 * over (location, period) states prunes variables that could never carry anything.
 */
import type { Commodity, Mode, Scenario } from "./schema.ts";
import { COMMODITIES } from "./schema.ts";

export interface Arc {
  index: number;
  /** Index of the scenario link it came from (a bidirectional link yields two arcs). */
  link: number;
  label: string;
  from: number;
  to: number;
  mode: Mode;
  capacity: number | undefined;
  costPerUnit: number;
  transit: number;
  vehicleSize: number | undefined;
  costPerVehicle: number;
  slots: number | undefined;
}

export interface Layer {
  index: number;
  /** Nations whose goods travel in this layer. */
  nations: string[];
  noTransit: Set<number>;
  noDelivery: Set<number>;
}

export interface Network {
  periods: number;
  locations: string[];
  locationIndex: Map<string, number>;
  arcs: Arc[];
  outArcs: number[][];
  inArcs: number[][];
  layers: Layer[];
  layerOfNation: Map<string, number>;
  supplyLayer: number[];
  supplyLocation: number[];
  demandLocation: number[];
  /** Last period a demand may receive goods in this model (its deadline when lateness is not allowed). */
  demandDeadline: number[];
  commodities: Commodity[];
}

export function buildNetwork(s: Scenario, opts: { allowLate: boolean; ignoreCaveats?: boolean }): Network {
  const locations: string[] = [];
  const locationIndex = new Map<string, number>();
  const loc = (name: string): number => {
    let i = locationIndex.get(name);
    if (i === undefined) {
      i = locations.length;
      locations.push(name);
      locationIndex.set(name, i);
    }
    return i;
  };
  const supplyLocation = s.supply.map((p) => loc(p.location));
  const demandLocation = s.demand.map((p) => loc(p.location));
  const arcs: Arc[] = [];
  s.links.forEach((l, link) => {
    const ends: [string, string][] = l.bidirectional ? [[l.from, l.to], [l.to, l.from]] : [[l.from, l.to]];
    for (const [from, to] of ends) {
      arcs.push({
        index: arcs.length,
        link,
        label: `${l.mode} ${from} → ${to}${l.id === undefined ? "" : ` (${l.id})`}`,
        from: loc(from),
        to: loc(to),
        mode: l.mode,
        capacity: l.capacity,
        costPerUnit: l.cost_per_unit,
        transit: l.transit_periods,
        vehicleSize: l.vehicle_size,
        costPerVehicle: l.cost_per_vehicle ?? 0,
        slots: l.vehicles_per_period,
      });
    }
  });
  for (const terms of Object.values(s.nations)) for (const p of [...terms.no_transit, ...terms.no_delivery]) loc(p);
  const outArcs: number[][] = locations.map(() => []);
  const inArcs: number[][] = locations.map(() => []);
  for (const a of arcs) {
    outArcs[a.from]!.push(a.index);
    inArcs[a.to]!.push(a.index);
  }

  const layers: Layer[] = [{ index: 0, nations: [], noTransit: new Set(), noDelivery: new Set() }];
  const layerOfNation = new Map<string, number>();
  const supplyNations = [...new Set(s.supply.map((p) => p.nation))].sort();
  for (const nation of supplyNations) {
    const terms = s.nations[nation];
    const caveated = !opts.ignoreCaveats && terms !== undefined && terms.no_transit.length + terms.no_delivery.length > 0;
    if (!caveated) {
      layers[0]!.nations.push(nation);
      layerOfNation.set(nation, 0);
      continue;
    }
    layerOfNation.set(nation, layers.length);
    layers.push({
      index: layers.length,
      nations: [nation],
      noTransit: new Set(terms.no_transit.map(loc)),
      noDelivery: new Set(terms.no_delivery.map(loc)),
    });
  }

  const commodities = COMMODITIES.filter((c) => s.demand.some((d) => (d.quantities[c] ?? 0) > 0));
  return {
    periods: s.periods,
    locations,
    locationIndex,
    arcs,
    outArcs,
    inArcs,
    layers,
    layerOfNation,
    supplyLayer: s.supply.map((p) => layerOfNation.get(p.nation)!),
    supplyLocation,
    demandLocation,
    demandDeadline: s.demand.map((d) => (opts.allowLate ? s.periods : d.latest_arrival)),
    commodities,
  };
}

/** Reachable (location, period) states of one layer and commodity; index `location * periods + period - 1`. */
export interface Reach {
  forward: Uint8Array;
  backward: Uint8Array;
}

/** True when goods of `layer` may leave location `v` (a no-transit place lets out only what starts there). */
export function mayLeave(net: Network, s: Scenario, layer: number, c: Commodity, v: number): boolean {
  const l = net.layers[layer]!;
  if (!l.noTransit.has(v)) return true;
  return s.supply.some((p, i) => net.supplyLayer[i] === layer && net.supplyLocation[i] === v && (p.stock[c] ?? 0) > 0);
}

export function mayDeliver(net: Network, layer: number, demand: number): boolean {
  return !net.layers[layer]!.noDelivery.has(net.demandLocation[demand]!);
}

/** `onlyDemand` narrows the backward search to goods that can still reach that one demand in time. */
export function reach(net: Network, s: Scenario, layer: number, c: Commodity, onlyDemand?: number): Reach {
  const P = net.periods;
  const n = net.locations.length * P;
  const forward = new Uint8Array(n);
  const backward = new Uint8Array(n);
  const leave = net.locations.map((_, v) => mayLeave(net, s, layer, c, v));

  const queue: number[] = [];
  const mark = (set: Uint8Array, v: number, t: number) => {
    const k = v * P + t - 1;
    if (set[k] === 0) {
      set[k] = 1;
      queue.push(k);
    }
  };
  s.supply.forEach((p, i) => {
    if (net.supplyLayer[i] !== layer || (p.stock[c] ?? 0) <= 0) return;
    for (let t = 1; t <= P; t++) mark(forward, net.supplyLocation[i]!, t);
  });
  while (queue.length > 0) {
    const k = queue.pop()!;
    const v = Math.floor(k / P);
    const t = (k % P) + 1;
    if (!leave[v]) continue;
    for (const a of net.outArcs[v]!) {
      const arc = net.arcs[a]!;
      if (t + arc.transit <= P) mark(forward, arc.to, t + arc.transit);
    }
  }
  s.demand.forEach((d, i) => {
    if ((d.quantities[c] ?? 0) <= 0 || !mayDeliver(net, layer, i)) return;
    if (onlyDemand !== undefined && onlyDemand !== i) return;
    for (let t = 1; t <= net.demandDeadline[i]!; t++) mark(backward, net.demandLocation[i]!, t);
  });
  while (queue.length > 0) {
    const k = queue.pop()!;
    const w = Math.floor(k / P);
    const t = (k % P) + 1;
    for (const a of net.inArcs[w]!) {
      const arc = net.arcs[a]!;
      if (t - arc.transit >= 1 && leave[arc.from]) mark(backward, arc.from, t - arc.transit);
    }
  }
  return { forward, backward };
}

export const at = (r: Uint8Array, periods: number, v: number, t: number): boolean => r[v * periods + t - 1] === 1;
