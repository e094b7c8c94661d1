/**
 * Worker thread that owns the SQLite log's appends. better-sqlite3 is synchronous: a commit with
 * synchronous=FULL blocks its thread for the length of an fsync. Here it blocks this thread, not the gateway's
 * event loop. Each batch is answered only after its transaction committed, so the caller's guarantee (an append
 * resolves once durable) is unchanged.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openSqliteLogStore } from "./sqlite.ts";
import { unpackRows, type PackedRows } from "./sqlite-threaded.ts";

const { path, prefix } = (workerData as { data: { path: string; prefix: string } }).data;
const store = openSqliteLogStore(path, prefix);
const port = parentPort;
if (!port) throw new Error("sqlite-writer runs as a worker thread");

/** What the main thread asks: an append, a checkpoint note to store or replace, or to close. */
export type WriterRequest =
  | { readonly id: number; readonly op: "append"; readonly rows: PackedRows }
  | { readonly id: number; readonly op: "putCheckpoint" | "updateCheckpoint"; readonly size: number; readonly note: string }
  | { readonly op: "close" };

port.on("message", (msg: WriterRequest) => {
  if (msg.op === "close") {
    void store.close().then(() => port.close());
    return;
  }
  let done: Promise<number | void>;
  try {
    // The store's writes are synchronous underneath (BEGIN IMMEDIATE ... COMMIT); their promises settle at once.
    done =
      msg.op === "append" ? store.append(unpackRows(msg.rows))
      : msg.op === "putCheckpoint" ? store.putCheckpoint(msg.size, msg.note)
      : store.updateCheckpoint(msg.size, msg.note);
  } catch (err) {
    done = Promise.reject(err);
  }
  done.then(
    (first) => port.postMessage({ id: msg.id, first: first ?? 0 }),
    (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err), code: (err as { code?: unknown })?.code }),
  );
});
port.postMessage({ ready: true });
