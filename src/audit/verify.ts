/**
 * Recomputes a whole stored log: every leaf hash from its entry bytes, every row's chain hash, every stored bucket
 * hash, and the root at each signed checkpoint. Reports the first index at which the evidence breaks.
 */
import { EMPTY_ROOT, leafHash, RootAccumulator } from "./merkle.ts";
import { openCheckpoint } from "./checkpoint.ts";
import type { NoteVerifier } from "./note.ts";
import type { LogStore } from "./store/types.ts";
import { BUCKET_SIZE, chainHash, GENESIS_CHAIN } from "./tree.ts";

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

const PAGE = 20_000;

export async function verifyLogStore(
  store: LogStore,
  logKey: NoteVerifier,
  opts: { origin?: string; onProgress?: (done: number) => void } = {},
): Promise<VerifyReport> {
  const stored = await store.checkpoints();
  const checkpoints: { size: number; root: Buffer }[] = [];
  let origin = opts.origin;
  let trusted = 0; // size of the last checkpoint that verified
  for (const cp of stored) {
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

  // Leaves go into `bucket` (16 at most); each full bucket's hash goes into `all` as one subtree.
  const all = new RootAccumulator();
  let bucket = new RootAccumulator();
  let bucketHashes: Buffer[] = [];
  let chain: Buffer = GENESIS_CHAIN;
  let expected = 0;
  let nextCp = 0;
  let lastGood = 0;
  // An empty tree's checkpoint (size 0) is checked first, since no entry reaches it.
  while (nextCp < checkpoints.length && (checkpoints[nextCp] as { size: number }).size === 0) {
    if (!EMPTY_ROOT.equals((checkpoints[nextCp] as { root: Buffer }).root)) return { ok: false, index: 0, checkpoint: 0, reason: "the empty-tree checkpoint does not verify" };
    nextCp += 1;
  }
  for (;;) {
    const rows = await store.rows(expected, PAGE);
    if (rows.length === 0) break;
    const firstBucket = Math.floor(expected / BUCKET_SIZE);
    bucketHashes = await store.bucketHashes(firstBucket, firstBucket + Math.ceil(rows.length / BUCKET_SIZE) + 1);
    for (const row of rows) {
      const i = expected;
      if (row.index !== i) return { ok: false, index: i, reason: `entry ${i} is missing (the next stored entry is ${row.index})` };
      const leaf = leafHash(row.entry);
      if (!leaf.equals(row.leaf)) return { ok: false, index: i, reason: `entry ${i} does not match its stored leaf hash (its content was changed)` };
      chain = chainHash(chain, leaf);
      if (!chain.equals(row.chain)) return { ok: false, index: i, reason: `entry ${i} is out of place (its chain hash does not follow entry ${i - 1})` };
      bucket.push(leaf);
      expected += 1;
      if (bucket.count === BUCKET_SIZE) {
        const k = expected / BUCKET_SIZE - 1;
        const want = bucketHashes[k - firstBucket];
        const got = bucket.root();
        if (!want || !got.equals(want)) {
          return { ok: false, index: k * BUCKET_SIZE, reason: `entries ${k * BUCKET_SIZE}..${expected - 1} do not match their stored subtree hash` };
        }
        all.pushSubtree(got, BUCKET_SIZE);
        bucket = new RootAccumulator();
      }
      while (nextCp < checkpoints.length && (checkpoints[nextCp] as { size: number }).size === expected) {
        const cp = checkpoints[nextCp] as { size: number; root: Buffer };
        if (!all.root(bucket).equals(cp.root)) {
          return { ok: false, index: lastGood, checkpoint: cp.size, reason: `entries ${lastGood}..${cp.size - 1} do not match the signed checkpoint at size ${cp.size}` };
        }
        lastGood = cp.size;
        nextCp += 1;
      }
    }
    opts.onProgress?.(expected);
  }
  const beyond = checkpoints[nextCp];
  if (beyond) {
    return { ok: false, index: expected, checkpoint: beyond.size, reason: `entries ${expected}..${beyond.size - 1} are missing: a signed checkpoint covers ${beyond.size} entries` };
  }
  const extraBuckets = await store.bucketHashes(Math.floor(expected / BUCKET_SIZE), Number.MAX_SAFE_INTEGER);
  if (extraBuckets.length > 0) {
    return { ok: false, index: expected, reason: `entries from ${expected} are missing: subtree hashes exist beyond the last entry` };
  }
  return { ok: true, size: expected, checkpoints: checkpoints.length, rootHash: all.root(bucket).toString("base64") };
}
