export { UpstreamBackend } from "./upstream.ts";
export { createLlamaBackend } from "./llama-backend.ts";
export { SseParser } from "./sse.ts";
export { RequestCancelled, RetryableFailure, StreamBroken, type BackendReply, type FaultKind, type ModelBackend } from "./reply.ts";
