/** Worker thread of `verify`: opens its own connection to the store and checks one range of entries. */
import { parentPort, workerData } from "node:worker_threads";
import { parseStoreUrl } from "../store/index.ts";
import type { LogStore } from "./store/types.ts";
import { checkRange } from "./verify-range.ts";

export interface RangeJob {
  readonly url: string;
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
  readonly cuts: readonly number[];
}

const job = (workerData as { data: RangeJob }).data;
// The store modules alone (not log.ts and all it imports): a worker should start fast.
const where = parseStoreUrl(job.url);
const store: LogStore =
  where.kind === "sqlite"
    ? (await import("./store/sqlite.ts")).openSqliteLogStore(where.path, job.prefix)
    : await (await import("./store/postgres.ts")).openPostgresLogStore(where.url, job.prefix);
try {
  const result = await checkRange(store, job.from, job.to, job.cuts, (n) => parentPort?.postMessage({ progress: n }));
  parentPort?.postMessage({ result });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  await store.close();
}
