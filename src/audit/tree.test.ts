import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { consistencyProof, inclusionProof, leafHash, listHasher, rootOf } from "./merkle.ts";
import { BUCKET_SIZE, bucketNode, bucketRoot, bucketTree, sequence, SubtreeCache, type BucketView } from "./tree.ts";

const leaves = Array.from({ length: 300 }, () => leafHash(randomBytes(12)));

test("a bucket tree holds its leaves in order and the same nodes RFC 9162 hashing gives", () => {
  const tree = bucketTree(leaves.slice(0, 16));
  assert.deepEqual(bucketRoot(tree), rootOf(leaves.slice(0, 16)));
  for (let j = 0; j < 16; j++) assert.deepEqual(bucketNode(tree, 0, j), leaves[j]);
  assert.deepEqual(bucketNode(tree, 2, 3), rootOf(leaves.slice(12, 16)));
  assert.deepEqual(bucketNode(tree, 3, 0), rootOf(leaves.slice(0, 8)));
});

test("sequencing a batch completes exactly the buckets it fills, whatever the tail it starts from", () => {
  const rows = leaves.slice(5, 40).map((leaf) => ({ entry: Buffer.alloc(0), leaf, nation: null }));
  const s = sequence(5, leaves.slice(0, 5), rows);
  assert.deepEqual(s.rows.map((r) => r.index), Array.from({ length: 35 }, (_, i) => 5 + i));
  assert.deepEqual(s.buckets.map((b) => b.k), [0, 1]);
  assert.deepEqual(s.buckets[1]?.hash, rootOf(leaves.slice(16, 32)));
  assert.throws(() => sequence(5, leaves.slice(0, 4), rows), /tail/);
});

test("proofs from the subtree cache and stored buckets equal proofs from the whole list, for every size", () => {
  const cache = new SubtreeCache();
  for (let size = 1; size <= leaves.length; size++) {
    if (size % BUCKET_SIZE === 0) cache.add(rootOf(leaves.slice(size - BUCKET_SIZE, size)));
    const view = (b: number): BucketView => {
      const part = leaves.slice(b * BUCKET_SIZE, Math.min((b + 1) * BUCKET_SIZE, size));
      return part.length === BUCKET_SIZE ? { tree: bucketTree(part) } : { leaves: part };
    };
    const full = listHasher(leaves.slice(0, size));
    for (const index of [0, size - 1, Math.floor(size / 2), (size * 7) % size]) {
      const views = new Map([index, size - 1].map((i) => [Math.floor(i / BUCKET_SIZE), view(Math.floor(i / BUCKET_SIZE))] as const));
      const hasher = cache.hasher(views);
      assert.deepEqual(inclusionProof(index, size, hasher), inclusionProof(index, size, full), `inclusion ${index}@${size}`);
      assert.deepEqual(hasher.subtree(0, size), full.subtree(0, size));
      const m = Math.max(1, index);
      const cviews = new Map([m - 1, size - 1].map((i) => [Math.floor(i / BUCKET_SIZE), view(Math.floor(i / BUCKET_SIZE))] as const));
      assert.deepEqual(consistencyProof(m, size, cache.hasher(cviews)), consistencyProof(m, size, full), `consistency ${m}->${size}`);
    }
  }
});

test("the subtree cache keeps every perfect subtree exact after its levels grow past their first allocation", () => {
  const many = Array.from({ length: 200 * BUCKET_SIZE }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
  const cache = new SubtreeCache();
  for (let b = 0; b < 200; b++) cache.add(rootOf(many.slice(b * BUCKET_SIZE, (b + 1) * BUCKET_SIZE)));
  assert.equal(cache.buckets, 200);
  const hasher = cache.hasher(new Map());
  for (let width = BUCKET_SIZE; width <= 128 * BUCKET_SIZE; width *= 2) {
    for (const start of new Set([0, width, (Math.floor(many.length / width) - 1) * width])) {
      if (start + width > many.length) continue;
      assert.deepEqual(hasher.subtree(start, start + width), rootOf(many.slice(start, start + width)), `[${start}, ${start + width})`);
    }
  }
  assert.throws(() => hasher.subtree(256 * BUCKET_SIZE, 512 * BUCKET_SIZE), /no node/);
});
