/**
 * The workload's entry points: a scenario to a Plan, and a user's LP/MPS file to a solution. Model building and
 * reading are pure; the solve itself runs in a worker thread.
 */
import { gunzipSync } from "node:zlib";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { InvalidRequest } from "../../errors/index.ts";
import { parseScenario, type Scenario } from "./schema.ts";
import { buildModel, vehicleHints, type ColumnMeaning, type RowMeaning } from "./model.ts";
import { toArrays, toLpText } from "./lp-text.ts";
import { readPlan, type Plan } from "./plan.ts";
import { runSolver } from "./solver/run.ts";
import type { Progress, SolveStatus } from "./solver/protocol.ts";

export const DEFAULT_TIME_LIMIT_SECONDS = 60;
const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export interface SolvePlanOptions {
  timeLimitSeconds?: number;
  /** Relative gap at which a MIP counts as solved; HiGHS's default (0.01%) when absent. */
  mipRelGap?: number;
  /** Solve integer vehicle counts as continuous (the LP relaxation). */
  relaxIntegers?: boolean;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export async function solvePlan(input: Scenario | unknown, opts: SolvePlanOptions = {}): Promise<Plan> {
  const scenario = parseScenario(input);
  const model = buildModel(scenario, { relaxIntegers: opts.relaxIntegers ?? false });
  const result = await runSolver({ format: "arrays", arrays: toArrays(model) }, {
    timeLimitSeconds: checkTimeLimit(opts.timeLimitSeconds),
    duals: true,
    ...(model.integer ? { warmStart: vehicleHints(model) } : {}),
    ...pick(opts),
  });
  return readPlan(scenario, model, result);
}

/** The scenario's model as CPLEX LP text, with what each variable and constraint stands for. */
export function buildLp(input: Scenario | unknown, opts: { relaxIntegers?: boolean } = {}): {
  lp: string;
  variables: { name: string; meaning: ColumnMeaning }[];
  constraints: { name: string; meaning: RowMeaning }[];
} {
  const model = buildModel(parseScenario(input), opts);
  return {
    lp: toLpText(model),
    variables: model.columns.map((c) => ({ name: c.name, meaning: c.meaning })),
    constraints: model.rows.map((r) => ({ name: r.name, meaning: r.meaning })),
  };
}

/** Reads a scenario document (YAML or JSON) into a validated Scenario. */
export function parseScenarioText(text: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos !== undefined ? ` at line ${err.linePos[0].line}` : "";
    throw new InvalidRequest(`the scenario is not valid YAML or JSON${where}`);
  }
  return parseScenario(doc);
}

export interface LpSolution {
  status: SolveStatus;
  objective: number | null;
  gap: number | null;
  bound: number | null;
  solver: { engine: string; model: "LP" | "MIP"; columns: number; rows: number; integer_columns: number; seconds: number; solver_status: string };
  /** Nonzero variable values by name. */
  variables: Record<string, number>;
}

/** Solves a CPLEX LP or MPS model given as text or bytes (gzip allowed); `format` is sniffed when absent. */
export async function solveLpFile(
  data: string | Uint8Array,
  format?: "lp" | "mps",
  opts: Omit<SolvePlanOptions, "relaxIntegers"> = {},
): Promise<LpSolution> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const raw = isGzip(bytes) ? gunzip(bytes) : bytes;
  const kind = format ?? sniffFormat(raw);
  const source = kind === "mps" ? ({ format: "mps", bytes: raw } as const) : ({ format: "lp", text: new TextDecoder().decode(raw) } as const);
  const r = await runSolver(source, { timeLimitSeconds: checkTimeLimit(opts.timeLimitSeconds), duals: false, names: true, ...pick(opts) });
  const variables: Record<string, number> = {};
  r.colNames?.forEach((name, j) => {
    const v = r.colValue?.[j] ?? 0;
    if (Math.abs(v) > 1e-9) variables[name] = v;
  });
  return {
    status: r.status,
    objective: r.objective,
    gap: r.gap,
    bound: r.bound,
    solver: {
      engine: r.solverVersion, model: r.numIntegers > 0 ? "MIP" : "LP", columns: r.numCols, rows: r.numRows,
      integer_columns: r.numIntegers, seconds: Math.round(r.seconds * 1000) / 1000, solver_status: r.solverStatus,
    },
    variables,
  };
}

function pick(opts: SolvePlanOptions) {
  return {
    ...(opts.mipRelGap === undefined ? {} : { mipRelGap: opts.mipRelGap }),
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  };
}

function checkTimeLimit(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_TIME_LIMIT_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidRequest("time limit must be a positive number of seconds", { param: "time_limit" });
  return seconds;
}

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function gunzip(b: Uint8Array): Uint8Array {
  try {
    return gunzipSync(b, { maxOutputLength: MAX_MODEL_BYTES });
  } catch {
    throw new InvalidRequest(`the gzip data is corrupt or expands beyond ${MAX_MODEL_BYTES / 1024 / 1024} MB`);
  }
}

/** An MPS file opens (after `*` comments) with its NAME or ROWS section; LP text never does. */
function sniffFormat(b: Uint8Array): "lp" | "mps" {
  const head = new TextDecoder().decode(b.subarray(0, 4096)).split(/\r?\n/);
  const first = head.find((line) => line.trim() !== "" && !line.startsWith("*"));
  return first !== undefined && /^(NAME|ROWS)\b/.test(first) ? "mps" : "lp";
}
