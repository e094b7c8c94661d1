import type { Citation } from "../model.ts";
import { aiLabel, type AiLabel } from "./label.ts";
import { pageRank, selectMmr, similarityMatrix, tfidf } from "./rank.ts";
import { sentencesOf, type Sentence, type SummarizableDocument } from "./sentences.ts";

export type ExtractiveMethod = "lexrank" | "lead";

export interface ExtractiveOptions {
  method?: ExtractiveMethod;
  /** Sentences in the summary (default 3 per document, at most 10 in all). */
  sentences?: number;
  /**
   * Teleport the random walk preferentially to early sentences (weight 1/sqrt(position+1)): reports put their
   * point first. Off gives plain LexRank.
   */
  positionBias?: boolean;
  now?: Date;
}

export interface SummarySentence {
  readonly text: string;
  /** Where the sentence comes from: exactly one for an extracted sentence, one or more for a generated claim. */
  readonly citations: readonly Citation[];
  readonly score: number;
}

export interface Summary {
  readonly object: "summary";
  readonly method: ExtractiveMethod | "abstractive";
  /** ISO 639-3: the documents' language (the most common one across several). */
  readonly language: string;
  readonly documents: readonly { document_id: string; title: string }[];
  readonly sentences: readonly SummarySentence[];
  /** The sentences joined, each followed by its citation marker [n] (n indexes `sentences`). */
  readonly text: string;
  readonly label: AiLabel;
}

/**
 * Extractive summary of one or several documents: lead-k, or LexRank centrality with MMR redundancy removal.
 * Sentences are quoted verbatim in their own language, in document order, each cited to document/page/paragraph.
 */
export function summarizeExtractive(docs: readonly SummarizableDocument[], opts: ExtractiveOptions = {}): Summary {
  const method = opts.method ?? "lexrank";
  const k = opts.sentences ?? Math.min(10, 3 * Math.max(1, docs.length));
  const perDoc = docs.map(sentencesOf);
  const chosen = method === "lead" ? lead(perDoc, k) : lexrank(perDoc, k, opts.positionBias ?? true);
  const order = new Map(docs.map((d, i) => [d.document_id, i]));
  chosen.sort((a, b) => order.get(a.s.citation.document_id)! - order.get(b.s.citation.document_id)! || a.s.position - b.s.position);
  const sentences = chosen.map(({ s, score }) => ({ text: s.text, citations: [s.citation], score }));
  return {
    object: "summary",
    method,
    language: majorityLanguage(docs),
    documents: docs.map((d) => ({ document_id: d.document_id, title: d.title })),
    sentences,
    text: sentences.map((s, i) => `${s.text} [${i + 1}]`).join(" "),
    label: aiLabel(method === "lead" ? "concord extractive (lead-k)" : "concord extractive (LexRank + MMR)", opts.now),
  };
}

/** First sentences of each document in turn (for one document: plain lead-k). */
function lead(perDoc: Sentence[][], k: number): { s: Sentence; score: number }[] {
  const out: { s: Sentence; score: number }[] = [];
  for (let pos = 0; out.length < k && perDoc.some((d) => d.length > pos); pos++) {
    for (const d of perDoc) {
      const s = d[pos];
      if (s && out.length < k) out.push({ s, score: 1 / (pos + 1) });
    }
  }
  return out;
}

export function lexrank(perDoc: Sentence[][], k: number, positionBias: boolean): { s: Sentence; score: number }[] {
  const all = perDoc.flat();
  if (all.length === 0) return [];
  const sim = similarityMatrix(tfidf(all.map((s) => s.terms)));
  const prior = positionBias ? all.map((s) => 1 / Math.sqrt(s.position + 1)) : undefined;
  const scores = pageRank(sim, prior ? { prior } : {});
  return selectMmr(scores, sim, k).map((i) => ({ s: all[i]!, score: scores[i]! }));
}

export function majorityLanguage(docs: readonly SummarizableDocument[]): string {
  const count = new Map<string, number>();
  for (const d of docs) count.set(d.language, (count.get(d.language) ?? 0) + d.passages.reduce((n, p) => n + p.text.length, 0));
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "und";
}
