/**
 * Worker threads for detection. Batches go to the least busy worker; results are handed back in the order the
 * batches were submitted, and their occurrences run through this thread's correlator in that order, so the alerts
 * (correlations included) are the same as on one thread. At most two batches per worker are in flight (backpressure).
 */
import { Worker } from "node:worker_threads";
import type { Alert } from "../alert.ts";
import type { DecoderState } from "../input/decode.ts";
import type { RawRecord } from "../input/read.ts";
import type { CompileOptions } from "../rule/item.ts";
import type { ParsedSource } from "../rule/load.ts";
import { Correlator } from "./correlation.ts";
import { nearestYear, shiftYears } from "../input/text.ts";

const YEAR_MS = 365.25 * 86_400_000;
import type { Evaluation } from "./detector.ts";
import type { RuleSet } from "./ruleset.ts";

export interface WorkerInit {
  parsed: readonly ParsedSource[];
  options: CompileOptions;
}

export interface BatchRequest {
  seq: number;
  state: DecoderState;
  records: RawRecord[];
}

/** What a worker sends back: the evaluations of the batch's events that raised anything, in input order. */
export interface BatchResult {
  seq: number;
  /** The input file the batch came from (its decoder state's name). */
  file: string;
  events: number;
  evaluations: Evaluation[];
  undecodable: Array<{ line: number; reason: string }>;
  /** The first and last times the batch read from syslog stamps without a year, as its worker inferred them. */
  yearless?: { first: number; last: number };
}

/** A batch's outcome as handed to the submitter: its alerts with correlation alerts in stream order. */
export interface BatchOutcome {
  events: number;
  alerts: Alert[];
  undecodable: Array<{ line: number; reason: string }>;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url).href;
const TSX_API = import.meta.resolve("tsx/esm/api");
// Workers do not inherit tsx's loader from their parent, so each registers it before loading the worker module.
const BOOT = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
const IN_FLIGHT_PER_WORKER = 2;

interface Slot {
  worker: Worker;
  busy: number;
}

export class WorkerPool {
  private nextSeq = 0;
  private nextDelivery = 0;
  private readonly done = new Map<number, BatchResult>();
  private readonly handlers = new Map<number, (r: BatchOutcome) => void>();
  private readonly waiters: Array<() => void> = [];
  private failure: Error | undefined;
  private readonly correlator: Correlator;
  /** Per input file: the last inferred syslog time delivered, which the next batch's years join on to. */
  private readonly lastYearless = new Map<string, number>();

  private constructor(private readonly slots: Slot[], ruleSet: RuleSet) {
    this.correlator = new Correlator(ruleSet.correlations);
    for (const slot of slots) {
      slot.worker.on("message", (r: BatchResult) => {
        slot.busy--;
        this.done.set(r.seq, r);
        this.deliver();
      });
      slot.worker.on("error", (err) => this.fail(err));
    }
  }

  static async start(ruleSet: RuleSet, threads: number): Promise<WorkerPool> {
    const init: WorkerInit = { parsed: ruleSet.parsed, options: ruleSet.options };
    const slots = await Promise.all(Array.from({ length: threads }, () => new Promise<Slot>((resolve, reject) => {
      const worker = new Worker(BOOT, { eval: true, workerData: init });
      worker.once("message", () => resolve({ worker, busy: 0 }));
      worker.once("error", reject);
    })));
    return new WorkerPool(slots, ruleSet);
  }

  /** Queues a batch; resolves once there is room for another. `onResult` runs in submission order. */
  async submit(state: DecoderState, records: RawRecord[], onResult: (r: BatchOutcome) => void): Promise<void> {
    while (!this.failure && this.inFlight() >= this.slots.length * IN_FLIGHT_PER_WORKER) await this.wait();
    if (this.failure) throw this.failure;
    const seq = this.nextSeq++;
    this.handlers.set(seq, onResult);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    const req: BatchRequest = { seq, state, records };
    slot.worker.postMessage(req);
  }

  /** Waits for every batch; returns the alerts of correlation windows still open. */
  async finish(): Promise<Alert[]> {
    while (!this.failure && this.nextDelivery < this.nextSeq) await this.wait();
    if (this.failure) throw this.failure;
    return this.correlator.flush();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private inFlight(): number {
    return this.nextSeq - this.nextDelivery;
  }

  private deliver(): void {
    for (let r = this.done.get(this.nextDelivery); r !== undefined; r = this.done.get(this.nextDelivery)) {
      this.done.delete(this.nextDelivery);
      const handler = this.handlers.get(this.nextDelivery)!;
      this.handlers.delete(this.nextDelivery);
      this.nextDelivery++;
      const alerts: Alert[] = [];
      const years = this.joinYears(r);
      for (const e of r.evaluations) {
        alerts.push(...e.alerts);
        for (const o of e.occurrences) alerts.push(...this.correlator.push(years !== 0 && o.yearless ? { ...o, time: shiftYears(o.time, years) } : o));
      }
      handler({ events: r.events, alerts, undecodable: r.undecodable });
    }
    this.wake();
  }

  /**
   * Whole years to move a batch's inferred syslog years by. A worker infers the years of stamps without one from
   * the batch alone, its first from the clock; one thread would have carried them on from the file's earlier stamps.
   * Moving the batch's first to lie nearest the file's last before it moves the rest alike, so correlations see the
   * times one thread sees.
   */
  private joinYears(r: BatchResult): number {
    if (r.yearless === undefined) return 0;
    const file = r.file;
    const previous = this.lastYearless.get(file);
    const years = previous === undefined ? 0 : Math.round((nearestYear(r.yearless.first, previous) - r.yearless.first) / YEAR_MS);
    this.lastYearless.set(file, years === 0 ? r.yearless.last : shiftYears(r.yearless.last, years));
    return years;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
