/**
 * Runs HiGHS solves inside a worker thread, so the event loop that started them keeps serving. It takes one
 * SolveRequest at a time, posts progress while HiGHS works, then posts the result and waits for the next.
 */
import { parentPort } from "node:worker_threads";
import highsModule, { type HighsCallbackMap, type Model } from "highs";
import type { Progress, SolveRequest, SolveResult, SolveStatus, VehicleHints, WorkerMessage } from "./protocol.ts";

// highs' types describe its CommonJS build; Node loads its ES build, whose default export is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;
const PROGRESS_EVERY_MS = 500;
const FEASIBLE = 2; // HiGHS solution status "feasible"

const port = parentPort;
if (port === null) throw new Error("solver worker must run in a worker thread");
// Loading the WebAssembly module is the slow part of a small solve; a warm worker does it once.
const highsReady = loadHighs();
port.on("message", (req: SolveRequest) => {
  solve(req).then(
    (result) => {
      const transfer = [result.colValue, result.rowValue, result.rowDual].flatMap((a) => (a === null ? [] : [a.buffer]));
      send({ type: "result", result }, transfer as ArrayBuffer[]);
    },
    (err: unknown) => send({ type: "error", kind: err instanceof InputError ? "input" : "solver", message: err instanceof Error ? err.message : String(err) }),
  );
});

