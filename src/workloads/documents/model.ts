/**
 * The documents workload's vocabulary. A document is extracted into `Block`s (headings and paragraphs, with the
 * page they sit on when the format has pages), then cut into `Passage`s: the unit that is indexed, searched,
 * cited and summarized.
 */
import { z } from "zod";
import { NationCode } from "../../config/index.ts";

export type Format = "pdf" | "docx" | "html" | "markdown" | "text";

export interface Block {
  readonly kind: "heading" | "paragraph";
  readonly text: string;
  /** 1-based page for paginated formats (PDF, text with form feeds); null where the format has no pages. */
  readonly page: number | null;
  /** Heading level 1..6 (headings only). */
  readonly level?: number;
}

export interface ExtractedDocument {
  readonly format: Format;
  /** From the file's own metadata (PDF /Title, HTML <title>) when it has one. */
  readonly title: string | null;
  readonly blocks: readonly Block[];
  /** Number of pages, or null for formats without pages. */
  readonly pages: number | null;
  /**
   * Text a reader sees outside the body and that is not indexed: page headers and footers, document properties,
   * HTML meta tags. Classification banners often live there, so the guard reads it.
   */
  readonly margins?: readonly string[];
}

/** Where a sentence or passage comes from: enough for a reader to find it in the original. */
export interface Citation {
  readonly document_id: string;
  readonly page: number | null;
  /** 1-based paragraph number within the page (paginated formats) or within the document. */
  readonly paragraph: number;
}

export interface Passage {
  /** Order in the document, from 0. */
  readonly seq: number;
  readonly page: number | null;
  readonly paragraph: number;
  /** The nearest heading above the passage. */
  readonly heading: string | null;
  readonly text: string;
}

/** Who may see a document: its owner always; every member nation, or the listed ones. */
export const Releasability = z.union([z.literal("all"), z.array(NationCode).min(1)]);
export type Releasability = z.infer<typeof Releasability>;

export interface DocumentLabel {
  readonly owner_nation: string;
  readonly releasable_to: Releasability;
}

/** A document as stored: label, facts about it, and its passages in order. */
export interface StoredDocument extends DocumentLabel {
  readonly document_id: string;
  readonly content_hash: string;
  readonly filename: string;
  readonly title: string;
  readonly language: string;
  readonly format: Format;
  readonly pages: number | null;
  readonly bytes: number;
  readonly tags: readonly string[];
  /** ISO date the document is about (given at ingest), else the ingest date. */
  readonly date: string;
  readonly ingested_at: string;
  readonly passages: readonly Passage[];
}

export type DocumentSummary = Omit<StoredDocument, "passages">;
