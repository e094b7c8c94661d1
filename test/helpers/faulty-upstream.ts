import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A scriptable OpenAI-compatible upstream on a raw `net` server, so a test can make it fail in ways an HTTP
 * library would refuse to: non-HTTP bytes, a lying Content-Length, a reset in the middle of a stream, a stall
 * after the headers. Each request is answered by the `script` in force; the script writes raw bytes through
 * the `Exchange` it is given. Every timer a script starts is cleared when its connection closes, and the server
 * counts open connections, so a test can tell whether the gateway let go of its sockets.
 */

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
}

export interface Exchange {
  readonly req: RawRequest;
  /** Raw bytes on the wire (ignored once the connection closed). */
  write(bytes: string | Buffer): void;
  /** Half-closes after the bytes (a FIN); the gateway decides what to do with the socket. */
  end(bytes?: string | Buffer): void;
  /** A TCP reset (RST), as a crashed model server's kernel would send. */
  reset(): void;
  /** Runs `fn` after `ms`, unless the connection closed first. */
  later(ms: number, fn: () => void): void;
  /** Runs `fn` every `ms` until it returns false or the connection closes. */
  every(ms: number, fn: () => boolean | void): void;
}

export type Script = (x: Exchange) => void;

export interface FaultyUpstream {
  readonly url: string;
  /** Every request parsed, in order. */
  readonly requests: RawRequest[];
  /** How each request is answered; a test sets it before calling the gateway. */
  script: Script;
  /** Connections open now, and accepted in total. */
  stats(): { open: number; accepted: number; timers: number };
  close(): Promise<void>;
}

/** One `chat.completion.chunk` SSE event carrying `content`. */
export function chunk(content: string, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: "chatcmpl-faulty", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;
}

export const DONE = "data: [DONE]\n\n";

/** A complete non-streamed chat completion answering `content`. */
export function completion(content: string): string {
  return JSON.stringify({ id: "chatcmpl-faulty", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
}

/**
 * An HTTP/1.1 response head; `length` adds a Content-Length (true or false, as the script pleases). Without a
 * length, JSON is chunked and an event stream is delimited by the connection's close (as some servers do), or
 * chunked with `chunked: true` (as uvicorn, behind vLLM, does); write its body with `chunked()`.
 */
export function head(status: number, type: string, opts: { length?: number; close?: boolean; chunked?: boolean } = {}): string {
  const lines = [`HTTP/1.1 ${status} ${status < 300 ? "OK" : "Error"}`, `content-type: ${type}`];
  if (opts.length !== undefined) lines.push(`content-length: ${opts.length}`);
  else if (opts.chunked || !type.startsWith("text/event-stream")) lines.push("transfer-encoding: chunked");
  if (opts.close) lines.push("connection: close");
  return lines.join("\r\n") + "\r\n\r\n";
}

/** One chunk of a chunked body. */
export function chunked(data: string): string {
  return `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
}

/** A whole well-formed response: JSON with a correct Content-Length, or an SSE stream closed by the server. */
export function respond(x: Exchange, status: number, body: string, type = "application/json"): void {
  if (type.startsWith("text/event-stream")) {
    x.end(head(status, type, { close: true }) + body);
    return;
  }
  x.write(head(status, type, { length: Buffer.byteLength(body) }) + body);
}

/** A well-behaved answer to whatever was asked (streamed or not). */
export const healthy: Script = (x) => {
  if (x.req.body["stream"] === true) respond(x, 200, chunk("All ") + chunk("clear.") + DONE, "text/event-stream");
  else respond(x, 200, completion("All clear."));
};

function parseHead(text: string): { method: string; path: string; headers: Record<string, string> } {
  const [start = "", ...lines] = text.split("\r\n");
  const [method = "", path = ""] = start.split(" ");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { method, path, headers };
}

export async function startFaultyUpstream(): Promise<FaultyUpstream> {
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let timers = 0;
  const state = { script: healthy as Script };

  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    const owned = new Set<NodeJS.Timeout>();
    const clear = () => { for (const t of owned) { clearTimeout(t); clearInterval(t); } timers -= owned.size; owned.clear(); };
    socket.on("close", () => { clear(); sockets.delete(socket); });
    socket.on("error", () => {});
    let buf = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      // Keep-alive: answer each complete request on the connection in turn.
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const h = parseHead(buf.subarray(0, end).toString("latin1"));
        const length = Number(h.headers["content-length"] ?? 0);
        if (buf.length < end + 4 + length) return;
        const raw = buf.subarray(end + 4, end + 4 + length).toString("utf8");
        buf = buf.subarray(end + 4 + length);
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(raw) as Record<string, unknown>; } catch { /* the gateway always sends JSON; keep {} */ }
        const req: RawRequest = { method: h.method, path: h.path.replace(/^\/v1/, ""), headers: h.headers, body };
        requests.push(req);
        const alive = () => !socket.destroyed;
        const track = (t: NodeJS.Timeout) => { owned.add(t); timers++; };
        const untrack = (t: NodeJS.Timeout) => { if (owned.delete(t)) timers--; };
        state.script({
          req,
          write: (b) => { if (alive()) socket.write(b); },
          end: (b) => { if (alive()) { if (b === undefined) socket.end(); else socket.end(b); } },
          reset: () => { if (alive()) socket.resetAndDestroy(); },
          later: (ms, fn) => {
            const t = setTimeout(() => { untrack(t); if (alive()) fn(); }, ms);
            track(t);
          },
          every: (ms, fn) => {
            const t = setInterval(() => {
              if (!alive() || fn() === false) { clearInterval(t); untrack(t); }
            }, ms);
            track(t);
          },
        });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get script() { return state.script; },
    set script(s: Script) { state.script = s; },
    stats: () => ({ open: sockets.size, accepted, timers }),
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
