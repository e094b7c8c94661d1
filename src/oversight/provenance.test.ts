import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, createHash } from "node:crypto";
import { CompactSign } from "jose";
import { canonicalJson } from "../audit/index.ts";
import { PROVENANCE_TYP, rawPublicKey, signProvenance, verifyProvenance, type ProvenanceKey } from "./provenance.ts";

function key(): ProvenanceKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = rawPublicKey(publicKey);
  return { privateKey, publicKey, publicKeyBase64: raw.toString("base64"), kid: createHash("sha256").update(raw).digest("hex").slice(0, 16) };
}

const record = {
  output_sha256: createHash("sha256").update("Acknowledged.").digest("hex"),
  model: "m",
  endpoint: "deu",
  jurisdiction: "DEU",
  policy_version: "sha256:0123456789abcdef",
  audit_index: 41,
  time: "2026-11-25T10:00:00.000Z",
};

test("a provenance signature is byte for byte the compact JWS jose signs for the same record and key", async () => {
  const k = key();
  const ours = await signProvenance(k, record);
  const payload = Buffer.from(canonicalJson({ v: 1, ai_generated: true, ...record }), "utf8");
  const jose = await new CompactSign(payload).setProtectedHeader({ alg: "EdDSA", typ: PROVENANCE_TYP, kid: k.kid }).sign(k.privateKey);
  assert.equal(ours, jose);
});

test("a provenance signature verifies for its output and not for an edited one", async () => {
  const k = key();
  const sig = await signProvenance(k, record);
  assert.equal((await verifyProvenance("Acknowledged.", sig, k.publicKey)).ok, true);
  assert.equal((await verifyProvenance("Acknowledged!", sig, k.publicKey)).ok, false);
  assert.equal((await verifyProvenance("Acknowledged.", sig, key().publicKey)).ok, false);
});
