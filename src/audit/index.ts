/** The audit log: RFC 9162 Merkle tree, C2SP signed checkpoints, durable stores. The only door into `audit/`. */
export {
  EMPTY_ROOT,
  HASH_SIZE,
  leafHash,
  nodeHash,
  rootOf,
  listHasher,
  RootAccumulator,
  inclusionProof,
  consistencyProof,
  rootFromInclusionProof,
  verifyInclusion,
  verifyConsistency,
  type SubtreeHasher,
} from "./merkle.ts";
export {
  generateNoteKey,
  parseSignerKey,
  parseVerifierKey,
  parseNote,
  openNote,
  signNote,
  addSignature,
  addSignatureLine,
  type NoteSigner,
  type NoteVerifier,
  type NoteSignature,
  type OpenedNote,
} from "./note.ts";
export {
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  openCheckpoint,
  cosignCheckpoint,
  type Checkpoint,
  type SignedCheckpoint,
} from "./checkpoint.ts";
export { AuditEntry, canonicalJson, encodeEntry } from "./entry.ts";
export { AuditLog, openLogStore, type AuditLogOptions, type InclusionProof, type ConsistencyProof, type LogEntry } from "./log.ts";
export type { SearchQuery } from "./store/types.ts";
export { verifyLogStore, type VerifyReport } from "./verify.ts";
export { loadOrCreateLogKey, readLogVerifier, keyNameFor, SIGNER_FILE, VERIFIER_FILE } from "./keys.ts";
export {
  getCheckpoint,
  getPublicKey,
  getInclusionProof,
  getConsistencyProof,
  getEntries,
  searchEntries,
  witnessCosign,
  postCosignature,
  type AuditScope,
  type CheckpointBody,
  type EntriesBody,
  type SearchBody,
} from "./http.ts";
export { auditLogOptions, defaultOrigin, type AuditConfigView } from "./options.ts";
