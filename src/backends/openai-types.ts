/**
 * The OpenAI wire shapes Concord serves and proxies, kept to the fields a gateway reads or writes. Fields it
 * passes through untouched are allowed by the index signatures, so an upstream's extras survive a round trip.
 * Reference: OpenAI API reference, "Chat Completions" and "Embeddings" (create, object, chunk object).
 */

export type ChatRole = "system" | "developer" | "user" | "assistant" | "tool" | "function";

export interface TextContentPart {
  type: "text";
  text: string;
}
/** Images, audio and files: accepted on the wire, served only by upstreams that understand them. */
export interface OtherContentPart {
  type: string;
  [field: string]: unknown;
}
export type ContentPart = TextContentPart | OtherContentPart;

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  [field: string]: unknown;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  /** Deprecated by OpenAI in favour of `max_completion_tokens`; both are honoured, the latter first. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: unknown;
  /** Up to 16 string pairs; Concord reads `metadata.purpose` to name the capability (`chat.<purpose>`). */
  metadata?: Record<string, string> | null;
  user?: string;
  [field: string]: unknown;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [field: string]: unknown;
}

export interface ChatCompletionChoice {
  index: number;
  message: { role: "assistant"; content: string | null; refusal?: string | null; tool_calls?: ToolCall[] };
  finish_reason: FinishReason | null;
  logprobs: null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  [field: string]: unknown;
}

export interface ChatCompletionChunkChoice {
  index: number;
  delta: { role?: "assistant"; content?: string | null; refusal?: string | null; tool_calls?: unknown[] };
  finish_reason: FinishReason | null;
  logprobs: null;
}

/** One server-sent event of a streamed completion; the usage-only chunk has `choices: []`. */
export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: ChatCompletionChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [field: string]: unknown;
}

export interface EmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
  dimensions?: number;
  user?: string;
  [field: string]: unknown;
}

export interface Embedding {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface EmbeddingsResponse {
  object: "list";
  data: Embedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
  [field: string]: unknown;
}

// The names the brief and the lead's proxy use; the OpenAI* aliases read better beside other engines' types.
export type OpenAIChatRequest = ChatCompletionRequest;
export type OpenAIChatCompletion = ChatCompletion;
export type OpenAIChatCompletionChunk = ChatCompletionChunk;
