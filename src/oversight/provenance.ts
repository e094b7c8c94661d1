/**
 * Transparency (EU AI Act Arts. 13 and 50): every model-generated result is labelled as AI-generated and carries
 * a provenance record, the gateway's Ed25519 signature (a compact JWS, RFC 7515/8037) over the SHA-256 of the
 * output, the model, the endpoint's jurisdiction, the policy version and the audit index. A recipient holding the
 * gateway's public key can tell a Concord output from an edited one with nothing but an Ed25519 verifier.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compactVerify } from "jose";
import { z } from "zod";
import { canonicalJson } from "../audit/index.ts";
import { InvalidRequest } from "../errors/index.ts";

export const PROVENANCE_TYP = "concord-provenance+jws";
export const PROVENANCE_HEADER = "concord-provenance";
/** The label header, after draft-abaris-aicdh ("AI Content Disclosure Header", structured-field dictionary). */
export const DISCLOSURE_HEADER = "ai-disclosure";

export const ProvenanceRecord = z
  .object({
    v: z.literal(1),
    ai_generated: z.literal(true),
    output_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    model: z.string(),
    endpoint: z.string(),
    jurisdiction: z.string(),
    policy_version: z.string(),
    audit_index: z.number().int().min(0),
    time: z.string(),
  })
  .strict();
export type ProvenanceRecord = z.infer<typeof ProvenanceRecord>;

export interface ProvenanceKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Raw 32-byte public key, base64: what a recipient needs. */
  readonly publicKeyBase64: string;
  /** First 8 bytes of SHA-256 of the raw public key, hex: names the key in the JWS header. */
  readonly kid: string;
}

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519.length);
}

export function publicKeyFromBase64(b64: string): KeyObject {
  const raw = Buffer.from(b64.trim(), "base64");
  if (raw.length !== 32) throw new InvalidRequest("a provenance key is a base64 Ed25519 public key of 32 bytes");
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" });
}

function keyOf(privateKey: KeyObject): ProvenanceKey {
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  return { privateKey, publicKey, publicKeyBase64: raw.toString("base64"), kid: createHash("sha256").update(raw).digest("hex").slice(0, 16) };
}

export const PROVENANCE_KEY_FILE = "provenance.key";
export const PROVENANCE_PUB_FILE = "provenance.pub";

/** The gateway's provenance key under `<data_dir>/keys/provenance/`, created on first start (never in a database). */
export function loadOrCreateProvenanceKey(dataDir: string): ProvenanceKey {
  const dir = join(dataDir, "keys", "provenance");
  const file = join(dir, PROVENANCE_KEY_FILE);
  try {
    return keyOf(createPrivateKey(readFileSync(file, "utf8")));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("ed25519");
  try {
    writeFileSync(file, privateKey.export({ format: "pem", type: "pkcs8" }), { flag: "wx", mode: 0o600 });
    writeFileSync(join(dir, PROVENANCE_PUB_FILE), `${keyOf(privateKey).publicKeyBase64}\n`, { mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return keyOf(createPrivateKey(readFileSync(file, "utf8")));
}

/**
 * The output a recipient keeps: a chat completion's message text (choices joined by a blank line when several),
 * otherwise the canonical JSON of the result without Concord's label.
 */
export function generatedOutput(body: unknown): string {
  const choices = (body as { object?: unknown; choices?: unknown } | null)?.choices;
  if (Array.isArray(choices) && choices.length > 0 && choices.every((c) => typeof (c as { message?: { content?: unknown } })?.message?.content === "string")) {
    return choices.map((c) => (c as { message: { content: string } }).message.content).join("\n\n");
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const { concord: _label, ...rest } = body as Record<string, unknown>;
    return canonicalJson(rest);
  }
  return canonicalJson(body);
}

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

const b64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");
/** The protected header of every record this key signs, encoded once per key. */
const headers = new WeakMap<ProvenanceKey, string>();

/**
 * A compact JWS (RFC 7515 §7.1, EdDSA per RFC 8037). Signed with node:crypto directly rather than jose's WebCrypto
 * path, which costs several times more per call on the request path; Ed25519 is deterministic, so the output is
 * the same bytes jose's `CompactSign` makes (tested), and any JWS library verifies it.
 */
export async function signProvenance(key: ProvenanceKey, record: Omit<ProvenanceRecord, "v" | "ai_generated">): Promise<string> {
  const payload = ProvenanceRecord.parse({ v: 1, ai_generated: true, ...record });
  let header = headers.get(key);
  if (header === undefined) headers.set(key, (header = b64url(Buffer.from(JSON.stringify({ alg: "EdDSA", typ: PROVENANCE_TYP, kid: key.kid }), "utf8"))));
  const input = `${header}.${b64url(Buffer.from(canonicalJson(payload), "utf8"))}`;
  return `${input}.${b64url(cryptoSign(null, Buffer.from(input, "ascii"), key.privateKey))}`;
}

export type ProvenanceCheck =
  | { readonly ok: true; readonly record: ProvenanceRecord }
  | { readonly ok: false; readonly reason: string; readonly record?: ProvenanceRecord };

/** Checks a provenance signature, then that the output's SHA-256 is the one signed. Never throws on a bad input. */
export async function verifyProvenance(output: Uint8Array | string, signature: string, publicKey: KeyObject): Promise<ProvenanceCheck> {
  let payload: Uint8Array;
  try {
    const r = await compactVerify(signature.trim(), publicKey, { algorithms: ["EdDSA"] });
    if (r.protectedHeader.typ !== PROVENANCE_TYP) return { ok: false, reason: `the signature is a ${String(r.protectedHeader.typ)}, not a Concord provenance record` };
    payload = r.payload;
  } catch {
    return { ok: false, reason: "the provenance signature does not verify with this gateway key" };
  }
  const parsed = ProvenanceRecord.safeParse(JSON.parse(Buffer.from(payload).toString("utf8")));
  if (!parsed.success) return { ok: false, reason: "the signed provenance record is not in Concord's format" };
  const record = parsed.data;
  if (sha256Hex(output) !== record.output_sha256) return { ok: false, reason: "the output differs from the one the gateway signed (SHA-256 mismatch): it was edited", record };
  return { ok: true, record };
}

/** The machine-readable label (header value) of a model-generated result. */
export function disclosureHeader(model: string, endpoint: string): string {
  const q = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?")}"`;
  return `mode=ai-originated; model=${q(model)}; provider=${q(endpoint)}`;
}

/** The label as a body field, added beside the OpenAI fields (clients ignore unknown fields). */
export function labelBody(body: Record<string, unknown>, model: string, endpoint: string, jurisdiction: string): Record<string, unknown> {
  return { ...body, concord: { ai_generated: true, model, endpoint, jurisdiction } };
}
