/**
 * Recomputes a whole stored log: every leaf hash from its entry bytes, every stored bucket tree (which lists each
 * bucket's leaves by position), and the root at each signed checkpoint. Reports the first index at which the
 * evidence breaks.
 */
import { EMPTY_ROOT, leafHash, RootAccumulator } from "./merkle.ts";
import { openCheckpoint } from "./checkpoint.ts";
import type { NoteVerifier } from "./note.ts";
import type { LogStore } from "./store/types.ts";
import { BUCKET_SIZE, bucketNode, bucketRoot, bucketTree } from "./tree.ts";

export type VerifyReport =
  | { readonly ok: true; readonly size: number; readonly checkpoints: number; readonly rootHash: string }
  | {
      readonly ok: false;
      /** The first entry index the evidence no longer vouches for. */
      readonly index: number;
      readonly reason: string;
      /** Size of the checkpoint involved, when a checkpoint is what failed. */
      readonly checkpoint?: number;
    };

type Failure = Extract<VerifyReport, { ok: false }>;

const TREE_PAGE = 4096; // bucket rows read at a time

export async function verifyLogStore(
  store: LogStore,
  logKey: NoteVerifier,
  opts: { origin?: string; onProgress?: (done: number) => void } = {},
): Promise<VerifyReport> {
  const checkpoints: { size: number; root: Buffer }[] = [];
  let origin = opts.origin;
  let trusted = 0; // size of the last checkpoint that verified
  for (const cp of await store.checkpoints()) {
    try {
      const opened = openCheckpoint(cp.note, logKey, origin);
      origin ??= opened.origin;
      if (opened.size !== cp.size) throw new Error(`it says size ${opened.size}`);
      checkpoints.push({ size: cp.size, root: opened.rootHash });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { ok: false, index: Math.min(trusted, cp.size), checkpoint: cp.size, reason: `the checkpoint stored for size ${cp.size} does not verify: ${why}` };
    }
    trusted = cp.size;
  }

  // Complete buckets go into `all` as one subtree each; `pending` holds the leaves of the bucket being read.
  const all = new RootAccumulator();
  let pending: Buffer[] = [];
  let changed: Failure | null = null; // first row of the current bucket whose bytes no longer match its leaf hash
  let expected = 0;
  let nextCp = 0;
  let lastGood = 0;
  const rootSoFar = () => {
    const tail = new RootAccumulator();
    for (const l of pending) tail.push(l);
    return all.root(tail);
  };
  while (nextCp < checkpoints.length && (checkpoints[nextCp] as { size: number }).size === 0) {
    if (!EMPTY_ROOT.equals((checkpoints[nextCp] as { root: Buffer }).root)) return { ok: false, index: 0, checkpoint: 0, reason: "the empty-tree checkpoint does not verify" };
    nextCp += 1;
  }
  let trees: Buffer[] = [];
  let roots: Buffer[] = [];
  let firstBucket = 0;
  for await (const rows of store.scan(0)) {
    for (const row of rows) {
      const i = expected;
      if (row.index !== i) return changed ?? { ok: false, index: i, reason: `entry ${i} is missing (the next stored entry is ${row.index})` };
      const leaf = leafHash(row.entry);
      if (!changed && !leaf.equals(row.leaf)) changed = { ok: false, index: i, reason: `entry ${i} does not match its stored leaf hash (its content was changed)` };
      pending.push(leaf);
      expected += 1;
      if (pending.length === BUCKET_SIZE) {
        const k = expected / BUCKET_SIZE - 1;
        const start = k * BUCKET_SIZE;
        if (k >= firstBucket + trees.length) {
          firstBucket = k;
          [trees, roots] = await Promise.all([store.bucketTrees(k, k + TREE_PAGE), store.bucketHashes(k, k + TREE_PAGE)]);
        }
        const stored = trees[k - firstBucket];
        if (!stored) return changed ?? { ok: false, index: start, reason: `the subtree hashes of entries ${start}..${expected - 1} are missing` };
        for (let j = 0; j < BUCKET_SIZE; j++) {
          if (changed?.index === start + j) return changed;
          if (!bucketNode(stored, 0, j).equals(pending[j] as Buffer)) {
            return { ok: false, index: start + j, reason: `entry ${start + j} is out of place (the log recorded another entry at this position)` };
          }
        }
        const tree = bucketTree(pending);
        if (!tree.equals(stored) || !roots[k - firstBucket]?.equals(bucketRoot(tree))) {
          return { ok: false, index: start, reason: `the stored subtree hashes of entries ${start}..${expected - 1} were altered` };
        }
        all.pushSubtree(bucketRoot(tree), BUCKET_SIZE);
        pending = [];
      }
      while (nextCp < checkpoints.length && (checkpoints[nextCp] as { size: number }).size === expected) {
        const cp = checkpoints[nextCp] as { size: number; root: Buffer };
        if (!rootSoFar().equals(cp.root)) {
          return changed ?? { ok: false, index: lastGood, checkpoint: cp.size, reason: `entries ${lastGood}..${cp.size - 1} do not match the signed checkpoint at size ${cp.size}` };
        }
        lastGood = cp.size;
        nextCp += 1;
      }
    }
    opts.onProgress?.(expected);
  }
  if (changed) return changed;
  const beyond = checkpoints[nextCp];
  if (beyond) {
    return { ok: false, index: expected, checkpoint: beyond.size, reason: `entries ${expected}..${beyond.size - 1} are missing: a signed checkpoint covers ${beyond.size} entries` };
  }
  const extraBuckets = await store.bucketHashes(Math.floor(expected / BUCKET_SIZE), Number.MAX_SAFE_INTEGER);
  if (extraBuckets.length > 0) {
    return { ok: false, index: expected, reason: `entries from ${expected} are missing: subtree hashes exist beyond the last entry` };
  }
  return { ok: true, size: expected, checkpoints: checkpoints.length, rootHash: rootSoFar().toString("base64") };
}
