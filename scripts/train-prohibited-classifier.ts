/**
 * Trains the prohibited-use classifier and writes src/policy/prohibited/classifier-model.txt:
 *   npx tsx scripts/train-prohibited-classifier.ts        (npm run train:prohibited)
 * Examples: the policy corpus (prohibited, legitimate nearby, unmarked), the held-out batches except those kept
 * unseen (UNSEEN below: the figures they give are the honest ones), the training sets written for it
 * (test/policy/training: batches t1, surveillance; t2, weapons and targeting; t3, technical and code requests; t4,
 * indirect and pasted-context requests; t5, autonomy, drones and defence technology, mostly legitimate; t6, terse
 * and mixed-language requests; t7, cyber defence, rescue and privacy work in attack and surveillance words, technical
 * aiming and re-identification requests, asks hidden in task lists; t8, detection and coordinate words in agriculture,
 * insurance, inspection, wildlife, rescue, public health, retail, science, cyber defence and journalism, with close
 * prohibited neighbours: 1,220 prohibited and 1,560 legitimate in the eight languages,
 * by writers who saw neither the rules nor any batch), and the language-identification sentences as ordinary prose. Deterministic: the same files give the same model; test/policy/classifier.test.ts checks that the
 * committed model is what these files train.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { serializeModel } from "../src/policy/prohibited/classifier.ts";
import { trainClassifier, type TrainingSet } from "../src/policy/prohibited/train.ts";
import type { ProhibitedReason } from "../src/policy/prohibited/detect.ts";

/**
 * Held-out batches never trained on: h, i, m, o, ac, ag (session 8's unseen ones) and aj (session 9's) also never read; r and s (session 6), u to z
 * (session 7), aa, ab, ad, ae and af (session 8), ah and ai (session 9) were read for rule development after their measurement
 * on arrival, and kept out of training so the model stays the one measured on them.
 */
export const UNSEEN = new Set(["h", "i", "m", "o", "r", "s", "u", "v", "w", "x", "y", "z", "aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj"]);
const root = new URL("../", import.meta.url);
export const MODEL_FILE = new URL("src/policy/prohibited/classifier-model.txt", root);

interface Row { text: string; reason?: ProhibitedReason; batch?: string }
const rows = (path: string): Row[] =>
  readFileSync(new URL(path, root), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Row);

export function trainingSet(): TrainingSet {
  const seen = (r: Row) => r.batch === undefined || !UNSEEN.has(r.batch);
  const prohibited = [
    ...rows("test/policy/corpus/prohibited.jsonl"),
    ...rows("test/policy/heldout/prohibited.jsonl").filter(seen),
    ...rows("test/policy/training/prohibited.jsonl"),
  ].map((r) => ({ text: r.text, reason: r.reason! }));
  const nearby = [
    ...rows("test/policy/corpus/legitimate.jsonl"),
    ...rows("test/policy/heldout/legitimate.jsonl").filter(seen),
    ...rows("test/policy/training/legitimate.jsonl"),
  ].map((r) => r.text);
  const langid = new URL("test/comms/langid/", root);
  const prose = readdirSync(langid).sort().flatMap((f) => readFileSync(new URL(f, langid), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
  const other = [...rows("test/policy/corpus/unmarked.jsonl").map((r) => r.text), ...prose];
  return { prohibited, nearby, other };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { model, report } = trainClassifier(trainingSet());
  writeFileSync(MODEL_FILE, serializeModel(model));
  console.log(`threshold ${report.threshold}; cross-validated: ${report.caught}/${report.prohibited} prohibited caught, ${report.nearbyRefused}/${report.nearby} legitimate nearby refused`);
  console.log(`wrote ${MODEL_FILE.pathname}`);
}
