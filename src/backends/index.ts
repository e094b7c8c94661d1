export { UpstreamBackend } from "./upstream.ts";
export { createLlamaBackend } from "./llama-backend.ts";
export { SseParser } from "./sse.ts";
export { abortSignalOf, RequestCancelled, RetryableFailure, StreamBroken, type BackendReply, type CancelSignal, type FaultKind, type ModelBackend } from "./reply.ts";
