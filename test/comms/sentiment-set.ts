// Loads the hand-written labelled sentiment set: test/comms/sentiment/<iso3>.tsv, "label<TAB>text" per line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SentimentLabel } from "../../src/workloads/comms/index.ts";

export interface SentimentSample { lang: string; label: SentimentLabel; text: string }

export function loadSentimentSet(dir = join(import.meta.dirname, "sentiment")): SentimentSample[] {
  const out: SentimentSample[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tsv")).sort()) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const [label, text] = line.split("\t");
      if (text && (label === "positive" || label === "neutral" || label === "negative")) out.push({ lang: file.slice(0, -4), label, text });
    }
  }
  return out;
}
