import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RetryableFailure, type BackendReply } from "../backends/index.ts";
import { InvalidRequest, NotFound, UpstreamError, type ConcordError } from "../errors/index.ts";
import { dispatch } from "../routing/index.ts";
import { newContext, sha256Hex, type RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { ChatCompletionRequest, EmbeddingsRequest } from "./openai-schema.ts";
import { finish, refusal, writeFrame } from "./respond.ts";
import { authenticate, authorize, meter, parse } from "./stages.ts";

function contextOf(req: FastifyRequest, reply: FastifyReply, capability: string): RequestContext {
  const ac = new AbortController();
  // The reply's socket closing before the response finished means the client went away: stop upstream work.
  reply.raw.on("close", () => { if (!reply.raw.writableFinished) ac.abort(); });
  return newContext({
    route: req.routeOptions.url ?? "unknown",
    authorization: req.headers.authorization,
    rawBody: (req as FastifyRequest & { rawBody?: Buffer }).rawBody,
    body: req.body,
    signal: ac.signal,
    capability,
  });
}

function sendError(ctx: RequestContext, gw: Gateway, reply: FastifyReply, err: unknown): FastifyReply {
  const e = refusal(err);
  if (e.status >= 500 && e.code === "internal_error") gw.log.error({ req: ctx.id, route: ctx.route, err: String((err as Error)?.stack ?? err) }, "internal error");
  finish(ctx, gw, e.status, e.code);
  return reply.code(e.status).headers(e.headers).send(e.toBody());
}

/** Sends the request to the best allowed endpoint for the model, retrying on the next allowed one. */
async function route(ctx: RequestContext, gw: Gateway, model: string, path: string, body: Record<string, unknown>, stream: boolean) {
  const d = await dispatch(
    gw.registry,
    { allowed: ctx.allowed ?? new Set(), model },
    gw.cfg.server.retries + 1,
    (state) => {
      const backend = gw.backends.get(state.endpoint.id);
      if (!backend) throw new UpstreamError(`endpoint ${state.endpoint.id} has no backend`);
      // Upstreams know models by their own names; the gateway's name is the same by configuration.
      return backend.call(path, body, stream, ctx.signal);
    },
    (err) => err instanceof RetryableFailure,
    ctx.signal,
  );
  for (const a of d.attempts) if (a.outcome === "failed") gw.metrics.upstreamFailures.inc({ endpoint: a.endpoint, jurisdiction: a.jurisdiction });
  ctx.endpoint = { id: d.state.endpoint.id, jurisdiction: d.state.endpoint.jurisdiction };
  ctx.decisions.push({ stage: "route", decision: "allow", reason: `${d.state.endpoint.id}@${d.state.endpoint.jurisdiction}` });
  return d;
}

function usageTokens(json: unknown): number {
  const u = (json as { usage?: { total_tokens?: unknown } } | null)?.usage;
  return typeof u?.total_tokens === "number" && Number.isFinite(u.total_tokens) ? u.total_tokens : 0;
}

/** An upstream's own refusal (4xx) reaches the client in Concord's error shape, never as raw upstream bytes. */
function upstreamRefusal(reply: BackendReply & { kind: "json" }, endpoint: string): ConcordError | null {
  if (reply.status < 400) return null;
  const msg = (reply.json as { error?: { message?: unknown } } | null)?.error?.message;
  const text = typeof msg === "string" ? msg.slice(0, 500) : `HTTP ${reply.status}`;
  if (reply.status === 404) return new NotFound(`endpoint ${endpoint}: ${text}`);
  if (reply.status < 500) return new InvalidRequest(`endpoint ${endpoint} refused the request: ${text}`);
  return new UpstreamError(`endpoint ${endpoint}: ${text}`);
}

async function streamReply(ctx: RequestContext, gw: Gateway, reply: FastifyReply, events: AsyncIterable<string>): Promise<{ ok: boolean; code: string }> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  const hash = createHash("sha256");
  try {
    for await (const data of events) {
      hash.update(data);
      const tokens = usageTokens(safeJson(data));
      if (tokens) ctx.tokens = tokens;
      if (!(await writeFrame(raw, `data: ${data}\n\n`))) return { ok: false, code: "client_closed" };
    }
    ctx.responseHash = hash.digest("hex");
    await writeFrame(raw, "data: [DONE]\n\n");
    raw.end();
    return { ok: true, code: "ok" };
  } catch (err) {
    const e = refusal(err);
    await writeFrame(raw, `data: ${JSON.stringify(e.toBody())}\n\n`);
    raw.end();
    return { ok: false, code: e.code };
  }
}

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return null; }
}

