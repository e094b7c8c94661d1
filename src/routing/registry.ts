import type { Endpoint } from "../config/index.ts";
import { CircuitBreaker } from "./breaker.ts";

export interface EndpointState {
  readonly endpoint: Endpoint;
  readonly breaker: CircuitBreaker;
  outstanding: number;
  /** Last error seen talking to this endpoint, for /readyz and the operations page (never content). */
  lastError: string | null;
}

export interface RouteRequest {
  /** Concrete jurisdictions the principal's nation allows (already expanded from groups). */
  readonly allowed: ReadonlySet<string>;
  readonly model: string | null;
  /** Endpoints already tried for this request. */
  readonly exclude?: ReadonlySet<string>;
}

/**
 * Chooses among endpoints. Residency is a hard filter applied before anything else, so no retry, fallback or
 * health decision can ever reach a jurisdiction the nation does not allow.
 */
export function candidates(states: readonly EndpointState[], req: RouteRequest): EndpointState[] {
  const out: EndpointState[] = [];
  for (const s of states) {
    if (!req.allowed.has(s.endpoint.jurisdiction)) continue;
    if (req.model !== null && !s.endpoint.models.includes(req.model)) continue;
    if (req.exclude?.has(s.endpoint.id)) continue;
    if (!s.breaker.allows()) continue;
    out.push(s);
  }
  // Least outstanding requests first; the stable sort keeps configuration order among equals.
  return out.sort((a, b) => a.outstanding - b.outstanding);
}

/** Whether any endpoint, healthy or not, could ever serve this nation and model (to tell 503 from 404). */
export function reachableModels(states: readonly EndpointState[], allowed: ReadonlySet<string>): string[] {
  const models = new Set<string>();
  for (const s of states) if (allowed.has(s.endpoint.jurisdiction)) for (const m of s.endpoint.models) models.add(m);
  return [...models].sort();
}

export class EndpointRegistry {
  readonly states: EndpointState[];

  constructor(endpoints: readonly Endpoint[], breaker: { failures: number; cooldown: number }, now: () => number = Date.now) {
    this.states = endpoints.map((endpoint) => ({
      endpoint,
      breaker: new CircuitBreaker(breaker.failures, breaker.cooldown, now),
      outstanding: 0,
      lastError: null,
    }));
  }

  candidates(req: RouteRequest): EndpointState[] {
    return candidates(this.states, req);
  }

  reachableModels(allowed: ReadonlySet<string>): string[] {
    return reachableModels(this.states, allowed);
  }
}
