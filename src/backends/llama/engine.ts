/**
 * The embedded model engine: one GGUF model run in-process by llama.cpp (node-llama-cpp's prebuilt CPU binaries),
 * answering OpenAI chat requests in OpenAI's shapes. The model loads once, on the first request or on `ready()`,
 * and every request shares it; each request generates on a context sequence of its own, taken from a fixed pool.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import {
  getLlama,
  LlamaChat,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from "node-llama-cpp";
import { UpstreamError } from "../../errors/index.ts";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, FinishReason, Usage } from "../openai-types.ts";
import { Channel } from "./channel.ts";
import { Pool } from "./pool.ts";
import { finishReasonOf, samplingFor, toChatHistory, type Sampling } from "./request.ts";

export interface LlamaEngineOptions {
  /** Path of the GGUF file (the endpoint's `model_path`). */
  modelPath: string;
  /** Tokens one request may hold, prompt and response together (the endpoint's `context_size`). */
  contextSize: number;
  /** Cap on generated tokens per response, whatever a request asks (the endpoint's `max_tokens`). */
  maxTokens: number;
  /** The name responses carry in `model`. */
  modelName: string;
  /** Requests generated at once, each on its own context sequence; more wait their turn. Default 1. */
  parallel?: number;
  /** CPU threads llama.cpp evaluates with. Default: one less than the cores this process may use (at least 1). */
  threads?: number;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  sequences: Pool<LlamaContextSequence>;
  chatWrapper: ChatWrapper;
}

/** A validated request ready to generate: the history, its sampling and the prompt's size. */
interface Job {
  loaded: Loaded;
  history: ChatHistoryItem[];
  sampling: Sampling;
  promptTokens: number;
}

interface Outcome {
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

export class LlamaEngine {
  readonly modelName: string;
  readonly #options: LlamaEngineOptions;
  #loading: Promise<Loaded> | undefined;
  #closed = false;

  private constructor(options: LlamaEngineOptions) {
    this.#options = options;
    this.modelName = options.modelName;
  }

  /** An engine that loads its model on the first request (or `ready()`); does no I/O itself. */
  static lazy(options: LlamaEngineOptions): LlamaEngine {
    return new LlamaEngine(options);
  }

  /** An engine with its model loaded. Throws UpstreamError naming the file when it is missing or not a model. */
  static async load(options: LlamaEngineOptions): Promise<LlamaEngine> {
    const engine = new LlamaEngine(options);
    await engine.ready();
    return engine;
  }

  /** Loads the model once; concurrent callers share the load, and a failed load is retried by the next call. */
  async ready(): Promise<void> {
    await this.#loaded();
  }

  async chat(body: ChatCompletionRequest, signal?: AbortSignal): Promise<ChatCompletion> {
    const job = await this.#prepare(body);
    const outcome = await this.#generate(job, signal);
    return {
      id: completionId(),
      object: "chat.completion",
      created: unixNow(),
      model: this.modelName,
      choices: [
        { index: 0, message: { role: "assistant", content: outcome.text, refusal: null }, finish_reason: outcome.finishReason, logprobs: null },
      ],
      usage: outcome.usage,
    };
  }

