import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ALERT_STATUSES, addNote, assign, CLOSE_REASONS, newAlert, NOTE_MAX_CHARS, openAlertStore, transition, type AlertFilter, type AlertRecord, type AlertStore, type Detection } from "../alerts/index.ts";
import { InvalidRequest, NotFound } from "../errors/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { classifyInput } from "./guard.ts";
import { handle } from "./pipeline.ts";
import { authenticate, authorize, meter, parse } from "./stages.ts";

/**
 * Alerts over HTTP: list and search, read one with its history, and triage (acknowledge, close with a reason,
 * reopen, assign, annotate). Reading is `alerts.read`, changing is `alerts.triage` (Cedar actions in the
 * workload group). Every query is scoped to the caller's nation in the store itself, so another nation's alert
 * answers 404 exactly like a missing one.
 */

const text = (max: number) => z.string().max(max);
const ListQuery = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    level: text(32).optional(),
    rule: text(256).optional(),
    tag: text(256).optional(),
    assignee: text(128).optional(),
    host: text(255).optional(),
    field: text(256).optional(),
    value: text(1024).optional(),
    q: text(256).optional(),
    limit: z.string().regex(/^\d{1,3}$/).transform(Number).refine((n) => n >= 1 && n <= 200, "1 to 200").optional(),
    offset: z.string().regex(/^\d{1,7}$/).transform(Number).optional(),
  })
  .strict();
const TransitionBody = z.object({ reason: z.enum(CLOSE_REASONS).optional(), comment: text(NOTE_MAX_CHARS).optional() }).strict();
const AssignBody = z.object({ assignee: z.string().max(128).nullable() }).strict();
const NoteBody = z.object({ text: z.string().min(1).max(NOTE_MAX_CHARS) }).strict();

const by = (ctx: RequestContext) => `${ctx.principal!.nation}/${ctx.principal!.subject}`;
const newId = () => `alr_${randomBytes(12).toString("hex")}`;

/**
 * The alert store of a gateway, opened on first use (a gateway that never detects opens nothing) and closed
 * with the app. Kept here rather than on Gateway so the alerts feature stays in its own files.
 */
const stores = new WeakMap<Gateway, Promise<AlertStore>>();
export function alertStore(gw: Gateway): Promise<AlertStore> {
  let s = stores.get(gw);
  if (!s) {
    s = openAlertStore(gw.cfg.store.url);
    stores.set(gw, s);
    s.catch(() => stores.delete(gw));
  }
  return s;
}

/** A list row: the alert without its event, notes and history (GET /v1/alerts/{id} has them). */
function summary(a: AlertRecord) {
  const { event: _e, notes, history: _h, ...rest } = a;
  return { ...rest, notes: notes.length };
}

/** Descriptions of the rules that fired, read from the rule files as parsed (the engine's alerts carry none). */
function descriptions(parsed: ReadonlyArray<{ docs?: ReadonlyArray<Record<string, unknown>> }>, ids: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const src of parsed) for (const d of src.docs ?? []) {
    if (typeof d["id"] === "string" && ids.has(d["id"]) && typeof d["description"] === "string") out.set(d["id"], d["description"].slice(0, 2000));
  }
  return out;
}

/** Keeps a request's detections as open alerts of the caller's nation; returns their ids in the same order. */
export async function persistDetections(gw: Gateway, ctx: RequestContext, detections: readonly Detection[], parsed: ReadonlyArray<{ docs?: ReadonlyArray<Record<string, unknown>> }>): Promise<string[]> {
  if (detections.length === 0) return [];
  const desc = descriptions(parsed, new Set(detections.map((d) => d.rule.id)));
  const at = new Date();
  const records = detections.map((d) => {
    const description = desc.get(d.rule.id);
    return newAlert(d, { id: newId(), nation: ctx.principal!.nation, by: by(ctx), at, ...(description ? { description } : {}) });
  });
  await (await alertStore(gw)).insert(records);
  return records.map((r) => r.id);
}

