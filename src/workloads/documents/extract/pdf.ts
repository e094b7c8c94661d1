import type { TextItem } from "pdfjs-dist/types/src/display/api.js";
import { InvalidRequest, PayloadTooLarge } from "../../../errors/index.ts";
import type { Block, ExtractedDocument } from "../model.ts";

interface Line { text: string; size: number; y: number; page: number }

/**
 * Text of a PDF with its layout turned back into structure: items become lines by baseline, lines become
 * paragraphs where the vertical gap widens or the font size changes, and lines set larger than the body text
 * become headings. Page numbers are kept on every block. Runs inside a PDF worker thread (pdf-worker.ts), never
 * on the gateway's event loop: callers go through `extractPdf` in pdf-pool.ts.
 */
export async function readPdf(bytes: Uint8Array, limits: { maxPages: number }): Promise<ExtractedDocument> {
  // pdfjs detaches the buffer it is given; hand it a copy so the caller's bytes (hashed, stored) stay intact.
  // pdf.js takes seconds to import: load it with the worker's first PDF, not with the worker.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "PasswordException") throw new InvalidRequest("the PDF is encrypted with a password; upload a copy without the password", { cause: err });
    throw new InvalidRequest("the file is not a readable PDF (its structure is damaged or truncated)", { cause: err });
  }
  try {
    if (doc.numPages > limits.maxPages) {
      throw new PayloadTooLarge(`the PDF has ${doc.numPages} pages; at most ${limits.maxPages} are accepted`);
    }
    const meta = await doc.getMetadata().catch(() => null);
    const info = meta?.info as Record<string, unknown> | undefined;
    const title = typeof info?.Title === "string" && info.Title.trim() !== "" ? info.Title.trim() : null;
    const lines: Line[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      lines.push(...toLines(content.items.filter((i): i is TextItem => "str" in i), n));
      page.cleanup();
    }
    const margins = ["Subject", "Keywords", "Author"].map((k) => info?.[k]).filter((v): v is string => typeof v === "string" && v.trim() !== "");
    return { format: "pdf", title, blocks: toBlocks(lines), pages: doc.numPages, margins };
  } catch (err) {
    if (err instanceof PayloadTooLarge) throw err;
    // A document that opens but whose pages or content streams are damaged: pdf.js throws plain Errors.
    throw new InvalidRequest("the file is not a readable PDF (a page or its content is damaged)", { cause: err });
  } finally {
    await doc.destroy();
  }
}

function toLines(items: TextItem[], page: number): Line[] {
  const lines: Line[] = [];
  let cur: (Line & { endX: number }) | null = null;
  for (const it of items) {
    if (it.str === "") continue;
    const [a = 0, b = 0, , , x = 0, y = 0] = it.transform as number[];
    const size = Math.hypot(a, b) || it.height;
    if (cur && Math.abs(cur.y - y) <= 0.4 * Math.max(size, cur.size)) {
      const gap = x - cur.endX;
      cur.text += gap > size * 0.15 && !cur.text.endsWith(" ") && !it.str.startsWith(" ") ? ` ${it.str}` : it.str;
      cur.size = Math.max(cur.size, size);
      cur.endX = x + it.width;
      continue;
    }
    if (cur) lines.push(cur);
    cur = { text: it.str, size, y, page, endX: x + it.width };
  }
  if (cur) lines.push(cur);
  return lines.map(({ text, size, y, page: p }) => ({ text: text.replace(/\s+/g, " ").trim(), size, y, page: p })).filter((l) => l.text !== "");
}

function toBlocks(lines: Line[]): Block[] {
  const body = bodySize(lines);
  const isHeading = (l: Line) => l.size >= body * 1.15 && l.text.split(" ").length <= 15;
  const gaps = lines.slice(1).map((l, i) => (l.page === lines[i]!.page ? lines[i]!.y - l.y : NaN)).filter((g) => g > 0);
  const lineGap = median(gaps) ?? body * 1.2;

  const blocks: Block[] = [];
  let para: Line[] = [];
  const flush = () => {
    if (para.length === 0) return;
    const first = para[0]!;
    const text = para.reduce((acc, l) => (acc.endsWith("-") && /^\p{Ll}/u.test(l.text) ? acc.slice(0, -1) + l.text : acc === "" ? l.text : `${acc} ${l.text}`), "");
    blocks.push(isHeading(first) ? { kind: "heading", text, page: first.page, level: headingLevel(first.size, body) } : { kind: "paragraph", text, page: first.page });
    para = [];
  };
  for (const line of lines) {
    const prev = para[para.length - 1];
    const breaks =
      !prev ||
      prev.page !== line.page ||
      isHeading(prev) !== isHeading(line) ||
      Math.abs(prev.size - line.size) > 0.5 ||
      prev.y - line.y > lineGap * 1.45;
    if (breaks) flush();
    para.push(line);
  }
  flush();
  return blocks;
}

/** The font size that carries the most characters: the body text's. */
function bodySize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const l of lines) {
    const s = Math.round(l.size * 2) / 2;
    chars.set(s, (chars.get(s) ?? 0) + l.text.length);
  }
  let best = 10;
  let most = -1;
  for (const [s, n] of chars) if (n > most) { best = s; most = n; }
  return best;
}

function headingLevel(size: number, body: number): number {
  const r = size / body;
  return r >= 1.8 ? 1 : r >= 1.4 ? 2 : 3;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
