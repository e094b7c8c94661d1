/**
 * The review queue: high-risk results are held until enough distinct, eligible reviewers approve them. Held content
 * lives only in the oversight store and is deleted on rejection or expiry.
 */
import { randomBytes } from "node:crypto";
import { hasRole, type Principal } from "../identity/index.ts";
import { Forbidden, NotFound } from "../errors/index.ts";
import { parseDuration } from "../config/index.ts";
import { checkPending, checkReviewer, mayPoll, queueView } from "./four-eyes.ts";
import type { OversightSettings } from "./bundle.ts";
import type { HeldRequestBody, HeldResult, OversightStore, ReviewRecord, ReviewStatus } from "./records.ts";
import { coversCapability } from "./bundle.ts";

/** The 202 body (and the poll answer): never the held content unless approved. */
export interface ReviewView {
  readonly object: "review";
  readonly id: string;
  readonly status: ReviewStatus;
  readonly capability: string;
  readonly approvals_required: number;
  readonly approvals: number;
  readonly created_at: string;
  readonly expires_at: string;
  readonly reason?: string;
  readonly result?: unknown;
}

export interface HoldRequest {
  readonly capability: string;
  readonly principal: Principal;
  readonly result: HeldResult;
  /** The parsed request body the result answers (what a reviewer reads beside it). */
  readonly request?: unknown;
  readonly requestSha256: string;
  readonly responseSha256: string | null;
  readonly policyVersion: string;
}

export class ReviewQueue {
  constructor(
    private readonly store: OversightStore,
    private readonly settings: () => OversightSettings,
    private readonly now: () => number,
  ) {}

  /** Whether results of this capability are held (the bundle in force decides). */
  mustHold(capability: string): boolean {
    return coversCapability(this.settings().review, capability);
  }

  async hold(req: HoldRequest): Promise<ReviewRecord> {
    const s = this.settings();
    const at = this.now();
    const record: ReviewRecord = {
      id: `rev_${randomBytes(12).toString("base64url")}`,
      status: "pending",
      capability: req.capability,
      nation: req.principal.nation,
      subject: req.principal.subject,
      created_at: at,
      expires_at: at + (parseDuration(s.expiry) ?? 72 * 3_600_000),
      approvals_required: s.approvals_required,
      reviewers: s.reviewers,
      policy_version: req.policyVersion,
      approvals: [],
      rejection: null,
      result: req.result,
      request: req.request === undefined ? null : boundRequest(req.request),
      request_sha256: req.requestSha256,
      response_sha256: req.responseSha256,
      audit_index: null,
    };
    await this.store.insertReview(record);
    return record;
  }

  /** Records the audit index of the hold once appended, with headers that name it (the provenance signature). */
  async noteAuditIndex(id: string, index: number, headers: Record<string, string> = {}): Promise<void> {
    await this.store.updateReview(id, (r) => ({ ...r, audit_index: index, result: r.result ? { ...r.result, headers: { ...r.result.headers, ...headers } } : null }));
  }

  /** Marks every pending review past its expiry as expired and deletes its content. Returns how many. */
  async expire(): Promise<number> {
    const now = this.now();
    let n = 0;
    for (const r of await this.store.listReviews("pending")) {
      if (r.expires_at > now) continue;
      const done = await this.store.updateReview(r.id, (cur) => (cur.status === "pending" && cur.expires_at <= now ? { ...cur, status: "expired", result: null, request: null } : null));
      if (done?.status === "expired") n++;
    }
    return n;
  }

  /**
   * Per-nation retention: erases the content of every review whose requester nation keeps content for less time
   * than has passed. The review (status, approvals, hashes) and its audit entries stay. Returns how many.
   */
  async erase(retentionMs: (nation: string) => number | undefined): Promise<number> {
    const now = this.now();
    let n = 0;
    for (const r of await this.store.listReviews()) {
      const keep = retentionMs(r.nation);
      if (keep === undefined || (r.result === null && !r.request) || r.created_at + keep > now) continue;
      const done = await this.store.updateReview(r.id, (cur) => (cur.result === null && !cur.request ? null : { ...cur, result: null, request: null, erased_at: now }));
      if (done?.erased_at === now) n++;
    }
    return n;
  }

  private async current(id: string): Promise<ReviewRecord | null> {
    const r = await this.store.getReview(id);
    if (r && r.status === "pending" && r.expires_at <= this.now()) {
      return this.store.updateReview(id, (cur) => (cur.status === "pending" ? { ...cur, status: "expired", result: null, request: null } : null));
    }
    return r;
  }

