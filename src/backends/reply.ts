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

export interface ModelBackend {
  /** `path` is the OpenAI path below /v1, e.g. "/chat/completions". `body` is the JSON request to send. */
  call(path: string, body: Record<string, unknown>, stream: boolean, signal: AbortSignal): Promise<BackendReply>;
  close(): Promise<void>;
}
