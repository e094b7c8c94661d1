// Entry point of the audit log's worker threads. Workers do not inherit the TypeScript loader the main thread was
// started with (bin/concord.js registers tsx in-process), so each registers it before importing its module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
