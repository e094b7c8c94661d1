import { extname } from "node:path";
import { InvalidRequest, PayloadTooLarge } from "../../../errors/index.ts";
import type { ExtractedDocument, Format } from "../model.ts";
import { DOCX_LIMITS, extractDocx } from "./docx.ts";
import { htmlBlocks } from "./html.ts";
import { extractMarkdown } from "./markdown.ts";
import { extractPdf } from "./pdf-pool.ts";
import { extractText } from "./text.ts";

export interface ExtractLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  readonly maxPages: number;
  /** Most bytes a compressed container (DOCX) may inflate to, all parts together. */
  readonly maxExpandedBytes?: number;
}
export const DEFAULT_LIMITS: ExtractLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 2000, maxExpandedBytes: DOCX_LIMITS.maxExpandedBytes };

/**
 * The format of a file: by its magic bytes first (a renamed file is still what it is), then by its extension.
 * Refuses containers Concord cannot read rather than indexing their bytes as text.
 */
export function detectFormat(filename: string, bytes: Uint8Array): Format {
  const head = Buffer.alloc(8);
  head.set(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new InvalidRequest("the file is an OLE compound document: a legacy .doc/.xls or a password-encrypted Office file; save it as an unencrypted DOCX or PDF");
  }
  if (head.readUInt32BE(0) === 0x504b0304) {
    if (extname(filename).toLowerCase() === ".docx" || Buffer.from(bytes).includes("word/document.xml")) return "docx";
    throw new InvalidRequest("the file is a zip archive that is not a DOCX document; upload PDF, DOCX, HTML, Markdown or plain text");
  }
  const ext = extname(filename).toLowerCase();
  if (ext === ".pdf") {
    // Readers tolerate bytes before the header, but look for it only near the start (the PDF reference's
    // implementation notes name the first 1024 bytes). Without one the file is not a PDF: refusing it here spares
    // a parser worker (seconds, under load) for an answer known at once.
    if (!Buffer.from(bytes.subarray(0, 1024)).includes("%PDF-")) {
      throw new InvalidRequest("the file is named .pdf but is not a PDF (no %PDF- header in its first 1024 bytes); upload the document itself");
    }
    return "pdf";
  }
  if (ext === ".docx") return "docx";
  if (ext === ".html" || ext === ".htm" || ext === ".xhtml") return "html";
  if (ext === ".md" || ext === ".markdown") return "markdown";
  if (/^\s*<(?:!doctype html|html)[\s>]/i.test(Buffer.from(bytes.subarray(0, 512)).toString("latin1"))) return "html";
  return "text";
}

/** Decoded text of a text format; binary content or invalid UTF-8 is refused, never indexed as noise. */
function decodeText(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new InvalidRequest("the file holds binary data; upload PDF, DOCX, HTML, Markdown or UTF-8 text");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InvalidRequest("the file is not valid UTF-8 text; convert it to UTF-8 and upload again");
  }
}

export async function extract(filename: string, bytes: Uint8Array, limits: ExtractLimits = DEFAULT_LIMITS): Promise<ExtractedDocument> {
  if (bytes.byteLength > limits.maxBytes) {
    throw new PayloadTooLarge(`the file is ${bytes.byteLength} bytes; at most ${limits.maxBytes} are accepted`);
  }
  if (bytes.byteLength === 0) throw new InvalidRequest("the file is empty");
  const format = detectFormat(filename, bytes);
  const doc = await byFormat(format, bytes, limits);
  if (!doc.blocks.some((b) => b.text.trim() !== "")) {
    throw new InvalidRequest(format === "pdf" ? "the PDF has no extractable text (a scanned PDF needs OCR first)" : "the file has no text to index");
  }
  return doc;
}

async function byFormat(format: Format, bytes: Uint8Array, limits: ExtractLimits): Promise<ExtractedDocument> {
  switch (format) {
    case "pdf": return extractPdf(bytes, limits);
    case "docx": return extractDocx(bytes, { ...DOCX_LIMITS, maxExpandedBytes: limits.maxExpandedBytes ?? DOCX_LIMITS.maxExpandedBytes });
    case "html": {
      const { title, blocks, margins } = htmlBlocks(decodeText(bytes));
      return { format, title, blocks, pages: null, margins };
    }
    case "markdown": return extractMarkdown(decodeText(bytes));
    case "text": return extractText(decodeText(bytes));
  }
}
