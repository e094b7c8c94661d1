import { GuardUnavailable, ProhibitedUse } from "../errors/index.ts";
import { consultSecondOpinion } from "../policy/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { completionText } from "./guard.ts";
import { route } from "./route.ts";
import { mapChatText } from "./openai-schema.ts";

const WHAT = {
  mass_surveillance: "mass surveillance (bulk identification, tracking or profiling of people)",
  autonomous_weapons: "autonomous weapons (weapon guidance or engagement without a human)",
  targeting: "targeting (selecting or locating targets to strike)",
} as const;

/**
 * The second-opinion stage: when `guard.second_opinion` is configured, asks its model whether a request the rules
 * allowed seeks a prohibited use. It runs after authorization and metering, so a caller who may not use the
 * gateway cannot spend model calls, and the question travels through the same residency routing as the request:
 * the text never reaches an endpoint its nation does not allow. It can only refuse, never allow what the rules
 * refused. The audit entry records the stage's decision; the text and the model's answer are not kept.
 */
export async function askSecondOpinion(ctx: RequestContext, gw: Gateway, text: string): Promise<void> {
  const cfg = gw.cfg.guard.second_opinion;
  if (!cfg || text.length === 0) return;
  // The question's routing is not the request's: keep the request's endpoint for its own route stage and audit.
  const endpoint = ctx.endpoint;
  const opinion = await consultSecondOpinion(text, async (messages) => {
    const body = { model: cfg.model, messages, stream: false, temperature: 0, max_tokens: 64 };
    const d = await route(ctx, gw, cfg.model, "/chat/completions", body, false, mapChatText, "second_opinion_route");
    d.release(true);
    if (d.result.kind !== "json" || d.result.status >= 400) throw new Error(`endpoint ${d.state.endpoint.id} answered ${d.result.kind === "json" ? d.result.status : "with a stream"}`);
    return completionText(d.result.json);
  }, cfg.on_error).finally(() => { ctx.endpoint = endpoint; });
  if (opinion.decision === "allow") {
    ctx.decisions.push({ stage: "second_opinion", decision: "allow", reason: opinion.failed ? "unavailable_allowed" : "none" });
    if (opinion.failed) ctx.auditExtra = { ...ctx.auditExtra, second_opinion_error: opinion.detail ?? "" };
    return;
  }
  if (opinion.reason === null) {
    ctx.decisions.push({ stage: "second_opinion", decision: "deny", reason: "unavailable" });
    ctx.auditExtra = { ...ctx.auditExtra, second_opinion_error: opinion.detail };
    throw new GuardUnavailable(`the prohibited-use second opinion (model ${cfg.model}) could not judge this request, and this gateway refuses what it cannot judge (guard.second_opinion.on_error: refuse); try again later, or ask an operator to check the model's endpoints`);
  }
  ctx.decisions.push({ stage: "second_opinion", decision: "deny", reason: opinion.reason });
  ctx.auditExtra = { ...ctx.auditExtra, prohibited_rule: "second_opinion" };
  throw new ProhibitedUse(`this request falls under a use the alliance prohibits: ${WHAT[opinion.reason]}; judged by the second-opinion model ${cfg.model}. Concord cannot be used for it`, { details: { reason: opinion.reason, rule: "second_opinion" } });
}
