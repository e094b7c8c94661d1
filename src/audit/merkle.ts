/**
 * RFC 9162 §2.1 Merkle tree hashing, inclusion proofs and consistency proofs, for any tree size.
 * Pure functions: a tree is seen only through a `SubtreeHasher`, so the same proof code serves a list in memory
 * and a log of millions of entries whose interior hashes are cached.
 */
import { hash } from "node:crypto";

export const HASH_SIZE = 32;
/** MTH({}): the hash of an empty tree is the hash of the empty string. */
export const EMPTY_ROOT: Buffer = hash("sha256", Buffer.alloc(0), "buffer");

const scratch = Buffer.alloc(1 + 2 * HASH_SIZE);
let leafScratch = Buffer.alloc(4096);

/** SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Buffer {
  // One reused buffer: hashing millions of entries in `verify` should not allocate one per entry.
  if (leafScratch.length < entry.length + 1) leafScratch = Buffer.alloc(2 * (entry.length + 1));
  leafScratch[0] = 0x00;
  leafScratch.set(entry, 1);
  return hash("sha256", leafScratch.subarray(0, entry.length + 1), "buffer");
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  scratch[0] = 0x01;
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return hash("sha256", scratch, "buffer");
}

/** The largest power of two strictly below n (n >= 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n > 0 && n <= 0x7fffffff) return (n & (n - 1)) === 0;
  return n > 0 && n === 2 ** Math.round(Math.log2(n));
}

/** Any view of a tree that can give MTH(D[start:end]) for the ranges RFC 9162's recursion asks for. */
export interface SubtreeHasher {
  subtree(start: number, end: number): Buffer;
}

/**
 * Builds roots incrementally (a compact range from index 0): one hash per set bit of the count. Leaves or whole
 * aligned perfect subtrees can be pushed, so a verifier can add a bucket's hash instead of re-hashing its insides.
 */
export class RootAccumulator {
  private readonly stack: { hash: Buffer; size: number }[] = [];
  count = 0;

  push(leaf: Buffer): void {
    this.pushSubtree(leaf, 1);
  }

  /** Appends a perfect subtree of `size` leaves (a power of two); the count so far must be a multiple of it. */
  pushSubtree(hash: Buffer, size: number): void {
    if (this.count % size !== 0) throw new RangeError(`a subtree of ${size} leaves cannot follow ${this.count} leaves`);
    let node = { hash, size };
    for (let top = this.stack[this.stack.length - 1]; top && top.size === node.size; top = this.stack[this.stack.length - 1]) {
      this.stack.pop();
      node = { hash: nodeHash(top.hash, node.hash), size: top.size * 2 };
    }
    this.stack.push(node);
    this.count += size;
  }

  /** MTH of everything pushed so far; `tail` adds leaves after it without changing the accumulator. */
  root(tail: RootAccumulator | null = null): Buffer {
    const all = tail ? [...this.stack, ...tail.stack] : this.stack;
    if (all.length === 0) return EMPTY_ROOT;
    let r = (all[all.length - 1] as { hash: Buffer }).hash;
    for (let i = all.length - 2; i >= 0; i--) r = nodeHash((all[i] as { hash: Buffer }).hash, r);
    return r;
  }
}

/** MTH(D[n]) of a list of leaf hashes. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const acc = new RootAccumulator();
  for (const l of leaves) acc.push(l);
  return acc.root();
}

/** A SubtreeHasher over leaf hashes held in memory (tests, fixtures, small trees). */
export function listHasher(leaves: readonly Buffer[]): SubtreeHasher {
  return { subtree: (start, end) => rootOf(leaves.slice(start, end)) };
}

function checkRange(index: number, size: number, what: string): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || size < 0) {
    throw new RangeError(`${what}: sizes and indexes must be non-negative integers`);
  }
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(index: number, size: number, tree: SubtreeHasher): Buffer[] {
  checkRange(index, size, "inclusion proof");
  if (index >= size) throw new RangeError(`inclusion proof: index ${index} is not below tree size ${size}`);
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), tree.subtree(start + k, end)]
      : [...path(m - k, start + k, end), tree.subtree(start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: proves the tree of `from` leaves is a prefix of the tree of `to`. */
export function consistencyProof(from: number, to: number, tree: SubtreeHasher): Buffer[] {
  checkRange(from, to, "consistency proof");
  if (from > to) throw new RangeError(`consistency proof: from ${from} is beyond to ${to}`);
  if (from === 0 || from === to) return [];
  const sub = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [tree.subtree(start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...sub(m, start, start + k, whole), tree.subtree(start + k, end)]
      : [...sub(m - k, start + k, end, false), tree.subtree(start, start + k)];
  };
  return sub(from, 0, to, true);
}

const wellFormed = (hashes: readonly Uint8Array[]) => hashes.every((h) => h.length === HASH_SIZE);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof cannot fit the sizes. */
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_SIZE || !wellFormed(proof)) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** True when `proof` shows leaf hash `leaf` at `index` in the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const got = rootFromInclusionProof(index, size, leaf, proof);
  return got !== null && same(got, root);
}

/** True when `proof` shows the tree (from, fromRoot) is a prefix of (to, toRoot): RFC 9162 §2.1.4.2. */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (!wellFormed(proof)) return false;
  if (from === to) return proof.length === 0 && same(fromRoot, toRoot);
  if (from === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, fromRoot) && same(sr, toRoot);
}
