import type { FastifyInstance } from "fastify";
import { request, type Dispatcher } from "undici";

/**
 * The console's only way to the gateway's data: its own HTTP API, called with the signed-in principal's bearer
 * token, so authentication, Cedar, the guard, quotas and the audit log apply exactly as for any other client.
 */
export interface ApiResult<T = unknown> {
  readonly status: number;
  readonly json: T;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface Api {
  get<T = unknown>(path: string): Promise<ApiResult<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<ApiResult<T>>;
  /** Throws ApiError for any status >= 400. */
  ok<T = unknown>(res: ApiResult<T>): ApiResult<T>;
}

function parse(body: string): unknown {
  try { return JSON.parse(body); } catch { return body; }
}

export function apiError(res: ApiResult): ApiError {
  const e = (res.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return new ApiError(res.status, typeof e?.code === "string" ? e.code : `http_${res.status}`, typeof e?.message === "string" ? e.message : `HTTP ${res.status}`);
}

/** JSON calls go through `inject`: in process, no socket, yet the full route with its hooks and stages. */
export function injectApi(app: FastifyInstance, token: string): Api {
  const call = async <T>(method: "GET" | "POST", url: string, body?: unknown): Promise<ApiResult<T>> => {
    const res = await app.inject({
      method, url,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, json: parse(res.body) as T, headers: res.headers };
  };
  return {
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body),
    ok(res) {
      if (res.status >= 400) throw apiError(res);
      return res;
    },
  };
}

/** Where this gateway listens, as seen from itself (a wildcard bind is reached through loopback). */
export function selfUrl(app: FastifyInstance): string {
  const addr = app.server.address();
  if (!addr || typeof addr === "string") throw new Error("the gateway is not listening on a TCP port");
  const host = addr.address === "0.0.0.0" ? "127.0.0.1" : addr.address === "::" ? "::1" : addr.address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
}

/**
 * A real streaming request to the gateway's own chat API. Aborting `signal` closes the connection, which the
 * gateway sees as the client going away and passes on to the upstream model server.
 */
export async function streamChat(app: FastifyInstance, token: string, body: unknown, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  return request(`${selfUrl(app)}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
}
