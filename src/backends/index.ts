export { UpstreamBackend } from "./upstream.ts";
export { createLlamaBackend } from "./llama-backend.ts";
export { SseParser } from "./sse.ts";
export { RetryableFailure, type BackendReply, type ModelBackend } from "./reply.ts";
