/**
 * Corpus analysis, one message at a time: language, sentiment, optional translation, author pseudonym; the
 * summary for the report accumulates beside it. Messages stream through; with a target language they are held
 * in small batches so each engine call (an Apertium process, a pool of LLM requests) serves many messages.
 */
import type { DetectLanguage } from "./langid.ts";
import { sharedLanguageIdentifier } from "./langid.ts";
import { analyzeSentiment } from "./sentiment.ts";
import { llmSentiment, type Complete } from "./llm.ts";
import type { Pseudonymize } from "./pseudonym.ts";
import { toIso3, UNDETERMINED } from "./languages.ts";
import { translateTexts, type Translator } from "./translator.ts";
import { parseAnalysisOptions, type AnalysisOptionsInput } from "./options.ts";
import { SummaryBuilder, type AnalyzedMessage, type CorpusSummary } from "./summary.ts";
import type { CorpusRecord, Message } from "./readers.ts";

export interface AnalysisDeps {
  /** Keyed pseudonyms for authors (createPseudonymizer); required, so no output can carry a real author. */
  pseudonymize: Pseudonymize;
  /** Translation engines in order of preference; needed only with `to`. */
  translators?: readonly Translator[];
  /** The LLM endpoint, for `llm_sentiment`. */
  complete?: Complete;
  detect?: DetectLanguage;
  /** Called for each malformed record (the CLI prints it on stderr). */
  onMalformed?: (line: number, reason: string) => void;
  /** Called once per language pair that no engine can serve. */
  onUntranslatable?: (from: string, to: string, reason: string) => void;
}

export interface Analysis {
  /** One result per well-formed message, in input order. */
  results: AsyncGenerator<AnalyzedMessage>;
  /** The report's data; complete once `results` is exhausted. */
  summary(): CorpusSummary;
}

const BATCH = 100;

function isRecord(x: CorpusRecord | Message): x is CorpusRecord {
  return "kind" in x;
}

/**
 * Analyses messages (or reader records). Throws ProhibitedUse for options asking for per-person output and
 * InvalidRequest for other bad options, before reading anything.
 */
export function analyzeMessages(
  input: AsyncIterable<CorpusRecord | Message> | Iterable<CorpusRecord | Message>,
  optionsInput: AnalysisOptionsInput | unknown,
  deps: AnalysisDeps,
): Analysis {
  const opts = parseAnalysisOptions(optionsInput);
  const to = opts.to ? toIso3(opts.to, "to") : undefined;
  const summary = new SummaryBuilder(opts.purpose, opts.top_messages, opts.group_by.includes("official_account"));
  const unservable = new Set<string>();

  async function analyseOne(m: Message, detect: DetectLanguage): Promise<{ result: AnalyzedMessage; official: boolean }> {
    const guess = detect(m.text);
    const sentiment = opts.llm_sentiment && deps.complete && guess.language !== UNDETERMINED
      ? await llmSentiment(m.text, guess.language, deps.complete)
      : analyzeSentiment(m.text, guess.language);
    const who = m.author ? deps.pseudonymize(m.author) : undefined;
    const result: AnalyzedMessage = { id: m.id, language: guess.language, confidence: guess.confidence, sentiment };
    if (who) result.author = who.author;
    if (m.channel) result.channel = m.channel;
    if (m.time) result.time = m.time;
    return { result, official: who?.official ?? false };
  }

  async function translateBatch(batch: { m: Message; result: AnalyzedMessage }[]): Promise<void> {
    if (!to) return;
    const byLanguage = new Map<string, typeof batch>();
    for (const b of batch) {
      const lang = b.result.language;
      if (lang === UNDETERMINED) continue;
      if (lang === to) { b.result.translation = b.m.text; continue; }
      byLanguage.set(lang, [...(byLanguage.get(lang) ?? []), b]);
    }
    for (const [from, items] of byLanguage) {
      if (unservable.has(from)) continue;
      try {
        const { texts } = await translateTexts(items.map((i) => i.m.text), { from, to, engines: deps.translators ?? [], glossary: opts.glossary });
        texts.forEach((t, k) => { (items[k] as (typeof items)[number]).result.translation = t; });
      } catch (err) {
        unservable.add(from);
        deps.onUntranslatable?.(from, to, err instanceof Error ? err.message : String(err));
      }
    }
  }

  async function* run(): AsyncGenerator<AnalyzedMessage> {
    const detect = deps.detect ?? (await sharedLanguageIdentifier());
    let batch: { m: Message; result: AnalyzedMessage; official: boolean }[] = [];
    const flush = function* () {
      for (const b of batch) {
        summary.add(b.result, b.m.text, b.official, to !== undefined);
        yield b.result;
      }
      batch = [];
    };
    for await (const item of input) {
      if (isRecord(item) && item.kind === "malformed") {
        summary.addMalformed(item.line, item.reason);
        deps.onMalformed?.(item.line, item.reason);
        continue;
      }
      const m = isRecord(item) ? (item as Extract<CorpusRecord, { kind: "message" }>).message : item;
      const { result, official } = await analyseOne(m, detect);
      batch.push({ m, result, official });
      if (!to || batch.length >= BATCH) {
        await translateBatch(batch);
        yield* flush();
      }
    }
    await translateBatch(batch);
    yield* flush();
  }

  return { results: run(), summary: () => summary.build() };
}
