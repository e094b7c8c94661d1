import { test } from "node:test";
import assert from "node:assert/strict";
import { rateBars } from "./operations.ts";

const minute = (i: number, requests: number, refused: number) => ({ at: new Date(Date.UTC(2026, 10, 25, 12, i)).toISOString(), requests, refused });

test("the busiest minute's bar is full height, others in proportion, each refused part over its bar's foot", () => {
  const { peak, svg } = rateBars([minute(0, 0, 0), minute(1, 8, 2), minute(2, 4, 4)]);
  assert.equal(peak, 8);
  const rects = [...svg.text.matchAll(/<rect class="(\w+)" x="(\d+)" y="([\d.]+)" width="\d+" height="([\d.]+)">/g)].map((m) => [m[1], Number(m[2]), Number(m[3]), Number(m[4])]);
  assert.deepEqual(rects, [
    ["req", 11, 0, 100],
    ["ref", 11, 75, 25],
    ["req", 21, 50, 50],
    ["ref", 21, 50, 50],
  ], "an empty minute draws no rect; heights scale to the peak and every bar stands on the axis");
  assert.ok(!/style=/.test(svg.text), "no inline style: the CSP forbids it");
});

test("an hour with no request draws only the axis", () => {
  const { peak, svg } = rateBars(Array.from({ length: 60 }, (_, i) => minute(i, 0, 0)));
  assert.equal(peak, 0);
  assert.ok(!svg.text.includes("<rect"));
  assert.match(svg.text, /<line class="axis" x1="0" y1="100.5" x2="600"/);
});
