/** What the oversight store keeps: held reviews, proposals and the adoption history. Plain JSON documents. */
import type { Quorum } from "./bundle.ts";

export type ReviewStatus = "pending" | "approved" | "rejected" | "expired";

export interface Act {
  readonly nation: string;
  readonly subject: string;
  readonly comment: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface HeldResult {
  readonly status: number;
  /** The response body exactly as it would have been sent. */
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** The request a held result answers, kept so a reviewer can judge the result against what was asked. */
export interface HeldRequestBody {
  /** The request body as received (after the guard let it through), JSON text, cut at the size bound. */
  readonly body: string;
  /** True when the body was cut: it is then no longer valid JSON. */
  readonly truncated: boolean;
}

export interface ReviewRecord {
  readonly id: string;
  readonly status: ReviewStatus;
  readonly capability: string;
  /** The requester. */
  readonly nation: string;
  readonly subject: string;
  readonly created_at: number;
  readonly expires_at: number;
  /** The rules in force when the result was held; later policy changes do not move the bar for it. */
  readonly approvals_required: number;
  readonly reviewers: "other_nation" | "any";
  readonly policy_version: string;
  readonly approvals: readonly Act[];
  readonly rejection: Act | null;
  /** Null once rejected or expired: the content is deleted. */
  readonly result: HeldResult | null;
  /**
   * The request, deleted together with the result (rejection, expiry, retention). Absent on reviews held before
   * requests were kept.
   */
  readonly request?: HeldRequestBody | null;
  readonly request_sha256: string;
  readonly response_sha256: string | null;
  readonly audit_index: number | null;
  /** When the content was erased under the requester nation's retention (the audit entries stay). */
  readonly erased_at?: number | null;
}

export type ProposalStatus = "pending" | "adopted" | "rejected" | "superseded";

export interface ProposalRecord {
  readonly id: string;
  readonly bundle_hash: string;
  readonly parent_hash: string;
  readonly proposer_nation: string;
  readonly proposer_subject: string;
  readonly summary: string;
  readonly created_at: number;
  /** The signed note's text (what every approval signs). */
  readonly text: string;
  /** The note with the approval lines accepted so far; null before the first. */
  readonly note: string | null;
  readonly members: readonly string[];
  /** The rule of the bundle in force when proposed. */
  readonly quorum: Quorum;
  readonly status: ProposalStatus;
  readonly status_reason: string;
  readonly decided_at: number | null;
  readonly approvals: readonly Act[];
  readonly objections: readonly Act[];
}

export interface Adoption {
  readonly seq: number;
  readonly version: string;
  readonly parent: string | null;
  /** Null for the genesis bundle (from the configuration). */
  readonly proposal_id: string | null;
  readonly adopted_at: number;
}

export interface OversightStore {
  insertReview(r: ReviewRecord): Promise<void>;
  getReview(id: string): Promise<ReviewRecord | null>;
  listReviews(status?: ReviewStatus): Promise<ReviewRecord[]>;
  /** Read-modify-write under a lock; `change` returns the new record, or null to leave it. */
  updateReview(id: string, change: (r: ReviewRecord) => ReviewRecord | null): Promise<ReviewRecord | null>;
  putBundle(hash: string, json: string): Promise<void>;
  getBundle(hash: string): Promise<string | null>;
  insertProposal(p: ProposalRecord): Promise<void>;
  getProposal(id: string): Promise<ProposalRecord | null>;
  listProposals(status?: ProposalStatus): Promise<ProposalRecord[]>;
  updateProposal(id: string, change: (p: ProposalRecord) => ProposalRecord | null): Promise<ProposalRecord | null>;
  adoptions(): Promise<Adoption[]>;
  /**
   * Appends an adoption only if the head is still `parent` (compare-and-set), so two replicas cannot adopt two
   * proposals on the same base. True when appended.
   */
  adopt(a: Omit<Adoption, "seq">): Promise<boolean>;
  close(): Promise<void>;
}
