import { Redis } from "ioredis";
import { MemoryQuotaStore } from "./memory.ts";
import { dayWindow, minuteWindow, replicaShare, secondsToNextDay, secondsToNextMinute, type Budget, type QuotaDecision, type QuotaStore, type QuotaUsage } from "./types.ts";

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
  /** Gateway replicas sharing the budgets: while Redis is away each one enforces 1/replicas of every budget. */
  readonly replicas?: number;
  /** Longest one Redis command may take before this process counts alone (ms, default 500). */
  readonly commandTimeoutMs?: number;
  /** How often Redis is asked again while counting alone (ms, default 1000). */
  readonly probeEveryMs?: number;
  /** Called when Redis fails and counting falls back to this process, and when it recovers. */
  readonly onFallback?: (active: boolean, reason: string) => void;
}

type Take = (mk: string, dk: string, rpm: number, tpd: number) => Promise<number>;

/**
 * Budgets shared by every gateway replica through Redis. When Redis is unreachable the gateway keeps serving on
 * in-process counters, each replica enforcing its share (1/replicas) of every budget so the alliance-wide total
 * stays about the budget, and says so through `onFallback`. While it counts alone, requests do not wait on Redis:
 * a probe asks it once per `probeEveryMs`, and the first answer switches back to the shared counters, carrying
 * over the tokens charged meanwhile.
 */
export class RedisQuotaStore implements QuotaStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly replicas: number;
  private local = new MemoryQuotaStore();
  private fallback = false;
  private probe: NodeJS.Timeout | null = null;
  /** Tokens charged in process while counting alone, by Redis day key: added to Redis on recovery. */
  private readonly unsynced = new Map<string, number>();
  // Until the first connection is up (or 2 s passed), commands wait instead of falling back, so a fresh
  // replica does not grant requests outside the shared count.
  private readonly connected: Promise<void>;

  constructor(private readonly opts: RedisQuotaOptions) {
    this.prefix = opts.prefix ?? "concord:quota:";
    this.replicas = Math.max(1, Math.floor(opts.replicas ?? 1));
    this.redis = new Redis(opts.url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // A command that timed out was already answered from the in-process counters; replaying it on the next
      // connection would count that request twice.
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2000,
      commandTimeout: opts.commandTimeoutMs ?? 500,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.redis.on("error", () => {}); // surfaced per command through the fallback path
    this.redis.defineCommand("concordTake", { numberOfKeys: 2, lua: TAKE });
    this.connected = new Promise((resolve) => {
      const timer = setTimeout(resolve, 2000);
      timer.unref();
      this.redis.once("ready", () => { clearTimeout(timer); resolve(); });
    });
  }

  get inFallback(): boolean { return this.fallback; }

  private enterFallback(reason: string): void {
    if (this.fallback) return;
    this.fallback = true;
    this.local = new MemoryQuotaStore(); // counts from an earlier outage are in Redis by now
    this.opts.onFallback?.(true, reason);
    this.probe = setInterval(() => void this.tryRecover(), this.opts.probeEveryMs ?? 1000);
    this.probe.unref();
  }

  private async tryRecover(): Promise<void> {
    try {
      // Tokens charged alone go to the shared day first, so recovering does not forget them.
      const tx = this.redis.multi();
      for (const [dk, tokens] of this.unsynced) tx.incrby(dk, tokens).expire(dk, 2 * 86_400);
      tx.ping();
      const res = await tx.exec();
      if (!res || res.some(([err]) => err)) throw new Error("redis refused the recovery transaction");
    } catch {
      return; // still away; the next probe asks again
    }
    if (!this.fallback) return;
    this.unsynced.clear();
    this.fallback = false;
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    this.opts.onFallback?.(false, "redis reachable again");
  }

  async take(nation: string, budget: Budget, now: number): Promise<QuotaDecision> {
    if (this.fallback) return this.local.takeSync(nation, replicaShare(budget, this.replicas), now);
    const mk = `${this.prefix}rpm:${nation}:${minuteWindow(now)}`;
    const dk = `${this.prefix}tpd:${nation}:${dayWindow(now)}`;
    await this.connected;
    try {
      // ioredis adds defined commands at run time, hence the cast.
      const n = await (this.redis as unknown as { concordTake: Take }).concordTake(mk, dk, budget.requestsPerMinute, budget.tokensPerDay);
      if (n === -2) return { ok: false, limit: "tokens_per_day", retryAfterSeconds: secondsToNextDay(now) };
      if (n === -1) return { ok: false, limit: "requests_per_minute", retryAfterSeconds: secondsToNextMinute(now) };
      return { ok: true };
    } catch (err) {
      this.enterFallback((err as Error).message);
      return this.local.takeSync(nation, replicaShare(budget, this.replicas), now);
    }
  }

  async charge(nation: string, tokens: number, now: number): Promise<void> {
    if (tokens <= 0) return;
    const dk = `${this.prefix}tpd:${nation}:${dayWindow(now)}`;
    if (!this.fallback) {
      await this.connected;
      try {
        await this.redis.multi().incrby(dk, tokens).expire(dk, 2 * 86_400).exec();
        return;
      } catch (err) {
        this.enterFallback((err as Error).message);
      }
    }
    this.unsynced.set(dk, (this.unsynced.get(dk) ?? 0) + tokens);
    await this.local.charge(nation, tokens, now);
  }

  /** The shared counts; while counting alone, this replica's own (it cannot see the others'). */
  async usage(nation: string, now: number): Promise<QuotaUsage> {
    if (!this.fallback) {
      await this.connected;
      try {
        const [rpm, tpd] = await this.redis.mget(`${this.prefix}rpm:${nation}:${minuteWindow(now)}`, `${this.prefix}tpd:${nation}:${dayWindow(now)}`);
        return { requestsThisMinute: Number(rpm ?? 0), tokensToday: Number(tpd ?? 0) };
      } catch (err) {
        this.enterFallback((err as Error).message);
      }
    }
    return this.local.usageSync(nation, now);
  }

  async close(): Promise<void> {
    if (this.probe) clearInterval(this.probe);
    this.redis.disconnect();
  }
}
