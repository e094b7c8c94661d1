/** Messages between the event loop and the solver worker. Typed arrays cross by transfer, not by copy. */
import type { ModelArrays } from "../lp-text.ts";

export type ModelSource =
  | { format: "arrays"; arrays: ModelArrays }
  | { format: "lp"; text: string }
  | { format: "mps"; bytes: Uint8Array };

/** Integer columns `cols[i]` that cover row `rows[i]` with coefficient `-sizes[i]` (vehicles carrying a load). */
export interface VehicleHints {
  cols: Int32Array;
  rows: Int32Array;
  sizes: Float64Array;
}

export interface SolveRequest {
  model: ModelSource;
  timeLimitSeconds: number;
  /** Relative MIP gap at which HiGHS may stop and call the plan optimal (HiGHS's default is 1e-4). */
  mipRelGap?: number;
  /** Also return row duals; for a MIP they come from re-solving its LP relaxation. */
  duals: boolean;
  /**
   * For a MIP, solve its LP relaxation first and build a starting plan from it (see worker.ts). Only for models
   * where rounding integer columns up keeps every row satisfied, as in Concord's own (more vehicles never break a
   * limit), so the MIP has a good plan from its first second.
   */
  warmStart?: VehicleHints;
  /** Also return column names (a file given by a user; our own models know their columns). */
  names: boolean;
}

/** Outcome words used everywhere in Concord's plans; `time_limit` may still carry the best plan found. */
export type SolveStatus =
  | "optimal"
  | "infeasible"
  | "unbounded"
  | "infeasible_or_unbounded"
  | "time_limit"
  | "iteration_limit"
  | "interrupted"
  | "error";

export interface Progress {
  seconds: number;
  /** Best objective found so far (MIP), when one exists. */
  incumbent: number | null;
  /** Best proven bound (MIP). */
  bound: number | null;
  /** Relative gap between incumbent and bound, 0..1 (MIP). */
  gap: number | null;
  nodes: number | null;
  iterations: number | null;
}

export interface SolveResult {
  status: SolveStatus;
  /** HiGHS's own words for the model status, for the operator. */
  solverStatus: string;
  objective: number | null;
  gap: number | null;
  bound: number | null;
  colValue: Float64Array | null;
  rowValue: Float64Array | null;
  rowDual: Float64Array | null;
  dualsFrom: "lp" | "lp_relaxation" | null;
  numCols: number;
  numRows: number;
  numIntegers: number;
  seconds: number;
  colNames: string[] | null;
  rowNames: string[] | null;
  solverVersion: string;
}

export type WorkerMessage =
  | { type: "progress"; progress: Progress }
  | { type: "result"; result: SolveResult }
  /** `input`: HiGHS could not read the model given (a user's file); `solver`: anything else. */
  | { type: "error"; kind: "input" | "solver"; message: string };
