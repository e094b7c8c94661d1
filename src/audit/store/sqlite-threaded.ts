import type { Worker } from "node:worker_threads";
import { startWorker } from "../threads.ts";
import type { NewRow } from "../tree.ts";
import { openSqliteLogStore } from "./sqlite.ts";
import type { LogStore } from "./types.ts";
import type { WriterRequest } from "./sqlite-writer.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A batch of rows as one transferable buffer (entries and leaves back to back) plus their nations. */
export interface PackedRows {
  readonly bytes: ArrayBuffer;
  /** Entry lengths; every leaf is 32 bytes and follows its entry. */
  readonly lengths: Uint32Array;
  readonly nations: (string | null)[];
}

export function packRows(rows: readonly NewRow[]): PackedRows {
  let total = 0;
  for (const r of rows) total += r.entry.length + r.leaf.length;
  const bytes = new Uint8Array(total);
  const lengths = new Uint32Array(rows.length);
  let at = 0;
  rows.forEach((r, i) => {
    if (r.leaf.length !== 32) throw new Error("audit store: a leaf hash is 32 bytes");
    bytes.set(r.entry, at);
    bytes.set(r.leaf, at + r.entry.length);
    lengths[i] = r.entry.length;
    at += r.entry.length + 32;
  });
  return { bytes: bytes.buffer, lengths, nations: rows.map((r) => r.nation) };
}

export function unpackRows(p: PackedRows): NewRow[] {
  const all = Buffer.from(p.bytes);
  const rows: NewRow[] = [];
  let at = 0;
  for (let i = 0; i < p.lengths.length; i++) {
    const n = p.lengths[i] as number;
    rows.push({ entry: all.subarray(at, at + n), leaf: all.subarray(at + n, at + n + 32), nation: p.nations[i] ?? null });
    at += n + 32;
  }
  return rows;
}

interface Waiting {
  readonly resolve: (first: number) => void;
  readonly reject: (err: Error) => void;
}

/**
 * The SQLite store with its writes committed on a worker thread (sqlite-writer.ts), so the event loop keeps
 * serving while a commit waits for its fsync and never waits for SQLite's write lock. Reads, proofs and checkpoint
 * roots use this thread's connection (WAL lets it read while the writer commits). An append resolves only after
 * the writer's transaction committed; if the writer dies, its unanswered writes fail and the next one starts a
 * new writer.
 */
export function openThreadedSqliteLogStore(path: string, prefix: string): LogStore {
  const store = openSqliteLogStore(path, prefix); // also creates the tables before the writer opens the file
  let writer: Worker | null = null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = startWorker(new URL("./sqlite-writer.ts", import.meta.url), { path, prefix });
    w.on("message", (m: { id?: number; first?: number; error?: string; code?: unknown }) => {
      if (m.id === undefined) return;
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.error !== undefined) p.reject(Object.assign(new Error(`audit store: ${m.error}`), { code: m.code }));
      else p.resolve(m.first as number);
    });
    w.on("error", (err) => failAll(err));
    w.on("exit", (code) => {
      if (writer === w) writer = null;
      failAll(new Error(`audit store: the writer thread exited (${code}) before committing`));
    });
    w.unref(); // an idle writer does not keep the process alive; a waiting append holds a ref (below)
    return w;
  };

  /** Sends one write to the writer thread; settles when it reports the transaction committed (or failed). */
  const ask = (request: DistributiveOmit<WriterRequest & { id: number }, "id">, transfer: ArrayBuffer[] = []) =>
    new Promise<number>((resolve, reject) => {
      const w = (writer ??= start());
      const id = nextId++;
      if (waiting.size === 0) w.ref();
      const settled = () => {
        if (waiting.size === 0) w.unref();
      };
      waiting.set(id, {
        resolve: (first) => {
          settled();
          resolve(first);
        },
        reject: (err) => {
          settled();
          reject(err);
        },
      });
      w.postMessage({ ...request, id }, transfer);
    });

  return {
    ...store,
    append: async (rows) => {
      const packed = packRows(rows);
      return ask({ op: "append", rows: packed }, [packed.bytes]);
    },
    // Checkpoint notes are written by the writer too: this thread never waits for SQLite's write lock.
    putCheckpoint: async (size, note) => void (await ask({ op: "putCheckpoint", size, note })),
    updateCheckpoint: async (size, note) => void (await ask({ op: "updateCheckpoint", size, note })),
    close: async () => {
      const w = writer;
      writer = null;
      if (w) {
        const exited = new Promise((r) => w.once("exit", r));
        w.ref(); // keep this process alive until the writer has closed its connection
        w.postMessage({ op: "close" } satisfies WriterRequest);
        await exited;
      }
      await store.close();
    },
  };
}
