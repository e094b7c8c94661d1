import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { InvalidRequest } from "../errors/index.ts";
import { hasRole } from "../identity/index.ts";
import {
  DISCLOSURE_HEADER, PROVENANCE_HEADER, disclosureHeader, generatedOutput, labelBody, sha256Hex, signProvenance, signedBy, viewOf,
  type PolicyRecord, type ReviewStatus,
} from "../oversight/index.ts";
import { Forbidden } from "../errors/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { handle, type Outcome } from "./pipeline.ts";
import { authenticate, parse } from "./stages.ts";

/**
 * The oversight step of the pipeline (label, hold) and the routes of DESIGN.md's review and governance APIs.
 */

/** What the pipeline does after auditing a JSON answer: sign its provenance, note the hold's audit index. */
export type AfterAudit = (auditIndex: number) => Promise<Record<string, string>>;

const none: AfterAudit = async () => ({});

/**
 * Labels a model-generated JSON result as AI-generated (header and body field) and, for a capability under review,
 * holds it: the caller gets 202 and a review id instead. Runs before the audit append, so the audited response
 * hash covers the labelled body; the provenance signature, which names the audit index, follows in a header.
 */
export async function labelAndHold(gw: Gateway, ctx: RequestContext, outcome: Outcome & { kind: "json" }): Promise<{ outcome: Outcome & { kind: "json" }; after: AfterAudit }> {
  const body = outcome.body;
  const endpoint = ctx.endpoint;
  const generated = endpoint !== undefined && outcome.status === 200 && body !== null && typeof body === "object" && !Array.isArray(body);
  let labelled = outcome;
  let sign: ((index: number) => Promise<string>) | null = null;
  if (generated) {
    const model = String((body as { model?: unknown }).model ?? (ctx.body as { model?: unknown } | null)?.model ?? endpoint.id);
    const labelledBody = labelBody(body as Record<string, unknown>, model, endpoint.id, endpoint.jurisdiction);
    labelled = { ...outcome, body: labelledBody, headers: { ...outcome.headers, [DISCLOSURE_HEADER]: disclosureHeader(model, endpoint.id) } };
    sign = (index) =>
      signProvenance(gw.oversight.provenance, {
        output_sha256: sha256Hex(generatedOutput(labelledBody)), model, endpoint: endpoint.id, jurisdiction: endpoint.jurisdiction,
        policy_version: gw.policyVersion(), audit_index: index, time: new Date().toISOString(),
      });
  }
  // Held: any successful result of a capability under review, model-generated or computed by a workload.
  if (outcome.status !== 200 || !ctx.principal || !gw.oversight.reviews.mustHold(ctx.capability)) {
    return { outcome: labelled, after: sign ? async (index) => ({ [PROVENANCE_HEADER]: await (sign as (i: number) => Promise<string>)(index) }) : none };
  }
  const text = typeof labelled.body === "string" ? labelled.body : JSON.stringify(labelled.body);
  const review = await gw.oversight.reviews.hold({
    capability: ctx.capability, principal: ctx.principal, result: { status: 200, body: text, headers: labelled.headers ?? {} },
    // The body as received and let through by the guard, kept like the result (unredacted) for the reviewer to read.
    request: ctx.body, requestSha256: ctx.requestHash, responseSha256: sha256Hex(text), policyVersion: gw.policyVersion(),
  });
  ctx.auditExtra = { ...ctx.auditExtra, review_id: review.id, held_sha256: sha256Hex(text) };
  return {
    outcome: { kind: "json", status: 202, body: viewOf(review, false) },
    after: async (index) => {
      await gw.oversight.reviews.noteAuditIndex(review.id, index, sign ? { [PROVENANCE_HEADER]: await sign(index) } : {});
      return {};
    },
  };
}

const Comment = z.object({ comment: z.string().max(2000).optional() }).strict();
const Rejection = z.object({ comment: z.string().min(1, "say why the result is rejected").max(2000) }).strict();
const Proposal = z.object({ bundle: z.unknown(), summary: z.string().max(2000).optional() }).strict();
const Approval = z.object({ comment: z.string().max(2000).optional(), signature: z.string().max(1000).optional() }).strict();
const ReviewStatusQ = z.enum(["pending", "approved", "rejected", "expired"]).optional();
const ProposalStatusQ = z.enum(["pending", "adopted", "rejected", "superseded"]).optional();

function bodyOrEmpty(ctx: RequestContext): void {
  if (ctx.body === undefined || ctx.body === null) ctx.body = {};
}

function statusQuery<T extends z.ZodType>(q: unknown, schema: T): z.infer<T> {
  const r = schema.safeParse((q as { status?: unknown } | undefined)?.status || undefined);
  if (!r.success) throw new InvalidRequest("status must be one of pending, approved, rejected, expired (reviews) or pending, adopted, rejected, superseded (proposals)", { param: "status" });
  return r.data;
}

