/**
 * The logistics scenario a planner writes (YAML or JSON). The zod schema is the type; every object is strict, so a
 * misspelt key is an error naming its path rather than a silently ignored constraint. Quantities of all commodity
 * classes share one unit (`unit`, tonnes by default) so that a link's capacity and a vehicle's size can carry a mix.
 */
import { z } from "zod";
import { NationCode } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";

export const COMMODITIES = ["fuel", "rations", "water", "medical", "spare_parts", "shelter"] as const;
export const Commodity = z.enum(COMMODITIES);
export type Commodity = z.infer<typeof Commodity>;

export const MODES = ["road", "rail", "sea", "air"] as const;
export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/, "a name of letters, digits and _ . : / - (at most 64)");
const Quantity = z.number().finite().nonnegative();
const Quantities = z.partialRecord(Commodity, Quantity);

const SupplyPoint = z.strictObject({
  id: Name,
  nation: NationCode,
  location: Name,
  /** Quantity of each commodity class held, available to ship in any period. */
  stock: Quantities,
});

const DemandPoint = z.strictObject({
  id: Name,
  /** The unit or exercise being supplied (free text for the plan's reader). */
  unit: z.string().max(200).optional(),
  location: Name,
  quantities: Quantities,
  /** Last period (1-based) in which goods may arrive on time. */
  latest_arrival: z.number().int().min(1),
  /** Relative weight of this demand: lateness and shortfall of a priority-3 demand count three times priority 1. */
  priority: z.number().finite().min(1).max(1000).prefault(1),
});

const Link = z.strictObject({
  id: Name.optional(),
  from: Name,
  to: Name,
  mode: Mode,
  /** Maximum quantity dispatched per period (all commodities together). */
  capacity: Quantity.optional(),
  cost_per_unit: Quantity.prefault(0),
  /** Whole periods between dispatch and arrival; 0 arrives in the period it leaves. */
  transit_periods: z.number().int().min(0).prefault(0),
  /** Quantity one vehicle carries; when given, vehicles are counted in whole numbers (the model becomes a MIP). */
  vehicle_size: z.number().finite().positive().optional(),
  cost_per_vehicle: Quantity.optional(),
  /** Vehicle slots per period (e.g. train paths, sorties); needs vehicle_size. */
  vehicles_per_period: z.number().int().min(0).optional(),
  /** Also create the same link in the opposite direction. */
  bidirectional: z.boolean().prefault(false),
});

const NationTerms = z.strictObject({
  /** Agreed share of the total quantity delivered, 0..1. */
  share: z.number().min(0).max(1).optional(),
  /** Allowed deviation from the share (absolute fraction); defaults to burden_sharing.band. */
  band: z.number().min(0).max(1).optional(),
  /** Most this nation contributes, in `unit`, over the whole horizon. */
  max_contribution: Quantity.optional(),
  /** Locations this nation's goods may not pass through (they may still be delivered there). */
  no_transit: z.array(Name).prefault([]),
  /** Locations this nation's goods may not be delivered to (they may still pass through). */
  no_delivery: z.array(Name).prefault([]),
});
export type NationTerms = z.infer<typeof NationTerms>;

const Objective = z.strictObject({
  /**
   * cost: cheapest plan; latest arrival is a hard deadline. lateness: least priority-weighted quantity x periods
   * late. blend: cost_weight x cost + lateness_weight x weighted lateness.
   */
  minimize: z.enum(["cost", "lateness", "blend"]).prefault("cost"),
  cost_weight: z.number().finite().nonnegative().prefault(1),
  lateness_weight: z.number().finite().nonnegative().prefault(1),
});

const ScenarioObject = z.strictObject({
  name: z.string().max(200).prefault("scenario"),
  unit: z.string().max(20).prefault("t"),
  /** Number of planning periods, numbered 1..periods. */
  periods: z.number().int().min(1).max(104),
  supply: z.array(SupplyPoint).min(1),
  demand: z.array(DemandPoint).min(1),
  links: z.array(Link).prefault([]),
  nations: z.record(NationCode, NationTerms).prefault({}),
  burden_sharing: z.strictObject({ band: z.number().min(0).max(1).prefault(0.05) }).prefault({}),
  objective: Objective.prefault({}),
  /** Charge per unit of unmet demand (times priority); computed from the costs when absent. */
  shortfall_penalty: z.number().finite().positive().optional(),
});
export const Scenario = ScenarioObject.superRefine(checkReferences);
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** Cross-field rules zod cannot express field by field: unique ids, known places, horizon, shares. */
function checkReferences(s: z.output<typeof ScenarioObject>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  unique(s.supply.map((p) => p.id), (i, id) => issue(["supply", i, "id"], `duplicate supply id "${id}"`));
  unique(s.demand.map((p) => p.id), (i, id) => issue(["demand", i, "id"], `duplicate demand id "${id}"`));
  unique(s.links.flatMap((l) => (l.id === undefined ? [] : [l.id])), (_i, id) => {
    const i = s.links.findLastIndex((l) => l.id === id);
    issue(["links", i, "id"], `duplicate link id "${id}"`);
  });
  const places = new Set([...s.supply.map((p) => p.location), ...s.demand.map((p) => p.location)]);
  for (const l of s.links) places.add(l.from).add(l.to);
  s.demand.forEach((d, i) => {
    if (d.latest_arrival > s.periods) issue(["demand", i, "latest_arrival"], `period ${d.latest_arrival} is after the last period (${s.periods})`);
  });
  s.links.forEach((l, i) => {
    if (l.from === l.to) issue(["links", i, "to"], `a link must join two different locations ("${l.from}")`);
    if (l.vehicle_size === undefined && l.cost_per_vehicle !== undefined) issue(["links", i, "cost_per_vehicle"], "needs vehicle_size");
    if (l.vehicle_size === undefined && l.vehicles_per_period !== undefined) issue(["links", i, "vehicles_per_period"], "needs vehicle_size");
  });
  let shares = 0;
  for (const [nation, terms] of Object.entries(s.nations)) {
    shares += terms.share ?? 0;
    for (const key of ["no_transit", "no_delivery"] as const) {
      terms[key].forEach((place, j) => {
        // A misspelt place would silently disable a national caveat, so it is an error.
        if (!places.has(place)) issue(["nations", nation, key, j], `unknown location "${place}"`);
      });
    }
    if (terms.band !== undefined && terms.share === undefined) issue(["nations", nation, "band"], "a band needs a share");
  }
  if (shares > 1 + 1e-9) issue(["nations"], `agreed shares add up to ${round(shares)}, more than 1`);
}

function unique(ids: string[], onDuplicate: (index: number, id: string) => void): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) onDuplicate(i, id);
    seen.add(id);
  });
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Validates a parsed document; the error names the first bad field by its path (e.g. `links[3].mode`). */
export function parseScenario(input: unknown): Scenario {
  const result = Scenario.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const first = result.error.issues[0];
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : "";
  throw new InvalidRequest(`invalid scenario: ${issues.join("; ")}${more}`, {
    param: first === undefined ? null : formatPath(first.path),
  });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(scenario)" : out;
}
