// Prohibited uses in the member languages added after the first eight (test/policy/corpus/languages.jsonl): 1,126
// requests in 20 languages (Portuguese, Romanian, Albanian, Norwegian, Danish, Swedish, Icelandic, Czech, Slovak,
// Slovenian, Croatian, Serbian in both scripts, Macedonian, Bulgarian, Finnish, Estonian, Hungarian, Greek, Latvian,
// Lithuanian), half prohibited and half legitimate work close to them. Written by the seven writers of those
// languages' lexicons (session 9) while they wrote them, with a checker that ran the rules of their own language
// alone; so these are development figures, floors against losing ground, not unseen ones. With every language's
// rules and the language gate (gate.ts) together: 534/562 refused, 561/564 allowed. The misses are terse requests
// without a marker word (markers that are also words of the first eight languages' corpora were taken out: Danish and
// Swedish "på" and "det", Czech "kde"...); the three legitimate ones refused are Czech and Slovak requests the Polish
// rules misread (the Polish lexicon predates the gate, so its rules run on any text).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { detectProhibitedUse } from "../../src/policy/index.ts";

interface Item { id: string; lang: string; expect: "refuse" | "allow"; text: string }
const items = readFileSync(new URL("./corpus/languages.jsonl", import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item);

test("the languages corpus holds prohibited and legitimate requests in each of the 20 added languages", () => {
  const langs = new Set(items.map((i) => i.lang));
  assert.equal(langs.size, 20);
  for (const lang of langs) {
    assert.ok(items.filter((i) => i.lang === lang && i.expect === "refuse").length >= 15, lang);
    assert.ok(items.filter((i) => i.lang === lang && i.expect === "allow").length >= 15, lang);
  }
});

test("prohibited requests in the added languages are refused and their legitimate twins are not, at the floors reached", (t) => {
  const perLang = new Map<string, { refused: number; prohibited: number; allowed: number; legitimate: number }>();
  const wronglyRefused: string[] = [];
  for (const item of items) {
    const s = perLang.get(item.lang) ?? { refused: 0, prohibited: 0, allowed: 0, legitimate: 0 };
    perLang.set(item.lang, s);
    const use = detectProhibitedUse(item.text);
    if (item.expect === "refuse") {
      s.prohibited++;
      if (use !== null) s.refused++;
    } else {
      s.legitimate++;
      if (use === null) s.allowed++;
      else wronglyRefused.push(`${item.id} (${use.rule})`);
    }
  }
  const total = [...perLang.values()].reduce((a, s) => ({ refused: a.refused + s.refused, prohibited: a.prohibited + s.prohibited, allowed: a.allowed + s.allowed, legitimate: a.legitimate + s.legitimate }));
  t.diagnostic([...perLang].map(([l, s]) => `${l} ${s.refused}/${s.prohibited} ${s.allowed}/${s.legitimate}`).join(", "));
  t.diagnostic(`refused ${total.refused}/${total.prohibited}; allowed ${total.allowed}/${total.legitimate}; wrongly refused: ${wronglyRefused.join(" ") || "none"}`);
  assert.ok(total.refused >= 534, `${total.refused}/${total.prohibited} refused, floor 534`);
  assert.ok(total.legitimate - total.allowed <= 3, `${total.legitimate - total.allowed} legitimate refused, at most 3`);
  // No language is left behind: each refuses at least two thirds of its prohibited requests.
  for (const [lang, s] of perLang) assert.ok(s.refused * 3 >= s.prohibited * 2, `${lang}: ${s.refused}/${s.prohibited}`);
});
