import { termOf, words } from "./text.ts";

const WINDOW = 32;

/**
 * A window of the passage around its densest run of query terms, HTML-escaped, with each matching word wrapped
 * in <mark>. Matching is by index term, so the highlight falls on "supplies" for the query "supply".
 */
export function snippet(text: string, queryTerms: ReadonlySet<string>, language: string): string {
  const ws = words(text);
  const hit = ws.map((w) => queryTerms.has(termOf(w.word, language)) || queryTerms.has(termOf(w.word, "und")));
  let bestStart = 0;
  let best = -1;
  for (let i = 0; i < Math.max(1, ws.length - WINDOW + 1); i++) {
    let n = 0;
    for (let j = i; j < Math.min(ws.length, i + WINDOW); j++) if (hit[j]) n++;
    if (n > best) { best = n; bestStart = i; }
  }
  if (ws.length === 0) return escapeHtml(text.slice(0, 200));
  // Start the window a few words before the first hit so the reader gets some lead-in.
  const firstHit = hit.indexOf(true, bestStart);
  const start = Math.max(0, Math.min(bestStart, firstHit === -1 ? bestStart : firstHit - 4));
  const end = Math.min(ws.length, start + WINDOW);
  const from = start === 0 ? 0 : ws[start]!.start;
  const to = end === ws.length ? text.length : ws[end - 1]!.end;
  let out = start === 0 ? "" : "…";
  let pos = from;
  for (let i = start; i < end; i++) {
    const w = ws[i]!;
    if (!hit[i]) continue;
    out += escapeHtml(text.slice(pos, w.start)) + `<mark>${escapeHtml(text.slice(w.start, w.end))}</mark>`;
    pos = w.end;
  }
  out += escapeHtml(text.slice(pos, to)) + (to < text.length ? "…" : "");
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
