/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys: the envelope of audit checkpoints, witness
 * co-signatures and any other statement several parties sign (policy approvals reuse it). Key strings follow the
 * C2SP/Go encoding: verifier `<name>+<keyid hex>+<base64(0x01 || public key)>`, signer
 * `PRIVATE+KEY+<name>+<keyid hex>+<base64(0x01 || seed)>`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify, type KeyObject } from "node:crypto";
import { InvalidRequest } from "../errors/index.ts";

const ALG_ED25519 = 0x01;
const SIG_PREFIX = "\u2014 "; // em dash and a space open every signature line
const MAX_SIGNATURES = 100;
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export interface NoteVerifier {
  readonly name: string;
  /** 4 bytes: SHA-256(name || "\n" || 0x01 || public key)[:4]. */
  readonly keyId: Buffer;
  readonly verifierKey: string;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly verifierKey: string;
  sign(message: Buffer): Buffer;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

export interface OpenedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
  /** Verifier keys (strings) of the known keys whose signatures checked out, in signature order. */
  readonly verifiedBy: readonly string[];
}

function malformed(what: string): InvalidRequest {
  return new InvalidRequest(`malformed signed note: ${what}`);
}

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && ![...name].some((c) => (c.codePointAt(0) ?? 0) < 0x20);
}

function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return hash("sha256", Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([ALG_ED25519]), publicKey]), "buffer").subarray(0, 4);
}

function splitKey(text: string, parts: number, what: string): string[] {
  const fields: string[] = [];
  let rest = text;
  for (let i = 0; i < parts - 1; i++) {
    const at = rest.indexOf("+");
    if (at < 0) throw new InvalidRequest(`${what} "${text.slice(0, 40)}" does not have the form ${what === "signer key" ? "PRIVATE+KEY+" : ""}name+keyid+key`);
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  return fields;
}

function decodeKeyMaterial(name: string, idHex: string, b64: string, what: string): Buffer {
  if (!validName(name)) throw new InvalidRequest(`${what}: key name "${name}" is empty or holds spaces, plus signs or control characters`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new InvalidRequest(`${what}: key id must be 8 lowercase hex digits`);
  const raw = Buffer.from(b64, "base64");
  if (raw.toString("base64") !== b64) throw new InvalidRequest(`${what}: key material is not canonical base64`);
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) throw new InvalidRequest(`${what}: only Ed25519 keys (algorithm 0x01, 32 bytes) are supported`);
  return raw.subarray(1);
}

function verifierFromPublicKey(name: string, publicKey: Buffer): NoteVerifier {
  const key: KeyObject = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: "der", type: "spki" });
  const keyId = keyIdOf(name, publicKey);
  const verifierKey = `${name}+${keyId.toString("hex")}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString("base64")}`;
  return { name, keyId, verifierKey, verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature) };
}

/** Parses a verifier key string (`name+keyid+base64`), checking that the key id matches the key. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name = "", idHex = "", b64 = ""] = splitKey(vkey.trim(), 3, "verifier key");
  const publicKey = decodeKeyMaterial(name, idHex, b64, "verifier key");
  const v = verifierFromPublicKey(name, publicKey);
  if (v.keyId.toString("hex") !== idHex) throw new InvalidRequest("verifier key: key id does not match the key");
  return v;
}

/** Parses a signer key string (`PRIVATE+KEY+name+keyid+base64(0x01||seed)`). Keep it out of logs and databases. */
export function parseSignerKey(skey: string): NoteSigner {
  const [p1, p2, name = "", idHex = "", b64 = ""] = splitKey(skey.trim(), 5, "signer key");
  if (p1 !== "PRIVATE" || p2 !== "KEY") throw new InvalidRequest("signer key must start with PRIVATE+KEY+");
  const seed = decodeKeyMaterial(name, idHex, b64, "signer key");
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(SPKI_ED25519.length);
  const v = verifierFromPublicKey(name, publicKey);
  if (v.keyId.toString("hex") !== idHex) throw new InvalidRequest("signer key: key id does not match the key");
  return { name, keyId: v.keyId, verifierKey: v.verifierKey, sign: (message) => sign(null, message, privateKey) };
}

