// Sentiment accuracy on test/comms/sentiment (8 languages × 6 per class), ours beside the bare word list.
// Prints a Markdown table for docs/comms.md; `--errors` lists the misses.   npx tsx bench/comms-sentiment.ts
import { loadSentimentSet } from "../test/comms/sentiment-set.ts";
import { analyzeSentiment, baselineSentiment } from "../src/workloads/comms/sentiment.ts";

const set = loadSentimentSet();
const langs = [...new Set(set.map((s) => s.lang))];
const rows = ["| language | n | word-list baseline | Concord |", "| --- | --- | --- | --- |"];
let oursAll = 0, baseAll = 0;
for (const lang of [...langs, "all"]) {
  const sub = lang === "all" ? set : set.filter((s) => s.lang === lang);
  let ours = 0, base = 0;
  for (const s of sub) {
    const r = analyzeSentiment(s.text, s.lang);
    if (r.label === s.label) ours++;
    else if (process.argv.includes("--errors") && lang !== "all") console.error(`${s.lang} want ${s.label} got ${r.label} ${JSON.stringify(r.evidence)} | ${s.text}`);
    if (baselineSentiment(s.text, s.lang) === s.label) base++;
  }
  if (lang === "all") { oursAll = ours; baseAll = base; }
  const pct = (k: number) => `${((100 * k) / sub.length).toFixed(1)}%`;
  rows.push(`| ${lang === "all" ? "**all**" : lang} | ${sub.length} | ${pct(base)} | ${pct(ours)} |`);
}
console.log(rows.join("\n"));
console.log(`\nthree-class accuracy: Concord ${((100 * oursAll) / set.length).toFixed(1)}%, baseline ${((100 * baseAll) / set.length).toFixed(1)}%`);