function send(msg: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

async function solve(req: SolveRequest): Promise<SolveResult> {
  const highs = await highsReady;
  const started = performance.now();
  const model = highs.createModel();
  try {
    load(model, req);
    model.options.set({ output_flag: false, time_limit: req.timeLimitSeconds });
    if (req.mipRelGap !== undefined) model.options.set({ mip_rel_gap: req.mipRelGap });
    const dims = model.getDimensions();
    const integrality = model.getLp("csr").integrality;
    const numIntegers = integrality.reduce((n: number, v: number) => n + (v === 0 ? 0 : 1), 0);
    const isMip = numIntegers > 0;

    let relaxedDuals: Float64Array | null = null;
    if (isMip && req.warmStart !== undefined) {
      relaxedDuals = warmStart(model, req.warmStart, highs.constants.modelStatus.optimal);
      const spent = (performance.now() - started) / 1000;
      model.zeroAllClocks();
      model.options.set({ time_limit: Math.max(1, req.timeLimitSeconds - spent) });
    }
    const run = model.run(progressCallbacks(highs.constants.callbackType, started));
    const status = statusOf(run.modelStatus, highs.constants.modelStatus);
    const primal = Number(model.info.get("primal_solution_status")) === FEASIBLE;
    const solution = primal ? model.getSolution() : null;
    const objective = primal ? model.getObjectiveValue() : null;
    let gap: number | null = null;
    let bound: number | null = null;
    if (isMip) {
      gap = finite(Number(model.info.get("mip_gap")));
      bound = finite(Number(model.info.get("mip_dual_bound")));
    } else if (status === "optimal") {
      gap = 0;
      bound = objective;
    }

    let rowDual: Float64Array | null = null;
    let dualsFrom: SolveResult["dualsFrom"] = null;
    if (req.duals && solution !== null && !isMip && status === "optimal") {
      rowDual = solution.rowDual;
      dualsFrom = "lp";
    } else if (req.duals && solution !== null && relaxedDuals !== null) {
      rowDual = relaxedDuals;
      dualsFrom = "lp_relaxation";
    } else if (req.duals && solution !== null && isMip) {
      // Integer programs have no duals; the LP relaxation's are the standard reading of marginal values.
      model.clearIntegrality();
      model.zeroAllClocks();
      model.options.set({ time_limit: Math.max(1, req.timeLimitSeconds / 4) });
      if (model.run().modelStatus === highs.constants.modelStatus.optimal) {
        rowDual = model.getSolution().rowDual;
        dualsFrom = "lp_relaxation";
      }
    }
    // A model file may leave columns or rows unnamed (a damaged MPS can): HiGHS then refuses the getter, and the
    // name HiGHS itself writes for them (c0, r0, ...) stands in rather than failing a solve that succeeded.
    const names = (n: number, get: (i: number) => string, prefix: string) =>
      req.names ? Array.from({ length: n }, (_, i) => { try { return get(i); } catch { return `${prefix}${i}`; } }) : null;
    return {
      status,
      solverStatus: statusName(run.modelStatus, highs.constants.modelStatus),
      objective,
      gap,
      bound,
      colValue: solution?.colValue ?? null,
      rowValue: solution?.rowValue ?? null,
      rowDual,
      dualsFrom,
      numCols: dims.numCols,
      numRows: dims.numRows,
      numIntegers,
      seconds: (performance.now() - started) / 1000,
      colNames: names(dims.numCols, (i) => model.getColName(i), "c"),
      rowNames: names(dims.numRows, (i) => model.getRowName(i), "r"),
      solverVersion: `HiGHS ${highs.version.string} (WebAssembly)`,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Builds a MIP start from the LP relaxation and returns the relaxation's row duals (null if it did not solve):
 * 1. solve the relaxation; 2. dive: vehicles used less than half are capped at their whole part and the LP
 * re-routes; 3. round vehicles up, fix them, re-solve for the flows; 4. shrink each vehicle count to what its load
 * needs. Every step keeps the plan feasible, so HiGHS starts from a plan typically within a percent of the bound.
 * The model's bounds and integrality are restored before returning.
 */
function warmStart(model: Model, hints: VehicleHints, optimal: number): Float64Array | null {
  const lp = model.getLp("csr");
  const cols = Array.from(hints.cols);
  const sel = { kind: "set", indices: cols } as const;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    model.changeColsBounds(sel, cols.map((j) => lp.colLower[j]!), cols.map((j) => lp.colUpper[j]!));
    model.changeColsIntegrality({ kind: "range", from: 0, to: lp.numCols - 1 }, lp.integrality);
  };
  model.clearIntegrality();
  try {
    if (model.run().modelStatus !== optimal) return null;
    const relaxed = model.getSolution();
    let x = relaxed.colValue;
    const thin = cols.filter((j) => x[j]! - Math.floor(x[j]!) > 1e-7 && x[j]! - Math.floor(x[j]!) <= 0.5);
    if (thin.length > 0) {
      model.changeColsBounds({ kind: "set", indices: thin }, thin.map((j) => lp.colLower[j]!), thin.map((j) => Math.floor(x[j]!)));
      if (model.run().modelStatus === optimal) x = model.getSolution().colValue;
    }
    const fixed = cols.map((j) => Math.ceil(x[j]! - 1e-7));
    model.changeColsBounds(sel, fixed, fixed);
    if (model.run().modelStatus !== optimal) return relaxed.rowDual;
    const sol = model.getSolution();
    const start = Float64Array.from(sol.colValue);
    cols.forEach((j, i) => {
      const load = sol.rowValue[hints.rows[i]!]! + hints.sizes[i]! * start[j]!;
      start[j] = Math.max(0, Math.ceil(load / hints.sizes[i]! - 1e-7));
    });
    restore();
    model.setSolution({ colValue: start });
    return relaxed.rowDual;
  } finally {
    restore();
  }
}

class InputError extends Error {}

function load(model: Model, req: SolveRequest): void {
  try {
    loadUnchecked(model, req);
  } catch (err) {
    throw new InputError(err instanceof Error ? err.message : String(err));
  }
}

function loadUnchecked(model: Model, req: SolveRequest): void {
  const src = req.model;
  if (src.format === "lp") model.readModel({ format: "lp", data: src.text });
  else if (src.format === "mps") model.readModel({ format: "mps", data: src.bytes });
  else {
    const a = src.arrays;
    model.passModel({
      numCols: a.numCols,
      numRows: a.numRows,
      colCost: a.colCost,
      colLower: a.colLower,
      colUpper: a.colUpper,
      rowLower: a.rowLower,
      rowUpper: a.rowUpper,
      matrix: { format: "csr", numRows: a.numRows, numCols: a.numCols, starts: a.starts, indices: a.indices, values: a.values },
      ...(a.integrality === undefined ? {} : { integrality: a.integrality }),
    });
  }
}

type CallbackTypes = { simplexInterrupt: 1; mipInterrupt: 6 };

function progressCallbacks(types: CallbackTypes, started: number): HighsCallbackMap {
  let last = 0;
  const due = (): number | null => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return null;
    last = now;
    return (now - started) / 1000;
  };
  const post = (progress: Progress) => send({ type: "progress", progress });
  return {
    [types.simplexInterrupt](event) {
      const seconds = due();
      if (seconds === null) return;
      post({ seconds, incumbent: null, bound: null, gap: null, nodes: null, iterations: event.data.simplex_iteration_count ?? null });
    },
    [types.mipInterrupt](event) {
      const seconds = due();
      if (seconds === null) return;
      const d = event.data;
      post({
        seconds,
        incumbent: finite(d.mip_primal_bound),
        bound: finite(d.mip_dual_bound),
        gap: finite(d.mip_gap),
        nodes: d.mip_node_count === undefined ? null : Number(d.mip_node_count),
        iterations: d.mip_total_lp_iterations === undefined ? null : Number(d.mip_total_lp_iterations),
      });
    },
  };
}

function finite(x: number | undefined): number | null {
  return x === undefined || !Number.isFinite(x) || Math.abs(x) >= 1e30 ? null : x;
}

type StatusCodes = Record<string, number>;

function statusName(code: number, codes: StatusCodes): string {
  return Object.entries(codes).find(([, v]) => v === code)?.[0] ?? `status ${code}`;
}

function statusOf(code: number, codes: StatusCodes): SolveStatus {
  switch (statusName(code, codes)) {
    case "optimal":
      return "optimal";
    case "infeasible":
      return "infeasible";
    case "unbounded":
      return "unbounded";
    case "unboundedOrInfeasible":
      return "infeasible_or_unbounded";
    case "timeLimit":
      return "time_limit";
    case "iterationLimit":
      return "iteration_limit";
    case "interrupted":
      return "interrupted";
    default:
      return "error";
  }
}
