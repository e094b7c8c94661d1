import type { ScenarioInput } from "../../src/workloads/logistics/index.ts";

/** One depot per entry, one road link per (from, to, cost); one period unless said otherwise. */
export function scenario(parts: Partial<ScenarioInput> & Pick<ScenarioInput, "supply" | "demand">): ScenarioInput {
  return { name: "test", periods: 1, links: [], ...parts };
}

export const road = (from: string, to: string, cost: number, extra: Record<string, unknown> = {}) => ({
  from, to, mode: "road" as const, cost_per_unit: cost, ...extra,
});
