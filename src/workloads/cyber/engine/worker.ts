/**
 * A detection worker: compiles the rule set it is given once, then decodes and matches batches of records.
 * Correlation stays with the parent, which sees every occurrence in input order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileParsed } from "./ruleset.ts";
import { EventMatcher, type Evaluation } from "./detector.ts";
import { decodeRecord, UndecodableRecord } from "../input/decode.ts";
import type { BatchRequest, BatchResult, WorkerInit } from "./pool.ts";

const init = workerData as WorkerInit;
const matcher = new EventMatcher(compileParsed(init.parsed, init.options));
const port = parentPort!;

port.on("message", (req: BatchRequest) => {
  const evaluations: Evaluation[] = [];
  const undecodable: BatchResult["undecodable"] = [];
  let events = 0;
  for (const r of req.records) {
    try {
      for (const ev of decodeRecord(req.state, r.text, r.line)) {
        events++;
        const out = matcher.evaluate(ev);
        if (out.alerts.length > 0 || out.occurrences.length > 0) evaluations.push(out);
      }
    } catch (err) {
      if (!(err instanceof UndecodableRecord)) throw err;
      undecodable.push({ line: r.line, reason: err.message });
    }
  }
  const { firstYearless, lastYearless } = req.state;
  const result: BatchResult = {
    seq: req.seq, file: req.state.file, events, evaluations, undecodable,
    ...(firstYearless !== undefined && lastYearless !== undefined ? { yearless: { first: firstYearless, last: lastYearless } } : {}),
  };
  port.postMessage(result);
});
port.postMessage({ ready: true });
