/**
 * ROUGE evaluation of Concord's extractive summarizer against a lead-3 baseline, in one run on one data set.
 *   npx tsx scripts/rouge-eval.ts [--data FILE.jsonl] [--sentences N]
 * Data: JSON lines with `text` and `summary` (BillSum's own format); default the shipped bill-style set
 * (test/documents/fixtures/bills, CC0). Scores are ROUGE-1/2/L F1 × 100 with Porter stemming, averaged over documents.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileDocument, rouge, summarizeExtractive, type RougeScores, type SummarizableDocument } from "../src/workloads/documents/index.ts";
import { sentences } from "../src/workloads/documents/text.ts";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "test/documents/fixtures/bills/bills.jsonl" },
    sentences: { type: "string", default: "3" },
  },
});
const k = Number(values.sentences);
const rows = readFileSync(values.data!, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as { id?: string; text: string; summary: string });

const systems = {
  "lead-3 (baseline)": (d: SummarizableDocument) => summarizeExtractive([d], { method: "lead", sentences: 3 }),
  [`LexRank+MMR, position prior (Concord default, ${k} sent.)`]: (d: SummarizableDocument) => summarizeExtractive([d], { method: "lexrank", sentences: k, positionBias: true }),
  [`LexRank+MMR, no prior (${k} sent.)`]: (d: SummarizableDocument) => summarizeExtractive([d], { method: "lexrank", sentences: k, positionBias: false }),
};

const totals = new Map<string, { r1: number; r2: number; rl: number }>();
for (const [i, row] of rows.entries()) {
  const doc = await fileDocument({ filename: `${row.id ?? i}.txt`, bytes: Buffer.from(row.text) });
  const reference = sentences(row.summary, "eng");
  for (const [name, run] of Object.entries(systems)) {
    const s: RougeScores = rouge(run(doc).sentences.map((x) => x.text), reference, { stem: true });
    const t = totals.get(name) ?? { r1: 0, r2: 0, rl: 0 };
    t.r1 += s.rouge1.f; t.r2 += s.rouge2.f; t.rl += s.rougeL.f;
    totals.set(name, t);
  }
}

const n = rows.length;
const fmt = (x: number) => ((100 * x) / n).toFixed(2).padStart(6);
const base = totals.get("lead-3 (baseline)")!;
console.log(`ROUGE F1 x100 (Porter stemming), ${n} documents from ${values.data}`);
console.log(`${"system".padEnd(58)} ${"R-1".padStart(6)} ${"R-2".padStart(6)} ${"R-L".padStart(6)}   vs lead-3 (R-1/R-2/R-L)`);
for (const [name, t] of totals) {
  const d = (a: number, b: number) => `${a >= b ? "+" : ""}${((100 * (a - b)) / n).toFixed(2)}`;
  console.log(`${name.padEnd(58)} ${fmt(t.r1)} ${fmt(t.r2)} ${fmt(t.rl)}   ${d(t.r1, base.r1)}/${d(t.r2, base.r2)}/${d(t.rl, base.rl)}`);
}
console.log("Anchor (news, See et al. 2017): lead-3 40.34/17.70/36.57; not comparable across data sets.");
