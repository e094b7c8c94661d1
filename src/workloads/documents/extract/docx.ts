import JSZip from "jszip";
import { InvalidRequest } from "../../../errors/index.ts";
import type { ExtractedDocument } from "../model.ts";
import { htmlBlocks } from "./html.ts";

/** Word's Title style is not in mammoth's default map; treat it as the top heading. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** DOCX through mammoth's semantic HTML (headings from paragraph styles), then the HTML reader. */
export async function extractDocx(bytes: Uint8Array): Promise<ExtractedDocument> {
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