export function registerAlertRoutes(app: FastifyInstance, gw: Gateway): void {
  const own = (ctx: RequestContext) => ({ kind: "alert", nation: ctx.principal!.nation });
  app.addHook("onClose", async () => {
    const s = stores.get(gw);
    stores.delete(gw);
    if (s) await (await s.catch(() => null))?.close();
  });

  app.get("/v1/alerts", (req, reply) =>
    handle(gw, req, reply, "alerts.read", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw, own(ctx));
      await meter(ctx, gw);
      const r = ListQuery.safeParse(req.query);
      if (!r.success) throw new InvalidRequest(`query: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`, { param: r.error.issues[0]?.path.join(".") ?? null });
      const q = r.data;
      if ((q.field === undefined) !== (q.value === undefined)) throw new InvalidRequest("field and value filter together", { param: q.field === undefined ? "field" : "value" });
      const filter: AlertFilter = {
        ...(q.status ? { status: q.status } : {}), ...(q.level ? { level: q.level } : {}), ...(q.rule ? { rule: q.rule } : {}),
        ...(q.tag ? { tag: q.tag } : {}), ...(q.assignee ? { assignee: q.assignee } : {}), ...(q.host ? { host: q.host } : {}),
        ...(q.field !== undefined && q.value !== undefined ? { field: { name: q.field, value: q.value } } : {}), ...(q.q ? { q: q.q } : {}),
      };
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      const page = await (await alertStore(gw)).list(ctx.principal!.nation, filter, { limit, offset });
      ctx.auditExtra = { ...ctx.auditExtra, alerts: page.data.length };
      return { kind: "json", status: 200, body: { object: "list", data: page.data.map(summary), total: page.total, limit, offset } };
    }),
  );

  app.get<{ Params: { id: string } }>("/v1/alerts/:id", (req, reply) =>
    handle(gw, req, reply, "alerts.read", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw, own(ctx));
      await meter(ctx, gw);
      const a = await (await alertStore(gw)).get(req.params.id, ctx.principal!.nation);
      if (!a) throw new NotFound(`no alert ${req.params.id}`);
      ctx.auditExtra = { ...ctx.auditExtra, alert: a.id };
      return { kind: "json", status: 200, body: { object: "alert", ...a } };
    }),
  );

  /** One triage change: authorize, validate, apply the pure change under the store's lock, audit the alert id. */
  const change = (path: string, apply: (ctx: RequestContext, a: AlertRecord, at: Date) => AlertRecord) =>
    app.post<{ Params: { id: string } }>(path, (req, reply) =>
      handle(gw, req, reply, "alerts.triage", async (ctx) => {
        await authenticate(ctx, gw);
        authorize(ctx, gw, own(ctx));
        await meter(ctx, gw);
        ctx.auditExtra = { ...ctx.auditExtra, alert: req.params.id };
        const a = await (await alertStore(gw)).update(req.params.id, ctx.principal!.nation, (cur) => apply(ctx, cur, new Date()));
        if (!a) throw new NotFound(`no alert ${req.params.id}`);
        ctx.auditExtra = { ...ctx.auditExtra, status: a.status };
        return { kind: "json", status: 200, body: { object: "alert", ...a } };
      }),
    );

  for (const action of ["acknowledge", "close", "reopen"] as const) {
    change(`/v1/alerts/:id/${action}`, (ctx, a, at) => {
      const body = ctx.body === undefined ? {} : parse(ctx, TransitionBody);
      if (body.comment) classifyInput(ctx, gw, body.comment, "the comment");
      return transition(a, action, { by: by(ctx), at, ...(body.reason ? { reason: body.reason } : {}), ...(body.comment ? { comment: body.comment } : {}) });
    });
  }
  change("/v1/alerts/:id/assign", (ctx, a, at) => assign(a, parse(ctx, AssignBody).assignee, { by: by(ctx), at }));
  change("/v1/alerts/:id/notes", (ctx, a, at) => {
    const body = parse(ctx, NoteBody);
    classifyInput(ctx, gw, body.text, "the note");
    return addNote(a, body.text, { by: by(ctx), at });
  });
}
