import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as v from "../../test/audit/fixtures/merkle-vectors.ts";
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  listHasher,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.ts";

const hx = (s: string) => Buffer.from(s, "hex");
const leaves = v.leaves.map((l) => leafHash(hx(l)));
const rootAt = (n: number) => hx(v.roots[n - 1] as string);

test("roots of the first 1..8 reference leaves match the published roots", () => {
  for (let n = 1; n <= 8; n++) assert.equal(rootOf(leaves.slice(0, n)).toString("hex"), v.roots[n - 1], `size ${n}`);
  assert.equal(rootOf([]).toString("hex"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

test("inclusion proofs are generated and verified exactly as the reference vectors give them", () => {
  for (const c of v.inclusion) {
    const tree = listHasher(leaves.slice(0, c.size));
    assert.deepEqual(inclusionProof(c.index, c.size, tree).map((h) => h.toString("hex")), c.proof, `${c.index}@${c.size}`);
    assert.ok(verifyInclusion(c.index, c.size, leaves[c.index] as Buffer, c.proof.map(hx), rootAt(c.size)));
  }
});

test("consistency proofs are generated and verified exactly as the reference vectors give them", () => {
  for (const c of v.consistency) {
    const tree = listHasher(leaves.slice(0, c.to));
    assert.deepEqual(consistencyProof(c.from, c.to, tree).map((h) => h.toString("hex")), c.proof, `${c.from}->${c.to}`);
    assert.ok(verifyConsistency(c.from, c.to, rootAt(c.from), rootAt(c.to), c.proof.map(hx)));
  }
});

test("a corrupted inclusion proof (wrong index, size, leaf, root, extra, missing or flipped hash) is rejected", () => {
  const c = v.inclusion[2] as (typeof v.inclusion)[number];
  const proof = c.proof.map(hx);
  const leaf = leaves[c.index] as Buffer;
  const root = rootAt(c.size);
  const flip = (i: number) => proof.map((h, j) => (j === i ? Buffer.from(h.map((b, k) => (k === 0 ? b ^ 8 : b))) : h));
  const bad: [number, number, Buffer, Buffer[], Buffer][] = [
    [c.index - 1, c.size, leaf, proof, root],
    [c.index + 1, c.size, leaf, proof, root],
    [c.index ^ 2, c.size, leaf, proof, root],
    [c.index, c.size * 2, leaf, proof, root],
    [c.index, c.size / 2, leaf, proof, root],
    [c.index, c.size, leafHash(Buffer.from("WrongLeaf")), proof, root],
    [c.index, c.size, leaf, proof, EMPTY_ROOT],
    [c.index, c.size, leaf, [...proof, root], root],
    [c.index, c.size, leaf, [root, ...proof], root],
    [c.index, c.size, leaf, proof.slice(0, -1), root],
    ...proof.map((_, i): [number, number, Buffer, Buffer[], Buffer] => [c.index, c.size, leaf, flip(i), root]),
  ];
  for (const [i, n, l, p, r] of bad) assert.equal(verifyInclusion(i, n, l, p, r), false, `index ${i} size ${n}`);
});

test("a corrupted consistency proof (wrong sizes, swapped roots, empty, extra or flipped hash) is rejected", () => {
  const c = v.consistency[2] as (typeof v.consistency)[number];
  const proof = c.proof.map(hx);
  const [r1, r2] = [rootAt(c.from), rootAt(c.to)];
  const flip = (i: number) => proof.map((h, j) => (j === i ? Buffer.from(h.map((b, k) => (k === 0 ? b ^ 16 : b))) : h));
  const bad: [number, number, Buffer, Buffer, Buffer[]][] = [
    [c.from - 1, c.to, r1, r2, proof],
    [c.from + 1, c.to, r1, r2, proof],
    [c.from ^ 2, c.to, r1, r2, proof],
    [c.from, c.to * 2, r1, r2, proof],
    [c.from, c.to / 2, r1, r2, proof],
    [c.from, c.to, r2, r1, proof],
    [c.from, c.to, r1, r2, []],
    [c.from, c.to, r1, r2, [...proof, r1]],
    [c.from, c.to, r1, r2, [r2, ...proof]],
    [c.from, c.to, r1, r2, proof.slice(0, -1)],
    ...proof.map((_, i): [number, number, Buffer, Buffer, Buffer[]] => [c.from, c.to, r1, r2, flip(i)]),
  ];
  for (const [m, n, a, b, p] of bad) assert.equal(verifyConsistency(m, n, a, b, p), false, `${m}->${n}`);
});

test("edge sizes: empty trees are consistent with anything, equal sizes need equal roots and no proof", () => {
  const r = rootOf(leaves);
  assert.ok(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []));
  assert.ok(verifyConsistency(0, 8, EMPTY_ROOT, r, []));
  assert.ok(verifyConsistency(8, 8, r, r, []));
  assert.equal(verifyConsistency(8, 8, r, EMPTY_ROOT, []), false);
  assert.equal(verifyConsistency(8, 8, r, r, [r]), false);
  assert.equal(verifyConsistency(5, 4, r, r, []), false);
  assert.equal(verifyInclusion(0, 0, leaves[0] as Buffer, [], EMPTY_ROOT), false);
  assert.throws(() => inclusionProof(3, 3, listHasher(leaves)), RangeError);
});

test("for every pair of sizes up to 70, generated proofs verify and prove nothing for other leaves", () => {
  const many = Array.from({ length: 70 }, () => leafHash(randomBytes(8)));
  const roots = [EMPTY_ROOT, ...many.map((_, i) => rootOf(many.slice(0, i + 1)))];
  for (let n = 1; n <= many.length; n++) {
    const tree = listHasher(many.slice(0, n));
    for (let i = 0; i < n; i++) {
      const p = inclusionProof(i, n, tree);
      assert.ok(verifyInclusion(i, n, many[i] as Buffer, p, roots[n] as Buffer), `inclusion ${i}@${n}`);
      if (n > 1) assert.equal(verifyInclusion(i, n, many[(i + 1) % n] as Buffer, p, roots[n] as Buffer), false);
    }
    for (let m = 0; m <= n; m++) {
      const p = consistencyProof(m, n, tree);
      assert.ok(verifyConsistency(m, n, roots[m] as Buffer, roots[n] as Buffer, p), `consistency ${m}->${n}`);
      if (m > 0 && m < n) assert.equal(verifyConsistency(m, n, roots[m - 1] as Buffer, roots[n] as Buffer, p), false);
    }
  }
});
