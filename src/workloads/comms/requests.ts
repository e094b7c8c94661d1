/**
 * Request bodies of the two HTTP routes, as zod schemas and pure handlers the gateway calls after its guard:
 * `POST /v1/workloads/translate` and `POST /v1/workloads/comms/analyze`. The gateway supplies the engines, the
 * pseudonymisation key and the official accounts; these functions do no I/O of their own.
 */
import { z } from "zod";
import { InvalidRequest } from "../../errors/index.ts";
import { Glossary } from "./terminology.ts";
import { translateTexts, type Route, type Translator } from "./translator.ts";
import { analyzeMessages, type AnalysisDeps } from "./analyze.ts";
import { assertNotPerPerson } from "./options.ts";
import { toMessage, type CorpusRecord } from "./readers.ts";
import type { AnalyzedMessage, CorpusSummary } from "./summary.ts";

export const TranslateRequest = z
  .object({
    text: z.string().max(200_000).optional(),
    texts: z.array(z.string().max(50_000)).min(1).max(1000).optional(),
    from: z.string(),
    to: z.string(),
    glossary: Glossary.optional(),
    acronyms: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.text === undefined) !== (r.texts === undefined), "give exactly one of text and texts");
export type TranslateRequest = z.infer<typeof TranslateRequest>;

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.join(".") ?? "";
  throw new InvalidRequest(`${what}: ${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`, { param: path || null });
}

/** `{"object":"translation","text"|"texts","route":{"engine","path"}}`; errors as translateTexts. */
export async function handleTranslate(body: unknown, engines: readonly Translator[]): Promise<{ object: "translation"; text?: string; texts?: string[]; route: Route }> {
  const req = parse(TranslateRequest, body, "translate request");
  const texts = req.texts ?? [req.text as string];
  const r = await translateTexts(texts, { from: req.from, to: req.to, engines, glossary: req.glossary ?? [], acronyms: req.acronyms ?? true });
  return req.texts ? { object: "translation", texts: r.texts, route: r.route } : { object: "translation", text: r.texts[0] as string, route: r.route };
}

export const AnalyzeRequest = z
  .object({
    /** Each `{id?, text, time?, channel?, author?}`; an invalid one is counted as malformed (line = index + 1). */
    messages: z.array(z.unknown()).min(1).max(10_000),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * `{"object":"comms.analysis","data":[AnalyzedMessage...],"summary":CorpusSummary}`. ProhibitedUse
 * (mass_surveillance) when any field but the messages asks for per-person output; InvalidRequest otherwise.
 */
export async function handleAnalyze(body: unknown, deps: AnalysisDeps): Promise<{ object: "comms.analysis"; data: AnalyzedMessage[]; summary: CorpusSummary }> {
  if (body && typeof body === "object") {
    const { messages: _messages, ...rest } = body as Record<string, unknown>;
    assertNotPerPerson(rest);
  }
  const req = parse(AnalyzeRequest, body, "analyze request");
  const records: CorpusRecord[] = req.messages.map((m, i) => toMessage(m, i + 1));
  const analysis = analyzeMessages(records, req.options ?? {}, deps);
  const data: AnalyzedMessage[] = [];
  for await (const r of analysis.results) data.push(r);
  return { object: "comms.analysis", data, summary: analysis.summary() };
}
