/**
 * The offline check any nation can run on the policy in force (`concord policy verify`): the bundle hashes to its
 * version, the versions chain back to the genesis bundle, and each adoption carries signed approvals, under the
 * nations' own keys, that satisfy the quorum of the bundle it replaced. Nothing the gateway claims is trusted:
 * the quorum comes from the parent bundle's text, the members and keys from the verifier's own configuration.
 */
import type { NoteVerifier } from "../audit/index.ts";
import { bundleHash, parseBundle, type PolicyBundle } from "./bundle.ts";
import { parseProposalText, signedBy } from "./proposal-note.ts";
import { decideQuorum } from "./quorum.ts";

/** What `GET /admin/policy` returns. */
export interface PolicyRecord {
  readonly version: string;
  readonly bundle: unknown;
  readonly history: ReadonlyArray<{
    readonly version: string;
    readonly parent: string | null;
    readonly bundle: unknown;
    readonly proposal_id: string | null;
    readonly adopted_at: string;
    /** The proposal's signed note (null for genesis). */
    readonly note: string | null;
  }>;
}

export interface PolicyVerification {
  readonly ok: boolean;
  readonly version: string;
  readonly steps: ReadonlyArray<{ version: string; proposal: string | null; signedBy: string[]; ok: boolean; detail: string }>;
  readonly problem?: string;
}

export function verifyPolicyRecord(record: PolicyRecord, verifiers: ReadonlyMap<string, NoteVerifier>, network?: string): PolicyVerification {
  const steps: Array<PolicyVerification["steps"][number]> = [];
  const fail = (problem: string): PolicyVerification => ({ ok: false, version: record.version, steps, problem });
  let bundle: PolicyBundle;
  try { bundle = parseBundle(record.bundle); } catch (err) { return fail(`the bundle in force is not valid: ${(err as Error).message}`); }
  if (bundleHash(bundle) !== record.version) return fail("the bundle in force does not hash to its version: it was altered");
  const members = [...verifiers.keys()];
  let parent: PolicyBundle | null = null;
  let parentVersion: string | null = null;
  for (const [i, h] of record.history.entries()) {
    let b: PolicyBundle;
    try { b = parseBundle(h.bundle); } catch { return fail(`history step ${i}: the bundle is not valid`); }
    if (bundleHash(b) !== h.version) return fail(`history step ${i}: the bundle does not hash to ${h.version}`);
    if (h.parent !== parentVersion) return fail(`history step ${i}: its parent ${h.parent ?? "none"} is not the version before it (${parentVersion ?? "none"})`);
    if (parent === null) {
      if (h.note !== null) return fail("history step 0 should be the genesis bundle");
      steps.push({ version: h.version, proposal: null, signedBy: [], ok: true, detail: "genesis bundle, from the operator's configuration (no nation signatures)" });
    } else {
      if (!h.note) return fail(`history step ${i}: an adopted bundle without its signed proposal`);
      let statement;
      try { statement = parseProposalText(h.note.slice(0, h.note.lastIndexOf("\n\n") + 1)); } catch (err) { return fail(`history step ${i}: ${(err as Error).message}`); }
      if (statement.bundle !== h.version || statement.parent !== parentVersion) return fail(`history step ${i}: the signed proposal names another bundle or parent`);
      if (network !== undefined && statement.network !== network) return fail(`history step ${i}: the proposal was made on network "${statement.network}", not "${network}"`);
      let nations: string[];
      try { nations = signedBy(h.note, verifiers); } catch (err) { return fail(`history step ${i}: ${(err as Error).message}`); }
      const quorum = parent.governance.quorum;
      const state = decideQuorum(quorum, { members, approvals: new Set(nations), objections: new Set(), createdAt: Date.parse(statement.created) }, Date.parse(h.adopted_at));
      const ok = state.status === "adopted";
      const rule = typeof quorum === "object" ? `silence until ${quorum.deadline} after proposal` : quorum === "all" ? "all nations" : `${quorum} nations`;
      steps.push({ version: h.version, proposal: h.proposal_id, signedBy: nations, ok, detail: ok ? `quorum (${rule}) holds: ${state.because}` : `quorum (${rule}) does not hold: ${state.because}` });
      if (!ok) return fail(`history step ${i}: the signatures do not meet the quorum of the bundle it replaced`);
    }
    parent = b;
    parentVersion = h.version;
  }
  if (parentVersion !== record.version) return fail("the history does not end at the version in force");
  return { ok: true, version: record.version, steps };
}
