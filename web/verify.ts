/**
 * Audit log verification with WebCrypto only, trusting nothing the gateway says: a C2SP signed-note checkpoint
 * checked with a verifier key the user pins, RFC 9162 inclusion and consistency proofs, and the leaf hash of an
 * entry recomputed from its canonical JSON. Runs in the browser (the audit island) and in Node (the tests).
 */
const enc = new TextEncoder();

export function fromB64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toB64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(...parts)));
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
export const leafHash = (entry: Uint8Array) => sha256(new Uint8Array([0]), entry);
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(new Uint8Array([1]), l, r);

/** RFC 8785-style canonical JSON: keys sorted by UTF-16 code units, ECMAScript number and string forms. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

/** The imported key; typed through importKey so the same file checks against DOM and Node typings. */
type PublicKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
export interface VerifierKey { name: string; keyId: Uint8Array; key: PublicKey }

/** A C2SP verifier key `name+keyid+base64(0x01 || Ed25519 public key)`; its key id must match the key. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  if (!m) throw new Error("not a verifier key of the form name+keyid+base64");
  const [, name = "", id = "", material = ""] = m;
  const raw = fromB64(material);
  if (raw.length !== 33 || raw[0] !== 1) throw new Error("not an Ed25519 verifier key");
  const pub = raw.slice(1);
  const keyId = (await sha256(enc.encode(`${name}\n`), new Uint8Array([1]), pub)).slice(0, 4);
  if ([...keyId].map((b) => b.toString(16).padStart(2, "0")).join("") !== id) throw new Error("the key id does not match the key");
  return { name, keyId, key: await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]) };
}

export interface Checkpoint { origin: string; size: number; root: Uint8Array }

/** Opens a signed-note checkpoint: throws unless one signature line verifies with the pinned key. */
export async function openCheckpoint(note: string, vk: VerifierKey): Promise<Checkpoint> {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("the checkpoint is not a signed note");
  const text = note.slice(0, split + 1);
  let ok = false;
  for (const line of note.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== vk.name) continue;
    const raw = fromB64(m[2] ?? "");
    if (raw.length !== 68 || !equal(raw.slice(0, 4), vk.keyId)) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, vk.key, raw.slice(4), enc.encode(text))) ok = true;
  }
  if (!ok) throw new Error(`the checkpoint carries no valid signature by ${vk.name}`);
  const [origin = "", size = "", root = ""] = text.split("\n");
  const rootBytes = fromB64(root);
  if (!/^\d+$/.test(size) || rootBytes.length !== 32) throw new Error("the checkpoint body is not origin, size, root hash");
  return { origin, size: Number(size), root: rootBytes };
}

/** RFC 9162 §2.1.3.2: the root a leaf and its audit path lead to, or null when the path does not fit. */
export async function rootFromInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[]): Promise<Uint8Array | null> {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else r = await nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2: the tree of size m with root mRoot is a prefix of the tree of size n with root nRoot. */
export async function consistent(m: number, n: number, mRoot: Uint8Array, nRoot: Uint8Array, proof: Uint8Array[]): Promise<boolean> {
  if (m === n) return proof.length === 0 && equal(mRoot, nRoot);
  if (m === 0) return proof.length === 0;
  if (m > n || proof.length === 0) return false;
  const path = (m & (m - 1)) === 0 ? [mRoot, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else sr = await nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, mRoot) && equal(sr, nRoot);
}

/** Entry N of a checkpoint: its canonical bytes hash to the leaf, the path leads to the signed root. */
export async function verifyInclusion(input: { key: string; checkpoint: string; index: number; entry: unknown; hashes: string[] }): Promise<Checkpoint> {
  const vk = await parseVerifierKey(input.key);
  const cp = await openCheckpoint(input.checkpoint, vk);
  const leaf = await leafHash(enc.encode(canonical(input.entry)));
  const root = await rootFromInclusion(input.index, cp.size, leaf, input.hashes.map(fromB64));
  if (!root || !equal(root, cp.root)) throw new Error(`entry ${input.index} is not included in the signed tree of ${cp.size} entries`);
  return cp;
}

/** An older signed checkpoint is a prefix of a newer one: both signatures and the consistency proof checked. */
export async function verifyConsistency(input: { key: string; older: string; newer: string; hashes: string[] }): Promise<{ from: Checkpoint; to: Checkpoint }> {
  const vk = await parseVerifierKey(input.key);
  const from = await openCheckpoint(input.older, vk);
  const to = await openCheckpoint(input.newer, vk);
  if (!(await consistent(from.size, to.size, from.root, to.root, input.hashes.map(fromB64)))) throw new Error(`the log of ${to.size} entries does not extend the one of ${from.size}`);
  return { from, to };
}
