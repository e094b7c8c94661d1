export type { Budget, QuotaDecision, QuotaStore, QuotaUsage } from "./types.ts";
export { replicaShare } from "./types.ts";
export { MemoryQuotaStore } from "./memory.ts";
export { RedisQuotaStore, type RedisQuotaOptions } from "./redis.ts";
