/**
 * The audit API as pure handlers: query parameters (strings, as an HTTP framework hands them over) in, the JSON body
 * out, ConcordError thrown for bad input. The server mounts them; docs/audit.md gives each route's exact shape.
 */
import { z } from "zod";
import { Forbidden, InvalidRequest } from "../errors/index.ts";
import { cosignCheckpoint } from "./checkpoint.ts";
import type { AuditLog, ConsistencyProof, InclusionProof } from "./log.ts";
import type { AuditEntry } from "./entry.ts";
import type { NoteSigner, NoteVerifier } from "./note.ts";

type Query = Record<string, string | string[] | undefined>;

/** Whose entries a caller may read in full: one nation's auditor, or the alliance auditor (all). */
export type AuditScope = { readonly nation: string } | "all";

const Index = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, "a non-negative integer").transform(Number);

function read<T extends z.ZodRawShape>(shape: T, query: Query): z.infer<z.ZodObject<T>> {
  const flat = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = z.object(shape).safeParse(flat);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.join(".") ?? null;
    throw new InvalidRequest(`query parameter ${param ?? ""}: ${issue?.message ?? "invalid"}`, { param });
  }
  return parsed.data;
}

export interface CheckpointBody {
  readonly origin: string;
  readonly tree_size: number;
  readonly root_hash: string;
  /** The C2SP signed note, verbatim: what a nation verifies and keeps. */
  readonly checkpoint: string;
}

/** GET /admin/audit/checkpoint — the latest checkpoint (one is signed now if the log has none yet). */
export async function getCheckpoint(log: AuditLog): Promise<CheckpointBody> {
  const cp = (await log.latestCheckpoint()) ?? (await log.checkpoint());
  return { origin: cp.origin, tree_size: cp.size, root_hash: cp.rootHash.toString("base64"), checkpoint: cp.note };
}

/** GET /.well-known/concord/audit-key — the log's verifier key; nations pin it out of band. */
export function getPublicKey(log: AuditLog): { origin: string; key: string; algorithm: "Ed25519"; format: "c2sp-signed-note" } {
  return { origin: log.origin, key: log.publicKey(), algorithm: "Ed25519", format: "c2sp-signed-note" };
}

/** GET /admin/audit/proof/inclusion?index=N[&size=S] */
export async function getInclusionProof(log: AuditLog, query: Query): Promise<InclusionProof> {
  const q = read({ index: Index, size: Index.optional() }, query);
  return log.inclusionProof(q.index, q.size);
}

/** GET /admin/audit/proof/consistency?from=M&to=S */
export async function getConsistencyProof(log: AuditLog, query: Query): Promise<ConsistencyProof> {
  const q = read({ from: Index, to: Index }, query);
  return log.consistencyProof(q.from, q.to);
}

export interface EntriesBody {
  readonly from: number;
  readonly to: number;
  readonly tree_size: number;
  /** Every index in [from, to): the entry itself only where the scope allows, the leaf hash always. */
  readonly data: { index: number; leaf_hash: string; entry?: AuditEntry }[];
}

const PAGE = 1000;

/**
 * GET /admin/audit/entries?from=M[&to=N] — up to 1000 entries. A nation's auditor sees its own nation's entries in
 * full and only the leaf hash of the others (enough to recompute the tree); the alliance auditor sees all.
 */
export async function getEntries(log: AuditLog, query: Query, scope: AuditScope): Promise<EntriesBody> {
  const size = await log.size();
  const q = read({ from: Index.optional(), to: Index.optional() }, query);
  const from = q.from ?? Math.max(0, size - PAGE);
  if (from > size) throw new InvalidRequest(`from ${from} is beyond the log's ${size} entries`, { param: "from" });
  const to = Math.min(q.to ?? from + PAGE, from + PAGE, size);
  if (to < from) throw new InvalidRequest("to must not be below from", { param: "to" });
  const rows = await log.entries({ from, to });
  const data = rows.map((r) => (scope === "all" || r.entry.nation === scope.nation ? r : { index: r.index, leaf_hash: r.leaf_hash }));
  return { from, to, tree_size: size, data };
}

export interface SearchBody {
  readonly tree_size: number;
  /** Matching entries in index order, every one in full (a search reads only entries the scope allows). */
  readonly data: { index: number; leaf_hash: string; entry: AuditEntry }[];
  /** Pass as `after` for the next page; null when no match follows. */
  readonly next: number | null;
  /** Pass as `before` for the previous page; null when no match precedes. */
  readonly previous: number | null;
}

const Time = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const Hash = z
  .string()
  .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, "a SHA-256 hash, 64 hex digits or base64")
  .transform((h) => (h.length === 64 ? h.toLowerCase() : Buffer.from(h, "base64").toString("hex")));

