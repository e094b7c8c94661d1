/**
 * Log files through a rule set, streaming: alerts are handed out as they are raised, memory stays constant.
 * With `threads > 1` records are decoded and matched by worker threads while this thread reads, keeps input
 * order, and runs correlations.
 */
import type { Alert } from "./alert.ts";
import type { EventLogsource } from "./event.ts";
import { Detector } from "./engine/detector.ts";
import type { RuleSet } from "./engine/ruleset.ts";
import { absorbHeader, copyDecoderState, decodeRecord, newDecoderState, UndecodableRecord, type InputFormat } from "./input/decode.ts";
import { openInput, readRecords } from "./input/read.ts";
import { WorkerPool } from "./engine/pool.ts";

export interface StreamOptions {
  format?: InputFormat;
  /** Log source for events whose format does not reveal one. */
  logsource?: EventLogsource;
  /** Worker threads; 1 (default) matches on this thread. */
  threads?: number;
  onAlert(alert: Alert): void;
  /** Bytes of the current file read so far, and its name. */
  onProgress?(file: string, bytes: number): void;
}

export interface StreamSummary {
  files: number;
  records: number;
  events: number;
  alerts: number;
  /** Records that were not valid in the forced format (or not valid JSON), by file and line. */
  undecodable: Array<{ file: string; line: number; reason: string }>;
  /** Files that broke off or were corrupt (a gzip cut short): read up to the damage, then the next file. */
  damaged: Array<{ file: string; reason: string }>;
}

const MAX_LISTED_UNDECODABLE = 100;

export async function detectStream(ruleSet: RuleSet, files: readonly string[], opts: StreamOptions): Promise<StreamSummary> {
  const summary: StreamSummary = { files: 0, records: 0, events: 0, alerts: 0, undecodable: [], damaged: [] };
  const emit = (a: Alert): void => { summary.alerts++; opts.onAlert(a); };
  const noteBad = (file: string, line: number, reason: string): void => {
    if (summary.undecodable.length < MAX_LISTED_UNDECODABLE) summary.undecodable.push({ file, line, reason });
  };
  const threads = Math.max(1, opts.threads ?? 1);
  const pool = threads > 1 ? await WorkerPool.start(ruleSet, threads) : undefined;
  const detector = pool ? undefined : new Detector(ruleSet);
  try {
    for (const file of files) {
      summary.files++;
      const state = newDecoderState(file === "-" ? "stdin" : file, opts.format ?? "auto", opts.logsource);
      const input = openInput(file);
      const progress = opts.onProgress ? (bytes: number) => opts.onProgress!(file, bytes) : undefined;
      const onDamage = (reason: string): void => { summary.damaged.push({ file: state.file, reason }); };
      for await (const batch of readRecords(input, progress ? { onBytes: progress, onDamage } : { onDamage })) {
        if (pool) {
          // The worker replays the batch's header lines from the state where the batch starts, so each header
          // applies only to the rows after it; this thread's state moves past them for the next batch.
          const start = copyDecoderState(state);
          for (const r of batch) if (!absorbHeader(state, r.text)) summary.records++;
          await pool.submit(start, batch, (result) => {
            summary.events += result.events;
            for (const bad of result.undecodable) noteBad(state.file, bad.line, bad.reason);
            for (const a of result.alerts) emit(a);
          });
          continue;
        }
        for (const r of batch) {
          if (absorbHeader(state, r.text)) continue;
          summary.records++;
          try {
            for (const ev of decodeRecord(state, r.text, r.line)) {
              summary.events++;
              for (const a of detector!.process(ev)) emit(a);
            }
          } catch (err) {
            if (!(err instanceof UndecodableRecord)) throw err;
            noteBad(state.file, r.line, err.message);
          }
        }
      }
    }
    if (pool) for (const a of await pool.finish()) emit(a);
    else for (const a of detector!.flush()) emit(a);
  } finally {
    await pool?.close();
  }
  return summary;
}
