#!/usr/bin/env node
// Standalone verifier for a Concord audit log: plain Node 20, nothing from Concord. It shows a nation needs only the
// log's published verifier key to check, without trusting the gateway, that
//   1. the checkpoint is signed by the log key (C2SP signed note, Ed25519),
//   2. entry N is included in that checkpoint's tree (RFC 9162 §2.1.3.2),
//   3. optionally: the entry as you were shown it hashes to that leaf (canonical JSON, RFC 8785 style),
//   4. optionally: the checkpoint you saved last time is a prefix of this one (RFC 9162 §2.1.4.2).
//
// From a gateway:
//   node examples/verify-inclusion.mjs --key 'concord/x+1a2b3c4d+AbC...' --url http://127.0.0.1:8080 --index 42 \
//        [--token JWT] [--entry entry.json] [--previous saved-checkpoint.txt] [--save saved-checkpoint.txt]
// From files (the JSON bodies of /admin/audit/checkpoint and /admin/audit/proof/inclusion):
//   node examples/verify-inclusion.mjs --key '...' --checkpoint checkpoint.json --proof proof.json [--entry entry.json]
// Exit 0 when everything checks, 1 with a reason otherwise.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    key: { type: "string" },
    url: { type: "string" },
    token: { type: "string" },
    index: { type: "string" },
    checkpoint: { type: "string" },
    proof: { type: "string" },
    entry: { type: "string" },
    previous: { type: "string" },
    save: { type: "string" },
  },
});

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash("sha256")).digest();
const leafHash = (bytes) => sha256(Buffer.from([0]), bytes);
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);
const b64 = (s) => Buffer.from(s, "base64");

// --- C2SP signed note and checkpoint -------------------------------------------------------------------------
function parseVerifierKey(vkey) {
  const [, name, id, material] = /^([^+\s]+)\+([^+]*)\+(.*)$/.exec(vkey.trim()) ?? [];
  const raw = Buffer.from(material ?? "", "base64");
  if (!name || !/^[0-9a-f]{8}$/.test(id ?? "") || raw.length !== 33 || raw[0] !== 1) fail("--key is not an Ed25519 verifier key name+keyid+base64");
  const pub = raw.subarray(1);
  const keyId = sha256(Buffer.from(`${name}\n`), Buffer.from([1]), pub).subarray(0, 4);
  if (keyId.toString("hex") !== id) fail("--key: the key id does not match the key");
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), pub]);
  return { name, keyId, key: createPublicKey({ key: spki, format: "der", type: "spki" }) };
}

function openCheckpoint(note, vk) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) fail("checkpoint is not a signed note");
  const text = note.slice(0, split + 1);
  const signed = note
    .slice(split + 2)
    .split("\n")
    .filter(Boolean)
    .some((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== vk.name) return false;
      const raw = b64(m[2]);
      return raw.subarray(0, 4).equals(vk.keyId) && verify(null, Buffer.from(text), vk.key, raw.subarray(4));
    });
  if (!signed) fail(`checkpoint carries no valid signature by ${vk.name}`);
  const [origin, size, root] = text.split("\n");
  if (!/^\d+$/.test(size) || b64(root).length !== 32) fail("checkpoint body is not origin / size / root hash");
  return { origin, size: Number(size), root: b64(root), note };
}

// --- RFC 9162 verification -----------------------------------------------------------------------------------
function rootFromInclusion(index, size, leaf, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else r = nodeHash(r, p);
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? r : null;
}

function consistent(m, n, mRoot, nRoot, proof) {
  if (m === n) return proof.length === 0 && mRoot.equals(nRoot);
  if (m === 0) return proof.length === 0;
  if (m > n || proof.length === 0) return false;
  const path = (m & (m - 1)) === 0 ? [mRoot, ...proof] : proof;
  let [fn, sn] = [m - 1, n - 1];
  while (fn % 2 === 1) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  let [fr, sr] = [path[0], path[0]];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      [fr, sr] = [nodeHash(c, fr), nodeHash(c, sr)];
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else sr = nodeHash(sr, c);
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && fr.equals(mRoot) && sr.equals(nRoot);
}

