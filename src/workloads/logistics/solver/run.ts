/**
 * Solves on a small pool of warm worker threads (HiGHS is single-threaded and blocking, so the event loop never
 * runs it). A worker is a TypeScript module, booted through tsx's loader, which a worker does not inherit.
 * Idle workers do not keep the process alive and retire after a minute; an aborted or stuck solve costs its worker.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ConcordError, InvalidRequest } from "../../../errors/index.ts";
import type { ModelSource, Progress, SolveRequest, SolveResult, VehicleHints, WorkerMessage } from "./protocol.ts";

export interface RunOptions {
  timeLimitSeconds: number;
  mipRelGap?: number;
  duals?: boolean;
  names?: boolean;
  warmStart?: VehicleHints;
  onProgress?: (p: Progress) => void;
  /** Aborting stops the solve at once (its worker is terminated); the result then says `interrupted`. */
  signal?: AbortSignal;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url).href;
const TSX_API = import.meta.resolve("tsx/esm/api");
const BOOT = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
// HiGHS honours its own time limit; this only catches a worker that stops answering altogether.
const WATCHDOG_GRACE_SECONDS = 30;
const IDLE_RETIRE_MS = 60_000;
// Leave a core for the event loop; on a 2-core machine solves queue one at a time.
const MAX_WORKERS = Math.max(1, availableParallelism() - 1);

interface Slot {
  worker: Worker;
  retire: NodeJS.Timeout | undefined;
}
const idle: Slot[] = [];
const waiting: ((slot: Slot) => void)[] = [];
let live = 0;

function acquire(): Promise<Slot> {
  const slot = idle.pop();
  if (slot !== undefined) {
    clearTimeout(slot.retire);
    slot.worker.ref();
    return Promise.resolve(slot);
  }
  if (live < MAX_WORKERS) {
    live++;
    return Promise.resolve({ worker: new Worker(BOOT, { eval: true }), retire: undefined });
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(slot: Slot, healthy: boolean): void {
  // Only our own listeners: Worker keeps internal ones (newListener hooks) that removeAllListeners() would break.
  for (const event of ["message", "error", "exit"]) slot.worker.removeAllListeners(event);
  if (!healthy) {
    void slot.worker.terminate();
    live--;
    const next = waiting.shift();
    if (next !== undefined) {
      live++;
      next({ worker: new Worker(BOOT, { eval: true }), retire: undefined });
    }
    return;
  }
  const next = waiting.shift();
  if (next !== undefined) return next(slot);
  slot.worker.unref();
  slot.retire = setTimeout(() => {
    idle.splice(idle.indexOf(slot), 1);
    live--;
    void slot.worker.terminate();
  }, IDLE_RETIRE_MS).unref();
  idle.push(slot);
}

export async function runSolver(model: ModelSource, opts: RunOptions): Promise<SolveResult> {
  if (opts.signal?.aborted) return stopped("interrupted", "aborted before start");
  const req: SolveRequest = {
    model,
    timeLimitSeconds: opts.timeLimitSeconds,
    duals: opts.duals ?? true,
    names: opts.names ?? false,
    ...(opts.warmStart === undefined ? {} : { warmStart: opts.warmStart }),
    ...(opts.mipRelGap === undefined ? {} : { mipRelGap: opts.mipRelGap }),
  };
  const slot = await acquire();
  return new Promise<SolveResult>((resolve, reject) => {
    const { worker } = slot;
    let settled = false;
    const finish = (healthy: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      opts.signal?.removeEventListener("abort", onAbort);
      release(slot, healthy);
      fn();
    };
    const onAbort = () => finish(false, () => resolve(stopped("interrupted", "aborted by the caller")));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const watchdog = setTimeout(
      () => finish(false, () => resolve(stopped("time_limit", "solver stopped answering"))),
      // The relaxation re-solve for duals may take a quarter of the limit again.
      (opts.timeLimitSeconds * 1.25 + WATCHDOG_GRACE_SECONDS) * 1000,
    );
    worker.on("message", (msg: WorkerMessage) => {
      if (msg.type === "progress") opts.onProgress?.(msg.progress);
      else if (msg.type === "result") finish(true, () => resolve(msg.result));
      else if (msg.kind === "input") finish(true, () => reject(new InvalidRequest(`the model could not be read: ${msg.message}`)));
      else finish(false, () => reject(solverFailed(msg.message)));
    });
    worker.on("error", (err) => finish(false, () => reject(solverFailed(err.message))));
    worker.on("exit", (code) => finish(false, () => reject(solverFailed(`worker exited with code ${code}`))));
    if (opts.signal?.aborted) return onAbort();
    worker.postMessage(req, transferables(model));
  });
}

function transferables(model: ModelSource): ArrayBuffer[] {
  if (model.format !== "arrays") return [];
  const a = model.arrays;
  const list = [a.colCost, a.colLower, a.colUpper, a.rowLower, a.rowUpper, a.starts, a.indices, a.values, a.integrality];
  // Hints are small and may be reused by the caller, so they are copied rather than transferred.
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
