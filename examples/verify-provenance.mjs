#!/usr/bin/env node
// Checks a Concord output against its provenance signature with nothing but Node's own crypto: no Concord code,
// no packages. A recipient can run it to tell an output the gateway signed from an edited one.
//
//   node examples/verify-provenance.mjs OUTPUT_FILE SIGNATURE_OR_@FILE PUBLIC_KEY_BASE64_OR_@FILE
//
// OUTPUT_FILE holds the exact output bytes (for a chat completion: `jq -j '.choices[0].message.content'`),
// the signature is the `Concord-Provenance` response header, the key is `public_key` from GET /v1/provenance/key.
// Exit 0 when it verifies, 1 when it does not, 2 on bad usage.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";

const [file, sigArg, keyArg] = process.argv.slice(2);
if (!file || !sigArg || !keyArg) {
  console.error("usage: node verify-provenance.mjs OUTPUT_FILE SIGNATURE|@FILE PUBLIC_KEY|@FILE");
  process.exit(2);
}
const arg = (a) => (a.startsWith("@") ? readFileSync(a.slice(1), "utf8") : a).trim();
const fail = (why) => {
  console.log(`NOT VERIFIED: ${why}`);
  process.exit(1);
};

// The key: raw 32-byte Ed25519 public key in base64, wrapped in its SubjectPublicKeyInfo (RFC 8410) prefix.
const raw = Buffer.from(arg(keyArg), "base64");
if (raw.length !== 32) fail("the public key is not a base64 Ed25519 key of 32 bytes");
const key = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]), format: "der", type: "spki" });

// The signature: a compact JWS (RFC 7515) with alg EdDSA (RFC 8037): header.payload.signature in base64url.
const parts = arg(sigArg).split(".");
if (parts.length !== 3) fail("the signature is not a compact JWS (three base64url parts)");
const [h, p, s] = parts;
let header, record;
try {
  header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
  record = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
} catch {
  fail("the signature's header or payload is not JSON");
}
if (header.alg !== "EdDSA" || header.typ !== "concord-provenance+jws") fail(`unexpected header ${JSON.stringify(header)}`);
if (!verify(null, Buffer.from(`${h}.${p}`, "ascii"), key, Buffer.from(s, "base64url"))) fail("the signature does not verify with this key");

const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
if (digest !== record.output_sha256) fail("the output differs from the one the gateway signed: it was edited");
console.log(`VERIFIED: AI-generated output of model ${record.model} at ${record.endpoint} (${record.jurisdiction}), policy ${record.policy_version}, audit index ${record.audit_index}, ${record.time}`);