export function registerModelRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post("/v1/chat/completions", async (req, reply) => {
    const ctx = contextOf(req, reply, "chat");
    try {
      await authenticate(ctx, gw);
      const body = parse(ctx, ChatCompletionRequest);
      ctx.capability = body.metadata?.purpose ? `chat.${body.metadata.purpose}` : "chat";
      authorize(ctx, gw);
      await meter(ctx, gw);
      const stream = body.stream === true;
      const d = await route(ctx, gw, body.model, "/chat/completions", body as Record<string, unknown>, stream);
      const result = d.result;
      if (result.kind === "stream") {
        const out = await streamReply(ctx, gw, reply, result.events);
        d.release(out.ok || out.code === "client_closed");
        if (ctx.tokens) await gw.quota.charge(ctx.principal!.nation, ctx.tokens, Date.now());
        finish(ctx, gw, 200, out.code);
        return reply;
      }
      d.release(true);
      const refused = upstreamRefusal(result, d.state.endpoint.id);
      if (refused) throw refused;
      ctx.tokens = usageTokens(result.json);
      if (ctx.tokens) {
        gw.metrics.tokens.inc({ nation: ctx.principal!.nation }, ctx.tokens);
        await gw.quota.charge(ctx.principal!.nation, ctx.tokens, Date.now());
      }
      const text = JSON.stringify(result.json);
      ctx.responseHash = sha256Hex(text);
      finish(ctx, gw, 200, "ok");
      return reply.code(200).header("content-type", "application/json; charset=utf-8").send(text);
    } catch (err) {
      return sendError(ctx, gw, reply, err);
    }
  });

  app.post("/v1/embeddings", async (req, reply) => {
    const ctx = contextOf(req, reply, "embeddings");
    try {
      await authenticate(ctx, gw);
      const body = parse(ctx, EmbeddingsRequest);
      authorize(ctx, gw);
      await meter(ctx, gw);
      const d = await route(ctx, gw, body.model, "/embeddings", body as Record<string, unknown>, false);
      d.release(true);
      const result = d.result;
      if (result.kind !== "json") throw new UpstreamError(`endpoint ${d.state.endpoint.id} answered embeddings with a stream`);
      const refused = upstreamRefusal(result, d.state.endpoint.id);
      if (refused) throw refused;
      ctx.tokens = usageTokens(result.json);
      if (ctx.tokens) await gw.quota.charge(ctx.principal!.nation, ctx.tokens, Date.now());
      const text = JSON.stringify(result.json);
      ctx.responseHash = sha256Hex(text);
      finish(ctx, gw, 200, "ok");
      return reply.code(200).header("content-type", "application/json; charset=utf-8").send(text);
    } catch (err) {
      return sendError(ctx, gw, reply, err);
    }
  });

  app.get("/v1/models", async (req, reply) => {
    const ctx = contextOf(req, reply, "models");
    try {
      await authenticate(ctx, gw);
      const models = gw.registry.reachableModels(ctx.allowed ?? new Set());
      finish(ctx, gw, 200, "ok");
      return { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "concord" })) };
    } catch (err) {
      return sendError(ctx, gw, reply, err);
    }
  });
}
