// Compares language identifiers on the hand-written set in test/comms/langid (28 member languages,
// 20 sentences and 10 short snippets each). Prints a Markdown table for docs/comms.md.
//   npx tsx bench/comms-langid.ts
import { eld } from "eld";
import { loadModule } from "cld3-asm";
import { loadLangidSet, type LangidSample } from "../test/comms/langid-set.ts";
import { findLanguage, MEMBER_LANGUAGES } from "../src/workloads/comms/languages.ts";
import { loadLanguageIdentifier } from "../src/workloads/comms/langid.ts";

const set = loadLangidSet();
const toIso3 = (c: string) => (c === "no" ? "nob" : c === "bs" || c === "sr" ? "hrv" : findLanguage(c)?.iso3 ?? "und");

function measure(name: string, detect: (t: string) => string, samples: LangidSample[] = set): string {
  const tally = { sentence: { ok: 0, und: 0, n: 0 }, snippet: { ok: 0, und: 0, n: 0 } };
  const confusions = new Map<string, number>();
  for (const s of samples) {
    const got = detect(s.text);
    const t = tally[s.kind];
    t.n++;
    if (got === s.lang) t.ok++;
    else if (got === "und") t.und++;
    else if (s.kind === "sentence") confusions.set(`${s.lang}→${got}`, (confusions.get(`${s.lang}→${got}`) ?? 0) + 1);
  }
  const texts = samples.filter((s) => s.kind === "sentence").map((s) => s.text);
  const rounds = 5;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) detect(t);
  const perSec = (rounds * texts.length) / ((performance.now() - t0) / 1000);
  const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`;
  const worst = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ×${v}`).join(", ");
  return `| ${name} | ${pct(tally.sentence.ok, tally.sentence.n)} | ${pct(tally.snippet.ok, tally.snippet.n)} | ${pct(tally.snippet.und, tally.snippet.n)} | ${Math.round(perSec).toLocaleString("en")} | ${worst || "none"} |`;
}

const lines = [
  `${set.length} samples, ${new Set(set.map((s) => s.lang)).size} languages; sentence msg/s on one core, ${new Date().toISOString().slice(0, 10)}`,
  "",
  "| detector | sentences | snippets correct | snippets `und` | sentences/s | commonest sentence errors |",
  "| --- | --- | --- | --- | --- | --- |",
];
const members = MEMBER_LANGUAGES.map((l) => (l.iso1 === "nb" ? "no" : l.iso1));
for (const size of ["small", "medium", "large"] as const) {
  const d = (eld as unknown as { newInstance(): { load(s: string): Promise<unknown>; setLanguageSubset(l: string[]): unknown; detect(t: string): { language: string } } }).newInstance();
  await d.load(size);
  d.setLanguageSubset(members);
  lines.push(measure(`eld ${size}, member subset`, (t) => toIso3(d.detect(t).language)));
}
const cld = (await loadModule({ timeout: 60_000 })).create(0, 1000);
lines.push(measure("cld3-asm alone", (t) => toIso3(cld.findLanguage(t).language)));
for (const size of ["small", "medium"] as const) {
  const detect = await loadLanguageIdentifier({ size });
  lines.push(measure(`**combined** (eld ${size} + cld3 second opinion)`, (t) => detect(t).language));
}
console.log(lines.join("\n"));
