import { createHash } from "node:crypto";
import { basename } from "node:path";
import { z } from "zod";
import { InvalidRequest, NotFound } from "../../errors/index.ts";
import { NationCode } from "../../config/index.ts";
import { extract, DEFAULT_LIMITS, type ExtractLimits } from "./extract/index.ts";
import { fullText } from "./ingest.ts";
import { detectLanguage } from "./language.ts";
import { titleOf, toPassages } from "./passages.ts";
import { searchDocuments } from "./search.ts";
import type { DocumentStore } from "./store/types.ts";
import { summarizeAbstractive, type AbstractiveSummary, type Complete } from "./summarize/abstractive.ts";
import { summarizeExtractive, type Summary } from "./summarize/extractive.ts";
import type { SummarizableDocument } from "./summarize/sentences.ts";

export const SummarizeRequest = z
  .object({
    document_ids: z.array(z.string().regex(/^doc_[0-9a-f]{32}$/, "a document id looks like doc_ followed by 32 hex digits")).min(1).max(50).optional(),
    /** Instead of ids: summarize the documents that best match this search (as the caller's nation sees them). */
    q: z.string().min(1).max(1000).optional(),
    /** With `q`: how many of the best-matching documents to summarize. */
    top: z.number().int().min(1).max(20).prefault(5),
    /** The caller's nation (from its principal): only documents released to it can be summarized. */
    nation: NationCode,
    mode: z.enum(["extractive", "lead", "abstractive"]).prefault("extractive"),
    sentences: z.number().int().min(1).max(30).optional(),
    language: z.string().min(3).max(3).optional(),
  })
  .strict()
  .refine((r) => (r.document_ids === undefined) !== (r.q === undefined), { message: "give either document_ids or q (a search whose best documents are summarized)" });
export type SummarizeRequest = z.input<typeof SummarizeRequest>;

export interface SummarizeOptions {
  /** Needed for mode "abstractive": the LLM endpoint, already routed and guarded by the caller. */
  complete?: Complete;
}

/**
 * Summarizes stored documents for a nation. Each document is read through the store with the caller's nation,
 * so a document not released to it is indistinguishable from one that does not exist.
 */
export async function summarizeDocuments(store: DocumentStore, request: SummarizeRequest, opts: SummarizeOptions = {}): Promise<Summary | AbstractiveSummary> {
  const parsed = SummarizeRequest.safeParse(request);
  if (!parsed.success) throw new InvalidRequest(`invalid summary request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ")}`);
  const req = parsed.data;
  const ids = req.document_ids ?? (await searchDocuments(store, { q: req.q!, nation: req.nation, limit: req.top })).data.map((h) => h.document_id);
  if (ids.length === 0) throw new NotFound("no document matches the search", { param: "q" });
  const docs: SummarizableDocument[] = [];
  for (const id of new Set(ids)) {
    const doc = await store.get(id, req.nation);
    if (!doc) throw new NotFound(`document ${id} not found`, { param: "document_ids" });
    docs.push(doc);
  }
  return summarize(docs, { mode: req.mode, ...(req.sentences ? { sentences: req.sentences } : {}), ...(req.language ? { language: req.language } : {}), ...(req.q ? { focus: req.q } : {}), ...opts });
}

export interface SummarizeFileInput { filename: string; bytes: Uint8Array }

/**
 * Summarizes files directly, without storing them (the CLI's `concord summarize FILE...`). Citations name the
 * file by a content-derived id and its file name as title. The guard, when given, refuses marked files.
 */
export async function summarizeFiles(
  files: readonly SummarizeFileInput[],
  opts: { mode?: "extractive" | "lead" | "abstractive"; sentences?: number; language?: string; complete?: Complete; guard?: (text: string) => void; limits?: ExtractLimits } = {},
): Promise<Summary | AbstractiveSummary> {
  if (files.length === 0) throw new InvalidRequest("no files to summarize");
  const docs: SummarizableDocument[] = [];
  for (const f of files) docs.push(await fileDocument(f, opts.guard, opts.limits));
  return summarize(docs, opts);
}

export async function fileDocument(f: SummarizeFileInput, guard?: (text: string) => void, limits: ExtractLimits = DEFAULT_LIMITS): Promise<SummarizableDocument> {
  const extracted = await extract(f.filename, f.bytes, limits);
  guard?.(fullText(extracted));
  const language = detectLanguage(extracted.blocks.map((b) => b.text).join("\n"));
  const hash = createHash("sha256").update(f.bytes).digest("hex");
  return { document_id: `file_${hash.slice(0, 32)}`, title: titleOf(extracted, basename(f.filename)), language, passages: toPassages(extracted, language) };
}

export async function summarize(
  docs: readonly SummarizableDocument[],
  opts: { mode?: "extractive" | "lead" | "abstractive"; sentences?: number; language?: string; complete?: Complete; focus?: string },
): Promise<Summary | AbstractiveSummary> {
  const mode = opts.mode ?? "extractive";
  if (mode === "abstractive") {
    if (!opts.complete) throw new InvalidRequest("abstractive summaries need a language model endpoint; none is configured (use mode extractive)", { param: "mode" });
    return summarizeAbstractive(docs, { complete: opts.complete, ...(opts.language ? { language: opts.language } : {}), ...(opts.focus ? { focus: opts.focus } : {}) });
  }
  return summarizeExtractive(docs, { method: mode === "lead" ? "lead" : "lexrank", ...(opts.sentences ? { sentences: opts.sentences } : {}) });
}
