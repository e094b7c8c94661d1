/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): origin line, decimal tree size, base64 root hash, then
 * optional extension lines, wrapped in a signed note. Also the witness step: check consistency, then co-sign.
 */
import { InvalidRequest } from "../errors/index.ts";
import { HASH_SIZE, verifyConsistency } from "./merkle.ts";
import { addSignature, openNote, signNote, type NoteSigner, type NoteVerifier } from "./note.ts";

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Extension lines after the root hash, signed but not interpreted here. */
  readonly extensions: readonly string[];
}

export interface SignedCheckpoint extends Checkpoint {
  /** The whole signed note, as served and stored. */
  readonly note: string;
}

export function formatCheckpoint(cp: Omit<Checkpoint, "extensions"> & { extensions?: readonly string[] }): string {
  if (cp.origin.length === 0 || /[\n]/.test(cp.origin)) throw new InvalidRequest("checkpoint origin must be one non-empty line");
  if (cp.rootHash.length !== HASH_SIZE) throw new InvalidRequest("checkpoint root hash must be 32 bytes");
  const ext = (cp.extensions ?? []).map((l) => `${l}\n`).join("");
  return `${cp.origin}\n${cp.size}\n${cp.rootHash.toString("base64")}\n${ext}`;
}

/** Parses checkpoint text (the body of the note, without signatures). */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[lines.length - 1] !== "") throw new InvalidRequest("checkpoint: expected origin, size and root hash lines");
  const [origin = "", sizeText = "", rootText = "", ...rest] = lines.slice(0, -1);
  if (origin.length === 0) throw new InvalidRequest("checkpoint: empty origin line");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new InvalidRequest("checkpoint: tree size is not a decimal integer");
  const rootHash = Buffer.from(rootText, "base64");
  if (rootHash.length !== HASH_SIZE || rootHash.toString("base64") !== rootText) throw new InvalidRequest("checkpoint: root hash is not 32 bytes of base64");
  if (rest.some((l) => l.length === 0)) throw new InvalidRequest("checkpoint: empty extension line");
  return { origin, size: Number(sizeText), rootHash, extensions: rest };
}

export function signCheckpoint(cp: Omit<Checkpoint, "extensions"> & { extensions?: readonly string[] }, signer: NoteSigner): SignedCheckpoint {
  const note = signNote(formatCheckpoint(cp), [signer]);
  return { ...parseCheckpoint(formatCheckpoint(cp)), note };
}

/**
 * Verifies a checkpoint note against the log's key and, when given, the expected origin. Other signatures
 * (witnesses) may be present; they are not required here.
 */
export function openCheckpoint(note: string, logKey: NoteVerifier, origin?: string): SignedCheckpoint {
  const { text } = openNote(note, [logKey]);
  const cp = parseCheckpoint(text);
  if (origin !== undefined && cp.origin !== origin) throw new InvalidRequest(`checkpoint is for origin "${cp.origin}", not "${origin}"`);
  return { ...cp, note };
}

/**
 * A witness's step: both checkpoints must carry the log's signature and the same origin, the new one must extend
 * the old one by the consistency proof; only then does the witness add its own signature to the new checkpoint.
 * With no old checkpoint (the witness's first sight of this log) only the signature and origin are checked.
 */
export function cosignCheckpoint(input: {
  oldCheckpoint: string | null;
  newCheckpoint: string;
  proof: readonly Buffer[];
  logKey: NoteVerifier;
  witness: NoteSigner;
}): string {
  const next = openCheckpoint(input.newCheckpoint, input.logKey);
  if (input.oldCheckpoint !== null) {
    const prev = openCheckpoint(input.oldCheckpoint, input.logKey, next.origin);
    if (next.size < prev.size) throw new InvalidRequest(`checkpoint size went backwards from ${prev.size} to ${next.size}`);
    if (!verifyConsistency(prev.size, next.size, prev.rootHash, next.rootHash, input.proof)) {
      throw new InvalidRequest(`the consistency proof does not show the tree of size ${prev.size} is a prefix of size ${next.size}`);
    }
  }
  return addSignature(input.newCheckpoint, input.witness);
}
