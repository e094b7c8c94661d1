import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { InvalidRequest } from "../errors/index.ts";
import { compileRules, detectEvents, readRuleSources, type RuleSet } from "../workloads/cyber/index.ts";
import { solvePlan } from "../workloads/logistics/index.ts";
import { persistDetections } from "./alert-routes.ts";
import type { Gateway } from "./gateway.ts";
import { classifyInput } from "./guard.ts";
import { handle } from "./pipeline.ts";
import { authenticate, authorize, meter, parse } from "./stages.ts";

const DetectRequest = z
  .object({
    /** JSON records, or raw log lines (syslog, auditd, CEF, Zeek TSV...) read as `concord detect` reads a file. */
    events: z.array(z.union([z.record(z.string(), z.unknown()), z.string().max(1_000_000)])).min(1).max(10_000),
    /** Sigma rules as YAML texts; without them the gateway's configured rule set runs. */
    rules: z.array(z.string().min(1).max(256 * 1024)).min(1, "send at least one rule, or leave `rules` out to run the configured rule set").max(200).optional(),
    logsource: z.object({ product: z.string().optional(), category: z.string().optional(), service: z.string().optional() }).strict().optional(),
  })
  .strict();

const PlanQuery = z.object({ time_limit: z.string().regex(/^\d{1,5}$/, "seconds, a whole number").transform(Number).optional() }).strict();

/** Cyber detection and logistics planning over HTTP: the same workload calls the CLI makes. */
export function registerWorkloadRoutes(app: FastifyInstance, gw: Gateway): void {
  // The configured rule set compiles once, on first use, so a gateway that never detects pays nothing.
  let configured: Promise<RuleSet> | undefined;
  const configuredRules = () => {
    if (gw.cfg.workloads.sigma_rules.length === 0) throw new InvalidRequest("no Sigma rules are configured (workloads.sigma_rules); send rules with the request");
    configured ??= readRuleSources(gw.cfg.workloads.sigma_rules).then((sources) => compileRules(sources));
    configured.catch(() => { configured = undefined; });
    return configured;
  };

  app.post("/v1/workloads/detect", (req, reply) =>
    handle(gw, req, reply, "cyber.detect", async (ctx) => {
      await authenticate(ctx, gw);
      const body = parse(ctx, DetectRequest);
      authorize(ctx, gw);
      await meter(ctx, gw);
      const ruleSet = body.rules ? compileRules(body.rules.map((text, i) => ({ path: `request:rules[${i}]`, text }))) : await configuredRules();
      const ls = body.logsource;
      const logsource = ls ? { ...(ls.product ? { product: ls.product } : {}), categories: ls.category ? [ls.category] : [], services: ls.service ? [ls.service] : [] } : undefined;
      const alerts = detectEvents(ruleSet, body.events, { source: "request", ...(logsource ? { logsource } : {}) });
      // Each detection is kept as an open alert of the caller's nation (alerts/), in the same order.
      const alertIds = await persistDetections(gw, ctx, alerts, ruleSet.parsed);
      ctx.auditExtra = { ...ctx.auditExtra, events: body.events.length, alerts: alerts.length };
      return {
        kind: "json",
        status: 200,
        body: {
          object: "detection",
          alerts,
          alert_ids: alertIds,
          unsupported_rules: ruleSet.unsupported.map((u) => ({ id: u.id, ...(u.file ? { file: u.file } : {}), reason: u.reason })),
        },
      };
    }),
  );

  app.post("/v1/workloads/logistics/plan", (req, reply) =>
    handle(gw, req, reply, "logistics.plan", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      const q = PlanQuery.safeParse(req.query);
      if (!q.success) throw new InvalidRequest(`query: ${q.error.issues[0]?.path.join(".")}: ${q.error.issues[0]?.message}`);
      if (ctx.body === null || typeof ctx.body !== "object") throw new InvalidRequest("request body must be a scenario (JSON object)");
      classifyInput(ctx, gw, JSON.stringify(ctx.body), "the scenario");
      await meter(ctx, gw);
      const limit = Math.min(q.data.time_limit ?? Infinity, gw.cfg.workloads.plan_time_limit / 1000);
      const plan = await solvePlan(ctx.body, { timeLimitSeconds: limit, signal: ctx.signal });
      ctx.auditExtra = { ...ctx.auditExtra, plan_status: plan.status };
      return { kind: "json", status: 200, body: plan };
    }),
  );
}
