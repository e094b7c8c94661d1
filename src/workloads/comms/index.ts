/**
 * Concord's comms workload: language identification, translation, sentiment and corpus analysis over the
 * member languages — of messages, never of people (pseudonymised authors, no per-author output).
 * The only door other folders use.
 */
export { MEMBER_LANGUAGES, UNDETERMINED, findLanguage, toIso3, type MemberLanguage } from "./languages.ts";
export { detectLanguage, loadLanguageIdentifier, sharedLanguageIdentifier, type DetectLanguage, type LanguageGuess } from "./langid.ts";
export { analyzeSentiment, baselineSentiment, type Sentiment, type SentimentLabel } from "./sentiment.ts";
export { translate, translateTexts, chooseRoute, type Translator, type Route, type EngineName, type Translation, type TranslateOptions } from "./translator.ts";
export { ApertiumTranslator, DEBIAN_PAIRS, type ApertiumOptions, type ApertiumPair } from "./apertium.ts";
export { LlmTranslator, llmSentiment, type Complete, type ChatMessage } from "./llm.ts";
export { Glossary, GlossaryEntry, protectTerms } from "./terminology.ts";
export { createPseudonymizer, type Pseudonymize, type PseudonymizerOptions } from "./pseudonym.ts";
export { AnalysisOptions, parseAnalysisOptions, type AnalysisOptionsInput } from "./options.ts";
export { analyzeMessages, type Analysis, type AnalysisDeps } from "./analyze.ts";
export { readCorpus, readCorpusFile, formatFromName, type CorpusFormat, type CorpusRecord, type Message } from "./readers.ts";
export { renderReport, type ReportOptions } from "./report.ts";
export type { AnalyzedMessage, CorpusSummary } from "./summary.ts";
export { TranslateRequest, AnalyzeRequest, handleTranslate, handleAnalyze } from "./requests.ts";
export { assertNotPerPerson } from "./options.ts";
