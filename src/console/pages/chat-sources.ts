import { html, trusted, type Html } from "../html.ts";
import { renderMarkdown } from "../markdown.ts";
import type { Translator } from "../i18n/index.ts";
import type { UserContext } from "../page.ts";
import { documentAnchor, snippetText } from "./documents.ts";

/**
 * A chat grounded in documents: the console searches the documents released to the caller's nation (the same
 * search API, so releasability applies), gives the model the best excerpts numbered [1]..[n], and renders each
 * [n] the answer cites as a link to that document, page and paragraph, with the excerpt listed below.
 */
export interface Source { readonly n: number; readonly document_id: string; readonly title: string; readonly page: number | null; readonly paragraph: number; readonly excerpt: string }

const MAX_SOURCES = 5;

/**
 * The search's query language joins words with AND; a question's words are joined with OR instead (BM25 still
 * ranks the passages matching most of them first). Punctuation and the query syntax (-, field:, quotes) go.
 */
export function groundingQuery(message: string): string {
  const words = [...new Set((message.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => w !== "or"))].slice(0, 12);
  return words.join(" OR ");
}

export async function findSources(ctx: UserContext, message: string): Promise<Source[]> {
  const q = groundingQuery(message);
  if (!q) return [];
  const res = ctx.api.ok(await ctx.api.get<{ data: Array<{ document_id: string; title: string; snippet: string; page: number | null; paragraph: number }> }>(`/v1/workloads/documents/search?q=${encodeURIComponent(q)}&limit=${MAX_SOURCES}`));
  return res.json.data.map((h, i) => ({ n: i + 1, document_id: h.document_id, title: h.title, page: h.page, paragraph: h.paragraph, excerpt: snippetText(h.snippet) }));
}

/** The instruction and excerpts sent as the system message. */
export function groundingMessage(sources: readonly Source[]): string {
  const lines = sources.map((s) => `[${s.n}] ${s.title}${s.page === null ? "" : `, page ${s.page}`}, paragraph ${s.paragraph}: ${s.excerpt}`);
  return `Answer from the numbered excerpts below. After each statement taken from an excerpt, cite it as [n]. If the excerpts do not answer the question, say so.\n\n${lines.join("\n")}`;
}

/**
 * The answer's Markdown with each cited [n] made a link to its source (in the Markdown source, so the renderer's
 * escaping still applies to everything), then the numbered sources.
 */
export function answerHtml(tr: Translator, text: string, sources: readonly Source[]): Html {
  if (!sources.length) return renderMarkdown(text);
  const byN = new Map(sources.map((s) => [s.n, s]));
  const linked = text.replace(/\[(\d{1,2})\](?!\()/g, (m, n: string) => {
    const s = byN.get(Number(n));
    return s ? `[\\[${n}\\]](${documentAnchor(s.document_id, s)})` : m;
  });
  return html`${trusted(renderMarkdown(linked).text)}
<h3>${tr.t("chat.sources")}</h3>
<ol class="citations">${sources.map((s) => html`<li id="source-${s.n}"><a href="${documentAnchor(s.document_id, s)}">${s.page === null
    ? tr.t("documents.citationNoPage", { title: s.title, paragraph: s.paragraph })
    : tr.t("documents.citation", { title: s.title, page: s.page, paragraph: s.paragraph })}</a>: <q>${s.excerpt}</q></li>`)}</ol>`;
}
