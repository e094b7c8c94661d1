/**
 * A linear classifier over normalised text, beside the rules: the rules miss about a third of prohibited requests
 * worded in ways nobody wrote before (held-out batches measured on arrival), and word classes fixed after each
 * miss did not carry over to the next batch. The classifier reads word stems of every form instead: words, word
 * pairs and the 4-letter pieces of words, hashed into 2^15 buckets, weighed by logistic regression trained on the
 * repository's own labelled requests (scripts/train-prohibited-classifier.ts writes classifier-model.txt).
 *
 * Two models: `prohibited` (any prohibited use against legitimate nearby work and ordinary prose) decides, with a
 * threshold chosen by cross-validation so that about 1% of legitimate nearby requests would be refused; `reasons`
 * (one per reason, trained on prohibited requests only) names the reason of a refusal.
 */
import type { ProhibitedReason } from "./detect.ts";

export const BUCKET_BITS = 15;
const BUCKETS = 1 << BUCKET_BITS;
export const REASONS: readonly ProhibitedReason[] = ["mass_surveillance", "autonomous_weapons", "targeting"];

export interface LinearModel {
  readonly weights: Float32Array;
  readonly bias: number;
}

export interface ClassifierModel {
  readonly prohibited: LinearModel;
  /** One per entry of REASONS, in that order. */
  readonly reasons: readonly LinearModel[];
  /** A passage whose `prohibited` probability reaches this is refused. */
  readonly threshold: number;
}

const FNV = 16777619;
const SEED_WORD = 2166136261 | 0;
const SEED_PAIR = 0x9e3779b9 | 0;
const SEED_PIECE = 0x7f4a7c15 | 0;

/** A 32-bit hash folded to a bucket, its bits mixed first (FNV's low bits alone collide more). */
function toBucket(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & (BUCKETS - 1);
}

/** Whether a normalised code unit belongs to a word: a-z, 0-9, apostrophe, hyphen. */
const isWordUnit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || c === 45;

// Working memory of `features`: which buckets this call already took (a stamp per bucket), and the list.
const stampOf = new Int32Array(BUCKETS);
let stamp = 0;
let taken = new Int32Array(1024);

/**
 * The feature buckets of normalised text (lower case, accents folded: prepare.ts's `normalise`) in text[from, to),
 * distinct and unordered: each word, each pair of neighbouring words, each 4-character piece of a word with its
 * edges marked by a space. Anything but letters, digits, apostrophes and hyphens separates words. Hashes are
 * computed on the code units as they are read, without building strings: this runs on every passage the rules
 * let through.
 */
export function features(text: Uint16Array | string, from = 0, to = text.length): Int32Array {
  if (typeof text !== "string") return featuresOf(text, from, to);
  const units = new Uint16Array(to - from);
  for (let i = from; i < to; i++) units[i - from] = text.charCodeAt(i);
  return featuresOf(units, 0, units.length);
}

/** The bucket of hash h, recorded once per call (`stamp`), appended to `taken` from index `count`; the new count. */
function take(h: number, count: number): number {
  const b = toBucket(h);
  if (stampOf[b] === stamp) return count;
  stampOf[b] = stamp;
  if (count === taken.length) {
    const grown = new Int32Array(count * 2);
    grown.set(taken);
    taken = grown;
  }
  taken[count] = b;
  return count + 1;
}