function requireRole(ctx: RequestContext, ...roles: Parameters<typeof hasRole>[1][]): void {
  const p = ctx.principal;
  if (!p || !hasRole(p, ...roles)) throw new Forbidden(`${ctx.capability} needs one of the roles ${roles.join(", ")}; your token carries ${p?.roles.join(", ") || "none"}`);
}

export function registerOversightRoutes(app: FastifyInstance, gw: Gateway): void {
  const o = gw.oversight;
  type IdParams = { Params: { id: string } };

  app.get<IdParams>("/v1/reviews/:id", (req, reply) =>
    handle(gw, req, reply, "reviews.poll", async (ctx) => {
      await authenticate(ctx, gw);
      const { view, record } = await o.reviews.poll(req.params.id, ctx.principal!);
      ctx.auditExtra = { review_id: record.id };
      if (view.status !== "approved" || !record.result) return { kind: "json", status: 200, body: view };
      // The held body is spliced in as stored, so the released result is byte for byte what would have been sent.
      const head = JSON.stringify(view);
      return { kind: "json", status: 200, body: `${head.slice(0, -1)},"result":${record.result.body}}`, headers: record.result.headers };
    }),
  );

  app.get("/admin/reviews", (req, reply) =>
    handle(gw, req, reply, "admin.reviews.list", async (ctx) => {
      await authenticate(ctx, gw);
      requireRole(ctx, "reviewer", "nation-admin", "alliance-admin", "auditor", "alliance-auditor");
      const data = await o.reviews.list(ctx.principal!, statusQuery(req.query, ReviewStatusQ) as ReviewStatus | undefined);
      return { kind: "json", status: 200, body: { object: "list", data } };
    }),
  );

  for (const verb of ["approve", "reject"] as const) {
    app.post<IdParams>(`/admin/reviews/:id/${verb}`, (req, reply) =>
      handle(gw, req, reply, `admin.reviews.${verb}`, async (ctx) => {
        await authenticate(ctx, gw);
        bodyOrEmpty(ctx);
        const comment = verb === "reject" ? parse(ctx, Rejection).comment : (parse(ctx, Comment).comment ?? "");
        ctx.auditExtra = { review_id: req.params.id };
        const r = verb === "approve" ? await o.reviews.approve(req.params.id, ctx.principal!, comment) : await o.reviews.reject(req.params.id, ctx.principal!, comment);
        return { kind: "json", status: 200, body: viewOf(r, false) };
      }),
    );
  }

  app.post("/admin/proposals", (req, reply) =>
    handle(gw, req, reply, "admin.proposals.create", async (ctx) => {
      await authenticate(ctx, gw);
      requireRole(ctx, "nation-admin");
      const body = parse(ctx, Proposal);
      const p = await o.governance.propose(ctx.principal!, body.bundle, body.summary ?? "");
      ctx.auditExtra = { proposal_id: p.id, bundle_sha256: p.bundle_hash };
      return { kind: "json", status: 201, body: proposalView(gw, p) };
    }),
  );

  app.get("/admin/proposals", (req, reply) =>
    handle(gw, req, reply, "admin.proposals.list", async (ctx) => {
      await authenticate(ctx, gw);
      const list = await o.governance.list(statusQuery(req.query, ProposalStatusQ));
      return { kind: "json", status: 200, body: { object: "list", data: list.map((p) => proposalView(gw, p)) } };
    }),
  );

  app.get<IdParams>("/admin/proposals/:id", (req, reply) =>
    handle(gw, req, reply, "admin.proposals.get", async (ctx) => {
      await authenticate(ctx, gw);
      const p = await o.governance.get(req.params.id);
      return { kind: "json", status: 200, body: { ...proposalView(gw, p), bundle: await o.governance.bundleByVersion(p.bundle_hash) } };
    }),
  );

  for (const verb of ["approve", "object"] as const) {
    app.post<IdParams>(`/admin/proposals/:id/${verb}`, (req, reply) =>
      handle(gw, req, reply, `admin.proposals.${verb}`, async (ctx) => {
        await authenticate(ctx, gw);
        requireRole(ctx, "nation-admin");
        bodyOrEmpty(ctx);
        ctx.auditExtra = { proposal_id: req.params.id };
        const p = verb === "approve"
          ? await (async () => { const b = parse(ctx, Approval); return o.governance.approve(req.params.id, ctx.principal!, b.comment ?? "", b.signature); })()
          : await o.governance.object(req.params.id, ctx.principal!, parse(ctx, Comment).comment ?? "");
        return { kind: "json", status: 200, body: proposalView(gw, p) };
      }),
    );
  }

  app.get("/admin/policy", (req, reply) =>
    handle(gw, req, reply, "admin.policy.get", async (ctx) => {
      await authenticate(ctx, gw);
      await o.governance.tick();
      return { kind: "json", status: 200, body: await policyRecord(gw) };
    }),
  );

  // Public: anyone holding a Concord output may check it, so the verifying key needs no credential.
  app.get("/v1/provenance/key", async () => ({ alg: "EdDSA", crv: "Ed25519", kid: o.provenance.kid, public_key: o.provenance.publicKeyBase64 }));
}

