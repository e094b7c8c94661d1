import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible model server for tests: answers chat completions (plain or streamed) and embeddings at
 * once, records every request it sees, and can be told to fail or to stream slowly.
 */
export interface StubUpstream {
  readonly url: string;
  readonly hits: Array<{ path: string; body: Record<string, unknown> }>;
  /** Requests whose connection closed before the stub finished answering (client cancels reaching upstream). */
  readonly cancelled: number;
  mode: "ok" | "fail500" | "slow-stream" | "hang";
  /** Text the stub answers with (streamed as one chunk per word). */
  answer: string;
  /** When set, the exact chunks a stream sends instead of the answer's words. */
  chunks: string[] | null;
  close(): Promise<void>;
}

export async function startStubUpstream(opts: { answer?: string; name?: string } = {}): Promise<StubUpstream> {
  const state = {
    hits: [] as Array<{ path: string; body: Record<string, unknown> }>,
    cancelled: 0,
    mode: "ok" as StubUpstream["mode"],
    answer: opts.answer ?? "Hello from the stub upstream.",
    chunks: null as string[] | null,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      const path = (req.url ?? "").replace(/^\/v1/, "");
      state.hits.push({ path, body });
      if (state.mode === "hang") return; // never answers: exercises the first-byte timeout
      if (state.mode === "fail500") {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"stub failure"}}');
        return;
      }
      const model = String(body["model"] ?? "m");
      if (path === "/embeddings") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          object: "list", model, data: [{ object: "embedding", index: 0, embedding: body["encoding_format"] === "base64" ? Buffer.from(new Float32Array([0.1, 0.2, 0.3]).buffer).toString("base64") : [0.1, 0.2, 0.3] }], usage: { prompt_tokens: 3, total_tokens: 3 },
        }));
        return;
      }
      const id = `chatcmpl-stub${state.hits.length}`;
      if (body["stream"] === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const words = state.chunks ?? state.answer.split(/(?<= )/);
        let i = 0;
        let finished = false;
        res.on("close", () => { if (!finished) state.cancelled++; });
        const delay = state.mode === "slow-stream" ? 50 : 0;
        const step = () => {
          if (res.destroyed) return;
          if (i < words.length) {
            const delta = i === 0 ? { role: "assistant", content: words[i] } : { content: words[i] };
            res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
            i++;
            setTimeout(step, delay);
            return;
          }
          res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: words.length, total_tokens: 5 + words.length } })}\n\n`);
          res.end("data: [DONE]\n\n");
          finished = true;
        };
        step();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
        id, object: "chat.completion", created: 1, model,
        choices: [{ index: 0, message: { role: "assistant", content: state.answer }, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
      }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  }) as StubUpstream;
}

/** A loopback port with nothing listening, for an endpoint that is down. */
export async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
