/**
 * What the log keeps beside the leaves so proofs stay cheap at millions of entries: the hash of every complete
 * "bucket" of 16 leaves (stored, written in the same transaction as the leaves) and, in memory, every perfect
 * subtree above that level (4 bytes per entry). Nodes below bucket level are recomputed from at most 16 leaf
 * hashes read by index range. A per-row chain hash binds each row to its position, so a reordered or
 * renumbered row is named exactly by `verify`.
 */
import { hash } from "node:crypto";
import { isPowerOfTwo, nodeHash, rootOf, splitPoint, type SubtreeHasher } from "./merkle.ts";

export const BUCKET_SIZE = 16;
export const GENESIS_CHAIN = Buffer.alloc(32);

/** chain_i = SHA-256(chain_{i-1} || leaf_i), chain_{-1} = 32 zero bytes. */
export function chainHash(prev: Buffer, leaf: Buffer): Buffer {
  chainScratch.set(prev, 0);
  chainScratch.set(leaf, 32);
  return hash("sha256", chainScratch, "buffer");
}
const chainScratch = Buffer.alloc(64);

export interface NewRow {
  readonly entry: Buffer;
  readonly leaf: Buffer;
  readonly nation: string | null;
}

export interface SequencedRow extends NewRow {
  readonly index: number;
  readonly chain: Buffer;
}

/**
 * Assigns indexes to a batch appended after `size` leaves. `tail` holds the leaf hashes of the partial bucket the
 * log ends in (from `size - size % 16` to `size`); `prevChain` is the chain hash of the last row.
 */
export function sequence(size: number, prevChain: Buffer, tail: readonly Buffer[], rows: readonly NewRow[]) {
  if (tail.length !== size % BUCKET_SIZE) throw new Error(`audit store: expected ${size % BUCKET_SIZE} tail leaves, read ${tail.length}`);
  const sequenced: SequencedRow[] = [];
  const buckets: { k: number; hash: Buffer }[] = [];
  let pending = [...tail];
  let chain = prevChain;
  rows.forEach((row, i) => {
    const index = size + i;
    chain = chainHash(chain, row.leaf);
    sequenced.push({ ...row, index, chain });
    pending.push(row.leaf);
    if (pending.length === BUCKET_SIZE) {
      buckets.push({ k: (index + 1) / BUCKET_SIZE - 1, hash: rootOf(pending) });
      pending = [];
    }
  });
  return { rows: sequenced, buckets };
}

/** Perfect subtrees at and above bucket level, grown one bucket at a time. */
export class SubtreeCache {
  /** levels[j][i]: the hash of leaves [i * 16 * 2^j, (i + 1) * 16 * 2^j). */
  private readonly levels: Buffer[][] = [[]];

  get buckets(): number {
    return (this.levels[0] as Buffer[]).length;
  }

  add(bucketHash: Buffer): void {
    let h = bucketHash;
    for (let j = 0; ; j++) {
      const row = (this.levels[j] ??= []);
      row.push(h);
      if (row.length % 2 === 1) return;
      h = nodeHash(row[row.length - 2] as Buffer, h);
    }
  }

  /**
   * A hasher for trees of up to `buckets * 16 + 15` leaves; `leaves` maps a bucket number to its leaf hashes for the
   * buckets whose insides a proof needs (the buckets holding the proved leaf and the tree's last leaf).
   */
  hasher(leaves: ReadonlyMap<number, readonly Buffer[]>): SubtreeHasher {
    const subtree = (start: number, end: number): Buffer => {
      const n = end - start;
      if (isPowerOfTwo(n) && start % n === 0) {
        if (n >= BUCKET_SIZE) {
          const node = this.levels[Math.round(Math.log2(n / BUCKET_SIZE))]?.[start / n];
          if (!node) throw new Error(`audit tree cache: no node for leaves [${start}, ${end})`);
          return node;
        }
        const b = Math.floor(start / BUCKET_SIZE);
        const inBucket = leaves.get(b);
        if (!inBucket) throw new Error(`audit tree cache: bucket ${b} was not loaded`);
        const off = start - b * BUCKET_SIZE;
        if (off + n > inBucket.length) throw new Error(`audit tree cache: bucket ${b} is shorter than needed`);
        return n === 1 ? (inBucket[off] as Buffer) : rootOf(inBucket.slice(off, off + n));
      }
      const k = splitPoint(n);
      return nodeHash(subtree(start, start + k), subtree(start + k, end));
    };
    return { subtree };
  }
}
