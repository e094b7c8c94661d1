import { strict as assert } from "node:assert";
import { describe, test } from "node:test";
import { InvalidRequest } from "../../errors/index.ts";
import type { ChatCompletionRequest } from "../openai-types.ts";
import { finishReasonOf, samplingFor, toChatHistory } from "./request.ts";

const limits = { maxTokens: 256, contextSize: 2048 };
const body = (over: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: "m",
  messages: [{ role: "user", content: "hi" }],
  ...over,
});
const refusedAt = (param: string) => (err: unknown) => err instanceof InvalidRequest && err.param === param;

describe("toChatHistory", () => {
  test("maps OpenAI roles to the engine's history and ends with an empty model turn to generate into", () => {
    assert.deepEqual(
      toChatHistory([
        { role: "system", content: "be brief" },
        { role: "developer", content: "use metric units" },
        { role: "user", content: [{ type: "text", text: "how far " }, { type: "text", text: "to Brest?" }] },
        { role: "assistant", content: "412 km" },
        { role: "user", content: "and back?" },
      ]),
      [
        { type: "system", text: "be brief" },
        { type: "system", text: "use metric units" },
        { type: "user", text: "how far to Brest?" },
        { type: "model", response: ["412 km"] },
        { type: "user", text: "and back?" },
        { type: "model", response: [] },
      ],
    );
  });

  test("an assistant turn with null content (a tool-call turn elsewhere) becomes an empty response", () => {
    assert.deepEqual(toChatHistory([{ role: "user", content: "x" }, { role: "assistant", content: null }]).at(1), { type: "model", response: [""] });
  });

  test("refuses what the engine cannot read, naming the message and part", () => {
    assert.throws(() => toChatHistory([]), refusedAt("messages"));
    assert.throws(() => toChatHistory([{ role: "tool", content: "42", tool_call_id: "c" }]), refusedAt("messages[0].role"));
    assert.throws(
      () => toChatHistory([{ role: "user", content: [{ type: "text", text: "see" }, { type: "image_url", image_url: { url: "x" } }] }]),
      refusedAt("messages[0].content[1]"),
    );
  });
});

describe("samplingFor", () => {
  test("applies OpenAI's defaults where the request is silent and the endpoint's cap as the length", () => {
    assert.deepEqual(samplingFor(body(), limits, 10), { maxTokens: 256, temperature: 1, topP: 1, seed: undefined, stop: [] });
  });

  test("the response length is the least of the request, the endpoint cap and the room left in the context", () => {
    assert.equal(samplingFor(body({ max_tokens: 20 }), limits, 10).maxTokens, 20);
    assert.equal(samplingFor(body({ max_tokens: 5000 }), limits, 10).maxTokens, 256);
    assert.equal(samplingFor(body({ max_tokens: 5000 }), limits, 2000).maxTokens, 48);
    assert.equal(samplingFor(body({ max_tokens: 20, max_completion_tokens: 7 }), limits, 10).maxTokens, 7);
  });

  test("a prompt that fills the context is refused as context_length_exceeded", () => {
    assert.throws(
      () => samplingFor(body({ messages: [{ role: "user", content: "Zephyr-77" }] }), limits, 2048),
      (err) => err instanceof InvalidRequest && err.details.reason === "context_length_exceeded" && !err.message.includes("Zephyr"),
    );
  });

  test("refuses out-of-range parameters, naming each", () => {
    assert.throws(() => samplingFor(body({ max_tokens: 0 }), limits, 1), refusedAt("max_tokens"));
    assert.throws(() => samplingFor(body({ max_completion_tokens: 1.5 }), limits, 1), refusedAt("max_completion_tokens"));
    assert.throws(() => samplingFor(body({ temperature: 2.5 }), limits, 1), refusedAt("temperature"));
    assert.throws(() => samplingFor(body({ top_p: -0.1 }), limits, 1), refusedAt("top_p"));
    assert.throws(() => samplingFor(body({ seed: 1.5 }), limits, 1), refusedAt("seed"));
    assert.throws(() => samplingFor(body({ n: 3 }), limits, 1), refusedAt("n"));
    assert.throws(() => samplingFor(body({ tools: [{ type: "function" }] }), limits, 1), refusedAt("tools"));
    assert.throws(() => samplingFor(body({ stop: [1 as unknown as string] }), limits, 1), refusedAt("stop"));
  });

  test("stop takes a string or a list, dropping empty strings", () => {
    assert.deepEqual(samplingFor(body({ stop: "END" }), limits, 1).stop, ["END"]);
    assert.deepEqual(samplingFor(body({ stop: ["a", "", "b"] }), limits, 1).stop, ["a", "b"]);
  });

  test("seeds fold into llama.cpp's 32 bits, so large and negative seeds stay repeatable", () => {
    assert.equal(samplingFor(body({ seed: 2 ** 32 + 5 }), limits, 1).seed, 5);
    assert.equal(samplingFor(body({ seed: -1 }), limits, 1).seed, 2 ** 32 - 1);
    assert.equal(samplingFor(body({ seed: 0 }), limits, 1).seed, 0);
  });
});

test("finishReasonOf: only hitting the token limit is length; every other end is stop", () => {
  assert.equal(finishReasonOf("maxTokens"), "length");
  for (const r of ["eogToken", "stopGenerationTrigger", "customStopTrigger"]) assert.equal(finishReasonOf(r), "stop");
});
