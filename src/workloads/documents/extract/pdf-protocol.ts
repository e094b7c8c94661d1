/** Messages between the event loop and a PDF worker (pdf-worker.ts). The bytes cross by transfer of a copy. */
import type { ExtractedDocument } from "../model.ts";

export interface PdfRequest {
  bytes: Uint8Array;
  maxPages: number;
}

export type PdfReply =
  | { type: "result"; doc: ExtractedDocument }
  | { type: "refused"; code: "invalid_request" | "payload_too_large"; message: string };
