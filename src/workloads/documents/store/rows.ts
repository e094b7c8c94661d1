import type { DocumentSummary, Format, Passage, Releasability, StoredDocument } from "../model.ts";
import type { PassageHit } from "./types.ts";

/** A doc_documents row as both stores return it (PostgreSQL may hand back bigint counts as strings). */
export interface DocumentRow {
  id: string; owner_nation: string; content_hash: string; filename: string; title: string; language: string;
  format: string; pages: number | null; bytes: number | string; releasable_all: number; date: string; ingested_at: string;
}

export function toSummary(row: DocumentRow, releasable: readonly string[], tags: readonly string[]): DocumentSummary {
  const releasable_to: Releasability = row.releasable_all ? "all" : [...releasable].sort();
  return {
    document_id: row.id, owner_nation: row.owner_nation, releasable_to, content_hash: row.content_hash,
    filename: row.filename, title: row.title, language: row.language, format: row.format as Format,
    pages: row.pages, bytes: Number(row.bytes), tags: [...tags].sort(), date: row.date, ingested_at: row.ingested_at,
  };
}

export function toStored(summary: DocumentSummary, passages: readonly Passage[]): StoredDocument {
  return { ...summary, passages };
}

export function toHit(row: Record<string, unknown>): PassageHit {
  return {
    passage_id: Number(row.passage_id), document_id: String(row.document_id), title: String(row.title),
    language: String(row.language), owner_nation: String(row.owner_nation), date: String(row.date),
    page: row.page === null ? null : Number(row.page), paragraph: Number(row.paragraph),
    heading: row.heading === null ? null : String(row.heading), text: String(row.text), score: Number(row.score ?? 0),
  };
}

export function toPassage(row: Record<string, unknown>): Passage {
  return {
    seq: Number(row.seq), page: row.page === null ? null : Number(row.page), paragraph: Number(row.paragraph),
    heading: row.heading === null ? null : String(row.heading), text: String(row.text),
  };
}
