import type { FastifyInstance } from "fastify";
import { StreamBroken, type BackendReply } from "../backends/index.ts";
import { InvalidRequest, PayloadTooLarge, UpstreamError, type ConcordError } from "../errors/index.ts";
import { scanMarkings } from "../policy/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { ChatCompletionRequest, EmbeddingsRequest, chatText, embeddingsText, mapChatText, mapEmbeddingsText } from "./openai-schema.ts";
import { checkProhibitedUse, classifyInput, classifyReply } from "./guard.ts";
import { askSecondOpinion } from "./second-opinion.ts";
import { route } from "./route.ts";
import { handle, type Outcome } from "./pipeline.ts";
import { authenticate, authorize, meter, parse } from "./stages.ts";

function usageTokens(json: unknown): number {
  const u = (json as { usage?: { total_tokens?: unknown } } | null)?.usage;
  return typeof u?.total_tokens === "number" && Number.isFinite(u.total_tokens) && u.total_tokens > 0 ? u.total_tokens : 0;
}

/**
 * An upstream's own refusal of the request (400, 413, 422: the backend retries every other status elsewhere)
 * reaches the client in Concord's error shape, never as raw upstream bytes; its message passes the output guard.
 */
function upstreamRefusal(gw: Gateway, reply: BackendReply & { kind: "json" }, endpoint: string): ConcordError | null {
  if (reply.status < 400) return null;
  const msg = (reply.json as { error?: { message?: unknown } } | null)?.error?.message;
  let text = typeof msg === "string" ? msg.slice(0, 500) : `HTTP ${reply.status}`;
  if (scanMarkings(text, { ceiling: gw.ceiling() }).length > 0) text = `HTTP ${reply.status} (its message was withheld: it carried a marking above this network's ceiling)`;
  if (reply.status === 413) return new PayloadTooLarge(`endpoint ${endpoint} refused the request as too large: ${text}`);
  return new InvalidRequest(`endpoint ${endpoint} refused the request: ${text}`);
}

async function charge(ctx: RequestContext, gw: Gateway, tokens: number): Promise<void> {
  if (!tokens || !ctx.principal) return;
  ctx.tokens = tokens;
  gw.metrics.tokens.inc({ nation: ctx.principal.nation }, tokens);
  await gw.quota.charge(ctx.principal.nation, tokens, Date.now());
}

/**
 * Turns a backend reply into the route's outcome: JSON checked for upstream refusals and guarded whole, streams
 * (already guarded by route) metered at the end. A stream that breaks records how in the audit entry; its
 * connection, timers and buffers are let go when the pipeline is done with it, however it ended.
 */
async function answer(ctx: RequestContext, gw: Gateway, d: Awaited<ReturnType<typeof route>>): Promise<Outcome> {
  const result = d.result;
  if (result.kind === "stream") {
    let tokens = 0;
    let broken = false;
    const events = (async function* () {
      try {
        for await (const data of result.events) {
          if (data.includes('"usage"')) tokens = usageTokens(safeJson(data)) || tokens;
          yield data;
        }
      } catch (err) {
        if (err instanceof StreamBroken) {
          broken = true;
          ctx.auditExtra = { ...ctx.auditExtra, upstream_fault: err.fault };
          gw.metrics.upstreamFailures.inc({ endpoint: d.state.endpoint.id, jurisdiction: d.state.endpoint.jurisdiction });
        }
        throw err;
      }
    })();
    return {
      kind: "stream",
      events,
      done: () => {
        result.close();
        // A guard refusal or a client that left says nothing about the endpoint; a broken stream does.
        d.release(!broken);
        void charge(ctx, gw, tokens).catch(() => {});
      },
    };
  }
  d.release(true);
  const refused = upstreamRefusal(gw, result, d.state.endpoint.id);
  if (refused) throw refused;
  await charge(ctx, gw, usageTokens(result.json));
  classifyReply(ctx, gw, result.json);
  return { kind: "json", status: 200, body: result.json };
}

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return null; }
}

export function registerModelRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post("/v1/chat/completions", (req, reply) =>
    handle(gw, req, reply, "chat", async (ctx) => {
      await authenticate(ctx, gw);
      const body = parse(ctx, ChatCompletionRequest);
      ctx.capability = body.metadata?.purpose ? `chat.${body.metadata.purpose}` : "chat";
      // Held results cannot stream: refuse before any model work is spent on them.
      if (body.stream === true && gw.oversight.reviews.mustHold(ctx.capability)) {
        throw new InvalidRequest(`results of ${ctx.capability} are held for human review and cannot be streamed; send the request without stream: true`, { param: "stream" });
      }
      const text = chatText(body);
      classifyInput(ctx, gw, text, "the request's messages");
      // Every role: a client writes the "assistant" and "tool" turns of the history too (a plan there is a request).
      checkProhibitedUse(ctx, text);
      authorize(ctx, gw);
      await meter(ctx, gw);
      await askSecondOpinion(ctx, gw, text);
      const d = await route(ctx, gw, body.model, "/chat/completions", body as Record<string, unknown>, body.stream === true, mapChatText);
      return answer(ctx, gw, d);
    }),
  );

  app.post("/v1/embeddings", (req, reply) =>
    handle(gw, req, reply, "embeddings", async (ctx) => {
      await authenticate(ctx, gw);
      const body = parse(ctx, EmbeddingsRequest);
      classifyInput(ctx, gw, embeddingsText(body), "the embeddings input");
      authorize(ctx, gw);
      await meter(ctx, gw);
      const d = await route(ctx, gw, body.model, "/embeddings", body as Record<string, unknown>, false, mapEmbeddingsText);
      if (d.result.kind !== "json") {
        d.release(false);
        throw new UpstreamError(`endpoint ${d.state.endpoint.id} answered embeddings with a stream`);
      }
      return answer(ctx, gw, d);
    }),
  );

  app.get("/v1/models", (req, reply) =>
    handle(gw, req, reply, "models", async (ctx) => {
      await authenticate(ctx, gw);
      const models = gw.registry.reachableModels(ctx.allowed ?? new Set());
      return { kind: "json", status: 200, body: { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "concord" })) } };
    }),
  );
}
