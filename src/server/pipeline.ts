import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AuditUnavailable, InvalidRequest } from "../errors/index.ts";
import { ClientGone, newContext, sha256Hex, type RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { labelAndHold, streamLabel, streamProvenance, type AfterAudit } from "./oversight-routes.ts";
import { finish, refusal, writeFrame } from "./respond.ts";

/**
 * What a route's stages produce: a JSON answer, or a stream of SSE data payloads. Stages refuse by throwing.
 */
export type Outcome =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }
  | { readonly kind: "stream"; readonly events: AsyncIterable<string>; readonly done: (ok: boolean) => void };

export type Stages = (ctx: RequestContext) => Promise<Outcome>;

function contextOf(req: FastifyRequest, reply: FastifyReply, capability: string): RequestContext {
  const gone = new ClientGone();
  // The socket closing before the response finished means the client went away: stop upstream work.
  reply.raw.on("close", () => { if (!reply.raw.writableFinished) gone.abort(); });
  return newContext({
    route: req.routeOptions.url ?? "unknown",
    authorization: req.headers.authorization,
    rawBody: (req as FastifyRequest & { rawBody?: Buffer }).rawBody,
    body: req.body,
    signal: gone,
    capability,
  });
}

/** Appends the request's decision to the audit log; an audit log that cannot commit refuses the answer. */
export async function record(ctx: RequestContext, gw: Gateway, decision: "allow" | "deny" | "review", reason: string): Promise<number> {
  try {
    const { index } = await gw.audit.append({
      time: new Date().toISOString(),
      nation: ctx.principal?.nation ?? null,
      subject: ctx.principal?.subject ?? null,
      action: ctx.capability,
      decision,
      reason,
      policy_version: gw.policyVersion(),
      endpoint: ctx.endpoint?.id ?? null,
      jurisdiction: ctx.endpoint?.jurisdiction ?? null,
      request_sha256: ctx.requestHash,
      response_sha256: ctx.responseHash ?? null,
      request_id: ctx.id,
      ...(ctx.auditExtra ?? {}),
    });
    ctx.auditIndex = index;
    return index;
  } catch (err) {
    gw.log.error({ req: ctx.id, event: "audit_unavailable", err: (err as Error).message }, "audit append failed; refusing the answer");
    throw new AuditUnavailable("the audit log cannot record this request right now, so it is refused; retry later", { cause: err });
  }
}

/**
 * Runs a route's stages and answers: every outcome, allowed or refused, is audited before the client sees it.
 * A stream is audited when it starts (so no answer begins unaudited) and again when it ends, with its hash.
 */
export async function handle(gw: Gateway, req: FastifyRequest, reply: FastifyReply, capability: string, stages: Stages): Promise<FastifyReply> {
  const ctx = contextOf(req, reply, capability);
  let outcome: Outcome;
  let afterAudit: AfterAudit | undefined;
  try {
    outcome = await stages(ctx);
    // Oversight: label model output as AI-generated and hold high-risk results for review (oversight-routes.ts).
    if (outcome.kind === "json") ({ outcome, after: afterAudit } = await labelAndHold(gw, ctx, outcome));
    else if (gw.oversight.reviews.mustHold(ctx.capability)) {
      await outcome.events[Symbol.asyncIterator]().return?.(undefined);
      outcome.done(true);
      throw new InvalidRequest(`results of ${ctx.capability} are held for human review and cannot be streamed; send the request without stream: true`, { param: "stream" });
    }
  } catch (err) {
    const e = refusal(err);
    if (e.code === "internal_error") gw.log.error({ req: ctx.id, route: ctx.route, err: String((err as Error)?.stack ?? err) }, "internal error");
    let sent = e;
    try {
      await record(ctx, gw, "deny", String(e.details["reason"] ?? e.code));
    } catch (auditErr) {
      sent = refusal(auditErr);
    }
    finish(ctx, gw, sent.status, sent.code);
    return reply.code(sent.status).headers(sent.headers).send(sent.toBody());
  }

  if (outcome.kind === "json") {
    const text = typeof outcome.body === "string" ? outcome.body : JSON.stringify(outcome.body);
    ctx.responseHash = sha256Hex(text);
    try {
      await record(ctx, gw, outcome.status === 202 ? "review" : "allow", "ok");
    } catch (err) {
      const e = refusal(err);
      finish(ctx, gw, e.status, e.code);
      return reply.code(e.status).send(e.toBody());
    }
    // The provenance signature names the audit index, so it can only be made once the entry is appended.
    const signed = afterAudit && ctx.auditIndex !== undefined ? await afterAudit(ctx.auditIndex) : {};
    finish(ctx, gw, outcome.status, "ok");
    return reply.code(outcome.status).headers({ "content-type": "application/json; charset=utf-8", ...outcome.headers, ...signed }).send(text);
  }

  // Pull the first event before committing to a 200 stream: a request the backend refuses at once (bad
  // parameters, model missing) then gets a proper HTTP error instead of an error event.
  const iterator = outcome.events[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch (err) {
    outcome.done(false);
    const e = refusal(err);
    let sent = e;
    try { await record(ctx, gw, "deny", e.code); } catch (auditErr) { sent = refusal(auditErr); }
    finish(ctx, gw, sent.status, sent.code);
    return reply.code(sent.status).headers(sent.headers).send(sent.toBody());
  }
  try {
    await record(ctx, gw, "allow", "stream_started");
  } catch (err) {
    outcome.done(false);
    const e = refusal(err);
    finish(ctx, gw, e.status, e.code);
    return reply.code(e.status).send(e.toBody());
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no", ...streamLabel(ctx) });
  const hash = createHash("sha256");
  const provenance = streamProvenance(gw, ctx);
  let code = "ok";
  try {
    for (let r = first; !r.done; r = await iterator.next()) {
      hash.update(r.value);
      provenance?.observe(r.value);
      if (!(await writeFrame(raw, `data: ${r.value}\n\n`))) { code = "client_closed"; await iterator.return?.(); break; }
    }
  } catch (err) {
    const e = refusal(err);
    code = e.code;
    await writeFrame(raw, `data: ${JSON.stringify(e.toBody())}\n\n`);
  }
  ctx.responseHash = hash.digest("hex");
  outcome.done(code === "ok" || code === "client_closed");
  try {
    await record(ctx, gw, code === "ok" ? "allow" : "deny", code === "ok" ? "ok" : code);
    // The signature names the audit index of the entry just appended, so it can only come after it.
    const signed = code === "ok" && ctx.auditIndex !== undefined ? await provenance?.sign(ctx.auditIndex) : null;
    if (signed) await writeFrame(raw, `data: ${signed}\n\n`);
    if (code === "ok") await writeFrame(raw, "data: [DONE]\n\n");
  } catch (err) {
    code = "audit_unavailable";
    await writeFrame(raw, `data: ${JSON.stringify(refusal(err).toBody())}\n\n`);
  }
  raw.end();
  finish(ctx, gw, 200, code);
  return reply;
}
