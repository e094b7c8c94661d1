/**
 * One audit entry: a pipeline decision, allow or deny. Stored and hashed as canonical JSON (RFC 8785 style:
 * keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string forms), so anyone can re-derive
 * the leaf hash from the entry they were shown.
 */
import { z } from "zod";
import { InvalidRequest } from "../errors/index.ts";

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256 digest");

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const Json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, "a finite number"), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);

export const AuditEntry = z
  .object({
    /** ISO 8601 UTC time of the decision. */
    time: z.iso.datetime({ offset: false }),
    /** Nation of the principal; null when the caller could not be authenticated. */
    nation: z.string().regex(/^[A-Z]{3}$/, "an ISO 3166-1 alpha-3 code").nullable(),
    subject: z.string().nullable(),
    /** The capability asked for, e.g. `chat.intelligence_summary` or `workloads.detect`. */
    action: z.string().min(1),
    decision: z.enum(["allow", "deny", "review"]),
    /** Stable reason code: an error code of DESIGN.md's table, or `ok`. */
    reason: z.string().min(1),
    policy_version: z.string().min(1),
    endpoint: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    request_sha256: Sha256Hex,
    /** Null when nothing was returned (refusals carry no response body). */
    response_sha256: Sha256Hex.nullable(),
  })
  .catchall(Json);
export type AuditEntry = z.infer<typeof AuditEntry>;

/** RFC 8785-style canonical JSON of a JSON value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new InvalidRequest("canonical JSON has no form for NaN or Infinity");
    const text = JSON.stringify(value);
    if (text === undefined) throw new InvalidRequest(`canonical JSON has no form for a ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort(); // default sort compares UTF-16 code units, as RFC 8785 requires
  const obj = value as Record<string, unknown>;
  return `{${keys.filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** Validates an entry and returns its canonical bytes (what the leaf hash covers). */
export function encodeEntry(input: unknown): { entry: AuditEntry; bytes: Buffer } {
  const parsed = AuditEntry.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`audit entry: ${issue ? `${issue.path.join(".") || "(entry)"}: ${issue.message}` : "invalid"}`);
  }
  return { entry: parsed.data, bytes: Buffer.from(canonicalJson(parsed.data), "utf8") };
}

export function decodeEntry(bytes: Uint8Array): AuditEntry {
  return JSON.parse(Buffer.from(bytes).toString("utf8")) as AuditEntry;
}
