import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { asConcordError, type ConcordError } from "../errors/index.ts";
import type { Gateway } from "./gateway.ts";
import type { RequestContext } from "./context.ts";

/**
 * The last step of every request: metrics and the log line, built from the decisions the stages recorded.
 * Logs carry codes, nation and timings, never content or credentials.
 */
export function finish(ctx: RequestContext, gw: Gateway, status: number, code: string): void {
  const nation = ctx.principal?.nation ?? "unknown";
  const endpoint = ctx.endpoint?.id ?? "none";
  gw.metrics.requests.inc({ route: ctx.route, nation, endpoint, code });
  const now = Date.now();
  gw.metrics.latency.observe({ route: ctx.route, nation }, (now - ctx.startedAt) / 1000);
  // A client that went away was not refused.
  gw.metrics.minutes.add(nation, code !== "ok" && code !== "client_closed", now);
  for (const d of ctx.decisions) if (d.decision === "deny") gw.metrics.decisions.inc({ stage: d.stage, decision: d.decision, reason: d.reason, nation });
  if (status >= 500) gw.log.warn({ req: ctx.id, route: ctx.route, nation, endpoint, status, code }, "request failed");
}

export function refusal(err: unknown): ConcordError {
  return asConcordError(err);
}

/** Writes an SSE frame with backpressure: waits for the socket to drain instead of buffering without bound. */
export async function writeFrame(raw: ServerResponse, frame: string): Promise<boolean> {
  if (raw.destroyed || raw.writableEnded) return false;
  if (!raw.write(frame)) {
    const closed = once(raw, "close").then(() => false);
    const drained = once(raw, "drain").then(() => true);
    return Promise.race([drained, closed]);
  }
  return true;
}
