/**
 * The per-entry half of `verify`: recomputes the leaf hashes of the entries in [from, to) from their stored bytes
 * and checks them against the stored leaf hashes and against the bucket trees (which list each bucket's leaves by
 * position). Ranges start on a bucket boundary and are independent of each other, so `verify` can check several at
 * once in worker threads and join their bucket roots.
 */
import { leafHash } from "./merkle.ts";
import type { LogStore } from "./store/types.ts";
import { BUCKET_SIZE, bucketNode, bucketRoot, bucketTree } from "./tree.ts";

export interface RangeFailure {
  readonly index: number;
  readonly reason: string;
  /**
   * How many entries a front-to-back reading had read, the one at hand included, when it found this: a checkpoint
   * of a smaller size is judged before it. A changed entry counts from its own index, since whatever a reading
   * finds after it reports that entry instead.
   */
  readonly at: number;
}

export interface RangeResult {
  /** Roots of the complete buckets that checked out, from the range's first bucket on, 32 bytes each. */
  readonly roots: Buffer;
  /** For each requested size inside the range: the leaf hashes from its bucket's start up to it. */
  readonly cuts: Record<number, Buffer[]>;
  /** Leaf hashes of the last, incomplete bucket when `to` is not on a bucket boundary. */
  readonly tail: Buffer[];
  readonly failure: RangeFailure | null;
}

const PAGE = 8192; // rows read at a time
const TREE_PAGE = 1024; // bucket rows read at a time

/** Checks entries [from, to) (`from` a multiple of 16); `cuts` are sizes whose partial-bucket leaves the caller needs. */
export async function checkRange(store: LogStore, from: number, to: number, cuts: readonly number[] = [], onProgress?: (n: number) => void): Promise<RangeResult> {
  if (from % BUCKET_SIZE !== 0) throw new RangeError(`a verify range starts on a bucket boundary, not at ${from}`);
  const wanted = new Set(cuts.filter((c) => c > from && c < to && c % BUCKET_SIZE !== 0));
  const cutLeaves: Record<number, Buffer[]> = {};
  const roots = Buffer.allocUnsafe((Math.floor(to / BUCKET_SIZE) - from / BUCKET_SIZE) * 32);
  let good = 0; // complete buckets checked so far
  let pending: Buffer[] = [];
  let changed: RangeFailure | null = null;
  let trees: Buffer[] = [];
  let hashes: Buffer[] = [];
  let firstTree = 0;
  const done = (failure: RangeFailure | null): RangeResult => ({ roots: roots.subarray(0, good * 32), cuts: cutLeaves, tail: pending, failure });

  let expected = from;
  const page = (start: number) => (start < to ? store.rows(start, Math.min(PAGE, to - start)) : Promise.resolve([]));
  let ahead = page(from);
  while (expected < to) {
    const rows = await ahead;
    // Ask for the next page before hashing this one, so the store's work overlaps ours (a round trip for PostgreSQL).
    const last = rows[rows.length - 1];
    ahead = page(last ? last.index + 1 : to);
    ahead.catch(() => {}); // a failure surfaces when it is awaited; an early return must not leave it unhandled
    if (rows.length === 0) {
      return done(changed ?? { index: expected, reason: `entry ${expected} is missing`, at: expected + 1 });
    }
    for (const row of rows) {
      const i = expected;
      if (row.index !== i) return done(changed ?? { index: i, reason: `entry ${i} is missing (the next stored entry is ${row.index})`, at: i + 1 });
      const leaf = leafHash(row.entry);
      if (!changed && !leaf.equals(row.leaf)) changed = { index: i, reason: `entry ${i} does not match its stored leaf hash (its content was changed)`, at: i + 1 };
      pending.push(leaf);
      expected += 1;
      if (wanted.has(expected)) cutLeaves[expected] = [...pending];
      if (pending.length < BUCKET_SIZE) continue;
      const k = expected / BUCKET_SIZE - 1;
      const start = k * BUCKET_SIZE;
      if (k >= firstTree + trees.length) {
        firstTree = k;
        const last = Math.min(k + TREE_PAGE, Math.floor(to / BUCKET_SIZE));
        [trees, hashes] = await Promise.all([store.bucketTrees(k, last), store.bucketHashes(k, last)]);
      }
      const stored = trees[k - firstTree];
      if (!stored) return done(changed ?? { index: start, reason: `the subtree hashes of entries ${start}..${expected - 1} are missing`, at: expected });
      const tree = bucketTree(pending);
      const same = tree.equals(stored);
      // The stored tree lists the bucket's leaves by position: name the first entry that is not where it was logged.
      if (!same || changed) {
        for (let j = 0; j < BUCKET_SIZE; j++) {
          if (changed?.index === start + j) return done(changed);
          if (!bucketNode(stored, 0, j).equals(pending[j] as Buffer)) {
            return done({ index: start + j, reason: `entry ${start + j} is out of place (the log recorded another entry at this position)`, at: expected });
          }
        }
      }
      const root = bucketRoot(tree);
      if (!same || !hashes[k - firstTree]?.equals(root)) {
        return done({ index: start, reason: `the stored subtree hashes of entries ${start}..${expected - 1} were altered`, at: expected });
      }
      root.copy(roots, good * 32);
      good += 1;
      pending = [];
    }
    onProgress?.(rows.length);
  }
  return done(changed);
}
