/**
 * The durable audit log. `append` validates and encodes an entry, queues it, and resolves once the batch holding it
 * has committed (group commit: every append that arrives while a commit is on disk joins the next one).
 * Proofs come from the store's leaf and bucket hashes plus an in-memory cache of the perfect subtrees above them.
 */
import { AuditUnavailable, InvalidRequest, NotFound } from "../errors/index.ts";
import { parseStoreUrl } from "../store/index.ts";
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from "./checkpoint.ts";
import { decodeEntry, encodeEntry, type AuditEntry } from "./entry.ts";
import { loadOrCreateLogKey } from "./keys.ts";
import { consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, type SubtreeHasher } from "./merkle.ts";
import { addSignatureLine, parseNote, parseVerifierKey, type NoteSigner, type NoteVerifier } from "./note.ts";
import { openPostgresLogStore } from "./store/postgres.ts";
import { openSqliteLogStore } from "./store/sqlite.ts";
import { openThreadedSqliteLogStore } from "./store/sqlite-threaded.ts";
import { TABLE_PREFIX, type LogStore, type SearchQuery } from "./store/types.ts";
import { BUCKET_SIZE, leafOf, SubtreeCache, type BucketView, type NewRow } from "./tree.ts";
import { verifyLogStore, type VerifyReport } from "./verify.ts";

export interface AuditLogOptions {
  /** `sqlite:PATH` or `postgres://...` */
  readonly store: string;
  /** Directory holding the log's signing key (kept out of the database). */
  readonly keyDir: string;
  /** The checkpoint origin line: names this log uniquely, e.g. `concord.alliance.example/audit`. */
  readonly origin: string;
  /** Issue a checkpoint once this many entries arrived since the last one. */
  readonly checkpointEvery?: number;
  /** ... and at least this often while entries arrive (0 disables the timer). */
  readonly checkpointIntervalMs?: number;
  /** Table name prefix (tests use a unique one). */
  readonly tablePrefix?: string;
  /**
   * Commit SQLite appends on a worker thread, so the event loop serves other requests while a commit waits for its
   * fsync (the gateway sets it). An append still resolves only once durable.
   */
  readonly writerThread?: boolean;
  /** Longest a PostgreSQL store operation may take before the append fails (and the request is refused). */
  readonly storeTimeoutMs?: number;
}

/** `{"index","tree_size","leaf_hash","hashes","root_hash","checkpoint"}` as DESIGN.md and the HTTP API give it. */
export interface InclusionProof {
  readonly index: number;
  readonly tree_size: number;
  readonly leaf_hash: string;
  readonly hashes: string[];
  readonly root_hash: string;
  readonly checkpoint: string;
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly hashes: string[];
  readonly from_root: string;
  readonly to_root: string;
}

export interface LogEntry {
  readonly index: number;
  readonly leaf_hash: string;
  readonly entry: AuditEntry;
}

interface Pending {
  readonly row: NewRow;
  readonly resolve: (v: { index: number }) => void;
  readonly reject: (e: unknown) => void;
}

const MAX_BATCH = 20_000;
const MAX_PAGE = 10_000;
const BUCKET_CACHE = 2048; // about 2 MB of bucket trees
const b64 = (b: Buffer) => b.toString("base64");

function checkIndex(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidRequest(`${name} must be a non-negative integer`, { param: name });
}

