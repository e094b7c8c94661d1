import { createHash } from "node:crypto";
import { basename } from "node:path";
import { z } from "zod";
import { InvalidRequest } from "../../errors/index.ts";
import { NationCode } from "../../config/index.ts";
import { extract, DEFAULT_LIMITS, type ExtractLimits } from "./extract/index.ts";
import { detectLanguage, normalizeLanguage } from "./language.ts";
import type { ExtractedDocument, Releasability } from "./model.ts";
import { titleOf, toPassages } from "./passages.ts";
import type { DocumentStore, IndexedPassage, NewDocument } from "./store/types.ts";
import { terms } from "./text.ts";

/** Embeds texts into vectors (an embeddings endpoint, injected by the caller). */
export type Embed = (texts: string[]) => Promise<number[][]>;

export const IngestInput = z
  .object({
    filename: z.string().min(1).max(255),
    bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, "bytes must be a Uint8Array"),
    /** The uploader's nation (from the principal, never from the request body). */
    nation: NationCode,
    /** "all" (the default) or the nations besides the owner that may read the document. */
    releasableTo: z.union([z.literal("all"), z.array(NationCode)]).prefault("all"),
    tags: z.array(z.string().min(1).max(64)).max(32).prefault([]),
    /** The date the document is about (YYYY-MM-DD); defaults to the ingest date. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD").optional(),
    /** Overrides language detection (ISO 639-1 or 639-3). */
    language: z.string().min(2).max(3).optional(),
  })
  .strict();
export type IngestInput = z.input<typeof IngestInput>;

export interface IngestOptions {
  /** The classification guard: throws (ClassificationExceeded) to refuse the text. Called before anything is stored. */
  guard: (text: string) => void;
  limits?: ExtractLimits;
  /** When given, passages are embedded at ingest for vector search. */
  embed?: Embed;
  /** Member nations; when given, releasability may only name these. */
  members?: readonly string[];
  now?: () => Date;
}

export interface IngestResult {
  document_id: string;
  title: string;
  language: string;
  format: string;
  pages: number | null;
  /** Number of passages indexed (absent for a duplicate: nothing was indexed). */
  passages?: number;
  releasable_to: Releasability;
  duplicate: boolean;
}

/**
 * Ingests one file: size and format checks, text extraction, the classification guard (a refused document is
 * never stored), language and structure, then an atomic insert keyed by (owner, SHA-256 of the bytes) so that
 * re-ingesting the same file returns the document already stored.
 */
export async function ingestDocument(store: DocumentStore, input: IngestInput, opts: IngestOptions): Promise<IngestResult> {
  const parsed = IngestInput.safeParse(input);
  if (!parsed.success) throw new InvalidRequest(`invalid document upload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const req = parsed.data;
  const releasable = releasabilityOf(req.releasableTo, req.nation, opts.members);

  const extracted = await extract(req.filename, req.bytes, opts.limits ?? DEFAULT_LIMITS);
  opts.guard(fullText(extracted));

  const contentHash = createHash("sha256").update(req.bytes).digest("hex");
  const existing = await store.findByHash(req.nation, contentHash);
  if (existing) return result(existing, null, true);

  const filename = basename(req.filename);
  const bodyText = extracted.blocks.map((b) => b.text).join("\n");
  const language = req.language ? normalizeLanguage(req.language) : detectLanguage(bodyText);
  const title = titleOf(extracted, filename);
  const passages = toPassages(extracted, language);
  const vectors = opts.embed ? await embedAll(opts.embed, passages.map((p) => p.text)) : null;
  const titleTerms = terms(title, language);
  const indexed: IndexedPassage[] = passages.map((p, i) => ({
    ...p,
    fields: { title: titleTerms, heading: p.heading ? terms(p.heading, language) : [], body: terms(p.text, language) },
    ...(vectors ? { vector: vectors[i]! } : {}),
  }));
  const now = (opts.now ?? (() => new Date()))();
  const doc: NewDocument = {
    document_id: documentId(req.nation, contentHash),
    owner_nation: req.nation,
    releasable_to: releasable,
    content_hash: contentHash,
    filename,
    title,
    language,
    format: extracted.format,
    pages: extracted.pages,
    bytes: req.bytes.byteLength,
    tags: [...new Set(req.tags)],
    date: req.date ?? now.toISOString().slice(0, 10),
    ingested_at: now.toISOString(),
    passages: indexed,
  };
  const { duplicate, document } = await store.insert(doc);
  return result(document, duplicate ? null : indexed.length, duplicate);
}

function result(d: { document_id: string; title: string; language: string; format: string; pages: number | null; releasable_to: Releasability }, passages: number | null, duplicate: boolean): IngestResult {
  return { document_id: d.document_id, title: d.title, language: d.language, format: d.format, pages: d.pages, ...(passages === null ? {} : { passages }), releasable_to: d.releasable_to, duplicate };
}

/** Everything a reader of the document would see, one block per line, for the guard to scan. */
export function fullText(doc: ExtractedDocument): string {
  return [doc.title ?? "", ...(doc.margins ?? []), ...doc.blocks.map((b) => b.text)].join("\n");
}

function releasabilityOf(r: "all" | string[], owner: string, members?: readonly string[]): Releasability {
  if (r === "all") return "all";
  const nations = [...new Set([owner, ...r])].sort();
  const unknown = members ? nations.filter((n) => !members.includes(n)) : [];
  if (unknown.length > 0) throw new InvalidRequest(`releasable_to names nations that are not members: ${unknown.join(", ")}`, { param: "releasable_to" });
  return nations;
}

/** Stable per (owner, content): the same nation re-ingesting the same bytes always lands on the same id. */
export function documentId(owner: string, contentHash: string): string {
  return `doc_${createHash("sha256").update(`${owner}\0${contentHash}`).digest("hex").slice(0, 32)}`;
}

const EMBED_BATCH = 64;
async function embedAll(embed: Embed, texts: string[]): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const batch = texts.slice(i, i + EMBED_BATCH);
    const vs = await embed(batch);
    if (vs.length !== batch.length) throw new InvalidRequest(`the embeddings endpoint returned ${vs.length} vectors for ${batch.length} texts`);
    out.push(...vs);
  }
  return out;
}
