/**
 * A nation's own record: every audit entry of that nation with its inclusion proof in one signed checkpoint, so
 * the nation can keep and check its history without trusting the gateway (or keep it beyond the gateway's
 * retention of content). Verification needs only the log's published verifier key.
 */
import {
  canonicalJson, leafHash, openCheckpoint, verifyInclusion, type AuditLog, type NoteVerifier,
} from "../audit/index.ts";

export interface NationExport {
  readonly format: "concord-nation-export/1";
  readonly nation: string;
  readonly tree_size: number;
  /** Root hash (base64) of the tree the proofs lead to, and the signed checkpoint naming it. */
  readonly root_hash: string;
  readonly checkpoint: string;
  readonly entries: ReadonlyArray<{ index: number; entry: unknown; leaf_hash: string; hashes: string[] }>;
}


export async function exportNation(log: AuditLog, nation: string): Promise<NationExport> {
  const cp = (await log.latestCheckpoint()) ?? (await log.checkpoint());
  const size = cp.size;
  const entries: Array<NationExport["entries"][number]> = [];
  for (let from = 0; from < size; ) {
    const page = await log.entries({ from, to: size, nation });
    if (page.length === 0) break;
    for (const e of page) {
      const proof = await log.inclusionProof(e.index, size);
      entries.push({ index: e.index, entry: e.entry, leaf_hash: e.leaf_hash, hashes: proof.hashes });
    }
    from = (page.at(-1)?.index ?? from) + 1;
  }
  return { format: "concord-nation-export/1", nation, tree_size: size, root_hash: cp.rootHash.toString("base64"), checkpoint: cp.note, entries };
}

/** Checks an export offline: the checkpoint's signature, each entry's leaf hash, each inclusion proof. */
export function verifyNationExport(x: NationExport, logKey: NoteVerifier): { ok: true; entries: number } | { ok: false; problem: string } {
  let cp;
  try { cp = openCheckpoint(x.checkpoint, logKey); } catch (err) { return { ok: false, problem: `checkpoint: ${(err as Error).message}` }; }
  if (cp.size !== x.tree_size || cp.rootHash.toString("base64") !== x.root_hash) return { ok: false, problem: "the checkpoint does not name the export's tree" };
  for (const e of x.entries) {
    const leaf = leafHash(Buffer.from(canonicalJson(e.entry), "utf8"));
    if (leaf.toString("base64") !== e.leaf_hash) return { ok: false, problem: `entry ${e.index} does not hash to its leaf: it was altered` };
    if ((e.entry as { nation?: unknown }).nation !== x.nation) return { ok: false, problem: `entry ${e.index} is not ${x.nation}'s` };
    if (!verifyInclusion(e.index, x.tree_size, leaf, e.hashes.map((h) => Buffer.from(h, "base64")), cp.rootHash)) return { ok: false, problem: `entry ${e.index} is not included in the signed tree` };
  }
  return { ok: true, entries: x.entries.length };
}
