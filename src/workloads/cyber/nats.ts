/**
 * Stream mode: consume log events from a NATS JetStream subject and publish alerts to another subject.
 * Several workers share one stream by naming the same `queue`: it is the durable pull consumer they all pull
 * from, so JetStream hands each message to one of them (a queue group, with acknowledgements). A message is
 * acknowledged only after its alerts are published, so a worker that dies loses nothing; a message that cannot
 * be decoded is acknowledged and reported through `onUndecodable` (redelivery would not fix it).
 *
 * Correlation state is per worker: correlation rules see the events their worker saw, so group-by keys should
 * be routed to one worker (by subject) when correlation rules are in the set.
 */
import { AckPolicy, connect, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from "nats";
import { InvalidRequest } from "../../errors/index.ts";
import type { Alert } from "./alert.ts";
import { Detector } from "./engine/detector.ts";
import type { RuleSet } from "./engine/ruleset.ts";
import { decodeRecord, newDecoderState, UndecodableRecord } from "./input/decode.ts";
import type { EventLogsource } from "./event.ts";

export interface NatsDetectorOptions {
  servers: string | string[];
  /** Subject the log events arrive on (one event per message: a JSON document, JSON lines, or a text line). */
  inSubject: string;
  outSubject: string;
  /** Durable consumer shared by every worker of the group. */
  queue: string;
  ruleSet: RuleSet;
  /** Stream to create for `inSubject` when no stream captures it yet; without it a missing stream is an error. */
  createStream?: string;
  logsource?: EventLogsource;
  /** Messages a worker pulls ahead (default 64); smaller spreads a trickle more evenly over the group. */
  batch?: number;
  /** How long one pull waits for messages before the worker pulls again (default 5 s). */
  pullExpiresMs?: number;
  /** How long JetStream waits for an acknowledgement before redelivering (default 30 s). */
  ackWaitMs?: number;
  /** Ping period: a connection that stops answering is replaced after two missed pings (default 20 s). */
  pingIntervalMs?: number;
  /** Pause between reconnection attempts; attempts never stop while the worker runs (default 2 s). */
  reconnectWaitMs?: number;
  onAlert?(alert: Alert): void;
  onUndecodable?(subject: string, seq: number, reason: string): void;
  /** A message whose alerts could not be published (NATS away): left unacknowledged, JetStream redelivers it. */
  onPublishFailed?(seq: number, err: Error): void;
}

export interface NatsDetector {
  /** Messages processed (alerts published, message acknowledged) so far by this worker. */
  readonly processed: number;
  /**
   * Messages this worker holds unacknowledged: pulled and buffered, or being processed. Never above `bound`
   * (the pull batch), whatever happens to NATS: the worker pulls no more than it can hold.
   */
  readonly inFlight: number;
  readonly bound: number;
  /** Stops consuming, drains the connection; resolves when done. */
  stop(): Promise<void>;
  /** Resolves when the consume loop ends (after `stop`, or on a connection failure, which rejects). */
  done: Promise<void>;
}

export async function startNatsDetector(opts: NatsDetectorOptions): Promise<NatsDetector> {
  const nc: NatsConnection = await connect({
    servers: opts.servers,
    name: `concord-detect-${opts.queue}`,
    // A detection worker outlives any outage: it keeps reconnecting rather than giving up after ten attempts.
    maxReconnectAttempts: -1,
    reconnectTimeWait: opts.reconnectWaitMs ?? 2000,
    pingInterval: opts.pingIntervalMs ?? 20_000,
    maxPingOut: 2,
  });
  const bound = opts.batch ?? 64;
  try {
    const jsm = await nc.jetstreamManager();
    const stream = await findStream(jsm, opts.inSubject, opts.createStream);
    await jsm.consumers.add(stream, {
      durable_name: opts.queue,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: opts.inSubject,
      ack_wait: nanos(opts.ackWaitMs ?? 30_000),
    });
    const js = nc.jetstream();
    // Alerts go through JetStream (acknowledged, persisted) when a stream captures the subject; else plain NATS.
    const persistAlerts = await jsm.streams.find(opts.outSubject).then(() => true, () => false);
    const consumer = await js.consumers.get(stream, opts.queue);
    const detector = new Detector(opts.ruleSet);
    const state = newDecoderState(opts.inSubject, "auto", opts.logsource);
    let processed = 0;
    let stopped = false;
    let fatal: unknown;
    let handling = false;
    // One pull of at most `bound` messages at a time, all handled before the next: unlike a continuous consume,
    // whose refills after each reconnection can stack up, the worker then never holds more than `bound`.
    let current: ConsumerMessages | null = null;

    const publish = async (alert: Alert): Promise<void> => {
      const body = JSON.stringify(alert);
      if (persistAlerts) await js.publish(opts.outSubject, body);
      else nc.publish(opts.outSubject, body);
      opts.onAlert?.(alert);
    };

    const handle = async (m: JsMsg): Promise<void> => {
      const alerts: Alert[] = [];
      for (const record of records(m.string())) {
        try {
          for (const ev of decodeRecord(state, record, m.seq)) alerts.push(...detector.process(ev));
        } catch (err) {
          if (!(err instanceof UndecodableRecord)) throw (fatal = err); // a fault of the detector, not of NATS
          opts.onUndecodable?.(m.subject, m.seq, err.message);
        }
      }
      try {
        for (const a of alerts) await publish(a);
        if (!persistAlerts && alerts.length > 0) await nc.flush();
      } catch (err) {
        // Not acknowledged: JetStream redelivers the message after ack_wait, so its alerts are published at least
        // once. The worker goes on; the client reconnects by itself.
        opts.onPublishFailed?.(m.seq, err as Error);
        return;
      }
      m.ack();
      processed++;
    };

    const done = (async () => {
      while (!stopped) {
        try {
          current = await consumer.fetch({ max_messages: bound, expires: opts.pullExpiresMs ?? 5000 });
          for await (const m of current) {
            handling = true;
            await handle(m).finally(() => { handling = false; });
          }
        } catch (err) {
          if (fatal !== undefined) throw fatal;
          if (stopped || nc.isClosed()) break;
          // NATS away (the pull failed or timed out): wait a little and pull again.
          await new Promise((r) => setTimeout(r, opts.reconnectWaitMs ?? 2000));
        } finally {
          current = null;
        }
      }
    })();

    return {
      get processed() { return processed; },
      // Received and not yet handed out, plus the one being handled (its count as processed starts when handed out).
      get inFlight() { return current ? current.getReceived() - current.getProcessed() + (handling ? 1 : 0) : 0; },
      bound,
      done,
      async stop() {
        stopped = true;
        await current?.close();
        await done.catch(() => {});
        await nc.drain();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

/** A message is one JSON document (possibly pretty-printed), or lines (JSON lines, text lines). */
function records(text: string): string[] {
  const t = text.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      JSON.parse(t);
      return [t];
    } catch {
      // not one document: read it as lines
    }
  }
  return t.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

async function findStream(jsm: Awaited<ReturnType<NatsConnection["jetstreamManager"]>>, subject: string, create?: string): Promise<string> {
  try {
    return await jsm.streams.find(subject);
  } catch {
    if (create === undefined) throw new InvalidRequest(`no JetStream stream captures '${subject}'; create one or pass createStream`);
    await jsm.streams.add({ name: create, subjects: [subject] });
    return create;
  }
}