function featuresOf(u: Uint16Array, from: number, to: number): Int32Array {
  stamp++;
  let count = 0;
  let prevWord = 0;
  let hasPrev = false;
  for (let i = from; i < to; ) {
    if (!isWordUnit(u[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let word = SEED_WORD;
    while (j < to && isWordUnit(u[j]!)) word = Math.imul(word ^ u[j++]!, FNV);
    count = take(word, count);
    if (hasPrev) count = take(Math.imul(Math.imul(prevWord ^ SEED_PAIR, FNV) ^ word, FNV), count);
    // 4-unit pieces of " word ": the unit before and after the word read as spaces.
    const len = j - i;
    for (let k = -1; k + 4 <= len + 1; k++) {
      const c0 = k < 0 ? 32 : u[i + k]!;
      const c1 = u[i + k + 1]!;
      const c2 = k + 2 >= len ? 32 : u[i + k + 2]!;
      const c3 = k + 3 >= len ? 32 : u[i + k + 3]!;
      count = take(Math.imul(Math.imul(Math.imul(Math.imul(SEED_PIECE ^ c0, FNV) ^ c1, FNV) ^ c2, FNV) ^ c3, FNV), count);
    }
    prevWord = word;
    hasPrev = true;
    i = j;
  }
  return taken.slice(0, count);
}

/** The model's probability for a passage's features (each feature weighs 1/sqrt(count): long passages do not shout). */
export function probability(model: LinearModel, ids: Int32Array): number {
  if (ids.length === 0) return 1 / (1 + Math.exp(-model.bias));
  const scale = 1 / Math.sqrt(ids.length);
  let z = model.bias;
  for (let i = 0; i < ids.length; i++) z += model.weights[ids[i]!]! * scale;
  return 1 / (1 + Math.exp(-z));
}

/** The refusal a passage calls for, or null: its reason is the reason model that scores highest. */
export function classify(model: ClassifierModel, ids: Int32Array): { reason: ProhibitedReason; probability: number } | null {
  const p = probability(model.prohibited, ids);
  if (p < model.threshold) return null;
  let best = 0;
  let bestScore = -1;
  model.reasons.forEach((m, i) => {
    const s = probability(m, ids);
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  });
  return { reason: REASONS[best]!, probability: p };
}

/**
 * The model file: a header line `concord-prohibited-classifier 1 <bits> <threshold>`, then one line per model
 * (`prohibited`, then each reason) as `<name> <bias> <scale> <base64 of one signed byte per bucket>`; a weight is
 * its byte times the scale. Eight bits per weight keep the file small enough to review as text.
 */
export function serializeModel(model: ClassifierModel): string {
  const line = (name: string, m: LinearModel): string => {
    let max = 0;
    for (const w of m.weights) max = Math.max(max, Math.abs(w));
    const scale = max === 0 ? 1 : max / 127;
    const bytes = Int8Array.from(m.weights, (w) => Math.round(w / scale));
    return `${name} ${m.bias} ${scale} ${Buffer.from(bytes.buffer).toString("base64")}`;
  };
  return [
    `concord-prohibited-classifier 1 ${BUCKET_BITS} ${model.threshold}`,
    line("prohibited", model.prohibited),
    ...model.reasons.map((m, i) => line(REASONS[i]!, m)),
  ].join("\n") + "\n";
}

export class ClassifierModelError extends Error {}

export function parseModel(text: string): ClassifierModel {
  const lines = text.trim().split("\n");
  const head = lines[0]?.split(" ") ?? [];
  if (head[0] !== "concord-prohibited-classifier" || head[1] !== "1" || Number(head[2]) !== BUCKET_BITS) {
    throw new ClassifierModelError(`not a version-1 prohibited-use classifier with ${BUCKET_BITS}-bit buckets (header: ${lines[0] ?? "none"})`);
  }
  const threshold = Number(head[3]);
  const model = (name: string, line: string | undefined): LinearModel => {
    const [n, bias, scale, data] = line?.split(" ") ?? [];
    if (n !== name || data === undefined) throw new ClassifierModelError(`the classifier model lacks its ${name} line`);
    const bytes = new Int8Array(Buffer.from(data, "base64"));
    if (bytes.length !== BUCKETS) throw new ClassifierModelError(`the ${name} model has ${bytes.length} weights, not ${BUCKETS}`);
    return { weights: Float32Array.from(bytes, (b) => b * Number(scale)), bias: Number(bias) };
  };
  if (!(threshold > 0 && threshold < 1)) throw new ClassifierModelError(`the classifier threshold ${head[3]} is not a probability`);
  return { prohibited: model("prohibited", lines[1]), reasons: REASONS.map((r, i) => model(r, lines[2 + i])), threshold };
}
