import type { Block, ExtractedDocument } from "../model.ts";

/**
 * Plain text: paragraphs are separated by blank lines, pages by form feeds (as pdftotext and line printers
 * write them). A short line standing alone, without closing punctuation, that is numbered ("2. Findings") or
 * written in capitals is taken for a heading.
 */
export function extractText(text: string): ExtractedDocument {
  const pages = text.replace(/\r\n?/g, "\n").split("\f");
  const blocks: Block[] = [];
  pages.forEach((pageText, i) => {
    const page = pages.length > 1 ? i + 1 : null;
    for (const chunk of pageText.split(/\n[ \t]*\n/)) {
      const t = chunk.replace(/\s+/g, " ").trim();
      if (t === "") continue;
      const heading = looksLikeHeading(chunk.trim(), t);
      blocks.push(heading ? { kind: "heading", text: t, page, level: heading } : { kind: "paragraph", text: t, page });
    }
  });
  return { format: "text", title: null, blocks, pages: pages.length > 1 ? pages.length : null };
}

function looksLikeHeading(raw: string, t: string): number | 0 {
  if (raw.includes("\n") || t.length > 90 || /[.,;:!?]$/.test(t)) return 0;
  const words = t.split(" ").length;
  if (words > 12) return 0;
  const numbered = /^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+\S/.exec(t);
  if (numbered) return Math.min(6, (t.split(" ")[0]?.split(".").filter(Boolean).length ?? 1));
  const letters = t.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return 1;
  return 0;
}
