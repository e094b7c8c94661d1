/**
 * A proposal is a C2SP signed note naming the bundle's hash; each nation's approval is one more signature line on
 * it, made with that nation's governance key — the same format and verifier as the audit log's checkpoints. The
 * text names the proposal, its parent version and the network, so a signature cannot be replayed onto another
 * proposal, another base version or another network.
 */
import { addSignature, openNote, parseNote, signNote, type NoteSigner, type NoteVerifier } from "../audit/index.ts";
import { Forbidden, InvalidRequest } from "../errors/index.ts";

export const NOTE_HEADER = "concord policy proposal v1";

export interface ProposalStatement {
  readonly network: string;
  readonly id: string;
  /** SHA-256 hex of the proposed bundle. */
  readonly bundle: string;
  /** SHA-256 hex of the bundle in force when proposed. */
  readonly parent: string;
  readonly proposer: string;
  /** ISO 8601 time the proposal was made. */
  readonly created: string;
}

const oneLine = (v: string, what: string) => {
  if (/[\n\r]/.test(v) || [...v].some((c) => (c.codePointAt(0) ?? 0) < 0x20)) throw new InvalidRequest(`${what} must be one line of text`);
  return v;
};

export function proposalText(s: ProposalStatement): string {
  return [
    NOTE_HEADER,
    `network ${oneLine(s.network, "network name")}`,
    `proposal ${oneLine(s.id, "proposal id")}`,
    `bundle sha256:${s.bundle}`,
    `parent sha256:${s.parent}`,
    `proposer ${s.proposer}`,
    `created ${s.created}`,
    "",
  ].join("\n");
}

export function parseProposalText(text: string): ProposalStatement {
  const lines = text.split("\n");
  const field = (i: number, key: string) => {
    const line = lines[i] ?? "";
    if (!line.startsWith(`${key} `)) throw new InvalidRequest(`proposal note: line ${i + 1} should start with "${key} "`);
    return line.slice(key.length + 1);
  };
  if (lines[0] !== NOTE_HEADER) throw new InvalidRequest(`proposal note: the first line must be "${NOTE_HEADER}"`);
  const hex = (v: string, key: string) => {
    const m = /^sha256:([0-9a-f]{64})$/.exec(v);
    if (!m) throw new InvalidRequest(`proposal note: ${key} must be sha256:<64 hex digits>`);
    return m[1] as string;
  };
  return {
    network: field(1, "network"),
    id: field(2, "proposal"),
    bundle: hex(field(3, "bundle"), "bundle"),
    parent: hex(field(4, "parent"), "parent"),
    proposer: field(5, "proposer"),
    created: field(6, "created"),
  };
}

/** An unsigned note has no signature block yet; the first approval creates it. */
export function signLine(text: string, signer: NoteSigner): string {
  const note = signNote(text, [signer]);
  return note.slice(text.length + 1);
}

/**
 * Checks one submitted signature line as the approval of `nation`: it must verify over the proposal's text with
 * that nation's key, and no other key may be named. Returns the line, normalised to end with a newline.
 */
export function verifyApprovalLine(text: string, line: string, nation: string, verifier: NoteVerifier): string {
  const normalised = `${line.trim()}\n`;
  if (normalised.split("\n").length !== 2) throw new InvalidRequest("send exactly one signature line, as `concord policy sign` prints it");
  let parsed;
  try {
    parsed = parseNote(`${text}\n${normalised}`);
  } catch {
    throw new InvalidRequest("the signature is not a signed-note line (— NAME BASE64)");
  }
  const sig = parsed.signatures[0];
  if (!sig || sig.name !== verifier.name || !sig.keyId.equals(verifier.keyId)) {
    throw new Forbidden(`the signature is not made with ${nation}'s governance key (${verifier.name}+${verifier.keyId.toString("hex")}); sign with that key`);
  }
  if (!verifier.verify(Buffer.from(text, "utf8"), sig.signature)) {
    throw new Forbidden(`the signature does not verify with ${nation}'s governance key over this proposal; it was made for other text or is forged`);
  }
  return normalised;
}

/** The note with one more approval line (lines kept in the order they were accepted). */
export function appendLine(note: string | null, text: string, line: string): string {
  return note === null ? `${text}\n${line}` : `${note}${line}`;
}

/** Which nations' keys verified on a note; the note must be the proposal's text with any signatures. */
export function signedBy(note: string, verifiers: ReadonlyMap<string, NoteVerifier>): string[] {
  const byKey = new Map([...verifiers].map(([nation, v]) => [v.verifierKey, nation]));
  let opened;
  try {
    opened = openNote(note, [...verifiers.values()]);
  } catch (err) {
    if (/no signature by a known key/.test((err as Error).message)) return [];
    throw err;
  }
  return opened.verifiedBy.map((k) => byKey.get(k)).filter((n): n is string => n !== undefined);
}

export { addSignature };