  /** The requester's poll; anyone else (another nation above all) gets the same 404 as for a missing id. */
  async poll(id: string, p: Principal): Promise<{ view: ReviewView; record: ReviewRecord }> {
    const r = await this.current(id);
    if (!r || !mayPoll(r, p)) throw new NotFound(`no review ${id}`);
    return { view: viewOf(r, true), record: r };
  }

  async list(p: Principal, status?: ReviewStatus): Promise<Array<ReviewView & { requester: { nation: string; subject: string }; held?: unknown; request?: unknown; request_truncated?: boolean; may_decide: boolean }>> {
    await this.expire();
    const out = [];
    for (const r of await this.store.listReviews(status)) {
      const v = queueView(r, p);
      if (v === "none") continue;
      out.push({
        ...viewOf(r, false),
        requester: { nation: r.nation, subject: r.subject },
        may_decide: v === "content" && r.status === "pending",
        ...(v === "content" && r.result ? { held: parseBody(r.result.body) } : {}),
        // The request under the same rule as the result: only a reviewer who may decide reads it.
        ...(v === "content" && r.request ? { request: parseBody(r.request.body), request_truncated: r.request.truncated } : {}),
      });
    }
    return out;
  }

  /** One approval; the result is released once `approvals_required` distinct eligible reviewers approved. */
  async approve(id: string, reviewer: Principal, comment: string): Promise<ReviewRecord> {
    return this.decide(id, reviewer, (r) => {
      const approvals = [...r.approvals, { nation: reviewer.nation, subject: reviewer.subject, comment, at: this.now() }];
      return { ...r, approvals, status: approvals.length >= r.approvals_required ? "approved" : "pending" };
    });
  }

  /** One eligible reviewer's rejection ends the review; the content is deleted, the reason kept. */
  async reject(id: string, reviewer: Principal, comment: string): Promise<ReviewRecord> {
    return this.decide(id, reviewer, (r) => ({ ...r, status: "rejected", rejection: { nation: reviewer.nation, subject: reviewer.subject, comment, at: this.now() }, result: null, request: null }));
  }

  private async decide(id: string, reviewer: Principal, apply: (r: ReviewRecord) => ReviewRecord): Promise<ReviewRecord> {
    // The role first, so a caller who may never decide learns nothing about which ids exist.
    if (!hasRole(reviewer, "reviewer")) throw new Forbidden(`deciding on a held result needs the role reviewer; your token carries ${reviewer.roles.join(", ") || "none"}`);
    const r = await this.current(id);
    if (!r) throw new NotFound(`no review ${id}`);
    const next = await this.store.updateReview(id, (cur) => {
      // Checked again under the lock: a concurrent decision may have landed since the read.
      checkPending(cur);
      checkReviewer(cur, reviewer);
      return apply(cur);
    });
    if (!next) throw new NotFound(`no review ${id}`);
    return next;
  }
}

/** Bytes of request JSON a review keeps; a longer request is cut there and marked truncated. */
export const REQUEST_LIMIT_BYTES = 64 * 1024;

/** The request as JSON text within the bound, cut on a character boundary when longer. Pure. */
export function boundRequest(body: unknown, limit = REQUEST_LIMIT_BYTES): HeldRequestBody {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= limit) return { body: text, truncated: false };
  // A cut inside a multi-byte character decodes to U+FFFD; drop it rather than show a broken character.
  return { body: bytes.subarray(0, limit).toString("utf8").replace(/\uFFFD+$/, ""), truncated: true };
}

function parseBody(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

export function viewOf(r: ReviewRecord, withResult: boolean): ReviewView {
  return {
    object: "review",
    id: r.id,
    status: r.status,
    capability: r.capability,
    approvals_required: r.approvals_required,
    approvals: r.approvals.length,
    created_at: new Date(r.created_at).toISOString(),
    expires_at: new Date(r.expires_at).toISOString(),
    ...(r.status === "rejected" && r.rejection ? { reason: r.rejection.comment } : {}),
    ...(r.status === "expired" ? { reason: "the held result expired before enough reviewers approved it; its content is deleted" } : {}),
    ...(r.status === "approved" && !r.result && r.erased_at ? { reason: "the released result was erased at the end of the requester nation's retention period" } : {}),
    ...(withResult && r.status === "approved" && r.result ? { result: parseBody(r.result.body) } : {}),
  };
}