/** A fresh Ed25519 key pair as C2SP key strings. */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  if (!validName(name)) throw new InvalidRequest(`key name "${name}" is empty or holds spaces, plus signs or control characters`);
  const { privateKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_ED25519.length);
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(SPKI_ED25519.length);
  const keyId = keyIdOf(name, publicKey);
  const material = (k: Buffer) => Buffer.concat([Buffer.from([ALG_ED25519]), k]).toString("base64");
  return {
    signerKey: `PRIVATE+KEY+${name}+${keyId.toString("hex")}+${material(seed)}`,
    verifierKey: `${name}+${keyId.toString("hex")}+${material(publicKey)}`,
  };
}

function checkText(text: string): void {
  if (!text.endsWith("\n")) throw malformed("the text must end with a newline");
  if ([...text].some((c) => c !== "\n" && (c.codePointAt(0) ?? 0) < 0x20)) throw malformed("the text holds control characters");
}

function signatureLine(signer: NoteSigner, text: string): string {
  const sig = signer.sign(Buffer.from(text, "utf8"));
  return `${SIG_PREFIX}${signer.name} ${Buffer.concat([signer.keyId, sig]).toString("base64")}\n`;
}

/** Splits a note into its text and signatures without verifying anything. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw malformed("no blank line separates the text from the signatures");
  const text = note.slice(0, split + 1);
  checkText(text);
  const block = note.slice(split + 2);
  if (!block.endsWith("\n")) throw malformed("the last signature line must end with a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIG_PREFIX)) throw malformed("a signature line does not start with an em dash and a space");
    const [name = "", b64 = "", ...extra] = line.slice(SIG_PREFIX.length).split(" ");
    const raw = Buffer.from(b64, "base64");
    if (extra.length > 0 || !validName(name) || raw.toString("base64") !== b64 || raw.length < 5) throw malformed(`signature line by "${name}" is not "name base64"`);
    return { name, keyId: raw.subarray(0, 4), signature: raw.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Verifies a note against known keys. Signatures by unknown keys are ignored (others may co-sign); a signature by a
 * known key that does not verify is an error, and so is a note no known key signed.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, "utf8");
  const verifiedBy: string[] = [];
  for (const s of signatures) {
    const v = verifiers.find((k) => k.name === s.name && k.keyId.equals(s.keyId));
    if (!v) continue;
    if (!v.verify(message, s.signature)) throw new InvalidRequest(`signed note: the signature by ${s.name} does not verify`);
    if (!verifiedBy.includes(v.verifierKey)) verifiedBy.push(v.verifierKey);
  }
  if (verifiedBy.length === 0) throw new InvalidRequest("signed note: no signature by a known key");
  return { text, signatures, verifiedBy };
}

/** Signs `text` (which must end with a newline) with each signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  if (signers.length === 0) throw new InvalidRequest("a signed note needs at least one signer");
  return `${text}\n${signers.map((s) => signatureLine(s, text)).join("")}`;
}

/** Adds one more signature to a note, keeping the others; signing twice with the same key changes nothing. */
export function addSignature(note: string, signer: NoteSigner): string {
  const { text, signatures } = parseNote(note);
  if (signatures.some((s) => s.name === signer.name && s.keyId.equals(signer.keyId))) return note;
  if (signatures.length >= MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  return `${note}${signatureLine(signer, text)}`;
}

/** Appends an existing signature (verified elsewhere) to a note, unless that key already signed it. */
export function addSignatureLine(note: string, sig: NoteSignature): string {
  const { signatures } = parseNote(note);
  if (signatures.some((s) => s.name === sig.name && s.keyId.equals(sig.keyId))) return note;
  if (signatures.length >= MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  return `${note}${SIG_PREFIX}${sig.name} ${Buffer.concat([sig.keyId, sig.signature]).toString("base64")}\n`;
}
