import type { ExtractedDocument, Passage } from "./model.ts";
import { sentences } from "./text.ts";

/** Passages longer than this many words are cut at sentence ends; one passage should be one citable thought. */
const MAX_WORDS = 220;

/**
 * Passages of a document: one per paragraph (long ones split at sentence boundaries, keeping the paragraph's
 * number), each with its page and the nearest heading above it. Paragraphs are numbered from 1 on each page of a
 * paginated document, otherwise through the whole document — as a reader would count them to find the place.
 */
export function toPassages(doc: ExtractedDocument, language: string): Passage[] {
  const out: Passage[] = [];
  let heading: string | null = null;
  let page: number | null = null;
  let paragraph = 0;
  for (const block of doc.blocks) {
    if (block.page !== page) {
      page = block.page;
      if (page !== null) paragraph = 0;
    }
    if (block.kind === "heading") {
      heading = block.text;
      continue;
    }
    paragraph++;
    for (const text of split(block.text, language)) out.push({ seq: out.length, page, paragraph, heading, text });
  }
  // A document that is all headings (a slide outline, a list of titles) is still searchable.
  if (out.length === 0) {
    doc.blocks.forEach((b, i) => out.push({ seq: i, page: b.page, paragraph: i + 1, heading: null, text: b.text }));
  }
  return out;
}

function split(text: string, language: string): string[] {
  if (text.split(/\s+/).length <= MAX_WORDS) return [text];
  const chunks: string[] = [];
  let cur: string[] = [];
  let n = 0;
  for (const s of sentences(text, language)) {
    const w = s.split(/\s+/).length;
    if (n > 0 && n + w > MAX_WORDS) {
      chunks.push(cur.join(" "));
      cur = [];
      n = 0;
    }
    cur.push(s);
    n += w;
  }
  if (cur.length > 0) chunks.push(cur.join(" "));
  return chunks;
}

/** The document's title: its own metadata, else its first top-level heading, else its first words, else the file name. */
export function titleOf(doc: ExtractedDocument, filename: string): string {
  if (doc.title) return clip(doc.title);
  const headings = doc.blocks.filter((b) => b.kind === "heading");
  const top = Math.min(...headings.map((h) => h.level ?? 6));
  const first = headings.find((h) => (h.level ?? 6) === top);
  if (first) return clip(first.text);
  const para = doc.blocks[0]?.text;
  if (para) return clip(para.split(/(?<=[.!?])\s/)[0] ?? para);
  return filename;
}

function clip(s: string): string {
  const t = s.trim();
  return t.length <= 160 ? t : `${t.slice(0, 157).replace(/\s+\S*$/, "")}…`;
}