export class AuditLog {
  private queue: Pending[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly cache = new SubtreeCache();
  private knownSize = 0;
  private lastCheckpointSize = -1;
  private checkpointing: Promise<SignedCheckpoint> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly bucketCache = new Map<string, BucketView>();
  private lastNote: { size: number; note: string } | null = null;
  private readonly verifier: NoteVerifier;
  /** Where the store lives, so `verify` can read it from worker threads. */
  private location: { url: string; prefix: string } | undefined;

  private constructor(
    private readonly store: LogStore,
    private readonly signer: NoteSigner,
    readonly origin: string,
    private readonly checkpointEvery: number,
  ) {
    this.verifier = parseVerifierKey(signer.verifierKey);
  }

  static async open(opts: AuditLogOptions): Promise<AuditLog> {
    const prefix = opts.tablePrefix ?? "audit";
    if (!TABLE_PREFIX.test(prefix)) throw new InvalidRequest(`audit table prefix "${prefix}" must be lowercase letters, digits and _`);
    const signer = loadOrCreateLogKey(opts.keyDir, opts.origin);
    const sqlitePath = opts.writerThread ? threadableSqlitePath(opts.store) : null;
    const store = sqlitePath ? openThreadedSqliteLogStore(sqlitePath, prefix) : await openLogStore(opts.store, prefix, { ...(opts.storeTimeoutMs === undefined ? {} : { timeoutMs: opts.storeTimeoutMs }) });
    const log = new AuditLog(store, signer, opts.origin, opts.checkpointEvery ?? 1000);
    log.location = { url: opts.store, prefix };
    log.knownSize = await store.size();
    log.lastCheckpointSize = (await store.latestCheckpoint())?.size ?? -1;
    const interval = opts.checkpointIntervalMs ?? 60_000;
    if (interval > 0) {
      log.timer = setInterval(() => void log.checkpointIfBehind(1).catch(() => {}), interval);
      log.timer.unref();
    }
    return log;
  }

  /** Appends waiting for their batch to commit: bounded by the requests in flight, zero when the log is idle. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** The C2SP verifier key of this log (`name+keyid+base64`): publish it; nations pin it. */
  publicKey(): string {
    return this.signer.verifierKey;
  }

  /**
   * Appends one entry; resolves with its index once it is durable. Rejects with InvalidRequest for an entry that
   * does not match the schema and with AuditUnavailable when the store cannot commit (the caller must then refuse).
   */
  append(entry: AuditEntry | Record<string, unknown>): Promise<{ index: number }> {
    if (this.closed) return Promise.reject(new AuditUnavailable("the audit log is closed"));
    let row: NewRow;
    try {
      const { entry: parsed, bytes } = encodeEntry(entry);
      row = { entry: bytes, leaf: leafHash(bytes), nation: parsed.nation };
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate lets every append issued in this turn of the event loop join the batch.
    setImmediate(() => {
      this.writing = this.writing.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.scheduleFlush();
    if (batch.length === 0) return;
    let first: number;
    this.inFlight = batch.length;
    try {
      first = await this.store.append(batch.map((p) => p.row));
    } catch (err) {
      this.inFlight = 0;
      const failure = new AuditUnavailable("the audit log could not store the entry; the request was not served", { cause: err });
      for (const p of batch) p.reject(failure);
      return;
    }
    this.inFlight = 0;
    this.knownSize = Math.max(this.knownSize, first + batch.length);
    batch.forEach((p, i) => p.resolve({ index: first + i }));
    void this.checkpointIfBehind(this.checkpointEvery).catch(() => {});
  }

  private async checkpointIfBehind(by: number): Promise<void> {
    if (this.closed || this.knownSize - Math.max(this.lastCheckpointSize, 0) < by) return;
    await this.checkpoint();
  }

  /** Signs and stores a checkpoint of everything committed so far (by any process sharing the store). */
  checkpoint(): Promise<SignedCheckpoint> {
    // One at a time per process; a second request while one runs shares its result.
    this.checkpointing ??= (async () => {
      try {
        const size = await this.store.size();
        this.knownSize = Math.max(this.knownSize, size);
        const signed = signCheckpoint({ origin: this.origin, size, rootHash: await this.root(size) }, this.signer);
        await this.store.putCheckpoint(size, signed.note);
        this.lastCheckpointSize = Math.max(this.lastCheckpointSize, size);
        const note = (await this.store.checkpointAt(size)) ?? signed.note;
        this.lastNote = { size, note };
        return openCheckpoint(note, this.verifier, this.origin);
      } finally {
        this.checkpointing = null;
      }
    })();
    return this.checkpointing;
  }

  /**
   * Adds witnesses' co-signatures to the stored checkpoint they signed. Only signature lines that verify under one of
   * `witnessKeys` (verifier key strings the operator trusts) are kept; the note must carry the log's own signature
   * and the same text as the stored checkpoint. Returns the stored note with every signature so far.
   */
  async addCosignatures(note: string, witnessKeys: readonly string[]): Promise<string> {
    const cp = openCheckpoint(note, this.verifier, this.origin);
    const stored = await this.store.checkpointAt(cp.size);
    if (stored === null) throw new NotFound(`no checkpoint of size ${cp.size} is stored; witnesses sign checkpoints the log published`);
    const { text, signatures } = parseNote(note);
    if (parseNote(stored).text !== text) throw new InvalidRequest(`the co-signed note does not match the stored checkpoint of size ${cp.size}`);
    const message = Buffer.from(text, "utf8");
    let merged = stored;
    let accepted = 0;
    for (const key of witnessKeys.map(parseVerifierKey)) {
      const sig = signatures.find((s) => s.name === key.name && s.keyId.equals(key.keyId));
      if (!sig || !key.verify(message, sig.signature)) continue;
      accepted += 1;
      merged = addSignatureLine(merged, sig);
    }
    if (accepted === 0) throw new InvalidRequest("the note carries no valid signature by a trusted witness");
    if (merged !== stored) await this.store.updateCheckpoint(cp.size, merged);
    if (this.lastNote?.size === cp.size) this.lastNote = { size: cp.size, note: merged };
    return merged;
  }

  /** The latest stored checkpoint, or null before the first. */
  async latestCheckpoint(): Promise<SignedCheckpoint | null> {
    const cp = await this.store.latestCheckpoint();
    return cp ? openCheckpoint(cp.note, this.verifier, this.origin) : null;
  }

  /** Number of committed entries (all processes). */
  size(): Promise<number> {
    return this.store.size();
  }

  /** Entries with from <= index < to (at most 10,000), optionally only one nation's. */
  async entries(q: { from: number; to?: number; nation?: string }): Promise<LogEntry[]> {
    checkIndex(q.from, "from");
    const to = q.to ?? q.from + MAX_PAGE;
    checkIndex(to, "to");
    if (to < q.from) throw new InvalidRequest("to must not be below from", { param: "to" });
    const limit = Math.min(to - q.from, MAX_PAGE);
    const rows = await this.store.rows(q.from, limit, q.nation);
    return rows.filter((r) => r.index < to).map((r) => ({ index: r.index, leaf_hash: b64(r.leaf), entry: decodeEntry(r.entry) }));
  }

  /** Entries matching every field of `q` (see SearchQuery), in index order, at most 10,000. */
  async search(q: SearchQuery): Promise<LogEntry[]> {
    const rows = await this.store.search({ ...q, limit: Math.min(Math.max(1, q.limit), MAX_PAGE) });
    return rows.map((r) => ({ index: r.index, leaf_hash: b64(r.leaf), entry: decodeEntry(r.entry) }));
  }

  /** Brings the subtree cache up to `size` and loads the buckets the given leaf indexes fall in. */
  private async hasherFor(size: number, leafIndexes: number[]): Promise<{ tree: SubtreeHasher; leaf: (i: number) => Buffer | undefined }> {
    const complete = Math.floor(size / BUCKET_SIZE);
    if (this.cache.buckets < complete) {
      const from = this.cache.buckets;
      const hashes = await this.store.bucketHashes(from, complete);
      if (hashes.length !== complete - from) throw new AuditUnavailable("the audit store is missing subtree hashes; run `concord audit verify`");
      // Another call may have grown the cache while this one awaited.
      for (const [i, h] of hashes.entries()) if (this.cache.buckets === from + i) this.cache.add(h);
    }
    const views = new Map<number, BucketView>();
    for (const b of new Set(leafIndexes.filter((i) => i >= 0 && i < size).map((i) => Math.floor(i / BUCKET_SIZE)))) {
      views.set(b, await this.bucket(b, Math.min(BUCKET_SIZE, size - b * BUCKET_SIZE)));
    }
    const leaf = (i: number) => {
      const view = views.get(Math.floor(i / BUCKET_SIZE));
      return view && leafOf(view, i % BUCKET_SIZE);
    };
    return { tree: this.cache.hasher(views), leaf };
  }

  /**
   * Bucket `b` as a tree of `count` leaves: its stored tree when `count` is a whole bucket, else its leaf hashes.
   * Stored hashes never change, so recent reads are kept.
   */
  private async bucket(b: number, count: number): Promise<BucketView> {
    const key = `${b}:${count}`;
    const hit = this.bucketCache.get(key);
    if (hit) return hit;
    const start = b * BUCKET_SIZE;
    let view: BucketView;
    if (count === BUCKET_SIZE) {
      const [tree] = await this.store.bucketTrees(b, b + 1);
      if (!tree) throw new AuditUnavailable(`the audit store is missing the subtree of entries ${start}..${start + count - 1}; run \`concord audit verify\``);
      view = { tree };
    } else {
      const leaves = await this.store.leafHashes(start, start + count);
      if (leaves.length !== count) throw new AuditUnavailable(`the audit store is missing entries ${start}..${start + count - 1}; run \`concord audit verify\``);
      view = { leaves };
    }
    if (this.bucketCache.size >= BUCKET_CACHE) this.bucketCache.delete(this.bucketCache.keys().next().value as string);
    this.bucketCache.set(key, view);
    return view;
  }

  private async root(size: number): Promise<Buffer> {
    if (size === 0) return EMPTY_ROOT;
    return (await this.hasherFor(size, [size - 1])).tree.subtree(0, size);
  }

  /** Checks `size` against the committed length, asking the store only when it is beyond what this process saw. */
  private async withinLog(size: number, param: string): Promise<void> {
    if (size <= this.knownSize) return;
    this.knownSize = Math.max(this.knownSize, await this.store.size());
    if (size > this.knownSize) throw new InvalidRequest(`${param} ${size} is beyond the log's ${this.knownSize} entries`, { param });
  }

  /** A signed note for `size`: the stored checkpoint when there is one, else one signed now (not stored). */
  private async noteFor(size: number, root: Buffer): Promise<string> {
    if (this.lastNote?.size === size) return this.lastNote.note;
    const note = (await this.store.checkpointAt(size)) ?? signCheckpoint({ origin: this.origin, size, rootHash: root }, this.signer).note;
    this.lastNote = { size, note };
    return note;
  }

  /**
   * Proof that entry `index` is in the tree of `size` entries. Without a size: the latest checkpoint's tree, or a
   * new checkpoint when the entry is newer than it.
   */
  async inclusionProof(index: number, size?: number): Promise<InclusionProof> {
    checkIndex(index, "index");
    let treeSize = size;
    if (treeSize === undefined) {
      const latest = await this.latestCheckpoint();
      treeSize = latest && latest.size > index ? latest.size : (await this.checkpoint()).size;
    }
    checkIndex(treeSize, "size");
    await this.withinLog(treeSize, "size");
    if (index >= treeSize) throw new InvalidRequest(`index ${index} is not below tree size ${treeSize}`, { param: "index" });
    const { tree, leaf } = await this.hasherFor(treeSize, [index, treeSize - 1]);
    const root = tree.subtree(0, treeSize);
    return {
      index,
      tree_size: treeSize,
      leaf_hash: b64(leaf(index) as Buffer),
      hashes: inclusionProof(index, treeSize, tree).map(b64),
      root_hash: b64(root),
      checkpoint: await this.noteFor(treeSize, root),
    };
  }

  /** Proof that the tree of `from` entries is a prefix of the tree of `to` entries. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
    checkIndex(from, "from");
    checkIndex(to, "to");
    if (from > to) throw new InvalidRequest(`from ${from} is beyond to ${to}`, { param: "from" });
    await this.withinLog(to, "to");
    const { tree } = await this.hasherFor(to, [from - 1, to - 1]);
    const fromRoot = from === 0 ? EMPTY_ROOT : (await this.hasherFor(from, [from - 1])).tree.subtree(0, from);
    return {
      from,
      to,
      hashes: consistencyProof(from, to, tree).map(b64),
      from_root: b64(fromRoot),
      to_root: b64(to === 0 ? EMPTY_ROOT : tree.subtree(0, to)),
    };
  }

  /** Recomputes the whole log and checks every checkpoint; names the first bad index. */
  verify(opts: { onProgress?: (done: number) => void; workers?: number } = {}): Promise<VerifyReport> {
    return verifyLogStore(this.store, this.verifier, { origin: this.origin, ...(this.location ? { location: this.location } : {}), ...opts });
  }

  /** Commits what is queued, signs a last checkpoint when entries arrived since the last one, and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    while (this.queue.length > 0 || this.flushScheduled) {
      await new Promise((r) => setImmediate(r));
      await this.writing;
    }
    await this.writing;
    await this.checkpointIfBehind(1).catch(() => {});
    this.closed = true;
    await this.checkpointing?.catch(() => {});
    await this.store.close();
  }
}

/** The file of a `sqlite:PATH` store that a writer thread can open too (an in-memory database it cannot). */
function threadableSqlitePath(url: string): string | null {
  const parsed = parseStoreUrl(url);
  return parsed.kind === "sqlite" && parsed.path !== ":memory:" ? parsed.path : null;
}

export async function openLogStore(url: string, prefix = "audit", opts: { timeoutMs?: number } = {}): Promise<LogStore> {
  if (!TABLE_PREFIX.test(prefix)) throw new InvalidRequest(`audit table prefix "${prefix}" must be lowercase letters, digits and _`);
  const parsed = parseStoreUrl(url);
  return parsed.kind === "sqlite" ? openSqliteLogStore(parsed.path, prefix) : openPostgresLogStore(parsed.url, prefix, opts);
}
