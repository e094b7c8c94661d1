/**
 * Every refusal and failure Concord reports carries a stable `code` (DESIGN.md's table), the HTTP status it maps
 * to, and the OpenAI error `type`. Any folder may throw these; only the server turns them into responses.
 */

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "policy_violation"
  | "not_found_error"
  | "rate_limit_error"
  | "upstream_error"
  | "service_unavailable"
  | "server_error";

export interface ErrorBody {
  error: { type: ErrorType; code: string; message: string; param: string | null; [extra: string]: unknown };
}

export class ConcordError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: ErrorType;
  readonly param: string | null;
  /** Extra machine-readable fields placed beside `code` in the error body (e.g. the reason of a refusal). */
  readonly details: Record<string, unknown>;
  /** Response headers the refusal needs (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    status: number,
    type: ErrorType,
    message: string,
    opts: { param?: string | null; details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.type = type;
    this.param = opts.param ?? null;
    this.details = opts.details ?? {};
    this.headers = opts.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { type: this.type, code: this.code, message: this.message, param: this.param, ...this.details } };
  }
}

type Opts = ConstructorParameters<typeof ConcordError>[4];

export class InvalidRequest extends ConcordError {
  constructor(message: string, opts?: Opts) { super("invalid_request", 400, "invalid_request_error", message, opts); }
}
export class Unauthenticated extends ConcordError {
  constructor(message: string, opts?: Opts) { super("unauthenticated", 401, "authentication_error", message, opts); }
}
export class Forbidden extends ConcordError {
  constructor(message: string, opts?: Opts) { super("forbidden", 403, "permission_error", message, opts); }
}
export class ClassificationExceeded extends ConcordError {
  constructor(message: string, opts?: Opts) { super("classification_exceeded", 403, "policy_violation", message, opts); }
}
export class ProhibitedUse extends ConcordError {
  constructor(message: string, opts?: Opts) { super("prohibited_use", 403, "policy_violation", message, opts); }
}
export class NotFound extends ConcordError {
  constructor(message: string, opts?: Opts) { super("not_found", 404, "not_found_error", message, opts); }
}
/** A change a record's state does not allow (e.g. acknowledging a closed alert); the state is unchanged. */
export class InvalidTransition extends ConcordError {
  constructor(message: string, opts?: Opts) { super("invalid_transition", 409, "invalid_request_error", message, opts); }
}
export class PayloadTooLarge extends ConcordError {
  constructor(message: string, opts?: Opts) { super("payload_too_large", 413, "invalid_request_error", message, opts); }
}
export class QuotaExceeded extends ConcordError {
  constructor(message: string, retryAfterSeconds: number, opts?: Opts) {
    super("quota_exceeded", 429, "rate_limit_error", message, {
      ...opts,
      headers: { ...(opts?.headers ?? {}), "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}
export class UpstreamError extends ConcordError {
  constructor(message: string, opts?: Opts) { super("upstream_error", 502, "upstream_error", message, opts); }
}
export class ResidencyUnavailable extends ConcordError {
  constructor(message: string, opts?: Opts) { super("residency_unavailable", 503, "service_unavailable", message, opts); }
}
export class AuditUnavailable extends ConcordError {
  constructor(message: string, opts?: Opts) { super("audit_unavailable", 503, "service_unavailable", message, opts); }
}
/** The guard's configured second opinion could not judge a request and the operator chose to fail closed. */
export class GuardUnavailable extends ConcordError {
  constructor(message: string, opts?: Opts) { super("guard_unavailable", 503, "service_unavailable", message, opts); }
}
/** A configuration file that does not validate; names the file and the key. Raised at load, never per request. */
export class ConfigError extends ConcordError {
  constructor(message: string, opts?: Opts) { super("invalid_config", 500, "server_error", message, opts); }
}

/** Wraps anything thrown into a ConcordError without leaking its message (which may hold content or secrets). */
export function asConcordError(err: unknown): ConcordError {
  if (err instanceof ConcordError) return err;
  return new ConcordError("internal_error", 500, "server_error", "internal error; the gateway log has the details", { cause: err });
}
