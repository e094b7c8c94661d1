import { z } from "zod";

/**
 * The OpenAI request bodies Concord accepts. Unknown fields are refused (DESIGN.md: invalid_request), so the
 * list names every field the OpenAI API defines for these endpoints.
 */
const TextPart = z.object({ type: z.literal("text"), text: z.string() }).strict();
const ImagePart = z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string(), detail: z.string().optional() }).strict() }).strict();
const Content = z.union([z.string(), z.array(z.union([TextPart, ImagePart])), z.null()]);

export const ChatMessage = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant", "tool"]),
    content: Content.optional(),
    name: z.string().max(256).optional(),
    tool_calls: z.array(z.unknown()).optional(),
    tool_call_id: z.string().optional(),
    refusal: z.string().nullable().optional(),
  })
  .strict();

const Purpose = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "metadata.purpose is a lower-case word such as intelligence_summary");

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1).max(256),
    messages: z.array(ChatMessage).min(1).max(1024),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(8).nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    logit_bias: z.record(z.string(), z.number()).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    response_format: z.object({ type: z.string() }).passthrough().optional(),
    tools: z.array(z.unknown()).optional(),
    tool_choice: z.unknown().optional(),
    parallel_tool_calls: z.boolean().optional(),
    user: z.string().max(256).optional(),
    metadata: z.object({ purpose: Purpose.optional() }).catchall(z.string().max(512)).optional(),
    store: z.boolean().nullable().optional(),
    reasoning_effort: z.string().optional(),
  })
  .strict();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const EmbeddingsRequest = z
  .object({
    model: z.string().min(1).max(256),
    input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.number().int()), z.array(z.array(z.number().int()))]),
    encoding_format: z.enum(["float", "base64"]).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().max(256).optional(),
  })
  .strict();
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequest>;

/** Every string inside a value (keys too): tool definitions and tool-call arguments are free-form JSON. */
function strings(v: unknown, out: string[], depth = 0): void {
  if (typeof v === "string") out.push(v);
  else if (v !== null && typeof v === "object" && depth < 64) {
    for (const [k, x] of Object.entries(v)) {
      if (!Array.isArray(v)) out.push(k);
      strings(x, out, depth + 1);
    }
  }
}

/**
 * The text a guard must read in a chat request: every message's text content, and every other text the model
 * reads: tool-call arguments and results, tool definitions, the response format's schema. A client writes all of
 * it, the "assistant" turns of the history included, so none of it is trusted more than a user message.
 */
export function chatText(req: ChatCompletionRequest, roles?: readonly string[]): string {
  const parts: string[] = [];
  for (const m of req.messages) {
    if (roles && !roles.includes(m.role)) continue;
    if (typeof m.content === "string") parts.push(m.content);
    else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === "text") parts.push(p.text);
    if (m.tool_calls) strings(m.tool_calls, parts);
  }
  if (!roles) for (const v of [req.tools, req.tool_choice, req.response_format]) strings(v, parts);
  return parts.join("\n");
}

export function embeddingsText(req: EmbeddingsRequest): string {
  if (typeof req.input === "string") return req.input;
  return req.input.filter((x): x is string => typeof x === "string").join("\n");
}

function mapStrings(v: unknown, map: (s: string) => string, depth = 0): unknown {
  if (typeof v === "string") return map(v);
  if (Array.isArray(v)) return depth < 64 ? v.map((x) => mapStrings(x, map, depth + 1)) : v;
  if (v !== null && typeof v === "object" && depth < 64) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, map, depth + 1)]));
  return v;
}

/** Tool-call arguments are a JSON text: its string values are mapped and it stays valid JSON (untouched if unchanged). */
function mapToolCalls(calls: unknown[], map: (s: string) => string): unknown[] {
  return calls.map((c) => {
    const fn = (c as { function?: { arguments?: unknown } } | null)?.function;
    if (typeof fn?.arguments !== "string") return c;
    let changed = false;
    const tracked = (x: string) => { const y = map(x); if (y !== x) changed = true; return y; };
    let args: string;
    try { args = JSON.stringify(mapStrings(JSON.parse(fn.arguments), tracked)); } catch { args = tracked(fn.arguments); }
    return changed ? { ...(c as object), function: { ...fn, arguments: args } } : c;
  });
}

/** A copy of a chat request with `map` applied to every text a client wrote in it (for redaction). */
export function mapChatText(body: Record<string, unknown>, map: (s: string) => string): Record<string, unknown> {
  const req = body as ChatCompletionRequest;
  return {
    ...body,
    messages: req.messages.map((m) => ({
      ...m,
      ...(typeof m.content === "string" ? { content: map(m.content) } : {}),
      ...(Array.isArray(m.content) ? { content: m.content.map((p) => (p.type === "text" ? { ...p, text: map(p.text) } : p)) } : {}),
      ...(Array.isArray(m.tool_calls) ? { tool_calls: mapToolCalls(m.tool_calls, map) } : {}),
    })),
  };
}

export function mapEmbeddingsText(body: Record<string, unknown>, map: (s: string) => string): Record<string, unknown> {
  const req = body as EmbeddingsRequest;
  if (typeof req.input === "string") return { ...body, input: map(req.input) };
  return { ...body, input: (req.input as unknown[]).map((x) => (typeof x === "string" ? map(x) : x)) };
}
