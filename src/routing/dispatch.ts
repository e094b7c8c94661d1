import { ResidencyUnavailable, UpstreamError } from "../errors/index.ts";
import type { EndpointRegistry, EndpointState, RouteRequest } from "./registry.ts";

export interface Attempt {
  readonly endpoint: string;
  readonly jurisdiction: string;
  readonly outcome: "ok" | "failed";
  readonly reason?: string;
  /** The failure's kind in one word (e.g. `timeout`), for the audit entry. */
  readonly fault?: string;
}

export interface Dispatched<T> {
  readonly result: T;
  readonly state: EndpointState;
  readonly attempts: readonly Attempt[];
}

export interface DispatchOptions<T> {
  readonly maxAttempts: number;
  readonly call: (state: EndpointState) => Promise<T>;
  /** Whether a failure left nothing behind that reached the client, so the next allowed endpoint may be tried. */
  readonly isRetryable: (err: unknown) => boolean;
  readonly faultOf?: (err: unknown) => string | undefined;
  /** The caller's cancellation (an AbortSignal or anything with `aborted`): a cancelled request is not retried. */
  readonly signal?: { readonly aborted: boolean };
  /** Filled with every attempt as it ends, also when dispatch throws (for the audit entry). */
  readonly attempts?: Attempt[];
}

/**
 * Sends a request to the best allowed endpoint and, on a retryable failure (nothing was returned yet), to the
 * next allowed one. Candidates are recomputed for every attempt from the residency-filtered set only.
 * `release` must be called by the caller when it is done with the endpoint (end of stream included).
 */
export async function dispatch<T>(registry: EndpointRegistry, req: RouteRequest, opts: DispatchOptions<T>): Promise<Dispatched<T> & { release: (ok: boolean) => void }> {
  const tried = new Set<string>();
  const attempts = opts.attempts ?? [];
  for (let i = 0; i < opts.maxAttempts; i++) {
    const [state] = registry.candidates({ ...req, exclude: tried });
    if (!state) break;
    tried.add(state.endpoint.id);
    state.outstanding++;
    state.breaker.onAttempt();
    try {
      const result = await opts.call(state);
      attempts.push({ endpoint: state.endpoint.id, jurisdiction: state.endpoint.jurisdiction, outcome: "ok" });
      let released = false;
      return {
        result, state, attempts,
        release: (ok: boolean) => {
          if (released) return;
          released = true;
          state.outstanding--;
          if (ok) { state.breaker.onSuccess(); state.lastError = null; } else state.breaker.onFailure();
        },
      };
    } catch (err) {
      state.outstanding--;
      if (opts.signal?.aborted || !opts.isRetryable(err)) {
        // A refusal by the upstream (4xx) or a cancelled request says nothing about the endpoint's health.
        state.breaker.onSuccess();
        throw err;
      }
      state.breaker.onFailure();
      state.lastError = (err as Error).message;
      const fault = opts.faultOf?.(err);
      attempts.push({ endpoint: state.endpoint.id, jurisdiction: state.endpoint.jurisdiction, outcome: "failed", reason: (err as Error).message, ...(fault ? { fault } : {}) });
    }
  }
  if (attempts.length === 0) {
    throw new ResidencyUnavailable(
      `no healthy endpoint${req.model ? ` serving model "${req.model}"` : ""} in a jurisdiction your nation allows (${[...req.allowed].filter((j) => j.length === 3).sort().join(", ")}); ask your nation's admin to configure one or retry later`,
    );
  }
  throw new UpstreamError(`every allowed endpoint failed (${attempts.map((a) => a.reason).join("; ")}); check that the model servers are running, or configure endpoints in your nation's jurisdictions`, {
    details: { attempts: attempts.map((a) => a.endpoint) },
  });
}
