import { z } from "zod";
import { InvalidRequest } from "../../errors/index.ts";
import { NationCode } from "../../config/index.ts";
import type { IngestInput } from "./ingest.ts";

/**
 * The JSON form of `POST /v1/workloads/documents` (DESIGN.md): `{filename, content_base64, releasable_to?, tags?, date?}`.
 * The nation is never in the body: it is the authenticated principal's.
 */
export const UploadBody = z
  .object({
    filename: z.string().min(1).max(255),
    content_base64: z.string().min(1),
    releasable_to: z.union([z.literal("all"), z.array(NationCode)]).optional(),
    tags: z.array(z.string().min(1).max(64)).max(32).optional(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD").optional(),
    language: z.string().min(2).max(3).optional(),
  })
  .strict();
export type UploadBody = z.infer<typeof UploadBody>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function uploadToIngestInput(body: unknown, nation: string): IngestInput {
  const parsed = UploadBody.safeParse(body);
  if (!parsed.success) throw new InvalidRequest(`invalid document upload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
  const b = parsed.data;
  const compact = b.content_base64.replace(/\s+/g, "");
  if (!BASE64.test(compact)) throw new InvalidRequest("content_base64 is not base64", { param: "content_base64" });
  return {
    filename: b.filename,
    bytes: Buffer.from(compact, "base64"),
    nation,
    ...(b.releasable_to ? { releasableTo: b.releasable_to } : {}),
    ...(b.tags ? { tags: b.tags } : {}),
    ...(b.date ? { date: b.date } : {}),
    ...(b.language ? { language: b.language } : {}),
  };
}
