/**
 * What a corpus analysis remembers for its report, in bounded memory: counts by language and label, sentiment
 * sums by channel and day, the few most positive and negative messages, and per-day term counts pruned to the
 * frequent ones. Nothing here is keyed by author; official accounts are counted under their configured names.
 */
import { createRequire } from "node:module";
import { tokenize } from "./sentiment.ts";
import { findLanguage } from "./languages.ts";
import type { SentimentLabel } from "./sentiment.ts";

export interface AnalyzedMessage {
  id: string;
  language: string;
  confidence: number;
  sentiment: { label: SentimentLabel; score: number; evidence: { word: string; weight: number }[] };
  translation?: string;
  /** Pseudonym, or the name of an official account. */
  author?: string;
  channel?: string;
  time?: string;
}

export interface QuotedMessage { id: string; text: string; score: number; language: string; channel?: string; time?: string; author?: string }
export interface SeriesPoint { day: string; mean: number; n: number; positive: number; negative: number }
export interface TermShift { term: string; before: number; after: number; change: number }

export interface CorpusSummary {
  purpose: string;
  messages: number;
  malformed: number;
  malformedLines: { line: number; reason: string }[];
  translated: number;
  untranslated: number;
  languages: { language: string; count: number }[];
  labels: Record<SentimentLabel, number>;
  /** Per channel, mean sentiment per UTC day (messages without a time are not in the series). */
  series: { channel: string; points: SeriesPoint[] }[];
  mostPositive: QuotedMessage[];
  mostNegative: QuotedMessage[];
  rising: TermShift[];
  falling: TermShift[];
  officialAccounts: { account: string; messages: number; mean: number }[];
}

// Function words never "move" meaningfully; stopwords-iso (MIT) covers 24 of the 28 member languages.
const STOPWORDS = createRequire(import.meta.url)("stopwords-iso") as Record<string, string[]>;
const stopwordSets = new Map<string, ReadonlySet<string>>();
function stopwordsFor(lang: string): ReadonlySet<string> {
  let set = stopwordSets.get(lang);
  if (!set) stopwordSets.set(lang, (set = new Set(STOPWORDS[lang === "nob" ? "no" : findLanguage(lang)?.iso1 ?? ""] ?? [])));
  return set;
}

const QUOTE_CHARS = 280;
const TERMS_PER_DAY = 3000;
const MAX_CHANNELS = 50;
const MAX_MALFORMED_KEPT = 100;

class TopK {
  private items: QuotedMessage[] = [];
  constructor(private readonly k: number, private readonly better: (a: number, b: number) => boolean) {}
  offer(score: number, make: () => QuotedMessage): void {
    if (this.k === 0) return;
    const worst = this.items[this.items.length - 1];
    if (this.items.length >= this.k && worst && !this.better(score, worst.score)) return;
    this.items.push(make());
    this.items.sort((a, b) => (this.better(a.score, b.score) ? -1 : 1));
    if (this.items.length > this.k) this.items.pop();
  }
  list(): QuotedMessage[] { return [...this.items]; }
}

export class SummaryBuilder {
  private messages = 0;
  private malformed = 0;
  private readonly malformedLines: { line: number; reason: string }[] = [];
  private translated = 0;
  private untranslated = 0;
  private readonly languages = new Map<string, number>();
  private readonly labels: Record<SentimentLabel, number> = { positive: 0, neutral: 0, negative: 0 };
  private readonly series = new Map<string, Map<string, { sum: number; n: number; positive: number; negative: number }>>();
  private readonly positive: TopK;
  private readonly negative: TopK;
  private readonly terms = new Map<string, Map<string, number>>(); // day -> term -> count
  private readonly dayCounts = new Map<string, number>();
  private readonly official = new Map<string, { n: number; sum: number }>();

  constructor(private readonly purpose: string, topMessages: number, private readonly byOfficialAccount: boolean) {
    this.positive = new TopK(topMessages, (a, b) => a > b);
    this.negative = new TopK(topMessages, (a, b) => a < b);
  }

  addMalformed(line: number, reason: string): void {
    this.malformed++;
    if (this.malformedLines.length < MAX_MALFORMED_KEPT) this.malformedLines.push({ line, reason });
  }

