/**
 * PDFs are read on a small, bounded pool of worker threads, never on the event loop: pdf.js on hostile bytes can
 * spin, allocate without end, or leave a promise rejected that nobody awaits (regression `pdf-stray-rejection`).
 * Each document has a time limit (its worker is terminated when it passes) and each worker a heap limit; at most
 * `maxWorkers` documents are read at once, at most `maxQueued` wait, and any beyond are refused at once.
 * A worker that refused a document is retired rather than reused, so whatever pdf.js left behind dies with it;
 * a replacement starts at once in the background, so a stream of damaged files does not make the next innocent
 * document wait for a cold start (seconds under load).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { asConcordError, InvalidRequest, PayloadTooLarge, QuotaExceeded } from "../../../errors/index.ts";
import type { ExtractedDocument } from "../model.ts";
import type { PdfReply, PdfRequest } from "./pdf-protocol.ts";

export interface PdfPoolOptions {
  /** Documents read at once (one worker each). Default: the cores less one for the event loop, at least 1. */
  readonly maxWorkers?: number;
  /** Documents that may wait for a worker; one more is refused with `quota_exceeded`. Default 16. */
  readonly maxQueued?: number;
  /** Time one document may take in its worker (a cold worker's start not counted). Default 60 s. */
  readonly timeLimitMs?: number;
  /** Heap (V8 old generation) of one worker, in MB. Default 512. */
  readonly maxMemoryMb?: number;
  /** The worker module; tests substitute one that never answers or never stops allocating. */
  readonly module?: URL;
}

export const PDF_POOL_DEFAULTS = {
  maxWorkers: Math.max(1, availableParallelism() - 1),
  maxQueued: 16,
  timeLimitMs: 60_000,
  maxMemoryMb: 512,
} as const;

const IDLE_RETIRE_MS = 60_000;
// Starting a worker (tsx, then the module) takes well under a second on an idle machine; this is for a hung start.
const START_LIMIT_MS = 60_000;
// A busy pool frees a worker within seconds for ordinary documents; the time limit bounds the worst case.
const RETRY_AFTER_SECONDS = 5;
const TSX_API = import.meta.resolve("tsx/esm/api");
const READY = { type: "ready" } as const;

interface Job {
  readonly bytes: Uint8Array;
  readonly maxPages: number;
  readonly resolve: (doc: ExtractedDocument) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | undefined;
  /** The worker module is loaded; until then a document handed over waits in the thread's queue, unclocked. */
  ready: boolean;
}

export class PdfPool {
  readonly #opts: Required<Omit<PdfPoolOptions, "module">>;
  readonly #boot: string;
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = [];
  /** Replacements started after a refusal, loading pdf.js with no document yet: the next document takes one. */
  readonly #warming: Slot[] = [];
  readonly #queue: Job[] = [];
  #closed = false;

