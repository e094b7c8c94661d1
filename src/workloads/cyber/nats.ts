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
import { AckPolicy, connect, DeliverPolicy, type ConsumerMessages, type NatsConnection } from "nats";
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
  onAlert?(alert: Alert): void;
  onUndecodable?(subject: string, seq: number, reason: string): void;
}

export interface NatsDetector {
  /** Messages processed so far by this worker. */
  readonly processed: number;
  /** Stops consuming, drains the connection; resolves when done. */
  stop(): Promise<void>;
  /** Resolves when the consume loop ends (after `stop`, or on a connection failure, which rejects). */
  done: Promise<void>;
}

export async function startNatsDetector(opts: NatsDetectorOptions): Promise<NatsDetector> {
  const nc: NatsConnection = await connect({ servers: opts.servers, name: `concord-detect-${opts.queue}` });
  try {
    const jsm = await nc.jetstreamManager();
    const stream = await findStream(jsm, opts.inSubject, opts.createStream);
    await jsm.consumers.add(stream, {
      durable_name: opts.queue,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: opts.inSubject,
    });
    const js = nc.jetstream();
    // Alerts go through JetStream (acknowledged, persisted) when a stream captures the subject; else plain NATS.
    const persistAlerts = await jsm.streams.find(opts.outSubject).then(() => true, () => false);
    const consumer = await js.consumers.get(stream, opts.queue);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: opts.batch ?? 64 });
    const detector = new Detector(opts.ruleSet);
    const state = newDecoderState(opts.inSubject, "auto", opts.logsource);
    let processed = 0;

    const publish = async (alert: Alert): Promise<void> => {
      const body = JSON.stringify(alert);
      if (persistAlerts) await js.publish(opts.outSubject, body);
      else nc.publish(opts.outSubject, body);
      opts.onAlert?.(alert);
    };

    const done = (async () => {
      for await (const m of messages) {
        const alerts: Alert[] = [];
        for (const record of records(m.string())) {
          try {
            for (const ev of decodeRecord(state, record, m.seq)) alerts.push(...detector.process(ev));
          } catch (err) {
            if (!(err instanceof UndecodableRecord)) throw err;
            opts.onUndecodable?.(m.subject, m.seq, err.message);
          }
        }
        for (const a of alerts) await publish(a);
        if (!persistAlerts && alerts.length > 0) await nc.flush();
        m.ack();
        processed++;
      }
    })();

    return {
      get processed() { return processed; },
      done,
      async stop() {
        await messages.close();
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