// Canonical JSON: keys sorted by UTF-16 code units, ECMAScript number and string forms.
const canonical = (v) =>
  v === null || typeof v !== "object"
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(",")}]`
      : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;

// --- inputs ----------------------------------------------------------------------------------------------------
async function get(path) {
  const res = await fetch(new URL(path, opt.url), { headers: opt.token ? { authorization: `Bearer ${opt.token}` } : {} });
  if (!res.ok) fail(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

if (!opt.key) fail("give --key: the log's verifier key, obtained out of band (do not take it from the gateway you are checking)");
const vk = parseVerifierKey(opt.key);
let checkpointBody;
let proof;
if (opt.url) {
  if (opt.index === undefined) fail("give --index N with --url");
  checkpointBody = await get("/admin/audit/checkpoint");
  const cp = openCheckpoint(checkpointBody.checkpoint, vk);
  proof = await get(`/admin/audit/proof/inclusion?index=${Number(opt.index)}&size=${cp.size}`);
} else if (opt.checkpoint && opt.proof) {
  const text = readFileSync(opt.checkpoint, "utf8");
  checkpointBody = text.trimStart().startsWith("{") ? JSON.parse(text) : { checkpoint: text };
  proof = readJson(opt.proof);
} else fail("give --url URL --index N, or --checkpoint FILE --proof FILE");

const cp = openCheckpoint(checkpointBody.checkpoint, vk);
console.log(`ok   checkpoint signed by ${vk.name}: origin ${cp.origin}, ${cp.size} entries, root ${cp.root.toString("base64")}`);
if (proof.tree_size !== cp.size || !b64(proof.root_hash).equals(cp.root)) fail(`the proof is for tree size ${proof.tree_size}, not the checkpoint's ${cp.size}`);
const root = rootFromInclusion(proof.index, proof.tree_size, b64(proof.leaf_hash), proof.hashes.map(b64));
if (!root || !root.equals(cp.root)) fail(`entry ${proof.index} is NOT included in the signed tree of ${cp.size} entries`);
console.log(`ok   entry ${proof.index} (leaf ${proof.leaf_hash}) is included in that tree (${proof.hashes.length} hashes)`);

if (opt.entry) {
  const shown = readJson(opt.entry);
  const entry = shown.entry ?? shown; // an item of /admin/audit/entries, or the bare entry
  if (!leafHash(Buffer.from(canonical(entry), "utf8")).equals(b64(proof.leaf_hash))) fail(`the entry in ${opt.entry} does not hash to leaf ${proof.index}`);
  console.log(`ok   the entry in ${opt.entry} is exactly leaf ${proof.index}`);
}

if (opt.previous) {
  if (!opt.url) fail("--previous needs --url to fetch the consistency proof");
  const old = openCheckpoint(readFileSync(opt.previous, "utf8"), vk);
  if (old.origin !== cp.origin) fail(`${opt.previous} is a checkpoint of ${old.origin}, not ${cp.origin}`);
  if (old.size > cp.size) fail(`the log shrank from ${old.size} to ${cp.size} entries`);
  const c = await get(`/admin/audit/proof/consistency?from=${old.size}&to=${cp.size}`);
  if (!consistent(old.size, cp.size, old.root, cp.root, c.hashes.map(b64))) fail(`the log of ${cp.size} entries does NOT extend the one you saved at ${old.size}: it was rewritten`);
  console.log(`ok   the saved checkpoint of ${old.size} entries is a prefix of this one: nothing was rewritten`);
}
if (opt.save) {
  writeFileSync(opt.save, cp.note);
  console.log(`saved this checkpoint to ${opt.save} for the next run's --previous`);
}
