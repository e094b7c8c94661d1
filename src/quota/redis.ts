import { Redis } from "ioredis";
import { MemoryQuotaStore } from "./memory.ts";
import { dayWindow, minuteWindow, secondsToNextDay, secondsToNextMinute, type Budget, type QuotaDecision, type QuotaStore } from "./types.ts";

// One round trip: refuse on the day's tokens, else count the request in the minute window and refuse above it.
const TAKE = `
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
if tokens >= tonumber(ARGV[2]) then return -2 end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 120) end
if n > tonumber(ARGV[1]) then return -1 end
return n`;

export interface RedisQuotaOptions {
  readonly url: string;
  readonly prefix?: string;
  /** Called when Redis fails and counting falls back to this process, and when it recovers. */
  readonly onFallback?: (active: boolean, reason: string) => void;
}

/**
 * Budgets shared by every gateway replica through Redis. When Redis is unreachable the gateway keeps serving on
 * in-process counters (each replica then enforces the whole budget alone) and says so through `onFallback`.
 */
export class RedisQuotaStore implements QuotaStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly local = new MemoryQuotaStore();
  private fallback = false;
  // Until the first connection is up (or 2 s passed), commands wait instead of falling back, so a fresh
  // replica does not grant requests outside the shared count.
  private readonly connected: Promise<void>;

  constructor(private readonly opts: RedisQuotaOptions) {
    this.prefix = opts.prefix ?? "concord:quota:";
    this.redis = new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 500 });
    this.redis.on("error", () => {}); // surfaced per command through the fallback path
    this.redis.defineCommand("concordTake", { numberOfKeys: 2, lua: TAKE });
    this.connected = new Promise((resolve) => {
      const timer = setTimeout(resolve, 2000);
      timer.unref();
      this.redis.once("ready", () => { clearTimeout(timer); resolve(); });
    });
  }

  private setFallback(active: boolean, reason: string): void {
    if (this.fallback === active) return;
    this.fallback = active;
    this.opts.onFallback?.(active, reason);
  }

  get inFallback(): boolean { return this.fallback; }

  async take(nation: string, budget: Budget, now: number): Promise<QuotaDecision> {
    const mk = `${this.prefix}rpm:${nation}:${minuteWindow(now)}`;
    const dk = `${this.prefix}tpd:${nation}:${dayWindow(now)}`;
    await this.connected;
    try {
      // ioredis adds defined commands at run time, hence the cast.
      const n = (await (this.redis as unknown as { concordTake: (...a: unknown[]) => Promise<number> }).concordTake(mk, dk, budget.requestsPerMinute, budget.tokensPerDay));
      this.setFallback(false, "redis reachable again");
      if (n === -2) return { ok: false, limit: "tokens_per_day", retryAfterSeconds: secondsToNextDay(now) };
      if (n === -1) return { ok: false, limit: "requests_per_minute", retryAfterSeconds: secondsToNextMinute(now) };
      return { ok: true };
    } catch (err) {
      this.setFallback(true, (err as Error).message);
      return this.local.take(nation, budget, now);
    }
  }

  async charge(nation: string, tokens: number, now: number): Promise<void> {
    if (tokens <= 0) return;
    const dk = `${this.prefix}tpd:${nation}:${dayWindow(now)}`;
    await this.connected;
    try {
      await this.redis.multi().incrby(dk, tokens).expire(dk, 2 * 86_400).exec();
    } catch (err) {
      this.setFallback(true, (err as Error).message);
      await this.local.charge(nation, tokens, now);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
