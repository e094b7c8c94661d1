import { test } from "node:test";
import assert from "node:assert/strict";
import type { SigmaEvent } from "../event.ts";
import { compilePieces, literal, withStars } from "./pattern.ts";
import { valueSet, type ValueTest } from "./value-set.ts";

/** A small alphabet, so that random values and strings meet often; with a dotted capital I, a Kelvin sign and é. */
const ALPHABET = ["a", "b", "c", "A", "B", "\\", ".", "e", "x", "\u00e9", "\u0130", "\u212a", "k", "i"];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SHAPES = [[false, false], [true, false], [false, true], [true, true]] as const;

function randomTests(rand: () => number): ValueTest[] {
  const word = (max: number): string => Array.from({ length: 1 + Math.floor(rand() * max) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]!).join("");
  return Array.from({ length: 1 + Math.floor(rand() * 30) }, () => {
    const [start, end] = SHAPES[Math.floor(rand() * SHAPES.length)]!;
    return compilePieces(withStars(literal(word(4)), start, end), rand() < 0.2);
  });
}

const NO_EVENT = {} as SigmaEvent;

test("a value set answers as testing each value in turn, whatever the shapes, case modes and letters", () => {
  const rand = seeded(7);
  let matched = 0;
  for (let round = 0; round < 400; round++) {
    const tests = randomTests(rand);
    const set = valueSet(tests);
    for (let k = 0; k < 40; k++) {
      const orig = Array.from({ length: 1 + Math.floor(rand() * 2) }, () =>
        Array.from({ length: Math.floor(rand() * 9) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]!).join(""));
      const lower = orig.map((s) => s.toLowerCase());
      const expected = tests.some((t) => orig.some((s, i) => t.test(s, lower[i]!, NO_EVENT)));
      if (expected) matched++;
      assert.equal(set(orig, lower, NO_EVENT), expected, `values ${tests.map((t) => JSON.stringify(t.form)).join(" ")} on ${JSON.stringify(orig)}`);
    }
  }
  // Both answers must have been seen many times for the comparison to mean anything.
  assert.ok(matched > 2000 && matched < 14000, `matched ${matched} of 16000`);
});

test("a long list of endings finds the one that fits and no other", () => {
  const names = Array.from({ length: 200 }, (_, i) => `\\tool${i}.exe`);
  const set = valueSet(names.map((n) => compilePieces(withStars(literal(n), true, false), false)));
  const at = (s: string): boolean => set([s], [s.toLowerCase()], NO_EVENT);
  assert.equal(at("C:\\Sysinternals\\TOOL17.EXE"), true);
  assert.equal(at("C:\\Sysinternals\\tool17.exe.bak"), false);
  assert.equal(at("C:\\Sysinternals\\xtool17.exe"), false);
  assert.equal(at(".exe"), false);
});

test("a long list of substrings finds one anywhere in any of the field's values", () => {
  const words = ["mimikatz", "sekurlsa", "kerberos::", "lsadump", "privilege::debug", "token::elevate"];
  const set = valueSet(words.map((w) => compilePieces(withStars(literal(w), true, true), false)));
  assert.equal(set(["a", "run PRIVILEGE::Debug now"], ["a", "run privilege::debug now"], NO_EVENT), true);
  assert.equal(set(["privilege:debug"], ["privilege:debug"], NO_EVENT), false);
});

test("cased values in a long list keep their case", () => {
  const words = ["Invoke-Mimikatz", "Get-GPPPassword", "Invoke-Kerberoast", "Out-Minidump", "Get-Keystrokes"];
  const set = valueSet(words.map((w) => compilePieces(withStars(literal(w), true, true), true)));
  assert.equal(set(["x Invoke-Kerberoast y"], ["x invoke-kerberoast y"], NO_EVENT), true);
  assert.equal(set(["x invoke-kerberoast y"], ["x invoke-kerberoast y"], NO_EVENT), false);
});
