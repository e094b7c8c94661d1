import { RetryableFailure, StreamBroken, type BackendReply } from "../backends/index.ts";
import { InvalidRequest, UpstreamError } from "../errors/index.ts";
import { dispatch, type Attempt } from "../routing/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { bodyFor, classifyOutput, completionText, guardStream } from "./guard.ts";
import { chatText, mapChatText } from "./openai-schema.ts";
import { classifyInput } from "./guard.ts";

type StreamReply = BackendReply & { kind: "stream" };

/**
 * Guards a stream and waits for its first guarded event, so that everything that can go wrong before the client
 * sees a byte (a reset after the headers, a first event that never comes, broken framing, a stream that ends at
 * once) happens inside the retry loop and moves the request to the next allowed endpoint. After this, nothing
 * is retried: the client may already hold part of the answer.
 */
async function primed(ctx: RequestContext, gw: Gateway, reply: StreamReply): Promise<StreamReply> {
  const guarded = guardStream(ctx, gw, reply.events)[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await guarded.next();
  } catch (err) {
    reply.close();
    if (err instanceof StreamBroken && !ctx.cancel.aborted) throw new RetryableFailure(err.fault, err.message, { cause: err });
    throw err;
  }
  const events = (async function* () {
    if (first.done) return;
    yield first.value;
    for (let r = await guarded.next(); !r.done; r = await guarded.next()) yield r.value;
  })();
  return {
    kind: "stream",
    events,
    close: () => {
      void guarded.return?.(undefined).catch(() => {});
      reply.close();
    },
  };
}

/** `endpoint:outcome` for each attempt, e.g. `deu-a:timeout,deu-b:ok`: which endpoints failed and how. */
function attemptsLine(attempts: readonly Attempt[]): string {
  return attempts.map((a) => `${a.endpoint}:${a.outcome === "ok" ? "ok" : a.fault ?? "failed"}`).join(",");
}

/** Sends the request to the best allowed endpoint for the model, retrying on the next allowed one. */
export async function route(
  ctx: RequestContext, gw: Gateway, model: string, path: string, body: Record<string, unknown>, stream: boolean,
  textFields: (b: Record<string, unknown>, map: (s: string) => string) => Record<string, unknown>,
  /** The audit stage name of this routing decision: a call the gateway makes for its own stage names itself. */
  stage = "route",
) {
  const attempts: Attempt[] = [];
  try {
    const d = await dispatch(gw.registry, { allowed: ctx.allowed ?? new Set(), model }, {
      maxAttempts: gw.cfg.server.retries + 1,
      call: async (state): Promise<BackendReply> => {
        const backend = gw.backends.get(state.endpoint.id);
        if (!backend) throw new UpstreamError(`endpoint ${state.endpoint.id} has no backend`);
        const reply = await backend.call(path, bodyFor(ctx, gw, body, state.endpoint.jurisdiction, textFields), stream, ctx.cancel);
        return reply.kind === "stream" ? primed(ctx, gw, reply) : reply;
      },
      isRetryable: (err) => err instanceof RetryableFailure,
      faultOf: (err) => (err instanceof RetryableFailure ? err.fault : undefined),
      signal: ctx.cancel,
      attempts,
    });
    ctx.endpoint = { id: d.state.endpoint.id, jurisdiction: d.state.endpoint.jurisdiction };
    ctx.decisions.push({ stage, decision: "allow", reason: `${d.state.endpoint.id}@${d.state.endpoint.jurisdiction}` });
    return d;
  } finally {
    for (const a of attempts) if (a.outcome === "failed") gw.metrics.upstreamFailures.inc({ endpoint: a.endpoint, jurisdiction: a.jurisdiction });
    if (attempts.some((a) => a.outcome === "failed")) ctx.auditExtra = { ...ctx.auditExtra, upstream_attempts: attemptsLine(attempts) };
  }
}


export interface WorkloadMessage { role: "system" | "user" | "assistant"; content: string }

/**
 * A chat completion for a workload step (abstractive summary, translation, sentiment second opinion), sent
 * through the same residency routing, guard and redaction as the caller's own requests.
 */
export function workloadComplete(ctx: RequestContext, gw: Gateway): (messages: WorkloadMessage[]) => Promise<string> {
  return async (messages) => {
    const model = gw.cfg.workloads.model;
    if (!model) throw new InvalidRequest("this step needs a language model, and none is configured (set workloads.model to a model an endpoint serves)");
    const body = { model, messages, stream: false };
    classifyInput(ctx, gw, chatText(body), "the text sent to the model");
    const d = await route(ctx, gw, model, "/chat/completions", body, false, mapChatText);
    d.release(true);
    if (d.result.kind !== "json" || d.result.status >= 400) throw new UpstreamError(`endpoint ${d.state.endpoint.id} did not complete the workload step`);
    const text = completionText(d.result.json);
    classifyOutput(ctx, gw, text);
    return text;
  };
}
