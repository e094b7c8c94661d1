import { ConcordError, UpstreamError } from "../errors/index.ts";

/** What a model backend answers, whatever it is (an upstream server or the embedded engine). */
export type BackendReply =
  | { readonly kind: "json"; readonly status: number; readonly json: unknown }
  | {
      readonly kind: "stream";
      readonly events: AsyncIterable<string>;
      /** Lets go of the connection, timers and buffers; safe to call at any time, more than once. */
      readonly close: () => void;
    };

/** How an upstream failed, in one word: the audit entry and the metrics record it, the client never needs it. */
export type FaultKind =
  | "connect_failed"
  | "connection_reset"
  | "timeout"
  | "protocol_error"
  | "http_status"
  | "invalid_response"
  | "oversized"
  | "malformed_stream"
  | "incomplete_stream"
  | "upstream_error_event";

/** A failure before anything was returned: the router may try another allowed endpoint. */
export class RetryableFailure extends Error {
  constructor(readonly fault: FaultKind, readonly reason: string, opts?: { cause?: unknown }) {
    super(reason, opts);
  }
}

/**
 * A stream that broke after it began. Before the first event reached the client the router turns it into a
 * RetryableFailure; after, the client gets it as an SSE error event (`upstream_error`).
 */
export class StreamBroken extends UpstreamError {
  constructor(readonly fault: FaultKind, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
  }
}

/**
 * The client went away while its answer was being read: not the upstream's fault, not retried, audited as
 * `client_closed` (the pipeline's word for it). The status is never sent; nobody is left to read it.
 */
export class RequestCancelled extends ConcordError {
  constructor(message = "the client closed the request") {
    super("client_closed", 499, "invalid_request_error", message);
  }
}

/**
 * What a backend reads of the caller's cancellation. An AbortSignal has this shape; so has the pipeline's
 * per-request ClientGone (server/context.ts), which costs far less to make than an AbortController.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** An AbortSignal for APIs that insist on one, following `s`. */
export function abortSignalOf(s: CancelSignal): AbortSignal {
  if (s instanceof AbortSignal) return s;
  const ac = new AbortController();
  if (s.aborted) ac.abort(s.reason);
  else s.addEventListener("abort", () => ac.abort(s.reason), { once: true });
  return ac.signal;
}

export interface ModelBackend {
  /** `path` is the OpenAI path below /v1, e.g. "/chat/completions". `body` is the JSON request to send. */
  call(path: string, body: Record<string, unknown>, stream: boolean, signal: CancelSignal): Promise<BackendReply>;
  close(): Promise<void>;
}
