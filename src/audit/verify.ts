/**
 * Recomputes a whole stored log: every leaf hash from its entry bytes, every stored bucket tree (which lists each
 * bucket's leaves by position), and the root at each signed checkpoint. Reports the first index at which the
 * evidence breaks.
 *
 * The entries are checked in ranges of whole buckets (verify-range.ts), in worker threads when the caller names
 * the store's location (each worker opens its own connection), and the ranges' bucket roots are then joined into
 * the root at every checkpoint. Nothing is taken on trust from a range but what it recomputed from entry bytes.
 */
import { availableParallelism } from "node:os";
import { EMPTY_ROOT, RootAccumulator } from "./merkle.ts";
import { openCheckpoint } from "./checkpoint.ts";
import type { NoteVerifier } from "./note.ts";
import type { LogStore } from "./store/types.ts";
import { startWorker } from "./threads.ts";
import { BUCKET_SIZE } from "./tree.ts";
import { checkRange, type RangeResult } from "./verify-range.ts";
import type { RangeJob } from "./verify-worker.ts";

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

export interface VerifyOptions {
  origin?: string;
  onProgress?: (done: number) => void;
  /**
   * Where the store lives, so worker threads can open their own connections and check ranges in parallel.
   * Without it (or for an in-memory SQLite database) everything runs on the calling thread.
   */
  location?: { readonly url: string; readonly prefix: string };
  /** Worker threads to use with `location` (default: one per core, at most 8). */
  workers?: number;
}

/** Below this many entries a worker's start-up costs more than it saves. */
const PARALLEL_FROM = 200_000;

export async function verifyLogStore(store: LogStore, logKey: NoteVerifier, opts: VerifyOptions = {}): Promise<VerifyReport> {
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

  // The store's end as it says; entries cut off the end are found against the checkpoints that covered them.
  const size = await store.size();
  const complete = Math.floor(size / BUCKET_SIZE);
  const cuts = checkpoints.map((c) => c.size);
  const ranges = await checkRanges(store, complete, size, cuts, opts);

  // Join: bucket roots in order, a checkpoint judged as soon as the entries it covers were read.
  const all = new RootAccumulator();
  let done = 0; // entries whose bucket roots are in `all`
  let lastGood = 0;
  let nextCp = 0;
  for (const r of ranges) {
    const roots = r.result.roots;
    const stop = r.result.failure?.at ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const cp = checkpoints[nextCp];
      if (!cp || cp.size > r.to || cp.size >= stop) break;
      // Bring `all` up to the checkpoint's last complete bucket, then add the leaves of its partial bucket.
      while (done + BUCKET_SIZE <= cp.size) {
        const at = ((done - r.from) / BUCKET_SIZE) * 32;
        all.pushSubtree(roots.subarray(at, at + 32), BUCKET_SIZE);
        done += BUCKET_SIZE;
      }
      const partial = cp.size === done ? [] : cp.size === r.to ? r.result.tail : (r.result.cuts[cp.size] ?? []);
      if (!rootWith(all, partial).equals(cp.root)) {
        if (cp.size === 0) return { ok: false, index: 0, checkpoint: 0, reason: "the empty-tree checkpoint does not verify" };
        return { ok: false, index: lastGood, checkpoint: cp.size, reason: `entries ${lastGood}..${cp.size - 1} do not match the signed checkpoint at size ${cp.size}` };
      }
      lastGood = cp.size;
      nextCp += 1;
    }
    const f = r.result.failure;
    if (f) return { ok: false, index: f.index, reason: f.reason };
    for (; done + BUCKET_SIZE <= r.to; done += BUCKET_SIZE) {
      const at = ((done - r.from) / BUCKET_SIZE) * 32;
      all.pushSubtree(roots.subarray(at, at + 32), BUCKET_SIZE);
    }
  }
  const beyond = checkpoints[nextCp];
  if (beyond) {
    return { ok: false, index: size, checkpoint: beyond.size, reason: `entries ${size}..${beyond.size - 1} are missing: a signed checkpoint covers ${beyond.size} entries` };
  }
  const extraBuckets = await store.bucketHashes(complete, Number.MAX_SAFE_INTEGER);
  if (extraBuckets.length > 0) {
    return { ok: false, index: size, reason: `entries from ${size} are missing: subtree hashes exist beyond the last entry` };
  }
  const tail = ranges[ranges.length - 1]?.result.tail ?? [];
  return { ok: true, size, checkpoints: checkpoints.length, rootHash: rootWith(all, tail).toString("base64") };
}

function rootWith(all: RootAccumulator, leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return all.root();
  const tail = new RootAccumulator();
  for (const l of leaves) tail.push(l);
  return all.root(tail);
}

interface Checked {
  readonly from: number;
  readonly to: number;
  readonly result: RangeResult;
}

/** Checks [0, size) in ranges of whole buckets (the last range also takes the incomplete bucket), in order. */
async function checkRanges(store: LogStore, complete: number, size: number, cuts: readonly number[], opts: VerifyOptions): Promise<Checked[]> {
  const loc = opts.location;
  const workers = Math.max(1, opts.workers ?? Math.min(availableParallelism(), 8, Math.ceil(size / PARALLEL_FROM)));
  let progress = 0;
  const onProgress = opts.onProgress && ((n: number) => opts.onProgress?.((progress += n)));
  if (!loc || workers === 1 || loc.url === "sqlite::memory:" || loc.url === ":memory:") {
    return [{ from: 0, to: size, result: await checkRange(store, 0, size, cuts, onProgress) }];
  }
  const per = Math.max(1, Math.ceil(complete / workers)) * BUCKET_SIZE;
  const bounds: [number, number][] = [];
  for (let from = 0; from < size; from += per) bounds.push([from, Math.min(size, from + per)]);
  return Promise.all(bounds.map(async ([from, to]) => ({ from, to, result: await inWorker({ url: loc.url, prefix: loc.prefix, from, to, cuts }, onProgress) })));
}

function inWorker(job: RangeJob, onProgress?: (n: number) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL("./verify-worker.ts", import.meta.url), job);
    w.on("message", (m: { progress?: number; result?: RangeResult; error?: string }) => {
      if (m.progress !== undefined) onProgress?.(m.progress);
      else if (m.error !== undefined) reject(new Error(`audit verify worker: ${m.error}`));
      else if (m.result) resolve(asBuffers(m.result));
    });
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`audit verify worker exited (${code}) before it answered`)));
  });
}

/** Buffers come back from a worker as plain Uint8Arrays. */
function asBuffers(r: RangeResult): RangeResult {
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  const cuts: Record<number, Buffer[]> = {};
  for (const [k, v] of Object.entries(r.cuts)) cuts[Number(k)] = v.map(buf);
  return { roots: buf(r.roots), cuts, tail: r.tail.map(buf), failure: r.failure };
}