  /**
   * The completion as OpenAI stream chunks: a role chunk, content chunks, a chunk carrying `finish_reason`, and a
   * usage chunk (`choices: []`) when `stream_options.include_usage` asks for it. Invalid requests and load failures
   * throw on the first `next()`, before any chunk, so a server can still answer them with an error status.
   * Leaving the loop early stops the generation.
   */
  async *chatStream(body: ChatCompletionRequest, signal?: AbortSignal): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const job = await this.#prepare(body);
    const includeUsage = body.stream_options?.include_usage === true;
    const base = { id: completionId(), object: "chat.completion.chunk" as const, created: unixNow(), model: this.modelName };
    const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finishReason: FinishReason | null): ChatCompletionChunk => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(includeUsage ? { usage: null } : {}),
    });

    // One controller stops generation whether the caller's signal fires or the consumer stops reading.
    const stop = new AbortController();
    const forward = () => stop.abort(signal?.reason);
    if (signal?.aborted) forward();
    signal?.addEventListener("abort", forward, { once: true });
    const texts = new Channel<string>();
    const generation = this.#generate(job, stop.signal, (text) => texts.push(text));
    generation.then(() => texts.close(), (err: unknown) => texts.fail(err));
    try {
      yield chunk({ role: "assistant", content: "" }, null);
      for await (const text of texts) if (text.length > 0) yield chunk({ content: text }, null);
      const outcome = await generation;
      yield chunk({}, outcome.finishReason);
      if (includeUsage) yield { ...base, choices: [], usage: outcome.usage };
    } finally {
      signal?.removeEventListener("abort", forward);
      stop.abort(new DOMException("the stream's consumer stopped reading", "AbortError"));
      // The sequence goes back to the pool before the stream reports itself finished.
      await generation.catch(() => undefined);
    }
  }

  /** Frees the model and its context; requests still running end with an error. */
  async close(): Promise<void> {
    this.#closed = true;
    const loading = this.#loading;
    this.#loading = undefined;
    const loaded = await loading?.catch(() => undefined);
    if (loaded === undefined) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  #loaded(): Promise<Loaded> {
    if (this.#closed) return Promise.reject(new UpstreamError("embedded llama.cpp engine: the engine was closed"));
    this.#loading ??= open(this.#options).catch((err: unknown) => {
      this.#loading = undefined;
      throw err;
    });
    return this.#loading;
  }

  async #prepare(body: ChatCompletionRequest): Promise<Job> {
    const history = toChatHistory(body.messages);
    const loaded = await this.#loaded();
    // Counted from the history as the model's chat template renders it, which is what the model reads.
    const promptTokens = loaded.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
    const limits = { maxTokens: this.#options.maxTokens, contextSize: loaded.context.contextSize };
    return { loaded, history, sampling: samplingFor(body, limits, promptTokens), promptTokens };
  }

  #generate(job: Job, signal: AbortSignal | undefined, onText?: (text: string) => void): Promise<Outcome> {
    const { loaded, history, sampling, promptTokens } = job;
    return loaded.sequences.use(signal, async (sequence) => {
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: loaded.chatWrapper });
      const meter = sequence.tokenMeter.getState();
      try {
        const result = await chat.generateResponse(history, {
          maxTokens: sampling.maxTokens,
          temperature: sampling.temperature,
          topP: sampling.topP,
          ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
          ...(sampling.stop.length === 0 ? {} : { customStopTriggers: sampling.stop }),
          ...(signal === undefined ? {} : { signal }),
          ...(onText === undefined ? {} : { onTextChunk: onText }),
        });
        const completionTokens = sequence.tokenMeter.diff(meter).usedOutputTokens;
        return {
          text: result.response,
          finishReason: finishReasonOf(result.metadata.stopReason),
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw new UpstreamError(`embedded llama.cpp engine: generation failed for model ${this.modelName}`, { cause: err });
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    });
  }
}

// --- loading ---------------------------------------------------------------------------------------------------

let binding: Promise<Llama> | undefined;

/** The llama.cpp binding, shared by every engine in the process (it takes seconds to load). */
function llamaBinding(): Promise<Llama> {
  // CPU build from npm only: "never" forbids compiling llama.cpp, so nothing is fetched at run time.
  binding ??= getLlama({ gpu: false, build: "never", skipDownload: true }).catch((err: unknown) => {
    binding = undefined;
    throw new UpstreamError("embedded llama.cpp engine: the prebuilt llama.cpp binary for this platform could not be loaded", { cause: err });
  });
  return binding;
}

async function open(options: LlamaEngineOptions): Promise<Loaded> {
  await ensureReadable(options.modelPath);
  const llama = await llamaBinding();
  const model = await llama.loadModel({ modelPath: options.modelPath }).catch((err: unknown) => {
    throw new UpstreamError(
      `embedded llama.cpp engine: model file ${options.modelPath} could not be loaded; check that it is a complete GGUF model of an architecture llama.cpp supports`,
      { cause: err },
    );
  });
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  try {
    const context = await model.createContext({
      contextSize: options.contextSize,
      sequences: parallel,
      threads: options.threads ?? defaultThreads(),
    });
    const sequences = Array.from({ length: parallel }, () => context.getSequence());
    return { model, context, sequences: new Pool(sequences), chatWrapper: resolveChatWrapper(model) };
  } catch (err) {
    await model.dispose();
    throw new UpstreamError(
      `embedded llama.cpp engine: could not create a ${options.contextSize}-token context for ${options.modelPath}; lower context_size or free memory`,
      { cause: err },
    );
  }
}

async function ensureReadable(path: string): Promise<void> {
  const hint = "place a GGUF file there or configure an OpenAI-compatible endpoint (url:) in the configuration";
  try {
    if (!(await stat(path)).isFile()) throw new UpstreamError(`embedded llama.cpp engine: model path ${path} is not a file; ${hint}`);
    await access(path, constants.R_OK);
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new UpstreamError(`embedded llama.cpp engine: model file ${path} not found; ${hint}`, { cause: err });
    }
    throw new UpstreamError(`embedded llama.cpp engine: model file ${path} is not readable by the gateway (${code ?? "error"}); fix its permissions or ${hint}`, { cause: err });
  }
}

/**
 * One core less than the process may use, at least one. node-llama-cpp's own default is at least 4 threads;
 * llama.cpp's workers spin while they wait, so more threads than free cores slows generation by orders of
 * magnitude (measured here: 64 tokens in ~0.1 s on 1 thread, ~4 s on 2 threads of a loaded 2-core machine), and
 * the gateway's event loop needs a core of its own for authentication, routing and audit.
 */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

function completionId(): string {
  return `chatcmpl-${randomBytes(15).toString("hex")}`;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
