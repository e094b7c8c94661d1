/**
 * The documents workload: ingest unclassified reports, search them with releasability enforced in the store,
 * and summarize them with every sentence cited. Usable from the CLI alone; the server wires the same calls.
 */
export { ingestDocument, IngestInput, fullText, documentId, type IngestOptions, type IngestResult, type Embed } from "./ingest.ts";
export { searchDocuments, SearchRequest, fuse, type SearchHit, type SearchResult } from "./search.ts";
export { openDocumentStore, type DocumentStore, type SearchFilters, type PassageHit } from "./store/index.ts";
export { openSqliteDocumentStore, sqliteDocumentStore, SQLITE_MIGRATIONS } from "./store/sqlite.ts";
export { openPostgresDocumentStore } from "./store/postgres.ts";
export { extract, detectFormat, DEFAULT_LIMITS, type ExtractLimits } from "./extract/index.ts";
export { PdfPool, PDF_POOL_DEFAULTS, type PdfPoolOptions } from "./extract/pdf-pool.ts";
export { detectLanguage, normalizeLanguage } from "./language.ts";
export { toPassages, titleOf } from "./passages.ts";
export type { Block, Citation, DocumentLabel, DocumentSummary, ExtractedDocument, Format, Passage, Releasability, StoredDocument } from "./model.ts";
export { summarizeDocuments, summarizeFiles, summarize, fileDocument, SummarizeRequest, type SummarizeOptions, type SummarizeFileInput } from "./summarize.ts";
export { summarizeExtractive, type Summary, type SummarySentence, type ExtractiveOptions, type ExtractiveMethod } from "./summarize/extractive.ts";
export { summarizeAbstractive, checkClaims, type AbstractiveSummary, type ChatMessage, type Complete, type DroppedClaim, type GroundingPassage } from "./summarize/abstractive.ts";
export { rouge, rougeN, rougeL, tokenize as rougeTokenize, type RougeScores, type Score as RougeScore } from "./summarize/rouge.ts";
export type { AiLabel } from "./summarize/label.ts";
export type { SummarizableDocument } from "./summarize/sentences.ts";
export { UploadBody, uploadToIngestInput } from "./upload.ts";
