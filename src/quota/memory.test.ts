import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryQuotaStore } from "./memory.ts";
import { replicaShare } from "./types.ts";

const budget = { requestsPerMinute: 2, tokensPerDay: 100 };

test("requests beyond the minute budget are refused until the next minute, with the seconds to wait", async () => {
  const q = new MemoryQuotaStore();
  const t = 60_000 * 10 + 15_000;
  assert.equal((await q.take("DEU", budget, t)).ok, true);
  assert.equal((await q.take("DEU", budget, t)).ok, true);
  const d = await q.take("DEU", budget, t);
  assert.deepEqual(d, { ok: false, limit: "requests_per_minute", retryAfterSeconds: 45 });
  assert.equal((await q.take("DEU", budget, t + 45_000)).ok, true);
});

test("each nation has its own budget", async () => {
  const q = new MemoryQuotaStore();
  await q.take("DEU", budget, 0);
  await q.take("DEU", budget, 0);
  assert.equal((await q.take("FRA", budget, 0)).ok, true);
});

test("a nation whose day's tokens are spent is refused until the next UTC day", async () => {
  const q = new MemoryQuotaStore();
  await q.charge("DEU", 100, 1000);
  const d = await q.take("DEU", budget, 1000);
  assert.equal(d.ok, false);
  assert.equal(!d.ok && d.limit, "tokens_per_day");
  assert.equal((await q.take("DEU", budget, 86_400_000 + 1)).ok, true);
});

test("a replica counting alone enforces its share of each budget, never less than one", () => {
  assert.deepEqual(replicaShare({ requestsPerMinute: 600, tokensPerDay: 1000 }, 3), { requestsPerMinute: 200, tokensPerDay: 333 });
  assert.deepEqual(replicaShare({ requestsPerMinute: 2, tokensPerDay: 2 }, 4), { requestsPerMinute: 1, tokensPerDay: 1 });
  assert.deepEqual(replicaShare(budget, 1), budget);
});

test("usage reads the current minute's requests and the day's tokens without counting anything", async () => {
  const q = new MemoryQuotaStore();
  const t = 86_400_000 * 3 + 60_000 * 5;
  await q.take("DEU", budget, t);
  await q.charge("DEU", 40, t);
  assert.deepEqual(await q.usage("DEU", t + 1_000), { requestsThisMinute: 1, tokensToday: 40 });
  assert.deepEqual(await q.usage("DEU", t + 1_000), { requestsThisMinute: 1, tokensToday: 40 }, "reading did not count");
  assert.deepEqual(await q.usage("DEU", t + 60_000), { requestsThisMinute: 0, tokensToday: 40 }, "a new minute, the same day");
  assert.deepEqual(await q.usage("DEU", t + 86_400_000), { requestsThisMinute: 0, tokensToday: 0 }, "a new day");
  assert.deepEqual(await q.usage("FRA", t), { requestsThisMinute: 0, tokensToday: 0 });
});
