import type { Citation, Passage } from "../model.ts";
import { sentences as split, terms } from "../text.ts";

/** A document as the summarizer needs it: an id for citations, its language, its passages in order. */
export interface SummarizableDocument {
  readonly document_id: string;
  readonly title: string;
  readonly language: string;
  readonly passages: readonly Passage[];
}

export interface Sentence {
  readonly text: string;
  readonly citation: Citation;
  readonly language: string;
  /** Position of the sentence in its document, from 0. */
  readonly position: number;
  /** Index terms (stemmed in the document's language). */
  readonly terms: readonly string[];
}

/** Fewer words than this is a fragment (a list bullet, a caption), not a sentence worth extracting. */
const MIN_WORDS = 5;

export function sentencesOf(doc: SummarizableDocument): Sentence[] {
  const out: Sentence[] = [];
  for (const p of doc.passages) {
    for (const text of split(p.text, doc.language)) {
      if (text.split(/\s+/).length < MIN_WORDS || !/\p{L}{2}/u.test(text)) continue;
      out.push({
        text,
        citation: { document_id: doc.document_id, page: p.page, paragraph: p.paragraph },
        language: doc.language,
        position: out.length,
        terms: terms(text, doc.language),
      });
    }
  }
  return out;
}
