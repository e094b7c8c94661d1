import { Pool, errors as undiciErrors } from "undici";
import type { UpstreamEndpoint } from "../config/index.ts";
import { UpstreamError } from "../errors/index.ts";
import { SseParser } from "./sse.ts";
import { RetryableFailure, type BackendReply, type ModelBackend } from "./reply.ts";

const MAX_JSON_BYTES = 16 << 20;

/** Drops a response body we will not read; the listener keeps undici's abort error from going unhandled. */
function discard(body: { on(e: "error", f: () => void): unknown; destroy(): void }): void {
  body.on("error", () => {});
  body.destroy();
}

function describe(err: unknown): string {
  if (err instanceof undiciErrors.ConnectTimeoutError) return "connect timeout";
  if (err instanceof undiciErrors.HeadersTimeoutError) return "no response headers within the first-byte timeout";
  if (err instanceof undiciErrors.BodyTimeoutError) return "response body stalled";
  const code = (err as { code?: string }).code;
  return code ?? (err instanceof Error ? err.name : "request failed");
}

/**
 * An OpenAI-compatible server (vLLM, llama.cpp server, Ollama, TGI) reached over a keep-alive undici Pool.
 * undici's Pool/request avoids fetch and web streams, which dominate a proxy's CPU profile (FACTS.md).
 */
export class UpstreamBackend implements ModelBackend {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly authorization: string | undefined;

  constructor(private readonly endpoint: UpstreamEndpoint, env: NodeJS.ProcessEnv = process.env) {
    const url = new URL(endpoint.url);
    this.basePath = url.pathname.replace(/\/$/, "");
    this.pool = new Pool(url.origin, {
      connections: endpoint.max_connections,
      connect: { timeout: endpoint.timeouts.connect },
      headersTimeout: endpoint.timeouts.first_byte,
      bodyTimeout: endpoint.timeouts.first_byte,
      keepAliveTimeout: 30_000,
    });
    const key = endpoint.api_key_env ? env[endpoint.api_key_env] : undefined;
    this.authorization = key ? `Bearer ${key}` : undefined;
  }

  async call(path: string, body: Record<string, unknown>, stream: boolean, signal: AbortSignal): Promise<BackendReply> {
    const total = AbortSignal.timeout(this.endpoint.timeouts.total);
    const both = AbortSignal.any([signal, total]);
    let res;
    try {
      res = await this.pool.request({
        path: this.basePath + path,
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: stream ? "text/event-stream" : "application/json",
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: JSON.stringify(body),
        signal: both,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new RetryableFailure(`${this.endpoint.id}: ${describe(err)}`, { cause: err });
    }
    if (res.statusCode >= 500) {
      discard(res.body);
      throw new RetryableFailure(`${this.endpoint.id}: HTTP ${res.statusCode}`);
    }
    const type = String(res.headers["content-type"] ?? "");
    if (stream && res.statusCode === 200) {
      if (!type.includes("text/event-stream")) {
        discard(res.body);
        throw new RetryableFailure(`${this.endpoint.id}: asked for a stream, got ${type || "no content type"}`);
      }
      return { kind: "stream", events: this.events(res.body) };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_JSON_BYTES) {
          discard(res.body);
          throw new RetryableFailure(`${this.endpoint.id}: response larger than ${MAX_JSON_BYTES} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof RetryableFailure || signal.aborted) throw err;
      throw new RetryableFailure(`${this.endpoint.id}: ${describe(err)} while reading the response`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      throw new RetryableFailure(`${this.endpoint.id}: response is not JSON`);
    }
    return { kind: "json", status: res.statusCode, json };
  }

  private async *events(body: AsyncIterable<Buffer> & { destroy(): void; setEncoding?(e: string): void }): AsyncIterable<string> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    let done = false;
    try {
      for await (const chunk of body) {
        for (const data of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (data === "[DONE]") { done = true; return; }
          yield data;
        }
      }
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      throw new UpstreamError(`${this.endpoint.id}: stream broke (${describe(err)})`, { cause: err });
    } finally {
      discard(body as unknown as Parameters<typeof discard>[0]);
    }
    if (!done) throw new UpstreamError(`${this.endpoint.id}: stream ended without [DONE]`);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
