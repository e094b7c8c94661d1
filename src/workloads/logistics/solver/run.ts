/**
 * Starts a solver worker for one solve and settles with its result. The worker is a TypeScript module, so it is
 * booted through tsx's loader, which a worker does not inherit from its parent.
 */
import { Worker } from "node:worker_threads";
import { ConcordError, InvalidRequest } from "../../../errors/index.ts";
import type { ModelSource, Progress, SolveRequest, SolveResult, WorkerMessage } from "./protocol.ts";

export interface RunOptions {
  timeLimitSeconds: number;
  mipRelGap?: number;
  duals?: boolean;
  names?: boolean;
  onProgress?: (p: Progress) => void;
  /** Aborting stops the solve at once (the worker is terminated); the result then says `interrupted`. */
  signal?: AbortSignal;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url).href;
const TSX_API = import.meta.resolve("tsx/esm/api");
const BOOT = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
// HiGHS honours its own time limit; this only catches a worker that stops answering altogether.
const WATCHDOG_GRACE_SECONDS = 30;

export function runSolver(model: ModelSource, opts: RunOptions): Promise<SolveResult> {
  const req: SolveRequest = {
    model,
    timeLimitSeconds: opts.timeLimitSeconds,
    duals: opts.duals ?? true,
    names: opts.names ?? false,
    ...(opts.mipRelGap === undefined ? {} : { mipRelGap: opts.mipRelGap }),
  };
  return new Promise<SolveResult>((resolve, reject) => {
    if (opts.signal?.aborted) return resolve(stopped("interrupted", "aborted before start"));
    const worker = new Worker(BOOT, { eval: true });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      opts.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => resolve(stopped("interrupted", "aborted by the caller")));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const watchdog = setTimeout(
      () => finish(() => resolve(stopped("time_limit", "solver stopped answering"))),
      // The relaxation re-solve for duals may take a quarter of the limit again.
      (opts.timeLimitSeconds * 1.25 + WATCHDOG_GRACE_SECONDS) * 1000,
    );
    worker.on("message", (msg: WorkerMessage) => {
      if (msg.type === "progress") opts.onProgress?.(msg.progress);
      else if (msg.type === "result") finish(() => resolve(msg.result));
      else if (msg.kind === "input") finish(() => reject(new InvalidRequest(`the model could not be read: ${msg.message}`)));
      else finish(() => reject(solverFailed(msg.message)));
    });
    worker.on("error", (err) => finish(() => reject(solverFailed(err.message))));
    worker.on("exit", (code) => finish(() => reject(solverFailed(`worker exited with code ${code}`))));
    worker.postMessage(req, transferables(model));
  });
}

function transferables(model: ModelSource): ArrayBuffer[] {
  if (model.format === "mps") return [];
  if (model.format === "lp") return [];
  const a = model.arrays;
  const list = [a.colCost, a.colLower, a.colUpper, a.rowLower, a.rowUpper, a.starts, a.indices, a.values, a.integrality];
  return list.flatMap((x) => (x === undefined ? [] : [x.buffer as ArrayBuffer]));
}

function solverFailed(detail: string): ConcordError {
  return new ConcordError("solver_error", 500, "server_error", `the solver failed: ${detail}`);
}

function stopped(status: "interrupted" | "time_limit", why: string): SolveResult {
  return {
    status,
    solverStatus: why,
    objective: null,
    gap: null,
    bound: null,
    colValue: null,
    rowValue: null,
    rowDual: null,
    dualsFrom: null,
    numCols: 0,
    numRows: 0,
    numIntegers: 0,
    seconds: 0,
    colNames: null,
    rowNames: null,
    solverVersion: "HiGHS",
  };
}
