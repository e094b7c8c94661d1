/**
 * Pure translation between an OpenAI chat request and what node-llama-cpp generates from: the history it renders
 * through the model's chat template, and the sampling settings. Everything refused here is refused before a
 * model is touched, with the parameter named.
 */
import type { ChatHistoryItem } from "node-llama-cpp";
import { InvalidRequest } from "../../errors/index.ts";
import type { ChatCompletionRequest, ChatMessage, FinishReason } from "../openai-types.ts";

export interface Sampling {
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: number | undefined;
  stop: string[];
}

export interface EngineLimits {
  /** The most tokens one response may generate, whatever the request asks (the endpoint's `max_tokens`). */
  maxTokens: number;
  /** Tokens a sequence holds: prompt and response together. */
  contextSize: number;
}

/** OpenAI messages to a node-llama-cpp history ending in the empty model turn to generate into. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequest("messages must be a non-empty array of chat messages", { param: "messages" });
  }
  const history: ChatHistoryItem[] = messages.map((m, i) => {
    const text = textOf(m, i);
    switch (m.role) {
      case "system":
      case "developer":
        return { type: "system", text };
      case "user":
        return { type: "user", text };
      case "assistant":
        return { type: "model", response: [text] };
      default:
        throw new InvalidRequest(
          `messages[${i}].role "${String(m.role)}" is not served by the embedded llama.cpp engine (it has no tool calling); ` +
            "use system, developer, user or assistant, or route the request to an OpenAI-compatible endpoint",
          { param: `messages[${i}].role` },
        );
    }
  });
  history.push({ type: "model", response: [] });
  return history;
}

function textOf(m: ChatMessage, i: number): string {
  if (m === null || typeof m !== "object") throw new InvalidRequest(`messages[${i}] must be an object`, { param: `messages[${i}]` });
  if (m.content === null || m.content === undefined) return "";
  if (typeof m.content === "string") return m.content;
  if (!Array.isArray(m.content)) {
    throw new InvalidRequest(`messages[${i}].content must be a string or an array of content parts`, { param: `messages[${i}].content` });
  }
  return m.content
    .map((part, j) => {
      if (part?.type === "text" && typeof part.text === "string") return part.text;
      throw new InvalidRequest(
        `messages[${i}].content[${j}] is a "${String(part?.type)}" part; the embedded llama.cpp engine reads text parts only`,
        { param: `messages[${i}].content[${j}]` },
      );
    })
    .join("");
}

/**
 * Sampling settings for one request. OpenAI's defaults apply where the request is silent (temperature 1, top_p 1);
 * the response length is the smallest of what the request asks, the endpoint allows and the context has left.
 */
export function samplingFor(body: ChatCompletionRequest, limits: EngineLimits, promptTokens: number): Sampling {
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw new InvalidRequest("n must be 1: the embedded llama.cpp engine generates one choice per request", { param: "n" });
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    throw new InvalidRequest("tools are not supported by the embedded llama.cpp engine; route to an OpenAI-compatible endpoint", { param: "tools" });
  }
  const room = limits.contextSize - promptTokens;
  if (room < 1) {
    throw new InvalidRequest(
      `the prompt is ${promptTokens} tokens but this model's context holds ${limits.contextSize}; shorten the messages`,
      { param: "messages", details: { reason: "context_length_exceeded" } },
    );
  }
  const asked = body.max_completion_tokens ?? body.max_tokens;
  const param = body.max_completion_tokens !== undefined && body.max_completion_tokens !== null ? "max_completion_tokens" : "max_tokens";
  if (asked !== undefined && asked !== null && !(Number.isInteger(asked) && asked > 0)) {
    throw new InvalidRequest(`${param} must be a positive integer`, { param });
  }
  return {
    maxTokens: Math.min(asked ?? Infinity, limits.maxTokens, room),
    temperature: bounded(body.temperature, 1, 0, 2, "temperature"),
    topP: bounded(body.top_p, 1, 0, 1, "top_p"),
    seed: seedOf(body.seed),
    stop: stopOf(body.stop),
  };
}

function bounded(v: number | null | undefined, fallback: number, min: number, max: number, param: string): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidRequest(`${param} must be a number from ${min} to ${max}`, { param });
  }
  return v;
}

function seedOf(v: number | null | undefined): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isSafeInteger(v)) throw new InvalidRequest("seed must be an integer", { param: "seed" });
  // llama.cpp seeds are 32-bit; fold larger seeds so distinct requests stay distinct and repeatable.
  return Number(BigInt.asUintN(32, BigInt(v)));
}

function stopOf(v: string | string[] | null | undefined): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
    throw new InvalidRequest("stop must be a string or an array of strings", { param: "stop" });
  }
  return list.filter((s) => s.length > 0);
}

/** node-llama-cpp's stop reasons to OpenAI's; an abort never reaches a client, so it has no mapping here. */
export function finishReasonOf(stopReason: string): FinishReason {
  return stopReason === "maxTokens" ? "length" : "stop";
}
