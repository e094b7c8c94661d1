import { test } from "node:test";
import assert from "node:assert/strict";
import { noteVector as nv } from "../../test/audit/fixtures/merkle-vectors.ts";
import { addSignature, generateNoteKey, openNote, parseSignerKey, parseVerifierKey, signNote } from "./note.ts";
import { cosignCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from "./checkpoint.ts";
import { consistencyProof, leafHash, listHasher, rootOf } from "./merkle.ts";

test("signing the Go reference text with the reference key reproduces the published note byte for byte", () => {
  const signer = parseSignerKey(nv.signerKey);
  assert.equal(signer.verifierKey, nv.verifierKey);
  assert.equal(signNote(nv.text, [signer]), nv.note);
  const opened = openNote(nv.note, [parseVerifierKey(nv.verifierKey)]);
  assert.equal(opened.text, nv.text);
  assert.deepEqual(opened.verifiedBy, [nv.verifierKey]);
});

test("a changed text, a foreign key or a mangled verifier key is refused", () => {
  const v = parseVerifierKey(nv.verifierKey);
  assert.throws(() => openNote(nv.note.replace("cryptography", "cryptographY"), [v]), /does not verify/);
  const other = parseVerifierKey(generateNoteKey("Someone").verifierKey);
  assert.throws(() => openNote(nv.note, [other]), /no signature by a known key/);
  assert.throws(() => parseVerifierKey(nv.verifierKey.replace("c74f20a3", "c74f20a4")), /key id does not match/);
  assert.throws(() => parseVerifierKey("PeterNeumann+c74f20a3"), /name\+keyid\+key/);
  assert.throws(() => openNote(nv.text, [v]), /malformed/);
});

test("several signers: each added signature verifies on its own, unknown co-signers are ignored", () => {
  const a = generateNoteKey("deu.example/policy");
  const b = generateNoteKey("fra.example/policy");
  const text = "policy v7\nsha256 abc\n";
  const once = signNote(text, [parseSignerKey(a.signerKey)]);
  const twice = addSignature(once, parseSignerKey(b.signerKey));
  assert.equal(addSignature(twice, parseSignerKey(b.signerKey)), twice);
  const opened = openNote(twice, [parseVerifierKey(a.verifierKey), parseVerifierKey(b.verifierKey)]);
  assert.deepEqual(opened.verifiedBy, [a.verifierKey, b.verifierKey]);
  assert.equal(opened.signatures.length, 2);
  assert.deepEqual(openNote(twice, [parseVerifierKey(b.verifierKey)]).verifiedBy, [b.verifierKey]);
});

test("a checkpoint round-trips through its signed note and a witness co-signs only a consistent successor", () => {
  const log = generateNoteKey("example.org/log");
  const witness = generateNoteKey("witness.example");
  const signer = parseSignerKey(log.signerKey);
  const logKey = parseVerifierKey(log.verifierKey);
  const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
  const old = signCheckpoint({ origin: "example.org/log", size: 5, rootHash: rootOf(leaves.slice(0, 5)) }, signer);
  const next = signCheckpoint({ origin: "example.org/log", size: 13, rootHash: rootOf(leaves) }, signer);
  assert.equal(old.note.split("\n").slice(0, 3).join("\n"), `example.org/log\n5\n${rootOf(leaves.slice(0, 5)).toString("base64")}`);
  assert.equal(parseCheckpoint("o\n5\n" + old.rootHash.toString("base64") + "\n").size, 5);
  const proof = consistencyProof(5, 13, listHasher(leaves));
  const cosigned = cosignCheckpoint({ oldCheckpoint: old.note, newCheckpoint: next.note, proof, logKey, witness: parseSignerKey(witness.signerKey) });
  assert.deepEqual(openNote(cosigned, [parseVerifierKey(witness.verifierKey)]).verifiedBy, [witness.verifierKey]);
  assert.equal(openCheckpoint(cosigned, logKey).size, 13);
  const forked = signCheckpoint({ origin: "example.org/log", size: 13, rootHash: rootOf([...leaves.slice(0, 12), leafHash(Buffer.from("x"))]) }, signer);
  assert.throws(
    () => cosignCheckpoint({ oldCheckpoint: old.note, newCheckpoint: forked.note, proof, logKey, witness: parseSignerKey(witness.signerKey) }),
    /consistency proof/,
  );
  assert.throws(() => openCheckpoint(old.note, logKey, "other.org/log"), /origin/);
});
