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
  // Fast path (every audit entry takes it): copy with keys inserted in sorted order and let JSON.stringify, whose
  // string and number forms are RFC 8785's, keep that order. Engines list integer-like keys first whatever their
  // insertion order, so objects with such keys take the slow path.
  const copy = sortedCopy(value);
  return copy === SLOW ? slowCanonical(value) : (JSON.stringify(copy) as string);
}

const SLOW = Symbol("slow");
const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new InvalidRequest("canonical JSON has no form for NaN or Infinity");
    if (value === undefined || typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
      throw new InvalidRequest(`canonical JSON has no form for a ${typeof value}`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = sortedCopy(v);
      if (c === SLOW) return SLOW;
      out.push(c);
    }
    return out;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    if (INDEX_LIKE.test(k)) return SLOW;
    const c = sortedCopy(obj[k]);
    if (c === SLOW) return SLOW;
    out[k] = c;
  }
  return out;
}

function slowCanonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(sortedCopy(value)) as string;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + slowCanonical(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const k of Object.keys(obj).sort()) {
    // default sort compares UTF-16 code units, as RFC 8785 requires
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(k)}:${slowCanonical(v)}`;
    first = false;
  }
  return `${out}}`;
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
