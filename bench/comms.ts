// Comms throughput on one core: language id, sentiment, and both together per message, beside a plain
// tokenizer pass over the same text (the ceiling); Apertium words per second, process start included.
//   npx tsx bench/comms.ts [--quick]
import { existsSync } from "node:fs";
import { loadLangidSet } from "../test/comms/langid-set.ts";
import { loadSentimentSet } from "../test/comms/sentiment-set.ts";
import { loadLanguageIdentifier } from "../src/workloads/comms/langid.ts";
import { analyzeSentiment, lexiconFor, tokenize } from "../src/workloads/comms/sentiment.ts";
import { ApertiumTranslator } from "../src/workloads/comms/apertium.ts";
import { eld } from "eld";

const quick = process.argv.includes("--quick");
const seconds = quick ? 0.5 : 3;

// Sentence-length messages: the hand-written sentences of both test sets.
const messages = [
  ...loadLangidSet().filter((s) => s.kind === "sentence").map((s) => ({ text: s.text, lang: s.lang })),
  ...loadSentimentSet().map((s) => ({ text: s.text, lang: s.lang })),
];
const words = messages.reduce((n, m) => n + m.text.split(/\s+/u).length, 0) / messages.length;

function rate(label: string, fn: (m: { text: string; lang: string }) => unknown): number {
  for (const m of messages) fn(m); // warm up: JIT, lexicons, stem memo
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) for (const m of messages) { fn(m); n++; }
  const perSec = n / ((performance.now() - t0) / 1000);
  console.log(`${label.padEnd(34)} ${Math.round(perSec).toLocaleString("en").padStart(10)} msg/s`);
  return perSec;
}

const detect = await loadLanguageIdentifier();
for (const lang of new Set(messages.map((m) => m.lang))) lexiconFor(lang);
console.log(`${messages.length} messages, ${words.toFixed(1)} words on average; ${seconds} s per figure, one core\n`);
const ceiling = rate("tokenizer pass (ceiling)", (m) => tokenize(m.text, m.lang));
const bare = (eld as unknown as { newInstance(): { load(s: string): Promise<unknown>; detect(t: string): unknown } }).newInstance();
await bare.load("small");
const eldAlone = rate("ELD small alone (reference)", (m) => bare.detect(m.text));
const langid = rate("language id", (m) => detect(m.text));
const sentiment = rate("sentiment (language known)", (m) => analyzeSentiment(m.text, m.lang));
const both = rate("language id + sentiment", (m) => analyzeSentiment(m.text, detect(m.text).language));
console.log(`\nratios to the tokenizer pass: language id ${(langid / ceiling).toFixed(3)}, sentiment ${(sentiment / ceiling).toFixed(3)}, both ${(both / ceiling).toFixed(3)}`);
console.log(`language id against ELD alone: ${(langid / eldAlone).toFixed(2)} (the cost of the member-language rules and the CLD3 second opinion)`);
console.log(`target 10,000 msg/s for language id + sentiment: ${both >= 10_000 ? "met" : "not met"} (${Math.round(both).toLocaleString("en")})`);

if (!existsSync("/usr/share/apertium/modes/eng-spa.mode")) {
  console.log("\nApertium: not installed (apt-get install apertium apertium-eng-spa)");
} else {
  const apertium = new ApertiumTranslator();
  const english = loadLangidSet().filter((s) => s.lang === "eng" && s.kind === "sentence").map((s) => s.text);
  const batch = Array.from({ length: quick ? 5 : 50 }, () => english).flat();
  const count = batch.reduce((n, t) => n + t.split(/\s+/u).length, 0);
  const t0 = performance.now();
  await apertium.translateBatch(batch, { engine: "apertium", path: ["eng", "spa"] });
  const s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await apertium.translateBatch(batch.slice(0, 1), { engine: "apertium", path: ["eng", "spa"] });
  const start = (performance.now() - t1) / 1000;
  console.log(`\nApertium eng→spa: ${count.toLocaleString("en")} words in ${s.toFixed(2)} s = ${Math.round(count / s).toLocaleString("en")} words/s including one process start (${start.toFixed(2)} s for a single sentence)`);
}
