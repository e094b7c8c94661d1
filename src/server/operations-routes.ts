import type { FastifyInstance } from "fastify";
import { InvalidRequest, NotFound } from "../errors/index.ts";
import { hasRole } from "../identity/index.ts";
import type { Gateway } from "./gateway.ts";
import { handle } from "./pipeline.ts";
import { authenticate, authorize } from "./stages.ts";

export interface OperationsSummary {
  readonly generated_at: string;
  /** The endpoints the nation may use (all of them for the alliance view), with their circuit as health. */
  readonly endpoints: { id: string; jurisdiction: string; health: string; outstanding: number }[];
  readonly nations: {
    nation: string;
    quota: { requests_this_minute: number; requests_per_minute: number; tokens_today: number; tokens_per_day: number };
    /** The last hour, a minute a row, oldest first; what this gateway process answered. */
    minutes: { at: string; requests: number; refused: number }[];
  }[];
}

/**
 * GET /v1/operations/summary[?nation=<ISO 3166 alpha-3>] — endpoints and their health, each nation's quota use against its
 * budget, and requests and refusals per minute over the last hour. Cedar decides under `admin.operations` on a
 * resource of the nation asked for: the default policies let a nation's admin see its own nation and the alliance
 * admin any nation or all of them (no `nation`). /metrics stays the operators' public, counts-only view.
 */
export function registerOperationsRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get("/v1/operations/summary", (req, reply) =>
    handle(gw, req, reply, "admin.operations", async (ctx) => {
      await authenticate(ctx, gw);
      const p = ctx.principal!;
      const raw = (req.query as Record<string, unknown>)["nation"];
      const asked = Array.isArray(raw) ? raw[0] : raw;
      if (asked !== undefined && (typeof asked !== "string" || !/^[A-Z]{3}$/.test(asked))) {
        throw new InvalidRequest("query parameter nation: an ISO 3166-1 alpha-3 code", { param: "nation" });
      }
      // Without `nation`, an alliance admin asks for every nation and anyone else for their own.
      const target = (asked as string | undefined) ?? (hasRole(p, "alliance-admin") ? undefined : p.nation);
      authorize(ctx, gw, { kind: "operations", nation: target ?? "*" });
      if (target !== undefined && !gw.cfg.nations[target]) throw new NotFound(`${target} is not a member of this network`);
      return { kind: "json", status: 200, body: await summary(gw, target, Date.now()) };
    }),
  );
}

async function summary(gw: Gateway, target: string | undefined, now: number): Promise<OperationsSummary> {
  const nations = target !== undefined ? [target] : Object.keys(gw.cfg.nations).sort();
  const reachable = target !== undefined ? gw.allowed(target) : null;
  const endpoints = gw.registry.states
    .filter((s) => reachable === null || reachable.has(s.endpoint.jurisdiction))
    .map((s) => ({ id: s.endpoint.id, jurisdiction: s.endpoint.jurisdiction, health: s.breaker.state === "closed" ? "healthy" : s.breaker.state, outstanding: s.outstanding }));
  return {
    generated_at: new Date(now).toISOString(),
    endpoints,
    nations: await Promise.all(
      nations.map(async (nation) => {
        const budget = gw.cfg.nations[nation]!.quota;
        const used = await gw.quota.usage(nation, now);
        const minutes = gw.metrics.minutes.lastHour(nation, now).map((m) => ({ at: new Date(m.at).toISOString(), requests: m.requests, refused: m.refused }));
        return {
          nation,
          quota: { requests_this_minute: used.requestsThisMinute, requests_per_minute: budget.requests_per_minute, tokens_today: used.tokensToday, tokens_per_day: budget.tokens_per_day },
          minutes,
        };
      }),
    ),
  };
}
