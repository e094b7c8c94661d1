/**
 * Concord's cyber workload: a Sigma engine. Compile rules once (`compileRules`), then run events through it
 * (`detectEvents` for a batch, `detectStream` for log files, `startNatsDetector` for a JetStream subject).
 */
import { InvalidRequest } from "../../errors/index.ts";
import type { Alert } from "./alert.ts";
import { SigmaEvent, type EventLogsource } from "./event.ts";
import { Detector } from "./engine/detector.ts";
import { compileRules, type RuleSet } from "./engine/ruleset.ts";
import { Readable } from "node:stream";
import { absorbHeader, decodeDocument, decodeRecord, newDecoderState, UndecodableRecord, type InputFormat } from "./input/decode.ts";
import { readRecords } from "./input/read.ts";

export type { Alert, AlertRule, AlertSource, CorrelationDetails } from "./alert.ts";
export type { EventLogsource } from "./event.ts";
export type { RuleSet } from "./engine/ruleset.ts";
export type { RuleSource, UnsupportedEntry, RuleInfo } from "./rule/types.ts";
export type { CompileOptions } from "./rule/item.ts";
export type { InputFormat };
export { compileRules, SigmaEvent, Detector };
export { readRuleSources } from "./rules-files.ts";
export { detectStream, type StreamOptions, type StreamSummary } from "./stream.ts";
export { startNatsDetector, type NatsDetectorOptions, type NatsDetector } from "./nats.ts";
export { INPUT_FORMATS } from "./input/decode.ts";

/**
 * Runs events (parsed JSON objects, e.g. a request body's `events`) through the rule set; correlation windows
 * still open at the end are judged. Event `i` is reported as line `i + 1` of `source`.
 * Throws InvalidRequest for an event that is not a JSON object.
 */
export function detectEvents(ruleSet: RuleSet, events: readonly unknown[], opts: { source?: string; logsource?: EventLogsource } = {}): Alert[] {
  const state = newDecoderState(opts.source ?? "request", "json", opts.logsource);
  // Raw log lines (syslog, auditd, CEF, Zeek TSV with its header lines...) are read as `concord detect` reads a file.
  const lines = newDecoderState(opts.source ?? "request", "auto", opts.logsource);
  const detector = new Detector(ruleSet);
  const alerts: Alert[] = [];
  events.forEach((doc, i) => {
    if (typeof doc === "string") {
      if (absorbHeader(lines, doc)) return;
      try {
        for (const ev of decodeRecord(lines, doc, i + 1)) alerts.push(...detector.process(ev));
      } catch (err) {
        if (err instanceof UndecodableRecord) throw new InvalidRequest(`event ${i} is a log line that cannot be read: ${err.message}`);
        throw err;
      }
      return;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InvalidRequest(`event ${i} is neither a JSON object nor a log line`);
    for (const ev of decodeDocument(state, doc, i + 1)) alerts.push(...detector.process(ev));
  });
  alerts.push(...detector.flush());
  return alerts;
}

/**
 * Runs a log text (any format `concord detect` reads: JSON lines or documents, syslog, auditd, CEF, Zeek, plain
 * lines; gzip bytes too) through the rule set, e.g. an uploaded log in a request body. Records that are not valid
 * in a forced format are counted in `undecodable`, not thrown.
 */
export async function detectText(
  ruleSet: RuleSet,
  body: string | Uint8Array,
  opts: { source?: string; format?: InputFormat; logsource?: EventLogsource } = {},
): Promise<{ alerts: Alert[]; events: number; undecodable: number }> {
  const state = newDecoderState(opts.source ?? "request", opts.format ?? "auto", opts.logsource);
  const detector = new Detector(ruleSet);
  const alerts: Alert[] = [];
  let events = 0;
  let undecodable = 0;
  const input = Readable.from([typeof body === "string" ? Buffer.from(body) : Buffer.from(body)]);
  for await (const batch of readRecords(input)) {
    for (const r of batch) {
      if (absorbHeader(state, r.text)) continue;
      try {
        for (const ev of decodeRecord(state, r.text, r.line)) {
          events++;
          alerts.push(...detector.process(ev));
        }
      } catch (err) {
        if (!(err instanceof UndecodableRecord)) throw err;
        undecodable++;
      }
    }
  }
  alerts.push(...detector.flush());
  return { alerts, events, undecodable };
}