type ProposalRecordT = Awaited<ReturnType<Gateway["oversight"]["governance"]["get"]>>;

function proposalView(gw: Gateway, p: ProposalRecordT) {
  const deadline = gw.oversight.governance.deadline(p);
  return {
    object: "proposal",
    id: p.id,
    status: p.status,
    status_reason: p.status_reason,
    bundle_sha256: p.bundle_hash,
    parent_sha256: p.parent_hash,
    proposer: { nation: p.proposer_nation, subject: p.proposer_subject },
    summary: p.summary,
    created_at: new Date(p.created_at).toISOString(),
    ...(deadline !== undefined ? { deadline: new Date(deadline).toISOString() } : {}),
    quorum: p.quorum,
    approved_by: p.note ? signedBy(p.note, gw.oversight.keys.verifiers) : [],
    objections: p.objections.map((x) => ({ nation: x.nation, comment: x.comment, at: new Date(x.at).toISOString() })),
    /** What a nation signs offline (`concord policy sign`). */
    text: p.text,
    note: p.note,
  };
}

/** The bundle in force with its whole signed history, for `concord policy verify`. */
export async function policyRecord(gw: Gateway): Promise<PolicyRecord & { signatures: string[] }> {
  const g = gw.oversight.governance;
  const history = [];
  for (const a of await g.history()) {
    const proposal = a.proposal_id ? await g.get(a.proposal_id) : null;
    history.push({ version: a.version, parent: a.parent, bundle: await g.bundleByVersion(a.version), proposal_id: a.proposal_id, adopted_at: new Date(a.adopted_at).toISOString(), note: proposal?.note ?? null });
  }
  const head = history.at(-1);
  return { version: g.version(), bundle: g.bundle(), signatures: head?.note ? signedBy(head.note, gw.oversight.keys.verifiers) : [], history };
}

/**
 * The provenance of a streamed chat answer, signed once the stream ended and its final audit entry is appended:
 * `observe` collects each choice's delta text as the payloads go out; `sign` returns the last SSE payload, a chunk
 * with an empty delta carrying `concord_provenance` (OpenAI clients ignore fields they do not know). The
 * signed output is what the non-streamed answer's would be: the choices' text joined by a blank line. Null when
 * the stream was no chat completion (nothing to sign).
 */
export function streamProvenance(gw: Gateway, ctx: RequestContext): { observe(payload: string): void; sign(auditIndex: number): Promise<string | null> } | null {
  const endpoint = ctx.endpoint;
  if (!endpoint) return null;
  const texts: string[] = [];
  let last: { id?: unknown; created?: unknown; model?: unknown } = {};
  let chat = false;
  return {
    observe(payload) {
      let chunk: { id?: unknown; created?: unknown; model?: unknown; object?: unknown; choices?: Array<{ index?: unknown; delta?: { content?: unknown } }> };
      try { chunk = JSON.parse(payload) as typeof chunk; } catch { return; }
      if (chunk?.object !== "chat.completion.chunk" || !Array.isArray(chunk.choices)) return;
      chat = true;
      last = chunk;
      for (const c of chunk.choices) {
        const i = typeof c?.index === "number" && Number.isInteger(c.index) && c.index >= 0 && c.index < 128 ? c.index : 0;
        if (typeof c?.delta?.content === "string") texts[i] = (texts[i] ?? "") + c.delta.content;
      }
    },
    async sign(auditIndex) {
      if (!chat) return null;
      const model = String(last.model ?? (ctx.body as { model?: unknown } | null)?.model ?? endpoint.id);
      const jws = await signProvenance(gw.oversight.provenance, {
        output_sha256: sha256Hex(Array.from(texts, (t) => t ?? "").join("\n\n")), model, endpoint: endpoint.id, jurisdiction: endpoint.jurisdiction,
        policy_version: gw.policyVersion(), audit_index: auditIndex, time: new Date().toISOString(),
      });
      // An empty delta, as in the chunk that carries finish_reason: clients reading choices[0].delta take it as is.
      return JSON.stringify({ id: last.id ?? null, object: "chat.completion.chunk", created: last.created ?? null, model, choices: [{ index: 0, delta: {}, finish_reason: null }], concord_provenance: jws });
    },
  };
}

/** A streamed model answer is labelled by header; its provenance follows as the last chunk (streamProvenance). */
export function streamLabel(ctx: RequestContext): Record<string, string> {
  if (!ctx.endpoint) return {};
  const model = String((ctx.body as { model?: unknown } | null)?.model ?? ctx.endpoint.id);
  return { [DISCLOSURE_HEADER]: disclosureHeader(model, ctx.endpoint.id) };
}
