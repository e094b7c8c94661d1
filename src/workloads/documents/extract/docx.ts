import JSZip from "jszip";
import { InvalidRequest, PayloadTooLarge } from "../../../errors/index.ts";
import type { ExtractedDocument } from "../model.ts";
import { htmlBlocks } from "./html.ts";

/** Word's Title style is not in mammoth's default map; treat it as the top heading. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** A DOCX is a zip: its parts are inflated only up to these bounds (a zip bomb is refused, not expanded). */
export const DOCX_LIMITS = { maxExpandedBytes: 128 * 1024 * 1024, maxEntries: 10_000 };

interface StreamHelper {
  on(e: "data", f: (chunk: Uint8Array) => void): StreamHelper;
  on(e: "error", f: (err: Error) => void): StreamHelper;
  on(e: "end", f: () => void): StreamHelper;
  pause(): StreamHelper;
  resume(): StreamHelper;
}

/**
 * Inflates every part once, counting the bytes it really produces (never the sizes the zip declares, which a
 * crafted file can lie about) and stopping at the bound; a damaged part is refused here rather than surfacing
 * later as a plain Error from mammoth or JSZip.
 */
async function checkExpansion(bytes: Uint8Array, limits: typeof DOCX_LIMITS): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new InvalidRequest("the file is not a readable DOCX document (its zip container is damaged)", { cause: err });
  }
  const parts = Object.values(zip.files).filter((f) => !f.dir);
  if (parts.length > limits.maxEntries) throw new PayloadTooLarge(`the DOCX holds ${parts.length} parts; at most ${limits.maxEntries} are accepted`);
  let total = 0;
  for (const part of parts) {
    await new Promise<void>((resolve, reject) => {
      // internalStream is documented JSZip API (ZipObject#internalStream) that its typings leave out.
      const stream = (part as unknown as { internalStream(type: "uint8array"): StreamHelper }).internalStream("uint8array");
      stream
        .on("data", (chunk) => {
          total += chunk.length;
          if (total > limits.maxExpandedBytes) {
            stream.pause();
            reject(new PayloadTooLarge(`the DOCX expands beyond ${limits.maxExpandedBytes} bytes; a document this large is refused`));
          }
        })
        .on("error", (err) => reject(new InvalidRequest("the file is not a readable DOCX document (a part of its zip container is damaged)", { cause: err })))
        .on("end", () => resolve())
        .resume();
    });
  }
}

/** DOCX through mammoth's semantic HTML (headings from paragraph styles), then the HTML reader. */
export async function extractDocx(bytes: Uint8Array, limits: typeof DOCX_LIMITS = DOCX_LIMITS): Promise<ExtractedDocument> {
  await checkExpansion(bytes, limits);
  let html: string;
  try {
    const { default: mammoth } = await import("mammoth");
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, { styleMap: STYLE_MAP, includeDefaultStyleMap: true });
    html = result.value;
  } catch (err) {
    throw new InvalidRequest("the file is not a readable DOCX document (its zip container or word/document.xml is damaged)", { cause: err });
  }
  const { blocks } = htmlBlocks(html);
  return { format: "docx", title: null, blocks, pages: null, margins: await margins(bytes) };
}

/** Headers, footers and core properties: mammoth skips them, but banners and markings are written there. */
async function margins(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((n) => /^word\/(header|footer)\d*\.xml$/.test(n) || n === "docProps/core.xml" || n === "docProps/custom.xml");
  const out: string[] = [];
  for (const name of parts) {
    const xml = await zip.file(name)!.async("string");
    // Paragraph ends become line ends, so a banner stays on a line of its own.
    const text = xml.replace(/<\/w:p>|<\/(?:dc|cp|dcterms|vt):[^>]*>/g, "\n").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
    out.push(...text.split("\n").map((l) => l.trim()).filter(Boolean));
  }
  return out;
}
