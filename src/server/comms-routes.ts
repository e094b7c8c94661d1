import type { FastifyInstance } from "fastify";
import { InvalidRequest } from "../errors/index.ts";
import { ApertiumTranslator, createPseudonymizer, handleAnalyze, handleTranslate, LlmTranslator, type Translator } from "../workloads/comms/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { checkProhibitedUse, classifyInput } from "./guard.ts";
import { askSecondOpinion } from "./second-opinion.ts";
import { handle } from "./pipeline.ts";
import { workloadComplete } from "./route.ts";
import { loadOrCreateSecret } from "./secrets.ts";
import { authenticate, authorize, meter } from "./stages.ts";

function texts(body: unknown, field: "messages" | "text"): string {
  const b = body as Record<string, unknown> | null;
  if (field === "text") {
    const parts = [b?.["text"], ...(Array.isArray(b?.["texts"]) ? (b["texts"] as unknown[]) : [])];
    return parts.filter((x): x is string => typeof x === "string").join("\n");
  }
  const msgs = Array.isArray(b?.["messages"]) ? (b["messages"] as unknown[]) : [];
  return msgs.map((m) => (m && typeof m === "object" && typeof (m as { text?: unknown }).text === "string" ? (m as { text: string }).text : "")).join("\n");
}

/** The engines a request may use: the LLM through residency routing when a model is configured, then Apertium. */
function translators(ctx: RequestContext, gw: Gateway): Translator[] {
  const engines: Translator[] = [];
  if (gw.cfg.workloads.model) engines.push(new LlmTranslator({ complete: workloadComplete(ctx, gw) }));
  engines.push(new ApertiumTranslator());
  return engines;
}

function requireObject(body: unknown): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new InvalidRequest("request body must be a JSON object");
}

/** Translation and communication analysis: messages are analysed, people are not (authors pseudonymised). */
export function registerCommsRoutes(app: FastifyInstance, gw: Gateway): void {
  const pseudonymKey = loadOrCreateSecret(gw.cfg.data_dir, "pseudonym");

  app.post("/v1/workloads/translate", (req, reply) =>
    handle(gw, req, reply, "comms.translate", async (ctx) => {
      await authenticate(ctx, gw);
      requireObject(ctx.body);
      classifyInput(ctx, gw, texts(ctx.body, "text"), "the text to translate");
      authorize(ctx, gw);
      await meter(ctx, gw);
      const result = await handleTranslate(ctx.body, translators(ctx, gw));
      ctx.auditExtra = { ...ctx.auditExtra, engine: result.route.engine };
      return { kind: "json", status: 200, body: result };
    }),
  );

  app.post("/v1/workloads/comms/analyze", (req, reply) =>
    handle(gw, req, reply, "comms.analyze", async (ctx) => {
      await authenticate(ctx, gw);
      requireObject(ctx.body);
      classifyInput(ctx, gw, texts(ctx.body, "messages"), "the messages");
      const purpose = (ctx.body as { options?: { purpose?: unknown } }).options?.purpose;
      if (typeof purpose === "string") checkProhibitedUse(ctx, purpose);
      authorize(ctx, gw);
      await meter(ctx, gw);
      if (typeof purpose === "string") await askSecondOpinion(ctx, gw, purpose);
      const body = ctx.body as { messages?: unknown[]; options?: { purpose?: unknown } };
      const result = await handleAnalyze(ctx.body, {
        pseudonymize: createPseudonymizer({ key: pseudonymKey, officialAccounts: gw.cfg.official_accounts }),
        translators: translators(ctx, gw),
        ...(gw.cfg.workloads.model ? { complete: workloadComplete(ctx, gw) } : {}),
      });
      ctx.auditExtra = {
        ...ctx.auditExtra,
        messages: Array.isArray(body.messages) ? body.messages.length : 0,
        purpose: typeof body.options?.purpose === "string" ? body.options.purpose.slice(0, 100) : null,
      };
      return { kind: "json", status: 200, body: result };
    }),
  );
}