/**
 * GET /admin/audit/search?[nation][&decision][&since][&until][&hash][&index][&after|&before][&limit] — entries that
 * match every field given, by the store's indexes, a page of `limit` (default 50, at most 1000) at a time with
 * keyset paging by index. Without `after` or `before` the page is the newest matches. A nation's auditor searches
 * its own nation's entries only (a search over others' would disclose their decisions and times); asking for
 * another nation is refused.
 */
export async function searchEntries(log: AuditLog, query: Query, scope: AuditScope): Promise<SearchBody> {
  const q = read(
    {
      nation: z.string().regex(/^[A-Z]{3}$/, "an ISO 3166-1 alpha-3 code").optional(),
      decision: z.enum(["allow", "deny", "review"]).optional(),
      since: Time.optional(),
      until: Time.optional(),
      hash: Hash.optional(),
      index: Index.optional(),
      after: Index.optional(),
      before: Index.optional(),
      limit: Index.refine((n) => n >= 1 && n <= 1000, "between 1 and 1000").optional(),
    },
    query,
  );
  if (q.after !== undefined && q.before !== undefined) throw new InvalidRequest("give after or before, not both", { param: "before" });
  if (scope !== "all" && q.nation !== undefined && q.nation !== scope.nation) {
    throw new Forbidden(`a ${scope.nation} auditor searches ${scope.nation}'s entries only`);
  }
  const filters = {
    ...(scope !== "all" ? { nation: scope.nation } : q.nation !== undefined ? { nation: q.nation } : {}),
    ...(q.decision !== undefined ? { decision: q.decision } : {}),
    ...(q.since !== undefined ? { fromMs: q.since } : {}),
    ...(q.until !== undefined ? { toMs: q.until } : {}),
    ...(q.hash !== undefined ? { hash: q.hash } : {}),
  };
  const size = await log.size();
  if (q.index !== undefined) {
    const hit = (await log.search({ ...filters, after: q.index - 1, limit: 1 })).filter((r) => r.index === q.index);
    return { tree_size: size, data: hit, next: null, previous: null };
  }
  const limit = q.limit ?? 50;
  const cursor = q.after !== undefined ? { after: q.after } : q.before !== undefined ? { before: q.before } : {};
  // One row beyond the page tells whether another page follows in the direction read; one row the other way
  // whether one precedes.
  const rows = await log.search({ ...filters, ...cursor, limit: limit + 1 });
  const forward = q.after !== undefined;
  const page = forward ? rows.slice(0, limit) : rows.slice(Math.max(0, rows.length - limit));
  const moreAhead = rows.length > limit;
  const first = page[0]?.index;
  const last = page[page.length - 1]?.index;
  const other = async (c: { after: number } | { before: number }) => (await log.search({ ...filters, ...c, limit: 1 })).length > 0;
  const next = last === undefined ? null : forward ? (moreAhead ? last : null) : (await other({ after: last })) ? last : null;
  const previous = first === undefined ? null : !forward ? (moreAhead ? first : null) : (await other({ before: first })) ? first : null;
  return { tree_size: size, data: page, next, previous };
}

/**
 * POST body of a witness service a nation runs: `{"old":"<note>"|null,"new":"<note>","proof":["<b64>",...]}`.
 * Verifies the log's signatures and the consistency proof, then returns `{"checkpoint":"<note + witness line>"}`.
 */
export function witnessCosign(body: unknown, keys: { logKey: NoteVerifier; witness: NoteSigner }): { checkpoint: string } {
  const parsed = z
    .object({ old: z.string().nullable(), new: z.string(), proof: z.array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "a base64 SHA-256 hash")) })
    .strict()
    .safeParse(body);
  if (!parsed.success) throw new InvalidRequest(`witness request: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const proof = parsed.data.proof.map((h) => Buffer.from(h, "base64"));
  return { checkpoint: cosignCheckpoint({ oldCheckpoint: parsed.data.old, newCheckpoint: parsed.data.new, proof, logKey: keys.logKey, witness: keys.witness }) };
}

/**
 * POST /admin/audit/checkpoint/cosignature with `{"checkpoint":"<note>"}`: stores the co-signatures of trusted
 * witnesses (`witnessKeys`, from configuration) on the checkpoint they signed; answers `{"checkpoint":"<merged note>"}`.
 */
export async function postCosignature(log: AuditLog, body: unknown, witnessKeys: readonly string[]): Promise<{ checkpoint: string }> {
  const parsed = z.object({ checkpoint: z.string().min(1) }).strict().safeParse(body);
  if (!parsed.success) throw new InvalidRequest('body must be {"checkpoint":"<signed note>"}');
  return { checkpoint: await log.addCosignatures(parsed.data.checkpoint, witnessKeys) };
}
