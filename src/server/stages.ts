import type { z } from "zod";
import { Forbidden, InvalidRequest, QuotaExceeded } from "../errors/index.ts";
import { hasRole } from "../identity/index.ts";
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

/** Which roles may exercise a capability. Cedar policies (policy/) refine this; roles are the floor. */
function rolesFor(capability: string): string[] {
  if (capability === "admin.audit.entries") return ["auditor", "alliance-auditor", "nation-admin", "alliance-admin"];
  if (capability.startsWith("admin.audit.") && capability !== "admin.audit.cosign") return ["analyst", "reviewer", "auditor", "alliance-auditor", "nation-admin", "alliance-admin"];
  if (capability.startsWith("admin.")) return ["nation-admin", "alliance-admin"];
  return ["analyst"];
}

export function authorize(ctx: RequestContext, _gw: Gateway): void {
  const p = ctx.principal;
  if (!p) throw new Forbidden("no principal");
  const roles = rolesFor(ctx.capability);
  if (!hasRole(p, ...(roles as never[]))) {
    ctx.decisions.push({ stage: "authorize", decision: "deny", reason: "role" });
    throw new Forbidden(`capability ${ctx.capability} needs one of the roles ${roles.join(", ")}; your token carries ${p.roles.join(", ") || "none"}`);
  }
  ctx.decisions.push({ stage: "authorize", decision: "allow", reason: "role" });
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
