import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Pool } from "./pool.ts";

test("a pool hands out free items, then serves waiters first come first served", async () => {
  const pool = new Pool(["s0"]);
  const first = await pool.acquire();
  const order: string[] = [];
  const a = pool.acquire().then((s) => order.push(`a:${s}`));
  const b = pool.acquire().then((s) => order.push(`b:${s}`));
  assert.equal(pool.waiting, 2);
  pool.release(first);
  await a;
  pool.release("s0");
  await b;
  assert.deepEqual(order, ["a:s0", "b:s0"]);
});

test("a waiter whose signal aborts leaves the queue with the signal's reason and takes nothing", async () => {
  const pool = new Pool(["s0"]);
  const held = await pool.acquire();
  const controller = new AbortController();
  const gone = pool.acquire(controller.signal);
  const next = pool.acquire();
  controller.abort(new Error("client left"));
  await assert.rejects(gone, { message: "client left" });
  assert.equal(pool.waiting, 1);
  pool.release(held);
  assert.equal(await next, "s0");
});

test("an already-aborted signal is refused without taking a free item", async () => {
  const pool = new Pool(["s0"]);
  await assert.rejects(pool.acquire(AbortSignal.abort(new Error("late"))), { message: "late" });
  assert.equal(await pool.acquire(), "s0");
});

test("use() returns the item to the pool when the work throws", async () => {
  const pool = new Pool(["s0"]);
  await assert.rejects(pool.use(undefined, async () => { throw new Error("boom"); }), { message: "boom" });
  assert.equal(await pool.acquire(), "s0");
});
