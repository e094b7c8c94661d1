/**
 * Worker thread that owns the SQLite log's appends. better-sqlite3 is synchronous: a commit with
 * synchronous=FULL blocks its thread for the length of an fsync. Here it blocks this thread, not the gateway's
 * event loop. Each batch is answered only after its transaction committed, so the caller's guarantee (an append
 * resolves once durable) is unchanged.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { NewRow } from "../tree.ts";
import { openSqliteLogStore } from "./sqlite.ts";
import { unpackRows, type PackedRows } from "./sqlite-threaded.ts";

const { path, prefix } = (workerData as { data: { path: string; prefix: string } }).data;
const store = openSqliteLogStore(path, prefix);
const port = parentPort;
if (!port) throw new Error("sqlite-writer runs as a worker thread");

port.on("message", (msg: { id: number; rows: PackedRows } | { close: true }) => {
  if ("close" in msg) {
    void store.close().then(() => port.close());
    return;
  }
  let rows: NewRow[];
  try {
    rows = unpackRows(msg.rows);
  } catch (err) {
    port.postMessage({ id: msg.id, error: (err as Error).message });
    return;
  }
  // The store's append is synchronous underneath (BEGIN IMMEDIATE ... COMMIT); its promise settles at once.
  store.append(rows).then(
    (first) => port.postMessage({ id: msg.id, first }),
    (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err), code: (err as { code?: unknown })?.code }),
  );
});
port.postMessage({ ready: true });
