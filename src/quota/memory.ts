import { dayWindow, minuteWindow, secondsToNextDay, secondsToNextMinute, type Budget, type QuotaDecision, type QuotaStore, type QuotaUsage } from "./types.ts";

interface Counters { minute: number; requests: number; day: number; tokens: number }

/** The embedded default: counters in this process, enough for one gateway. */
export class MemoryQuotaStore implements QuotaStore {
  private readonly counters = new Map<string, Counters>();

  private at(nation: string, now: number): Counters {
    let c = this.counters.get(nation);
    if (!c) {
      c = { minute: minuteWindow(now), requests: 0, day: dayWindow(now), tokens: 0 };
      this.counters.set(nation, c);
    }
    if (c.minute !== minuteWindow(now)) { c.minute = minuteWindow(now); c.requests = 0; }
    if (c.day !== dayWindow(now)) { c.day = dayWindow(now); c.tokens = 0; }
    return c;
  }

  async take(nation: string, budget: Budget, now: number): Promise<QuotaDecision> {
    return this.takeSync(nation, budget, now);
  }

  takeSync(nation: string, budget: Budget, now: number): QuotaDecision {
    const c = this.at(nation, now);
    if (c.tokens >= budget.tokensPerDay) return { ok: false, limit: "tokens_per_day", retryAfterSeconds: secondsToNextDay(now) };
    if (c.requests >= budget.requestsPerMinute) return { ok: false, limit: "requests_per_minute", retryAfterSeconds: secondsToNextMinute(now) };
    c.requests++;
    return { ok: true };
  }

  async charge(nation: string, tokens: number, now: number): Promise<void> {
    this.at(nation, now).tokens += tokens;
  }

  async usage(nation: string, now: number): Promise<QuotaUsage> {
    return this.usageSync(nation, now);
  }

  usageSync(nation: string, now: number): QuotaUsage {
    const c = this.counters.get(nation);
    return {
      requestsThisMinute: c && c.minute === minuteWindow(now) ? c.requests : 0,
      tokensToday: c && c.day === dayWindow(now) ? c.tokens : 0,
    };
  }

  async close(): Promise<void> {}
}
