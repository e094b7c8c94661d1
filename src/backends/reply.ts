/** What a model backend answers, whatever it is (an upstream server or the embedded engine). */
export type BackendReply =
  | { readonly kind: "json"; readonly status: number; readonly json: unknown }
  | { readonly kind: "stream"; readonly events: AsyncIterable<string> };

/** A failure before anything was returned: the router may try another allowed endpoint. */
export class RetryableFailure extends Error {
  constructor(readonly reason: string, opts?: { cause?: unknown }) {
    super(reason, opts);
  }
}

export interface ModelBackend {
  /** `path` is the OpenAI path below /v1, e.g. "/chat/completions". `body` is the JSON request to send. */
  call(path: string, body: Record<string, unknown>, stream: boolean, signal: AbortSignal): Promise<BackendReply>;
  close(): Promise<void>;
}
