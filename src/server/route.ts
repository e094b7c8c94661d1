import { RetryableFailure } from "../backends/index.ts";
import { InvalidRequest, UpstreamError } from "../errors/index.ts";
import { dispatch } from "../routing/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { bodyFor, classifyOutput, completionText } from "./guard.ts";
import { chatText, mapChatText } from "./openai-schema.ts";
import { classifyInput } from "./guard.ts";

/** Sends the request to the best allowed endpoint for the model, retrying on the next allowed one. */
export async function route(
  ctx: RequestContext, gw: Gateway, model: string, path: string, body: Record<string, unknown>, stream: boolean,
  textFields: (b: Record<string, unknown>, map: (s: string) => string) => Record<string, unknown>,
) {
  const d = await dispatch(
    gw.registry,
    { allowed: ctx.allowed ?? new Set(), model },
    gw.cfg.server.retries + 1,
    (state) => {
      const backend = gw.backends.get(state.endpoint.id);
      if (!backend) throw new UpstreamError(`endpoint ${state.endpoint.id} has no backend`);
      return backend.call(path, bodyFor(ctx, gw, body, state.endpoint.jurisdiction, textFields), stream, ctx.signal);
    },
    (err) => err instanceof RetryableFailure,
    ctx.signal,
  );
  for (const a of d.attempts) if (a.outcome === "failed") gw.metrics.upstreamFailures.inc({ endpoint: a.endpoint, jurisdiction: a.jurisdiction });
  ctx.endpoint = { id: d.state.endpoint.id, jurisdiction: d.state.endpoint.jurisdiction };
  ctx.decisions.push({ stage: "route", decision: "allow", reason: `${d.state.endpoint.id}@${d.state.endpoint.jurisdiction}` });
  return d;
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
