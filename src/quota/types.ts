export interface Budget {
  readonly requestsPerMinute: number;
  readonly tokensPerDay: number;
}

export interface QuotaUsage {
  readonly requestsThisMinute: number;
  readonly tokensToday: number;
}

export type QuotaDecision = { readonly ok: true } | { readonly ok: false; readonly limit: "requests_per_minute" | "tokens_per_day"; readonly retryAfterSeconds: number };

/**
 * Per-nation budgets in fixed windows: requests per UTC minute, tokens per UTC day. Fixed windows are what a
 * shared counter (Redis INCR with expiry) does atomically in one round trip, and both stores keep one semantics.
 */
export interface QuotaStore {
  /** Counts one request against the nation's minute window, unless the minute or the day budget is spent. */
  take(nation: string, budget: Budget, now: number): Promise<QuotaDecision>;
  /** Charges tokens used by a finished request to the nation's day. */
  charge(nation: string, tokens: number, now: number): Promise<void>;
  /** What the nation used so far in the current windows: requests this minute, tokens today (read only). */
  usage(nation: string, now: number): Promise<QuotaUsage>;
  close(): Promise<void>;
}

export const minuteWindow = (now: number) => Math.floor(now / 60_000);
export const dayWindow = (now: number) => Math.floor(now / 86_400_000);
export const secondsToNextMinute = (now: number) => Math.ceil((60_000 - (now % 60_000)) / 1000);
export const secondsToNextDay = (now: number) => Math.ceil((86_400_000 - (now % 86_400_000)) / 1000);

/** One replica's part of a budget when replicas count alone: at least one request and one token, so none stalls. */
export function replicaShare(budget: Budget, replicas: number): Budget {
  const n = Math.max(1, Math.floor(replicas));
  return { requestsPerMinute: Math.max(1, Math.floor(budget.requestsPerMinute / n)), tokensPerDay: Math.max(1, Math.floor(budget.tokensPerDay / n)) };
}
