/** The logistics workload: allied supply allocation planned with HiGHS and explained in plain words. */
export { COMMODITIES, MODES, Scenario, parseScenario, type Commodity, type Mode, type ScenarioInput } from "./schema.ts";
export { buildLp, parseScenarioText, solveLpFile, solvePlan, DEFAULT_TIME_LIMIT_SECONDS, type LpSolution, type SolvePlanOptions } from "./solve.ts";
export type { Plan, PlanStatus, Shipment, Delivery, NationContribution, SourceUse } from "./plan.ts";
export type { Explanation, Binding, ShortfallReason } from "./explain.ts";
export type { Progress, SolveStatus } from "./solver/protocol.ts";
export { formatPlanText } from "./format.ts";
