import { Marked, type Tokens } from "marked";
import { escapeHtml, trusted, type Html } from "./html.ts";

/**
 * Markdown from a model, rendered safely: raw HTML in the source is shown as text, links keep only http(s),
 * mailto and same-site targets, images become links (nothing loads from elsewhere), task-list checkboxes become
 * text (an unlabelled input would fail accessibility checks). Everything else is marked's escaped output.
 */
const SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(this: { parser: { parseInline(t: Tokens.Link["tokens"]): string } }, { href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href.trim())) return inner;
      return `<a href="${escapeHtml(href.trim())}" rel="noopener noreferrer"${title ? ` title="${escapeHtml(title)}"` : ""}>${inner}</a>`;
    },
    image({ href, text }: Tokens.Image): string {
      if (!SAFE_HREF.test(href.trim())) return escapeHtml(text);
      return `<a href="${escapeHtml(href.trim())}" rel="noopener noreferrer">${escapeHtml(text || href)}</a>`;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? "[x] " : "[ ] ";
    },
  },
});

export function renderMarkdown(source: string): Html {
  return trusted(marked.parse(source, { async: false }) as string);
}
