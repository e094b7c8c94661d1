import { Worker } from "node:worker_threads";

const BOOT = new URL("./worker-boot.mjs", import.meta.url);

/** Starts `module` (a URL of a .ts file) in a worker thread; `data` reaches it as `workerData.data`. */
export function startWorker(module: URL, data: unknown): Worker {
  return new Worker(BOOT, { workerData: { module: module.href, data } });
}
