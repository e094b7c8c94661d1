import { test } from "node:test";
import assert from "node:assert/strict";
import { MINUTES, MinuteRates } from "./rates.ts";

const T = Date.UTC(2026, 10, 25, 12, 0, 0);

test("counts requests and refusals per nation in the minute they were answered, oldest minute first", () => {
  const r = new MinuteRates();
  r.add("DEU", false, T + 1_000);
  r.add("DEU", true, T + 59_999);
  r.add("DEU", false, T + 60_000);
  r.add("FRA", true, T + 60_000);
  const deu = r.lastHour("DEU", T + 60_500);
  assert.equal(deu.length, MINUTES);
  assert.deepEqual(deu.slice(-2), [{ at: T, requests: 2, refused: 1 }, { at: T + 60_000, requests: 1, refused: 0 }]);
  assert.ok(deu.slice(0, -2).every((m) => m.requests === 0 && m.refused === 0));
  assert.deepEqual(r.lastHour("FRA", T + 60_500).at(-1), { at: T + 60_000, requests: 1, refused: 1 });
  assert.ok(r.lastHour("POL", T).every((m) => m.requests === 0), "a nation never counted has an empty hour");
});

test("a slot reused an hour later starts from zero, and minutes older than an hour drop out", () => {
  const r = new MinuteRates();
  for (let i = 0; i < 5; i++) r.add("DEU", i % 2 === 0, T);
  const hourLater = T + MINUTES * 60_000;
  assert.equal(r.lastHour("DEU", hourLater).reduce((s, m) => s + m.requests, 0), 0, "the minute an hour ago is out of the window");
  r.add("DEU", false, hourLater);
  assert.deepEqual(r.lastHour("DEU", hourLater).at(-1), { at: hourLater, requests: 1, refused: 0 });
  assert.deepEqual(r.lastHour("DEU", T).at(-1), { at: T, requests: 0, refused: 0 }, "the reused slot no longer counts the old minute");
});
