import type { z } from "zod";
import { Forbidden, InvalidRequest, QuotaExceeded } from "../errors/index.ts";
import type { Gateway } from "./gateway.ts";
import type { RequestContext } from "./context.ts";

/**
 * The stages every request passes, in DESIGN.md's order. Each reads the context, decides, records the decision,
 * and throws a ConcordError to refuse; the route handlers list them top to bottom.
 */

export async function authenticate(ctx: RequestContext, gw: Gateway): Promise<void> {
  ctx.principal = await gw.authenticator.authenticate(ctx.authorization);
  ctx.allowed = gw.allowed(ctx.principal.nation);
  ctx.decisions.push({ stage: "authenticate", decision: "allow", reason: ctx.principal.via });
}

export function parse<S extends z.ZodType>(ctx: RequestContext, schema: S): z.infer<S> {
  if (ctx.body === undefined || ctx.body === null || typeof ctx.body !== "object") throw new InvalidRequest("request body must be a JSON object");
  const r = schema.safeParse(ctx.body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    const what = issue?.code === "unrecognized_keys" ? `unknown field(s) ${(issue as { keys: string[] }).keys.join(", ")}` : issue?.message ?? "invalid";
    throw new InvalidRequest(`invalid request body${path ? ` at ${path}` : ""}: ${what}`, { param: path || null });
  }
  return r.data;
}

/**
 * Capabilities every authenticated principal has: reading the model list and the log's public hashes
 * (checkpoints and proofs reveal no entry's content).
 */
const OPEN_TO_ALL = new Set(["models", "admin.audit.checkpoint", "admin.audit.proof"]);

/** The Cedar action a capability is decided under: admin sub-actions share their area's action. */
export function cedarAction(capability: string): string {
  const m = /^admin\.(audit|reviews|proposals|policy|keys)(\.|$)/.exec(capability);
  return m ? `admin.${m[1]}` : capability;
}

/**
 * Cedar decides: principal (nation, roles) x capability x resource x context. A deny names the policies that
 * decided it in the audit entry and answers with the code the deciding policy carries.
 */
export function authorize(ctx: RequestContext, gw: Gateway, resource?: { kind: string; id?: string; nation?: string }): void {
  const p = ctx.principal;
  if (!p) throw new Forbidden("no principal");
  if (OPEN_TO_ALL.has(ctx.capability)) {
    ctx.decisions.push({ stage: "authorize", decision: "allow", reason: "open_to_all" });
    return;
  }
  const purpose = ctx.capability.startsWith("chat.") ? ctx.capability.slice(5) : undefined;
  const d = gw.authorizer().authorize({
    principal: { nation: p.nation, subject: p.subject, roles: p.roles },
    action: cedarAction(ctx.capability),
    resource: resource ?? { kind: "request", nation: p.nation },
    context: purpose ? { purpose } : {},
  });
  ctx.decisions.push({ stage: "authorize", decision: d.decision, reason: d.reasons.join(",") || "no_permit" });
  if (d.decision === "allow") return;
  ctx.auditExtra = { ...ctx.auditExtra, policies: d.reasons.join(",") || "none" };
  throw new Forbidden(
    `${p.nation}'s ${p.roles.join(", ") || "role-less"} principal may not use ${ctx.capability}${d.reasons.length ? ` (policy ${d.reasons.join(", ")})` : " (no policy permits it)"}; ask your nation's admin for the role it needs`,
  );
}

export async function meter(ctx: RequestContext, gw: Gateway): Promise<void> {
  const nation = ctx.principal?.nation as string;
  const n = gw.cfg.nations[nation];
  if (!n) throw new Forbidden(`nation ${nation} is not a member of this network`);
  const d = await gw.quota.take(nation, { requestsPerMinute: n.quota.requests_per_minute, tokensPerDay: n.quota.tokens_per_day }, Date.now());
  if (!d.ok) {
    ctx.decisions.push({ stage: "meter", decision: "deny", reason: d.limit });
    throw new QuotaExceeded(`${nation} has used its ${d.limit.replaceAll("_", " ")} budget; retry after ${d.retryAfterSeconds} s`, d.retryAfterSeconds, { details: { limit: d.limit } });
  }
  ctx.decisions.push({ stage: "meter", decision: "allow", reason: "within_budget" });
}
