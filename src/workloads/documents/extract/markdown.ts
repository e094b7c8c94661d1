import { marked } from "marked";
import type { ExtractedDocument } from "../model.ts";
import { htmlBlocks } from "./html.ts";

/** Markdown through marked's CommonMark/GFM renderer, then the HTML reader: one notion of structure for both. */
export function extractMarkdown(text: string): ExtractedDocument {
  // A YAML front-matter block is metadata, not prose; its title (if any) is the document's.
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const body = front ? text.slice(front[0].length) : text;
  const fmTitle = front ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1] ?? "")?.[1] ?? null : null;
  const html = marked.parse(body, { async: false, gfm: true });
  const { blocks } = htmlBlocks(html);
  // Front matter is not prose, but a `classification:` key there is still a marking the guard must see.
  const margins = front ? (front[1] ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
  return { format: "markdown", title: fmTitle, blocks, pages: null, margins };
}
