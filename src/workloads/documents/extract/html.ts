import { Parser } from "htmlparser2";
import type { Block } from "../model.ts";

const HEADING = /^h([1-6])$/;
/** Elements that end a run of text: each opens a new block. */
const BLOCK = new Set([
  "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table", "blockquote", "pre", "section",
  "article", "header", "footer", "aside", "main", "figure", "figcaption", "address", "br", "hr", "h1", "h2",
  "h3", "h4", "h5", "h6", "caption", "summary", "details",
]);
/** Elements whose text is not part of the document's prose. */
const SKIP = new Set(["script", "style", "noscript", "template", "svg", "math", "head", "nav", "button", "select", "iframe", "object"]);

/**
 * Headings and paragraphs of an HTML document (also the output of mammoth and marked), with its <title>.
 * Streaming, so nesting depth and malformed markup cost nothing.
 */
export function htmlBlocks(html: string): { title: string | null; blocks: Block[]; margins: string[] } {
  const blocks: Block[] = [];
  let title: string | null = null;
  let text = "";
  let heading: number | null = null;
  let skip = 0;
  let inTitle = false;
  const margins: string[] = [];

  const flush = () => {
    const t = text.replace(/\s+/g, " ").trim();
    text = "";
    if (t === "") return;
    blocks.push(heading === null ? { kind: "paragraph", text: t, page: null } : { kind: "heading", text: t, page: null, level: heading });
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === "title") { inTitle = true; return; }
        // <meta name="classification" content="..."> and the like are seen by the guard, not indexed.
        if (name === "meta" && attrs.content) { margins.push(attrs.content); return; }
        if (SKIP.has(name)) { skip++; return; }
        if (skip > 0) return;
        if (BLOCK.has(name)) flush();
        const h = HEADING.exec(name);
        if (h) heading = Number(h[1]);
      },
      ontext(data) {
        if (inTitle) { title = `${title ?? ""}${data}`; return; }
        if (skip === 0) text += data;
      },
      onclosetag(name) {
        if (name === "title") { inTitle = false; return; }
        if (SKIP.has(name)) { skip = Math.max(0, skip - 1); return; }
        if (skip > 0) return;
        if (BLOCK.has(name)) flush();
        if (HEADING.test(name)) heading = null;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const cleanTitle = (title as string | null)?.replace(/\s+/g, " ").trim() || null;
  return { title: cleanTitle, blocks, margins };
}
