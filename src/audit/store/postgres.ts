import type { Worker } from "node:worker_threads";
import { startWorker } from "../threads.ts";
import type { NewRow } from "../tree.ts";
import type { PostgresLogStoreOptions } from "./postgres-direct.ts";
import { packRows } from "./sqlite-threaded.ts";
import type { LogStore, StoredRow } from "./types.ts";

export { DEFAULT_STORE_TIMEOUT_MS, StoreTimeout, type PostgresLogStoreOptions } from "./postgres-direct.ts";

const SCAN_PAGE = 10_000;

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

/** Structured clone turns a Buffer into a Uint8Array: view the same bytes as a Buffer again. */
const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const toRow = (r: { index: number; entry: Uint8Array; leaf: Uint8Array }): StoredRow => ({ index: r.index, entry: buf(r.entry), leaf: buf(r.leaf) });

/**
 * The replicated store, its connections on a worker thread (postgres-worker.ts, over postgres-direct.ts).
 *
 * Why a thread: the `postgres` driver (3.4.9) can throw from a timer when a connection dies under a transaction
 * (a write scheduled on a socket that is gone: porsager/postgres#1154, #1208). That exception cannot be caught
 * where the query was made and ends the process, so a database that resets its connections would take the gateway
 * down instead of having it refuse with 503 `audit_unavailable`. On a worker it ends only the worker: every call
 * waiting on it fails (the log refuses those requests) and the next call starts a new worker.
 */
export async function openPostgresLogStore(url: string, prefix: string, opts: PostgresLogStoreOptions = {}): Promise<LogStore> {
  let worker: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const start = (): Promise<void> => {
    const w = startWorker(new URL("./postgres-worker.ts", import.meta.url), { url, prefix, opts });
    worker = w;
    const up = new Promise<void>((resolve, reject) => {
      w.on("message", (m: { ready?: boolean; id?: number; value?: unknown; error?: string; code?: unknown }) => {
        if (m.ready !== undefined && waiting.size === 0) w.unref(); // open or not, an idle store holds no ref
        if (m.ready === true) return resolve();
        if (m.ready === false) return reject(new Error(`audit store: ${m.error}`));
        const p = m.id === undefined ? undefined : waiting.get(m.id);
        if (!p) return;
        waiting.delete(m.id as number);
        if (m.error !== undefined) p.reject(Object.assign(new Error(`audit store: ${m.error}`), { code: m.code }));
        else p.resolve(m.value);
        if (waiting.size === 0) w.unref();
      });
      w.on("error", (err) => { reject(err); failAll(err); });
      w.on("exit", (code) => {
        if (worker === w) worker = null;
        const err = new Error(`audit store: its PostgreSQL thread exited (${code}); the calls it held failed`);
        reject(err);
        failAll(err);
      });
    });
    // Referenced while it opens and while a call waits; an idle store does not keep the process alive.
    return up;
  };

  const call = <T>(method: string, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> => {
    // A new worker after a crash: calls queue on its port and fail there if the store still cannot be opened.
    if (!worker) start().catch(() => {});
    const w = worker as unknown as Worker;
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      if (waiting.size === 0) w.ref();
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, method, args }, transfer);
    });
  };

  // Opening checks that the store is reachable and its tables exist, as the direct store does.
  try {
    await start();
  } catch (err) {
    await (worker as Worker | null)?.terminate();
    throw err;
  }

  const buffers = async (method: string, args: unknown[]) => (await call<Uint8Array[]>(method, args)).map(buf);
  const rows = async (from: number, limit: number, nation?: string) =>
    (await call<Array<{ index: number; entry: Uint8Array; leaf: Uint8Array }>>("rows", nation === undefined ? [from, limit] : [from, limit, nation])).map(toRow);
  return {
    append: (batch: readonly NewRow[]) => {
      const packed = packRows(batch);
      return call<number>("append", [packed], [packed.bytes]);
    },
    size: () => call<number>("size", []),
    leafHashes: (from, to) => buffers("leafHashes", [from, to]),
    bucketHashes: (from, to) => buffers("bucketHashes", [from, to]),
    bucketTrees: (from, to) => buffers("bucketTrees", [from, to]),
    rows,
    search: async (q) => (await call<Array<{ index: number; entry: Uint8Array; leaf: Uint8Array }>>("search", [q])).map(toRow),
    scan: async function* (from) {
      for (let next = from; ; ) {
        const page = await rows(next, SCAN_PAGE);
        if (page.length === 0) return;
        yield page;
        next = (page[page.length - 1] as StoredRow).index + 1;
      }
    },
    putCheckpoint: (size, note) => call<void>("putCheckpoint", [size, note]),
    updateCheckpoint: (size, note) => call<void>("updateCheckpoint", [size, note]),
    checkpointAt: (size) => call<string | null>("checkpointAt", [size]),
    checkpoints: () => call("checkpoints", []),
    latestCheckpoint: () => call("latestCheckpoint", []),
    close: async () => {
      const w = worker;
      if (!w) return;
      const exited = new Promise((r) => w.once("exit", r));
      await call<void>("close", []).catch(() => {});
      w.ref(); // the answer unreferenced the worker: keep this process alive until it has closed its connections
      await exited;
    },
  };
}
