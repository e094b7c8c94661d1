import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonDepthExceeds } from "./json-depth.ts";

const depthOf = (v: unknown): number => (v !== null && typeof v === "object" ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
const bytes = (s: string) => new TextEncoder().encode(s);

test("the depth of any JSON text is measured exactly, brackets inside strings and escaped quotes not counted", () => {
  const value = fc.jsonValue({ maxDepth: 8 }).chain((v) => fc.tuple(fc.constant(v), fc.constantFrom('"[{\\"', "\\\\", "]}", "")).map(([x, s]) => [x, s] as const));
  fc.assert(
    fc.property(value, ([v, noise]) => {
      const text = JSON.stringify({ noise, v });
      const d = depthOf({ noise, v });
      assert.equal(jsonDepthExceeds(bytes(text), d), false);
      assert.equal(jsonDepthExceeds(bytes(text), d - 1), true);
    }),
    { seed: Number(process.env["PROPERTY_SEED"] ?? 20261125), numRuns: 300 },
  );
});

test("a million levels is caught without recursion", () => {
  assert.equal(jsonDepthExceeds(bytes("[".repeat(1_000_000) + "]".repeat(1_000_000)), 128), true);
});
