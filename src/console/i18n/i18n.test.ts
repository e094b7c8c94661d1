import { test } from "node:test";
import assert from "node:assert/strict";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import { negotiate, translator } from "./index.ts";

test("the French catalog has exactly the English keys, and the same {placeholders} in each message", () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(en) as Array<keyof typeof en>) assert.deepEqual(vars(fr[k]), vars(en[k]), k);
});

test("Accept-Language picks the best supported locale by q-value, English otherwise", () => {
  assert.equal(negotiate("fr-CA,fr;q=0.9,en;q=0.8"), "fr");
  assert.equal(negotiate("de-DE,en;q=0.5,fr;q=0.7"), "fr");
  assert.equal(negotiate("de-DE"), "en");
  assert.equal(negotiate(undefined), "en");
  assert.equal(negotiate("fr;q=0,en"), "en");
});

test("messages fill their placeholders; numbers and dates follow the locale", () => {
  assert.equal(translator("en").t("documents.results", { count: 3 }), "3 documents found");
  assert.equal(translator("fr").number(1234.5), "1\u202f234,5");
  assert.equal(translator("en").number(1234.5), "1,234.5");
  assert.match(translator("fr").date("2026-03-01T10:00:00Z"), /mars 2026/);
});
