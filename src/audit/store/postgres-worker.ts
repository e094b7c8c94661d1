/**
 * Worker thread that owns the PostgreSQL log's connections (see postgres.ts for why). Each message names a
 * LogStore method and its arguments; the answer carries the same id. A call while the store cannot be opened
 * fails with the reason, and the next call tries to open it again.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDirectPostgresLogStore, type PostgresLogStoreOptions } from "./postgres-direct.ts";
import { unpackRows, type PackedRows } from "./sqlite-threaded.ts";
import type { LogStore } from "./types.ts";

const { url, prefix, opts } = (workerData as { data: { url: string; prefix: string; opts: PostgresLogStoreOptions } }).data;
const port = parentPort;
if (!port) throw new Error("postgres-worker runs as a worker thread");

// Opened on start and again on the next call after a failed open: the worker outlives an outage.
let opened: Promise<LogStore> | null = null;
const store = () => (opened ??= openDirectPostgresLogStore(url, prefix, opts).catch((err: unknown) => { opened = null; throw err; }));
store().then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
);

type Call = { id: number; method: keyof LogStore | "append"; args: unknown[] };

port.on("message", (msg: Call) => {
  void (async () => {
    try {
      const s = await store();
      let value: unknown;
      if (msg.method === "append") value = await s.append(unpackRows(msg.args[0] as PackedRows));
      else if (msg.method === "close") {
        await s.close();
        port.postMessage({ id: msg.id, value: null });
        // Ends this thread only. Connections the driver abandoned after a timeout may still hold handles; the
        // store is closed, so nothing here is worth waiting for.
        process.exit(0);
      } else value = await (s[msg.method] as (...a: unknown[]) => Promise<unknown>)(...msg.args);
      port.postMessage({ id: msg.id, value });
    } catch (err) {
      port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err), code: (err as { code?: unknown })?.code });
    }
  })();
});
