import { EventEmitter } from "node:events";
import { Pool, errors as undiciErrors } from "undici";
import type { UpstreamEndpoint } from "../config/index.ts";
import { SseParser } from "./sse.ts";
import { RequestCancelled, RetryableFailure, StreamBroken, type BackendReply, type CancelSignal, type FaultKind, type ModelBackend } from "./reply.ts";

const MAX_JSON_BYTES = 16 << 20;
/** An upstream's refusal carries a short error object; more than this is not a refusal worth reading. */
const MAX_REFUSAL_BYTES = 64 << 10;
/**
 * Statuses that say the request itself was refused, the same on any endpoint: passed to the client, not
 * retried. Every other non-2xx (401/403: the gateway's key for this endpoint; 404: the endpoint does not serve
 * what its configuration says; 408, 429, 5xx, 3xx) is the endpoint's problem, so another endpoint is tried.
 */
const REFUSALS = new Set([400, 413, 422]);

type Body = AsyncIterable<unknown> & { on(e: "error", f: () => void): unknown; destroy(): void };

/** Drops a response body we will not read; the listener keeps undici's abort error from going unhandled. */
function discard(body: Body): void {
  body.on("error", () => {});
  body.destroy();
}

/**
 * The whole-request deadline (`timeouts.total`) and the caller's cancellation as one signal for undici, with a timer
 * and a listener that are removed as soon as the reply is read or let go (AbortSignal.timeout would keep its timer
 * until it fires, minutes after a short request). undici takes an EventEmitter with `aborted` and `reason` as a
 * signal; one costs a fraction of an AbortController, and this one is made for every upstream request.
 */
class Deadline extends EventEmitter {
  private readonly timer: NodeJS.Timeout;
  expired = false;
  aborted = false;
  reason: unknown = undefined;

  constructor(ms: number, private readonly caller: CancelSignal) {
    super();
    this.timer = setTimeout(() => { this.expired = true; this.abort(new Error("deadline")); }, ms);
    if (caller.aborted) this.abort(caller.reason);
    else caller.addEventListener("abort", this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.abort(this.caller.reason);

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }

  get signal(): EventEmitter { return this; }

  clear(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener("abort", this.onAbort);
  }
}

/** Names a transport failure for the audit entry and the client's message. */
function faultOf(err: unknown, deadline: Deadline): { fault: FaultKind; what: string } {
  if (deadline.expired) return { fault: "timeout", what: "no complete answer within the total timeout" };
  if (err instanceof undiciErrors.ConnectTimeoutError) return { fault: "connect_failed", what: "connect timeout" };
  if (err instanceof undiciErrors.HeadersTimeoutError) return { fault: "timeout", what: "no response headers within the first-byte timeout" };
  if (err instanceof undiciErrors.BodyTimeoutError) return { fault: "timeout", what: "response stalled longer than the first-byte timeout" };
  if (err instanceof undiciErrors.HTTPParserError) return { fault: "protocol_error", what: "the answer is not HTTP/1.1" };
  if (err instanceof undiciErrors.ResponseContentLengthMismatchError) return { fault: "protocol_error", what: "the body does not match its Content-Length" };
  const code = (err as { code?: string }).code ?? "";
  if (["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"].includes(code)) return { fault: "connect_failed", what: code };
  return { fault: "connection_reset", what: code || (err instanceof Error ? err.name : "request failed") };
}

/**
 * An OpenAI-compatible server (vLLM, llama.cpp server, Ollama, TGI) reached over a keep-alive undici Pool.
 * undici's Pool/request avoids fetch and web streams, which dominate a proxy's CPU profile (FACTS.md).
 *
 * undici reports several broken answers as success (a body cut short by a lying Content-Length, a stream closed
 * without `[DONE]`, an event stream that is not one); this class checks the framing itself, and every failure it
 * reports names its `FaultKind`.
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
      // Between any two body chunks, so it is also the idle timeout of a stream that went silent.
      bodyTimeout: endpoint.timeouts.first_byte,
      keepAliveTimeout: 30_000,
    });
    const key = endpoint.api_key_env ? env[endpoint.api_key_env] : undefined;
    this.authorization = key ? `Bearer ${key}` : undefined;
  }

  /** The pool's connection and request counts: what a fault must not leave behind (the resilience tests read them). */
  get stats(): { connected: number; free: number; pending: number; running: number; queued: number } {
    const s = this.pool.stats;
    return { connected: s.connected, free: s.free, pending: s.pending, running: s.running, queued: s.queued };
  }

  private fail(fault: FaultKind, what: string, cause?: unknown): RetryableFailure {
    return new RetryableFailure(fault, `${this.endpoint.id}: ${what}`, cause === undefined ? undefined : { cause });
  }

  async call(path: string, body: Record<string, unknown>, stream: boolean, signal: CancelSignal): Promise<BackendReply> {
    const deadline = new Deadline(this.endpoint.timeouts.total, signal);
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
        signal: deadline.signal,
      });
    } catch (err) {
      deadline.clear();
      if (signal.aborted) throw new RequestCancelled();
      const f = faultOf(err, deadline);
      throw this.fail(f.fault, f.what, err);
    }
    const status = res.statusCode;
    const ok = status >= 200 && status < 300;
    if (!ok && !REFUSALS.has(status)) {
      discard(res.body);
      deadline.clear();
      throw this.fail("http_status", `HTTP ${status}`);
    }
    if (stream && ok) {
      const type = String(res.headers["content-type"] ?? "");
      if (!type.includes("text/event-stream")) {
        discard(res.body);
        deadline.clear();
        throw this.fail("invalid_response", `asked for a stream, got ${type || "no content type"}`);
      }
      const resBody = res.body;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        discard(resBody);
        deadline.clear();
      };
      return { kind: "stream", events: this.events(resBody, deadline, signal, close), close };
    }
    const text = await this.readAll(res.body, ok ? MAX_JSON_BYTES : MAX_REFUSAL_BYTES, deadline, signal).finally(() => deadline.clear());
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      if (ok) throw this.fail("invalid_response", "response is not JSON");
    }
    if (ok && (json === null || typeof json !== "object" || Array.isArray(json))) throw this.fail("invalid_response", "response is not a JSON object");
    return { kind: "json", status, json };
  }

  private async readAll(body: Body, limit: number, deadline: Deadline, signal: CancelSignal): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > limit) {
          discard(body);
          throw this.fail("oversized", `response larger than ${limit} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof RetryableFailure) throw err;
      if (signal.aborted) throw new RequestCancelled();
      const f = faultOf(err, deadline);
      throw this.fail(f.fault, `${f.what} while reading the response`, err);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  private async *events(body: Body, deadline: Deadline, signal: CancelSignal, close: () => void): AsyncGenerator<string> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const id = this.endpoint.id;
    let done = false;
    try {
      for await (const chunk of body) {
        for (const data of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) {
          if (data === "[DONE]") { done = true; return; }
          yield data;
        }
      }
      parser.push(decoder.decode());
    } catch (err) {
      if (err instanceof StreamBroken) throw new StreamBroken(err.fault, `${id}: ${err.message}`, { cause: err });
      if (signal.aborted) throw new RequestCancelled();
      const f = faultOf(err, deadline);
      throw new StreamBroken(f.fault, `${id}: stream broke (${f.what})`, { cause: err });
    } finally {
      close();
    }
    if (!done) throw new StreamBroken("incomplete_stream", `${id}: stream ended without [DONE]`);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
