/**
 * The LLM translator and the LLM sentiment method. Both take an injected `complete` function: the gateway routes
 * it through its own pipeline, so the nation's residency rules, quotas and audit apply to the text sent, and the
 * guard has checked markings and personal data before any text reaches it. This folder never calls a network.
 */
import { UpstreamError } from "../../errors/index.ts";
import { findLanguage } from "./languages.ts";
import type { Route, Translator } from "./translator.ts";
import type { Sentiment, SentimentLabel } from "./sentiment.ts";

export interface ChatMessage { role: "system" | "user" | "assistant"; content: string }
/** One chat completion: messages in, the assistant's text out. */
export type Complete = (messages: ChatMessage[]) => Promise<string>;

const nameOf = (iso3: string) => findLanguage(iso3)?.name ?? iso3;

export function translationPrompt(text: string, from: string, to: string): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        `You translate from ${nameOf(from)} to ${nameOf(to)}. Reply with the translation only, no comments. ` +
        "Tokens like ⟦1⟧ stand for names and terms: copy each one unchanged into the place it belongs.",
    },
    { role: "user", content: text },
  ];
}

export interface LlmTranslatorOptions {
  complete: Complete;
  /** Requests in flight at once. */
  concurrency?: number;
}

export class LlmTranslator implements Translator {
  readonly engine = "llm" as const;
  private readonly complete: Complete;
  private readonly concurrency: number;

  constructor(opts: LlmTranslatorOptions) {
    this.complete = opts.complete;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
  }

  async route(from: string, to: string): Promise<Route | undefined> {
    return findLanguage(from) && findLanguage(to) ? { engine: "llm", path: [from, to] } : undefined;
  }

  async translateBatch(texts: readonly string[], route: Route): Promise<string[]> {
    const from = route.path[0] as string, to = route.path[route.path.length - 1] as string;
    const out = new Array<string>(texts.length);
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const i = next++;
        const text = texts[i] as string;
        out[i] = text.trim() === "" ? text : (await this.complete(translationPrompt(text, from, to))).trim();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, texts.length) }, worker));
    return out;
  }
}

export function sentimentPrompt(text: string, lang: string): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        `Classify the sentiment of a ${nameOf(lang)} message as positive, neutral or negative. ` +
        'Reply with JSON only: {"label":"positive|neutral|negative","score":-1..1,"evidence":["word",...]} where evidence lists the words that decided it.',
    },
    { role: "user", content: text },
  ];
}

/** The optional second method: asks the model, and validates its answer strictly. */
export async function llmSentiment(text: string, lang: string, complete: Complete): Promise<Sentiment> {
  const reply = await complete(sentimentPrompt(text, lang));
  const json = reply.slice(reply.indexOf("{"), reply.lastIndexOf("}") + 1);
  let parsed: { label?: unknown; score?: unknown; evidence?: unknown };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch {
    throw new UpstreamError("the model's sentiment answer was not JSON");
  }
  const labels: SentimentLabel[] = ["positive", "neutral", "negative"];
  if (!labels.includes(parsed.label as SentimentLabel)) throw new UpstreamError("the model's sentiment answer had no valid label");
  const score = typeof parsed.score === "number" && Number.isFinite(parsed.score) ? Math.max(-1, Math.min(1, parsed.score)) : 0;
  const evidence = Array.isArray(parsed.evidence)
    ? parsed.evidence.filter((w): w is string => typeof w === "string").slice(0, 20).map((word) => ({ word, weight: Math.sign(score) }))
    : [];
  return { label: parsed.label as SentimentLabel, score, evidence };
}
