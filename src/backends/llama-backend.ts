import type { LlamaEndpoint } from "../config/index.ts";
import { InvalidRequest } from "../errors/index.ts";
import type { LlamaEngine } from "./llama/index.ts";
import { abortSignalOf, type BackendReply, type ModelBackend } from "./reply.ts";
import type { ChatCompletionRequest } from "./openai-types.ts";

/**
 * The embedded llama.cpp engine behind the same interface as an upstream server. The engine loads on the first
 * request (and retries a failed load on the next), so a gateway without weights starts fast and says what to
 * configure.
 */
export function createLlamaBackend(ep: LlamaEndpoint): ModelBackend {
  // node-llama-cpp takes seconds to import: load it on the first request, not when the gateway starts.
  let engine: Promise<LlamaEngine> | undefined;
  const get = () =>
    (engine ??= import("./llama/index.ts").then(({ LlamaEngine }) =>
      LlamaEngine.lazy({
        modelPath: ep.model_path,
        contextSize: ep.context_size,
        maxTokens: ep.max_tokens,
        modelName: ep.models[0] ?? "local",
        parallel: ep.parallel,
        ...(ep.threads ? { threads: ep.threads } : {}),
      }),
    ));
  return {
    async call(path, body, stream, cancel): Promise<BackendReply> {
      if (path !== "/chat/completions") throw new InvalidRequest(`the embedded engine ${ep.id} serves chat completions only`);
      const signal = abortSignalOf(cancel);
      const req = body as unknown as ChatCompletionRequest;
      if (stream) {
        const chunks = (await get()).chatStream(req, signal);
        const events = (async function* () { for await (const c of chunks) yield JSON.stringify(c); })();
        return { kind: "stream", events, close: () => { void events.return(undefined); } };
      }
      return { kind: "json", status: 200, json: await (await get()).chat(req, signal) };
    },
    close: async () => { if (engine) await (await engine).close(); },
  };
}