  constructor(opts: PdfPoolOptions = {}) {
    this.#opts = {
      maxWorkers: opts.maxWorkers ?? PDF_POOL_DEFAULTS.maxWorkers,
      maxQueued: opts.maxQueued ?? PDF_POOL_DEFAULTS.maxQueued,
      timeLimitMs: opts.timeLimitMs ?? PDF_POOL_DEFAULTS.timeLimitMs,
      maxMemoryMb: opts.maxMemoryMb ?? PDF_POOL_DEFAULTS.maxMemoryMb,
    };
    const module = (opts.module ?? new URL("./pdf-worker.ts", import.meta.url)).href;
    // Workers do not inherit the tsx loader the main thread runs under: register it, then load the module, then
    // say so (the time limit is the document's, not the cold start's).
    this.#boot = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(module)}); })` +
      `.then(() => require("node:worker_threads").parentPort.postMessage(${JSON.stringify(READY)}))`;
  }

  /** Workers alive, documents being read, documents waiting, replacements starting: what the bounds apply to. */
  get load(): { workers: number; busy: number; queued: number; starting: number } {
    const free = this.#idle.length + this.#warming.length;
    return { workers: this.#slots.size, busy: this.#slots.size - free, queued: this.#queue.length, starting: this.#warming.length };
  }

  /** The page texts of a PDF, as `readPdf` gives them; the caller's bytes are copied, never detached. */
  extract(bytes: Uint8Array, limits: { maxPages: number }): Promise<ExtractedDocument> {
    if (this.#closed) return Promise.reject(new InvalidRequest("the PDF reader is shut down"));
    const hasRoom = this.#idle.length > 0 || this.#warming.length > 0 || this.#slots.size < this.#opts.maxWorkers;
    if (!hasRoom && this.#queue.length >= this.#opts.maxQueued) {
      return Promise.reject(new QuotaExceeded(`the PDF reader is busy (${this.#opts.maxWorkers} being read, ${this.#queue.length} waiting); retry later`, RETRY_AFTER_SECONDS));
    }
    return new Promise((resolve, reject) => {
      // A copy of its own (a Buffer's slice() would be a view): its buffer is transferred to the worker.
      this.#queue.push({ bytes: new Uint8Array(bytes), maxPages: limits.maxPages, resolve, reject });
      this.#pump();
    });
  }

  /** Terminates every worker; waiting documents are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new InvalidRequest("the PDF reader is shut down"));
    await Promise.all([...this.#slots].map((slot) => this.#retire(slot, new InvalidRequest("the PDF reader is shut down"))));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#idle.pop() ?? this.#warming.shift() ?? (this.#slots.size < this.#opts.maxWorkers ? this.#spawn() : undefined);
      if (slot === undefined) return;
      this.#run(slot, this.#queue.shift()!);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(this.#boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.#opts.maxMemoryMb } });
    const slot: Slot = { worker, job: null, timer: undefined, ready: false };
    this.#slots.add(slot);
    // Listeners for the worker's whole life: an idle worker that fails must not become an unhandled 'error'.
    worker.on("message", (reply: PdfReply | typeof READY) => {
      if (reply.type !== "ready") return this.#answer(slot, reply);
      slot.ready = true;
      if (slot.job !== null) return this.#clock(slot);
      // A replacement that finished loading before any document came for it: it waits like any idle worker.
      const w = this.#warming.indexOf(slot);
      if (w >= 0) {
        this.#warming.splice(w, 1);
        clearTimeout(slot.timer);
        this.#rest(slot);
      }
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
        return void this.#retire(slot, new PayloadTooLarge(`the PDF needs more than ${this.#opts.maxMemoryMb} MB to read; split it or simplify it`));
      }
      // Before `ready` the worker's own start failed (the gateway's fault); after it, the file broke the reader.
      void this.#retire(slot, slot.ready ? new InvalidRequest("the file is not a readable PDF (the reader failed on it)", { cause: err }) : asConcordError(err));
    });
    worker.on("exit", (code) => {
      void this.#retire(slot, slot.ready ? new InvalidRequest("the file is not a readable PDF (the reader stopped on it)") : asConcordError(new Error(`PDF worker exited with code ${code} before it was ready`)));
    });
    return slot;
  }

  #run(slot: Slot, job: Job): void {
    slot.job = job;
    clearTimeout(slot.timer);
    slot.worker.ref();
    if (slot.ready) this.#clock(slot);
    else {
      // A cold start is not charged to the document, but one that never finishes must not hold it forever.
      slot.timer = setTimeout(() => void this.#retire(slot, asConcordError(new Error("PDF worker did not start in time"))), START_LIMIT_MS);
    }
    const req: PdfRequest = { bytes: job.bytes, maxPages: job.maxPages };
    slot.worker.postMessage(req, [job.bytes.buffer as ArrayBuffer]);
  }

  /** Starts a worker with no document; it joins the idle ones once pdf.js is loaded. */
  #prewarm(): void {
    const slot = this.#spawn();
    slot.worker.unref();
    slot.timer = setTimeout(() => void this.#retire(slot, null), START_LIMIT_MS).unref();
    this.#warming.push(slot);
  }

  /** Starts the document's time limit; when it passes, the worker is terminated mid-parse. */
  #clock(slot: Slot): void {
    const seconds = this.#opts.timeLimitMs / 1000;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      void this.#retire(slot, new PayloadTooLarge(`the PDF took longer than ${seconds} s to read and was stopped; split it or simplify it`));
    }, this.#opts.timeLimitMs);
  }

  #answer(slot: Slot, reply: PdfReply): void {
    const job = slot.job;
    if (job === null) return;
    if (reply.type === "result") {
      clearTimeout(slot.timer);
      slot.job = null;
      job.resolve(reply.doc);
      this.#rest(slot);
      return;
    }
    const err = reply.code === "payload_too_large" ? new PayloadTooLarge(reply.message) : new InvalidRequest(reply.message);
    void this.#retire(slot, err);
  }

  /** An idle worker stays warm (pdf.js loaded) but does not keep the process alive, and retires after a minute. */
  #rest(slot: Slot): void {
    if (this.#queue.length > 0) return this.#run(slot, this.#queue.shift()!);
    slot.worker.unref();
    slot.timer = setTimeout(() => void this.#retire(slot, null), IDLE_RETIRE_MS).unref();
    this.#idle.push(slot);
  }

  /** Ends a worker; its document, if any, is refused with `err`. Idempotent: error, exit and timer may all call it. */
  async #retire(slot: Slot, err: Error | null): Promise<void> {
    if (!this.#slots.delete(slot)) return;
    clearTimeout(slot.timer);
    const i = this.#idle.indexOf(slot);
    if (i >= 0) this.#idle.splice(i, 1);
    const w = this.#warming.indexOf(slot);
    if (w >= 0) this.#warming.splice(w, 1);
    const job = slot.job;
    slot.job = null;
    if (job !== null) job.reject(err ?? new InvalidRequest("the PDF reader stopped"));
    if (!this.#closed) {
      this.#pump();
      // Replace a worker that refused a document (not one retired idle, nor one that could not start, which
      // would only fail again) before the next document asks for it.
      if (job !== null && slot.ready && this.#slots.size < this.#opts.maxWorkers) this.#prewarm();
    }
    await slot.worker.terminate();
  }
}

let shared: PdfPool | undefined;

/** Reads a PDF on the process's shared pool (created with the first PDF, with the defaults above). */
export function extractPdf(bytes: Uint8Array, limits: { maxPages: number }): Promise<ExtractedDocument> {
  shared ??= new PdfPool();
  return shared.extract(bytes, limits);
}
