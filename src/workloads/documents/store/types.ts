import type { ParsedQuery } from "../query.ts";
import type { DocumentSummary, Passage, StoredDocument } from "../model.ts";

export interface SearchFilters {
  /** Owning nations to keep (a filter on top of releasability, never a widening of it). */
  readonly owners?: readonly string[];
  readonly languages?: readonly string[];
  readonly tags?: readonly string[];
  /** Inclusive ISO dates (YYYY-MM-DD) on the document's date. */
  readonly from?: string;
  readonly to?: string;
}

/** One passage as indexed: its text plus the index terms of each field, ready for postings. */
export interface IndexedPassage extends Passage {
  readonly fields: { readonly title: readonly string[]; readonly heading: readonly string[]; readonly body: readonly string[] };
  readonly vector?: readonly number[];
}

export interface NewDocument extends Omit<StoredDocument, "passages"> {
  readonly passages: readonly IndexedPassage[];
}

export interface PassageHit {
  readonly passage_id: number;
  readonly document_id: string;
  readonly title: string;
  readonly language: string;
  readonly owner_nation: string;
  readonly date: string;
  readonly page: number | null;
  readonly paragraph: number;
  readonly heading: string | null;
  readonly text: string;
  readonly score: number;
}

export interface StoreSearch {
  /** The caller's nation: only documents it owns or that are released to it are ever read. */
  readonly nation: string;
  readonly query: ParsedQuery;
  readonly filters: SearchFilters;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Where documents live. Every read takes the caller's nation and applies releasability inside the query itself:
 * rows another nation may not see never leave the database, so no count, score, snippet or error can carry them.
 */
export interface DocumentStore {
  readonly kind: "sqlite" | "postgres";
  /** The owner's existing copy of the same bytes, if any (idempotent re-ingest). */
  findByHash(owner: string, contentHash: string): Promise<DocumentSummary | null>;
  /** Stores a document atomically; a concurrent insert of the same (owner, hash) yields the existing one. */
  insert(doc: NewDocument): Promise<{ duplicate: boolean; document: DocumentSummary }>;
  /** BM25 over the passages visible to `nation` (statistics too), best passage per document, ranked. */
  search(s: StoreSearch): Promise<{ total: number; hits: PassageHit[] }>;
  /** Passages visible to `nation` that carry a vector, for brute-force nearest neighbours. */
  vectors(nation: string, filters: SearchFilters): Promise<{ passage_id: number; vector: Float32Array }[]>;
  /** The given passages, if visible to `nation`. */
  passages(nation: string, ids: readonly number[]): Promise<PassageHit[]>;
  /** Languages of the documents visible to `nation` (to stem a query in each of them). */
  languages(nation: string): Promise<string[]>;
  /** A whole document, or null when it does not exist or is not released to `nation` (the caller cannot tell which). */
  get(documentId: string, nation: string): Promise<StoredDocument | null>;
  close(): Promise<void>;
}
