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

/**
 * A class rather than an object literal: a literal with a getter is built in V8's slow dictionary mode, which
 * every stage's property reads would then pay for. The optional fields are declared only, so they appear when a
 * stage sets them, as before.
 */
class Context implements RequestContext {
  readonly id = randomUUID();
  readonly startedAt = Date.now();
  readonly route: string;
  readonly authorization: string | undefined;
  readonly cancel: CancelSignal;
  requestHash: string;
  body: unknown;
  capability: string;
  readonly decisions: Decision[] = [];
  tokens = 0;
  declare principal?: Principal;
  declare allowed?: ReadonlySet<string>;
  declare endpoint?: { readonly id: string; readonly jurisdiction: string };
  declare responseHash?: string;
  declare auditIndex?: number;
  declare auditExtra?: Record<string, string | number | boolean | null>;

  constructor(init: { route: string; authorization: string | undefined; rawBody: Buffer | undefined; body: unknown; signal: AbortSignal | ClientGone; capability: string }) {
    this.route = init.route;
    this.authorization = init.authorization;
    this.cancel = init.signal;
    this.requestHash = createHash("sha256").update(init.rawBody ?? Buffer.alloc(0)).digest("hex");
    this.body = init.body;
    this.capability = init.capability;
  }

  get signal(): AbortSignal {
    const c = this.cancel;
    return c instanceof ClientGone ? c.signal : (c as AbortSignal);
  }
}

export function newContext(init: { route: string; authorization: string | undefined; rawBody: Buffer | undefined; body: unknown; signal: AbortSignal | ClientGone; capability: string }): RequestContext {
  return new Context(init);
}

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
