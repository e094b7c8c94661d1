/**
 * When a proposal takes effect: a pure decision over who approved, who objected, and the time. The rule is the
 * one of the bundle in force when the proposal was made (a bundle cannot lower the bar for its own adoption).
 */
import { parseDuration } from "../config/index.ts";
import type { Quorum } from "./bundle.ts";

export type QuorumState =
  | { readonly status: "adopted"; readonly because: string }
  | { readonly status: "rejected"; readonly because: string }
  | { readonly status: "pending"; readonly because: string; readonly deadline?: number };

export interface Votes {
  /** Member nations when the proposal was made. */
  readonly members: readonly string[];
  /** Nations whose signed approval verified. */
  readonly approvals: ReadonlySet<string>;
  readonly objections: ReadonlySet<string>;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

export function deadlineOf(quorum: Quorum, createdAt: number): number | undefined {
  return typeof quorum === "object" ? createdAt + (parseDuration(quorum.deadline) ?? 0) : undefined;
}

export function decideQuorum(quorum: Quorum, votes: Votes, now: number): QuorumState {
  const members = votes.members;
  const approved = members.filter((m) => votes.approvals.has(m));
  const objecting = members.filter((m) => votes.objections.has(m));
  const missing = members.filter((m) => !votes.approvals.has(m));
  if (quorum === "all") {
    if (objecting.length) return { status: "rejected", because: `${objecting.join(", ")} objected; unanimity is required` };
    if (!missing.length) return { status: "adopted", because: `all ${members.length} nations approved` };
    return { status: "pending", because: `waiting for ${missing.join(", ")}` };
  }
  if (typeof quorum === "number") {
    const need = Math.min(quorum, members.length);
    if (approved.length >= need) return { status: "adopted", because: `${approved.length} of ${need} required nations approved` };
    if (members.length - objecting.length < need) return { status: "rejected", because: `${objecting.join(", ")} objected; ${need} approvals can no longer be reached` };
    return { status: "pending", because: `${approved.length} of ${need} required approvals` };
  }
  const deadline = deadlineOf(quorum, votes.createdAt) as number;
  if (objecting.length) return { status: "rejected", because: `${objecting.join(", ")} broke silence` };
  if (!missing.length) return { status: "adopted", because: `all ${members.length} nations approved before the deadline` };
  if (now >= deadline) return { status: "adopted", because: `silence held until the deadline ${new Date(deadline).toISOString()}` };
  return { status: "pending", because: `adopted at ${new Date(deadline).toISOString()} unless a nation breaks silence`, deadline };
}
