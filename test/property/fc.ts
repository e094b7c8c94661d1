import fc from "fast-check";
import type { TestContext } from "node:test";
import { ConcordError } from "../../src/errors/index.ts";

/**
 * Shared settings of the property tier: one seed for every property (PROPERTY_SEED, else a fixed number, so a
 * run is reproducible and a CI failure can be replayed), printed in each test's output, and a time box per
 * property so the tier stays inside its budget on a busy 2-core machine.
 */
export const SEED = (() => {
  const raw = process.env["PROPERTY_SEED"];
  if (raw === undefined || raw === "") return 20261125;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`PROPERTY_SEED must be an integer, got ${raw}`);
  return n;
})();

/** fast-check parameters: the seed, a run count, and a wall-clock box after which the property stops early. */
export function params<T>(t: TestContext, numRuns: number, timeLimitMs: number): fc.Parameters<T> {
  t.diagnostic(`fast-check seed ${SEED} (replay with PROPERTY_SEED=${SEED}), numRuns ${numRuns}, time box ${timeLimitMs} ms`);
  return { seed: SEED, numRuns, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false };
}

/**
 * Runs `fn` and returns what it threw; asserts that it is one of the expected ConcordError codes (or nothing).
 * Anything else (a TypeError, a RangeError, an internal_error) is the bug the property exists to find.
 */
export async function onlyCodes(fn: () => unknown, codes: readonly string[]): Promise<ConcordError | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    if (err instanceof ConcordError && codes.includes(err.code)) return err;
    const what = err instanceof ConcordError ? `ConcordError ${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
    throw new Error(`expected success or one of [${codes.join(", ")}], got ${what}`);
  }
}

/** Byte-level mutations of a valid input: flips, deletions, insertions, truncation, duplication of a slice. */
export function mutatedBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = base.length;
  const edit = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(n - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant("set" as const), at: fc.nat(n - 1), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(n - 1), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(n), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(n) }),
    fc.record({ kind: fc.constant("repeat" as const), at: fc.nat(n - 1), len: fc.integer({ min: 1, max: 256 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let b = Buffer.from(base);
    for (const e of edits) {
      const at = Math.min(e.at, Math.max(0, b.length - 1));
      if (e.kind === "flip") { if (b.length) b[at] = b[at]! ^ (1 << e.bit); }
      else if (e.kind === "set") { if (b.length) b[at] = e.byte; }
      else if (e.kind === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
      else if (e.kind === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
      else if (e.kind === "truncate") b = b.subarray(0, Math.min(e.at, b.length));
      else b = Buffer.concat([b.subarray(0, at + e.len), b.subarray(at, at + e.len), b.subarray(at + e.len)]);
    }
    return new Uint8Array(b);
  });
}

/** Text mutations of a valid input (the same edits over its UTF-8 bytes, decoded leniently). */
export function mutatedText(base: string): fc.Arbitrary<string> {
  return mutatedBytes(new TextEncoder().encode(base)).map((b) => new TextDecoder().decode(b));
}
