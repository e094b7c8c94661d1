import type { NewRow } from "../tree.ts";

export interface StoredRow {
  readonly index: number;
  readonly entry: Buffer;
  readonly leaf: Buffer;
}

/**
 * A search of the log by the entry's own fields, through indexed columns the store derives from the entry bytes
 * (so the bytes and leaf hashes never change). Keyset paging by index: `after` gives the rows above it in
 * ascending order; otherwise the rows below `before` (the log's end when absent) nearest to it, still ascending.
 */
export interface SearchQuery {
  readonly after?: number;
  readonly before?: number;
  readonly limit: number;
  readonly nation?: string;
  readonly decision?: string;
  /** Decision time bounds in milliseconds since the epoch, `fromMs` inclusive, `toMs` exclusive. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Lowercase hex SHA-256: matches the leaf hash or the entry's request_sha256. */
  readonly hash?: string;
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly note: string;
}

/**
 * Where the log lives. `append` is the one sequencer: it runs in one transaction under the store's write lock,
 * reads the log's end from the store itself (never from memory, so several processes can share it), and
 * resolves only after commit.
 */
export interface LogStore {
  append(rows: readonly NewRow[]): Promise<number>;
  size(): Promise<number>;
  leafHashes(from: number, to: number): Promise<Buffer[]>;
  /** Roots of complete buckets k in [from, to). */
  bucketHashes(from: number, to: number): Promise<Buffer[]>;
  /** Whole bucket trees (see tree.ts) of complete buckets k in [from, to). */
  bucketTrees(from: number, to: number): Promise<Buffer[]>;
  /** Rows with index >= from in index order, at most `limit`; only one nation's when `nation` is given. */
  rows(from: number, limit: number, nation?: string): Promise<StoredRow[]>;
  /** Rows matching every given field of `q`, in index order. */
  search(q: SearchQuery): Promise<StoredRow[]>;
  /** Every row from `from` on, in index order, in chunks: the fast path for reading a whole log. */
  scan(from: number): AsyncIterable<StoredRow[]>;
  /** Keeps the first note stored for a size. */
  putCheckpoint(size: number, note: string): Promise<void>;
  checkpointAt(size: number): Promise<string | null>;
  /** Replaces the note stored for a size (to add witness co-signatures to it). */
  updateCheckpoint(size: number, note: string): Promise<void>;
  checkpoints(): Promise<StoredCheckpoint[]>;
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  close(): Promise<void>;
}

export const TABLE_PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;
