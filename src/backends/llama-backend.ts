import type { LlamaEndpoint } from "../config/index.ts";
import { InvalidRequest } from "../errors/index.ts";
import type { BackendReply, ModelBackend } from "./reply.ts";
import type { ChatCompletionRequest } from "./openai-types.ts";

type Engine = Awaited<ReturnType<typeof import("./llama/index.ts")["LlamaEngine"]["load"]>>;

/**
 * The embedded llama.cpp engine behind the same interface as an upstream server. The engine (and the native
 * library) load on the first request, so a gateway without weights starts fast and says what to configure.
 */
export function createLlamaBackend(ep: LlamaEndpoint): ModelBackend {
  let engine: Promise<Engine> | undefined;
  const load = () => {
    engine ??= import("./llama/index.ts").then(({ LlamaEngine }) =>
      LlamaEngine.load({ modelPath: ep.model_path, contextSize: ep.context_size, maxTokens: ep.max_tokens, modelName: ep.models[0] ?? "local" }),
    );
    // A failed load (file missing) must be retried on the next request, once the operator placed the file.
    engine.catch(() => { engine = undefined; });
    return engine;
  };
  return {
    async call(path, body, stream, signal): Promise<BackendReply> {
      if (path !== "/chat/completions") throw new InvalidRequest(`the embedded engine ${ep.id} serves chat completions only`);
      const e = await load();
      const req = body as unknown as ChatCompletionRequest;
      if (stream) {
        const chunks = e.chatStream(req, signal);
        return { kind: "stream", events: (async function* () { for await (const c of chunks) yield JSON.stringify(c); })() };
      }
      return { kind: "json", status: 200, json: await e.chat(req, signal) };
    },
    async close() {
      if (engine) await (await engine.catch(() => undefined))?.close();
    },
  };
}
