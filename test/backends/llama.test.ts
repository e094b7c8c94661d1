import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { InvalidRequest, UpstreamError } from "../../src/errors/index.ts";
import { LlamaEngine } from "../../src/backends/llama/index.ts";
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../src/backends/openai-types.ts";
import { writeTinyGguf } from "../helpers/tiny-gguf.ts";

const CAP = 24;
/** A request that waits forever on a sequence never released fails here instead of hanging the run. */
const GUARD = { timeout: 60_000 };

function request(over: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return {
    model: "tiny",
    messages: [
      { role: "system", content: "You answer briefly." },
      { role: "user", content: "Report the convoy status." },
    ],
    ...over,
  };
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

describe("embedded llama.cpp engine on a tiny random-weight GGUF", () => {
  let dir: string;
  let modelPath: string;
  let engine: LlamaEngine;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "concord-llama-"));
    modelPath = join(dir, "tiny.gguf");
    await writeTinyGguf(modelPath, { seed: 11 });
    const started = performance.now();
    // One thread: the test machine's cores are shared, and idle llama.cpp workers spin.
    engine = await LlamaEngine.load({ modelPath, contextSize: 512, maxTokens: CAP, modelName: "tiny-local", threads: 1 });
    process.stderr.write(`# llama engine: binding + model + context loaded in ${Math.round(performance.now() - started)} ms\n`);
  });
  after(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("a plain chat completion has OpenAI's shape, counts its tokens and gives a finish reason", GUARD, async () => {
    const started = performance.now();
    const res = await engine.chat(request({ max_tokens: 8, temperature: 0 }));
    process.stderr.write(`# llama engine: 8-token completion in ${Math.round(performance.now() - started)} ms\n`);
    assert.match(res.id, /^chatcmpl-[0-9a-f]{30}$/);
    assert.equal(res.object, "chat.completion");
    assert.ok(Number.isInteger(res.created) && Math.abs(res.created - Date.now() / 1000) < 60);
    assert.equal(res.model, "tiny-local");
    assert.equal(res.choices.length, 1);
    const [choice] = res.choices;
    assert.equal(choice?.index, 0);
    assert.equal(choice?.message.role, "assistant");
    assert.equal(typeof choice?.message.content, "string");
    assert.ok(choice?.finish_reason === "length" || choice?.finish_reason === "stop");
    assert.ok(res.usage !== undefined);
    assert.ok(res.usage.prompt_tokens > 10, "the prompt holds both messages");
    assert.ok(res.usage.completion_tokens > 0 && res.usage.completion_tokens <= 8);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + res.usage.completion_tokens);
  });

  test("max_tokens bounds the response and ends it with finish_reason length", GUARD, async () => {
    const res = await engine.chat(request({ max_tokens: 5, temperature: 0 }));
    assert.equal(res.usage?.completion_tokens, 5);
    assert.equal(res.choices[0]?.finish_reason, "length");
  });

  test("the endpoint's max_tokens caps a request that asks for more", GUARD, async () => {
    const res = await engine.chat(request({ max_completion_tokens: 10_000, temperature: 0 }));
    assert.equal(res.usage?.completion_tokens, CAP);
    assert.equal(res.choices[0]?.finish_reason, "length");
  });

  test("the same seed gives the same sampled completion", GUARD, async () => {
    const a = await engine.chat(request({ temperature: 1, seed: 42 }));
    const b = await engine.chat(request({ temperature: 1, seed: 42 }));
    assert.equal(a.choices[0]?.message.content, b.choices[0]?.message.content);
    assert.equal(a.usage?.completion_tokens, b.usage?.completion_tokens);
  });

  test("a stop sequence ends the response just before it, with finish_reason stop", GUARD, async () => {
    const full = (await engine.chat(request({ temperature: 0 }))).choices[0]?.message.content ?? "";
    // Any two readable characters past the start of the greedy (repeatable) output serve as a stop sequence.
    const at = [...full].findIndex((_, i, cs) => i > 0 && i + 1 < cs.length && !cs[i]?.includes("\uFFFD") && !cs[i + 1]?.includes("\uFFFD"));
    assert.ok(at > 0, `no usable stop sequence in ${JSON.stringify(full)}`);
    const stop = [...full].slice(at, at + 2).join("");
    const res = await engine.chat(request({ temperature: 0, stop: [stop] }));
    assert.equal(res.choices[0]?.finish_reason, "stop");
    // Random byte tokens leave incomplete UTF-8 sequences (shown as U+FFFD); bytes still pending when the stop
    // sequence completes are dropped with it.
    assert.equal(res.choices[0]?.message.content, full.slice(0, full.indexOf(stop)).replace(/\uFFFD+$/, ""));
  });

  test("a streamed completion sends a role chunk, content chunks, the finish reason and usage", GUARD, async () => {
    const plain = await engine.chat(request({ max_tokens: 12, temperature: 0 }));
    const chunks = await collect(engine.chatStream(request({ max_tokens: 12, temperature: 0, stream: true, stream_options: { include_usage: true } })));
    const id = chunks[0]?.id;
    assert.match(id ?? "", /^chatcmpl-/);
    for (const c of chunks) {
      assert.equal(c.object, "chat.completion.chunk");
      assert.equal(c.id, id, "every chunk of one completion carries its id");
      assert.equal(c.model, "tiny-local");
    }
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: "assistant", content: "" });
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk?.choices, []);
    assert.deepEqual(usageChunk?.usage, plain.usage);
    const last = chunks.at(-2)?.choices[0];
    assert.equal(last?.finish_reason, "length");
    assert.deepEqual(last?.delta, {});
    const middle = chunks.slice(1, -2);
    assert.ok(middle.length > 0);
    assert.ok(middle.every((c) => c.choices[0]?.finish_reason === null && c.usage === null));
    assert.equal(middle.map((c) => c.choices[0]?.delta.content).join(""), plain.choices[0]?.message.content);
  });

  test("without include_usage a stream carries no usage and ends with the finish reason", GUARD, async () => {
    const chunks = await collect(engine.chatStream(request({ max_tokens: 4, temperature: 0, stream: true })));
    assert.ok(chunks.every((c) => !("usage" in c)));
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, "length");
  });

  test("aborting mid-stream stops generation with the signal's reason and frees the engine", GUARD, async () => {
    const controller = new AbortController();
    const reason = new DOMException("client went away", "AbortError");
    let contentChunks = 0;
    await assert.rejects(
      (async () => {
        for await (const c of engine.chatStream(request({ max_tokens: CAP, temperature: 1, seed: 5 }), controller.signal)) {
          if (c.choices[0]?.delta.content) contentChunks += 1;
          if (contentChunks === 1) controller.abort(reason);
        }
      })(),
      (err) => err === reason,
    );
    assert.equal(contentChunks, 1, "no text arrives after the abort");
    const next = await engine.chat(request({ max_tokens: 3, temperature: 0 }));
    assert.equal(next.usage?.completion_tokens, 3);
  });

  test("aborting a plain completion rejects with the signal's reason", GUARD, async () => {
    const controller = new AbortController();
    const pending = engine.chat(request({ max_tokens: CAP }), controller.signal);
    controller.abort(new Error("deadline"));
    await assert.rejects(pending, { message: "deadline" });
    const next = await engine.chat(request({ max_tokens: 2, temperature: 0 }));
    assert.equal(next.usage?.completion_tokens, 2);
  });

  test("leaving a stream early releases its sequence for the next request", GUARD, async () => {
    for await (const c of engine.chatStream(request({ max_tokens: CAP, temperature: 0 }))) {
      if (c.choices[0]?.delta.content) break;
    }
    const next = await engine.chat(request({ max_tokens: 3, temperature: 0 }));
    assert.equal(next.usage?.completion_tokens, 3);
  });

  test("concurrent requests all complete, each unaffected by the others", GUARD, async () => {
    const alone = await engine.chat(request({ max_tokens: 6, temperature: 0 }));
    const together = await Promise.all([1, 2, 3].map(() => engine.chat(request({ max_tokens: 6, temperature: 0 }))));
    assert.equal(new Set(together.map((r) => r.id)).size, 3);
    for (const r of together) assert.equal(r.choices[0]?.message.content, alone.choices[0]?.message.content);
  });

  test("requests the engine cannot serve are refused before generating, naming the parameter", GUARD, async () => {
    await assert.rejects(engine.chat(request({ n: 2 })), (err) => err instanceof InvalidRequest && err.param === "n");
    await assert.rejects(
      engine.chat(request({ messages: [{ role: "tool", content: "42", tool_call_id: "c1" }] })),
      (err) => err instanceof InvalidRequest && err.param === "messages[0].role",
    );
    const long = "x".repeat(2000);
    await assert.rejects(
      engine.chat(request({ messages: [{ role: "user", content: long }] })),
      (err) => err instanceof InvalidRequest && err.details.reason === "context_length_exceeded",
    );
    // A stream refuses on its first step, before any chunk, so a server can still send an error status.
    const stream = engine.chatStream(request({ temperature: 7 }));
    await assert.rejects(stream.next(), (err) => err instanceof InvalidRequest && err.param === "temperature");
  });

  test("a model without a chat template in its metadata still chats", GUARD, async () => {
    const path = join(dir, "no-template.gguf");
    await writeTinyGguf(path, { seed: 11, chatTemplate: null });
    const bare = await LlamaEngine.load({ modelPath: path, contextSize: 256, maxTokens: 4, modelName: "bare", threads: 1 });
    try {
      const res = await bare.chat(request());
      assert.ok((res.usage?.completion_tokens ?? 0) > 0);
      assert.ok(res.usage !== undefined && res.usage.prompt_tokens > 10);
    } finally {
      await bare.close();
    }
  });

  test("a missing model file fails with an UpstreamError that says what to configure", GUARD, async () => {
    const missing = join(dir, "absent", "model.gguf");
    await assert.rejects(
      LlamaEngine.load({ modelPath: missing, contextSize: 256, maxTokens: 4, modelName: "absent" }),
      (err) =>
        err instanceof UpstreamError &&
        err.message ===
          `embedded llama.cpp engine: model file ${missing} not found; place a GGUF file there or configure an OpenAI-compatible endpoint (url:) in the configuration`,
    );
  });

  test("a lazy engine reports a missing file per request and serves once the file is placed", GUARD, async () => {
    const later = join(dir, "later.gguf");
    const lazy = LlamaEngine.lazy({ modelPath: later, contextSize: 256, maxTokens: 3, modelName: "later", threads: 1 });
    try {
      await assert.rejects(lazy.chat(request()), (err) => err instanceof UpstreamError && err.message.includes("not found"));
      await writeTinyGguf(later, { seed: 2 });
      const res = await lazy.chat(request());
      assert.equal(res.model, "later");
    } finally {
      await lazy.close();
    }
  });

  test("a file that is not a GGUF model fails with an UpstreamError naming the file", GUARD, async () => {
    const junk = join(dir, "junk.gguf");
    await writeFile(junk, "this is not a model");
    await assert.rejects(
      LlamaEngine.load({ modelPath: junk, contextSize: 256, maxTokens: 4, modelName: "junk", threads: 1 }),
      (err) => err instanceof UpstreamError && err.message.includes(junk) && err.message.includes("GGUF"),
    );
  });
});
