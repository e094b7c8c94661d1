/**
 * What the log keeps beside the leaves so proofs stay cheap at millions of entries. Leaves are grouped in
 * "buckets" of 16; for every complete bucket the store holds, written in the same transaction as its leaves, the
 * bucket's whole mini-tree (16 leaf hashes and the 15 nodes above them, 992 bytes). In memory each process keeps
 * every perfect subtree above bucket level (about 4 bytes per entry). A proof then reads one bucket row and
 * hashes almost nothing. Because the bucket row lists its leaves by position, `verify` also names a reordered or
 * renumbered entry exactly.
 */
import { HASH_SIZE, isPowerOfTwo, nodeHash, rootOf, splitPoint, type SubtreeHasher } from "./merkle.ts";

export const BUCKET_SIZE = 16;
const BUCKET_NODES = 2 * BUCKET_SIZE - 1;
/** Position of level l's first node in a bucket tree: leaves at 0, then 8 level-1 nodes at 16, ... root at 30. */
const levelStart = (level: number) => 2 * BUCKET_SIZE - 2 ** (Math.log2(BUCKET_SIZE) + 1 - level);

/** The 31 hashes of a complete bucket's tree, level by level, leaves first and the bucket's root last. */
export function bucketTree(leaves: readonly Buffer[]): Buffer {
  if (leaves.length !== BUCKET_SIZE) throw new Error(`a bucket holds ${BUCKET_SIZE} leaves, not ${leaves.length}`);
  const out = Buffer.allocUnsafe(BUCKET_NODES * HASH_SIZE);
  leaves.forEach((l, i) => out.set(l, i * HASH_SIZE));
  for (let level = 1, width = BUCKET_SIZE / 2; width >= 1; level++, width /= 2) {
    const below = levelStart(level - 1);
    for (let j = 0; j < width; j++) {
      const left = out.subarray((below + 2 * j) * HASH_SIZE, (below + 2 * j + 1) * HASH_SIZE);
      const right = out.subarray((below + 2 * j + 1) * HASH_SIZE, (below + 2 * j + 2) * HASH_SIZE);
      out.set(nodeHash(left, right), (levelStart(level) + j) * HASH_SIZE);
    }
  }
  return out;
}

/** Node `j` of level `level` (0 = leaves) inside a bucket tree. */
export function bucketNode(tree: Buffer, level: number, j: number): Buffer {
  const at = (levelStart(level) + j) * HASH_SIZE;
  return tree.subarray(at, at + HASH_SIZE);
}

export const bucketRoot = (tree: Buffer): Buffer => bucketNode(tree, Math.log2(BUCKET_SIZE), 0);

export interface NewRow {
  readonly entry: Buffer;
  readonly leaf: Buffer;
  readonly nation: string | null;
}

export interface SequencedRow extends NewRow {
  readonly index: number;
}

/**
 * Assigns indexes to a batch appended after `size` leaves. `tail` holds the leaf hashes of the partial bucket the
 * log ends in (from `size - size % 16` to `size`).
 */
export function sequence(size: number, tail: readonly Buffer[], rows: readonly NewRow[]) {
  if (tail.length !== size % BUCKET_SIZE) throw new Error(`audit store: expected ${size % BUCKET_SIZE} tail leaves, read ${tail.length}`);
  const sequenced: SequencedRow[] = [];
  const buckets: { k: number; hash: Buffer; nodes: Buffer }[] = [];
  let pending = [...tail];
  rows.forEach((row, i) => {
    const index = size + i;
    sequenced.push({ ...row, index });
    pending.push(row.leaf);
    if (pending.length === BUCKET_SIZE) {
      const nodes = bucketTree(pending);
      buckets.push({ k: (index + 1) / BUCKET_SIZE - 1, hash: bucketRoot(nodes), nodes });
      pending = [];
    }
  });
  return { rows: sequenced, buckets };
}

/** What a proof needs of one bucket: its stored tree when complete, else the leaf hashes it has so far. */
export type BucketView = { readonly tree: Buffer } | { readonly leaves: readonly Buffer[] };

export function leafOf(view: BucketView, offset: number): Buffer | undefined {
  if ("tree" in view) return offset < BUCKET_SIZE ? bucketNode(view.tree, 0, offset) : undefined;
  return view.leaves[offset];
}

const RANGE_MEMO = 4096;

/**
 * One level of the cache: fixed-size hashes packed in one growing buffer. A Buffer object per node cost about 220
 * bytes of heap for 32 bytes of hash, which the 30-minute soak showed as steady heap growth (about 24 bytes per
 * appended entry, one node per 8 entries); packed, a level costs its 32 bytes per node and nothing more.
 */
class HashRow {
  private bytes = Buffer.alloc(64 * HASH_SIZE);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_SIZE > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.length * HASH_SIZE);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * HASH_SIZE);
    this.length++;
  }

  /** A view of node `i`: hashes never change, and a view keeps the bytes it was cut from alive after a grow. */
  at(i: number): Buffer | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    return this.bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}

/** Perfect subtrees at and above bucket level, grown one bucket at a time, plus a memo of right-edge ranges. */
export class SubtreeCache {
  /** levels[j] node i: the hash of leaves [i * 16 * 2^j, (i + 1) * 16 * 2^j). */
  private readonly levels: HashRow[] = [new HashRow()];
  /** Hashes of ranges that are not perfect subtrees (a tree's right edge); a range's hash never changes. */
  private readonly ranges = new Map<string, Buffer>();

  get buckets(): number {
    return (this.levels[0] as HashRow).length;
  }

  add(bucketHash: Buffer): void {
    let h = bucketHash;
    for (let j = 0; ; j++) {
      const row = (this.levels[j] ??= new HashRow());
      row.push(h);
      if (row.length % 2 === 1) return;
      h = nodeHash(row.at(row.length - 2) as Buffer, h);
    }
  }

  /**
   * A hasher for trees of up to `buckets * 16 + 15` leaves; `views` maps a bucket number to its contents for the
   * buckets whose insides a proof needs (those holding the proved leaf and the tree's last leaf).
   */
  hasher(views: ReadonlyMap<number, BucketView>): SubtreeHasher {
    const subtree = (start: number, end: number): Buffer => {
      const n = end - start;
      if (isPowerOfTwo(n) && start % n === 0) {
        if (n >= BUCKET_SIZE) {
          const node = this.levels[Math.round(Math.log2(n / BUCKET_SIZE))]?.at(start / n);
          if (!node) throw new Error(`audit tree cache: no node for leaves [${start}, ${end})`);
          return node;
        }
        const b = Math.floor(start / BUCKET_SIZE);
        const view = views.get(b);
        if (!view) throw new Error(`audit tree cache: bucket ${b} was not loaded`);
        const off = start - b * BUCKET_SIZE;
        if ("tree" in view) return bucketNode(view.tree, Math.round(Math.log2(n)), off / n);
        if (off + n > view.leaves.length) throw new Error(`audit tree cache: bucket ${b} is shorter than needed`);
        return n === 1 ? (view.leaves[off] as Buffer) : rootOf(view.leaves.slice(off, off + n));
      }
      const key = `${start}-${end}`;
      const memo = this.ranges.get(key);
      if (memo) return memo;
      const k = splitPoint(n);
      const h = nodeHash(subtree(start, start + k), subtree(start + k, end));
      if (this.ranges.size >= RANGE_MEMO) this.ranges.delete(this.ranges.keys().next().value as string);
      this.ranges.set(key, h);
      return h;
    };
    return { subtree };
  }
}
