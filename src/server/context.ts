import { createHash, randomUUID } from "node:crypto";
import type { CancelSignal } from "../backends/index.ts";
import type { Principal } from "../identity/index.ts";

/**
 * Everything one request carries through the pipeline. Stages read and add to it; none reaches for the HTTP
 * request or reply, so each can be tested alone.
 */
export interface RequestContext {
  readonly id: string;
  readonly startedAt: number;
  /** The route as registered (e.g. /v1/chat/completions), for metrics and audit; never the URL with its query. */
  readonly route: string;
  readonly authorization: string | undefined;
  /** Aborted when the client goes away, so upstream work stops too (the model routes read this one). */
  readonly cancel: CancelSignal;
  /** The same as an AbortSignal, made on first use, for APIs that take only that (workloads, the solver). */
  readonly signal: AbortSignal;
  /** SHA-256 (hex) of the request body as received. */
  requestHash: string;
  /** The parsed JSON body (validated by the parse stage). */
  body: unknown;
  capability: string;
  principal?: Principal;
  /** Concrete jurisdictions the principal's nation allows. */
  allowed?: ReadonlySet<string>;
  endpoint?: { readonly id: string; readonly jurisdiction: string };
  /** Decisions made so far, in order: the audit entry and metrics are built from them. */
  readonly decisions: Decision[];
  tokens: number;
  responseHash?: string;
  /** Index of this request's audit entry once appended. */
  auditIndex?: number;
  /** Extra fields a stage adds to the audit entry (sizes, purposes, marking names; never content). */
  auditExtra?: Record<string, string | number | boolean | null>;
}

export interface Decision {
  readonly stage: string;
  readonly decision: "allow" | "deny";
  readonly reason: string;
}

/**
 * The client-went-away flag of one request. Every request needs one and few ever fire, and an AbortController
 * costs several microseconds to make: this is a flag and a listener list, with the AbortSignal made only if asked.
 */
export class ClientGone implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];
  private controller: AbortController | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException("This operation was aborted", "AbortError");
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = [];
    for (const f of listeners) f();
  }

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

export function newContext(init: { route: string; authorization: string | undefined; rawBody: Buffer | undefined; body: unknown; signal: AbortSignal | ClientGone; capability: string }): RequestContext {
  const cancel = init.signal;
  return {
    id: randomUUID(),
    startedAt: Date.now(),
    route: init.route,
    authorization: init.authorization,
    cancel,
    get signal() { return cancel instanceof ClientGone ? cancel.signal : cancel; },
    requestHash: createHash("sha256").update(init.rawBody ?? Buffer.alloc(0)).digest("hex"),
    body: init.body,
    capability: init.capability,
    decisions: [],
    tokens: 0,
  };
}

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