  add(m: AnalyzedMessage, text: string, official: boolean, translationWanted: boolean): void {
    this.messages++;
    this.languages.set(m.language, (this.languages.get(m.language) ?? 0) + 1);
    this.labels[m.sentiment.label]++;
    if (translationWanted) m.translation !== undefined ? this.translated++ : this.untranslated++;
    const quote = (): QuotedMessage => ({
      id: m.id, text: text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text, score: m.sentiment.score, language: m.language,
      ...(m.channel ? { channel: m.channel } : {}), ...(m.time ? { time: m.time } : {}), ...(m.author ? { author: m.author } : {}),
    });
    if (m.sentiment.score > 0) this.positive.offer(m.sentiment.score, quote);
    if (m.sentiment.score < 0) this.negative.offer(m.sentiment.score, quote);
    if (official && this.byOfficialAccount && m.author) {
      const o = this.official.get(m.author) ?? { n: 0, sum: 0 };
      o.n++;
      o.sum += m.sentiment.score;
      this.official.set(m.author, o);
    }
    if (!m.time) return;
    const day = m.time.slice(0, 10);
    const channel = m.channel ?? "(none)";
    let byDay = this.series.get(channel);
    if (!byDay) {
      if (this.series.size >= MAX_CHANNELS) return;
      this.series.set(channel, (byDay = new Map()));
    }
    const p = byDay.get(day) ?? { sum: 0, n: 0, positive: 0, negative: 0 };
    p.sum += m.sentiment.score;
    p.n++;
    if (m.sentiment.label === "positive") p.positive++;
    if (m.sentiment.label === "negative") p.negative++;
    byDay.set(day, p);
    this.countTerms(day, text, m.language);
  }

  private countTerms(day: string, text: string, language: string): void {
    this.dayCounts.set(day, (this.dayCounts.get(day) ?? 0) + 1);
    let counts = this.terms.get(day);
    if (!counts) this.terms.set(day, (counts = new Map()));
    const stop = stopwordsFor(language);
    for (const t of new Set(tokenize(text, language))) {
      if (t.length < 4 || stop.has(t)) continue;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    // Bounded memory: past the cap, the rarest terms of the day are forgotten.
    if (counts.size > TERMS_PER_DAY * 2) {
      const kept = [...counts].sort((a, b) => b[1] - a[1]).slice(0, TERMS_PER_DAY);
      counts.clear();
      for (const [t, c] of kept) counts.set(t, c);
    }
  }

  /** Terms whose share of messages changed most between the first and second half of the days. */
  private shifts(): { rising: TermShift[]; falling: TermShift[] } {
    const days = [...this.terms.keys()].sort();
    if (days.length < 2) return { rising: [], falling: [] };
    const mid = Math.ceil(days.length / 2);
    const sum = (ds: string[]) => {
      const total = ds.reduce((a, d) => a + (this.dayCounts.get(d) ?? 0), 0);
      const c = new Map<string, number>();
      for (const d of ds) for (const [t, n] of this.terms.get(d) ?? []) c.set(t, (c.get(t) ?? 0) + n);
      return { total, c };
    };
    const before = sum(days.slice(0, mid)), after = sum(days.slice(mid));
    const all = new Set([...before.c.keys(), ...after.c.keys()]);
    const shifts: TermShift[] = [];
    for (const term of all) {
      const b = before.c.get(term) ?? 0, a = after.c.get(term) ?? 0;
      if (a + b < 2) continue;
      // Share of messages mentioning the term, smoothed so a term seen once does not "move" by infinity.
      const change = Math.log2(((a + 0.5) / (after.total + 1)) / ((b + 0.5) / (before.total + 1)));
      shifts.push({ term, before: b, after: a, change: Math.round(change * 100) / 100 });
    }
    const rising = shifts.filter((s) => s.change >= 1).sort((x, y) => y.change - x.change || y.after - x.after).slice(0, 10);
    const falling = shifts.filter((s) => s.change <= -1).sort((x, y) => x.change - y.change || y.before - x.before).slice(0, 10);
    return { rising, falling };
  }

  build(): CorpusSummary {
    return {
      purpose: this.purpose,
      messages: this.messages,
      malformed: this.malformed,
      malformedLines: [...this.malformedLines],
      translated: this.translated,
      untranslated: this.untranslated,
      languages: [...this.languages].map(([language, count]) => ({ language, count })).sort((a, b) => b.count - a.count),
      labels: { ...this.labels },
      series: [...this.series].map(([channel, byDay]) => ({
        channel,
        points: [...byDay].sort((a, b) => a[0].localeCompare(b[0])).map(([day, p]) => ({ day, mean: Math.round((p.sum / p.n) * 1000) / 1000, n: p.n, positive: p.positive, negative: p.negative })),
      })).sort((a, b) => a.channel.localeCompare(b.channel)),
      mostPositive: this.positive.list(),
      mostNegative: this.negative.list(),
      ...this.shifts(),
      officialAccounts: [...this.official].map(([account, o]) => ({ account, messages: o.n, mean: Math.round((o.sum / o.n) * 1000) / 1000 })),
    };
  }
}
