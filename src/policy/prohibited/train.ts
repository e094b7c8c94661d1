/**
 * Training of the prohibited-use classifier (classifier.ts): logistic regression by stochastic gradient descent,
 * deterministic (a fixed-seed shuffle), so the same examples always give the same model file; a unit test
 * retrains and compares. The decision threshold is the lowest that keeps cross-validated false refusals of
 * legitimate nearby requests at or under `maxNearbyFalseRate`.
 */
import { normalise } from "./prepare.ts";
import { BUCKET_BITS, features, probability, REASONS, type ClassifierModel, type LinearModel } from "./classifier.ts";
import type { ProhibitedReason } from "./detect.ts";

export interface TrainingSet {
  readonly prohibited: readonly { readonly text: string; readonly reason: ProhibitedReason }[];
  /** Legitimate requests near the prohibited topics: the false refusals the threshold is held to. */
  readonly nearby: readonly string[];
  /** Other text that must pass (ordinary prose, look-alikes of markings). */
  readonly other: readonly string[];
}

export interface TrainingReport {
  readonly threshold: number;
  /** Cross-validated, at the threshold: prohibited requests caught, legitimate nearby ones refused. */
  readonly caught: number;
  readonly prohibited: number;
  readonly nearbyRefused: number;
  readonly nearby: number;
}

const EPOCHS = 30;
const RATE = 0.5;
const L2 = 1e-5;
const FOLDS = 5;

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const rnd = lcg(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Logistic regression with both classes weighed equally, whatever their sizes. */
function fit(x: readonly Int32Array[], y: readonly number[]): LinearModel {
  const weights = new Float32Array(1 << BUCKET_BITS);
  let bias = 0;
  const positives = y.filter((v) => v === 1).length;
  const weightOf = [y.length / (2 * Math.max(1, y.length - positives)), y.length / (2 * Math.max(1, positives))];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const i of shuffled(x.length, 1 + epoch)) {
      const ids = x[i]!;
      const scale = ids.length === 0 ? 0 : 1 / Math.sqrt(ids.length);
      let z = bias;
      for (let k = 0; k < ids.length; k++) z += weights[ids[k]!]! * scale;
      const g = (1 / (1 + Math.exp(-z)) - y[i]!) * weightOf[y[i]!]!;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        weights[id] = weights[id]! * (1 - RATE * L2) - RATE * g * scale;
      }
      bias -= RATE * g;
    }
  }
  return { weights, bias };
}

export function trainClassifier(set: TrainingSet, maxNearbyFalseRate = 0.01): { model: ClassifierModel; report: TrainingReport } {
  const feats = (t: string) => features(normalise(t));
  const pos = set.prohibited.map((p) => feats(p.text));
  const nearby = set.nearby.map(feats);
  const other = set.other.map(feats);
  const x = [...pos, ...nearby, ...other];
  const y = [...pos.map(() => 1), ...nearby.map(() => 0), ...other.map(() => 0)];

  // Cross-validated scores: each example scored by a model that did not see it.
  const cv = new Float64Array(x.length);
  const order = shuffled(x.length, 7);
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = order.filter((_, j) => j % FOLDS !== fold);
    const m = fit(train.map((i) => x[i]!), train.map((i) => y[i]!));
    for (const i of order.filter((_, j) => j % FOLDS === fold)) cv[i] = probability(m, x[i]!);
  }
  const nearbyFrom = pos.length;
  const nearbyTo = pos.length + nearby.length;
  let threshold = 0.99;
  for (let t = 0.99; t >= 0.5 - 1e-9; t -= 0.01) {
    let refused = 0;
    for (let i = nearbyFrom; i < nearbyTo; i++) if (cv[i]! >= t) refused++;
    if (refused > maxNearbyFalseRate * nearby.length) break;
    threshold = Math.round(t * 100) / 100;
  }
  let caught = 0;
  let nearbyRefused = 0;
  for (let i = 0; i < pos.length; i++) if (cv[i]! >= threshold) caught++;
  for (let i = nearbyFrom; i < nearbyTo; i++) if (cv[i]! >= threshold) nearbyRefused++;

  const prohibited = fit(x, y);
  const reasons = REASONS.map((r) => fit(pos, set.prohibited.map((p) => (p.reason === r ? 1 : 0))));
  return {
    model: { prohibited, reasons, threshold },
    report: { threshold, caught, prohibited: pos.length, nearbyRefused, nearby: nearby.length },
  };
}
