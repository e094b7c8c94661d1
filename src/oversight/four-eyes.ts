/**
 * Four-eyes: who may release or refuse a held result. Pure decisions over the review and the reviewer; the
 * queue applies them under a lock so two approvals racing cannot both count as the same person.
 */
import { hasRole, type Principal } from "../identity/index.ts";
import { Forbidden, InvalidRequest } from "../errors/index.ts";
import type { ReviewRecord } from "./records.ts";

const same = (a: { nation: string; subject: string }, b: { nation: string; subject: string }) => a.nation === b.nation && a.subject === b.subject;

/** Throws a 403 naming the rule a reviewer would break by deciding on this review; returns when they may. */
export function checkReviewer(review: ReviewRecord, reviewer: Principal): void {
  if (!hasRole(reviewer, "reviewer")) throw new Forbidden(`deciding on a held result needs the role reviewer; your token carries ${reviewer.roles.join(", ") || "none"}`);
  if (same(review, reviewer)) throw new Forbidden("the requester never reviews their own request; ask a reviewer of another nation");
  if (review.reviewers === "other_nation" && reviewer.nation === review.nation) {
    throw new Forbidden(`this result must be reviewed by a reviewer of a nation other than ${review.nation}, the requester's`);
  }
  if (review.approvals.some((a) => same(a, reviewer))) throw new Forbidden("you have already approved this result; a second approval must come from a different reviewer");
}

export function checkPending(review: ReviewRecord): void {
  if (review.status !== "pending") throw new InvalidRequest(`review ${review.id} is ${review.status}, not pending; nothing to decide`);
}

/** Whether a principal may read a review through `GET /v1/reviews/{id}`: the requester, their nation's admins and reviewers. */
export function mayPoll(review: ReviewRecord, p: Principal): boolean {
  if (same(review, p)) return true;
  return p.nation === review.nation && hasRole(p, "nation-admin", "reviewer");
}

/** Whether a principal sees a review in the admin queue, and whether they see its held content. */
export function queueView(review: ReviewRecord, p: Principal): "none" | "metadata" | "content" {
  if (hasRole(p, "reviewer")) {
    try {
      checkReviewer(review, p);
      return "content";
    } catch {
      return "metadata";
    }
  }
  if (hasRole(p, "alliance-admin", "alliance-auditor")) return "metadata";
  if (hasRole(p, "nation-admin", "auditor") && p.nation === review.nation) return "metadata";
  return "none";
}
