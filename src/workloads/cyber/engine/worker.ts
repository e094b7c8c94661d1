/**
 * A detection worker: compiles the rule set it is given once, then decodes and matches batches of records.
 * Correlation stays with the parent, which sees every occurrence in input order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileRules } from "./ruleset.ts";
import { EventMatcher } from "./detector.ts";
import { decodeRecord, UndecodableRecord } from "../input/decode.ts";
import type { BatchRequest, BatchResult, WorkerInit } from "./pool.ts";
import type { Alert } from "../alert.ts";
import type { Occurrence } from "./correlation.ts";

const init = workerData as WorkerInit;
const matcher = new EventMatcher(compileRules(init.sources, init.options));
const port = parentPort!;

port.on("message", (req: BatchRequest) => {
  const alerts: Alert[] = [];
  const occurrences: Occurrence[] = [];
  const undecodable: BatchResult["undecodable"] = [];
  let events = 0;
  for (const r of req.records) {
    try {
      for (const ev of decodeRecord(req.state, r.text, r.line)) {
        events++;
        const out = matcher.evaluate(ev);
        alerts.push(...out.alerts);
        occurrences.push(...out.occurrences);
      }
    } catch (err) {
      if (!(err instanceof UndecodableRecord)) throw err;
      undecodable.push({ line: r.line, reason: err.message });
    }
  }
  const result: BatchResult = { seq: req.seq, events, alerts, occurrences, undecodable };
  port.postMessage(result);
});
port.postMessage({ ready: true });
