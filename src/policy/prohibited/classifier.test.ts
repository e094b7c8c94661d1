import { test } from "node:test";
import assert from "node:assert/strict";
import { BUCKET_BITS, classify, ClassifierModelError, features, parseModel, probability, REASONS, serializeModel, type ClassifierModel } from "./classifier.ts";

const sorted = (a: Int32Array) => [...a].sort((x, y) => x - y);

test("features are the same read from a string or from code units, distinct, and empty for text without words", () => {
  const text = "track every phone near the rally, then list their owners";
  const units = Uint16Array.from(text, (c) => c.charCodeAt(0));
  assert.deepEqual(sorted(features(text)), sorted(features(units)));
  assert.deepEqual(sorted(features(`x ${text} y`, 2, text.length + 2)), sorted(features(text)), "a range reads only its own units");
  assert.equal(new Set(features("the the the")).size, features("the the the").length);
  assert.equal(features(" .,;!? ").length, 0);
  assert.ok(features("ab").length > 0);
  for (const b of features(text)) assert.ok(b >= 0 && b < 1 << BUCKET_BITS);
});

test("word order matters only through word pairs: the same words in another order share most features", () => {
  const a = new Set(features("identify the protesters now"));
  const b = features("now identify the protesters");
  const shared = [...b].filter((x) => a.has(x)).length;
  assert.ok(shared >= b.length - 2 && shared < b.length, `${shared} of ${b.length}`);
});

function toyModel(threshold: number): ClassifierModel {
  const weights = (k: number) => Float32Array.from({ length: 1 << BUCKET_BITS }, (_, i) => ((i * 7 + k) % 13) / 13 - 0.5);
  return { prohibited: { weights: weights(0), bias: 0.5 }, reasons: REASONS.map((_, k) => ({ weights: weights(k + 1), bias: 0 })), threshold };
}

test("a model survives writing and reading back, within one step of its 8-bit weights", () => {
  const model = toyModel(0.6);
  const back = parseModel(serializeModel(model));
  const ids = features("which convoy should we strike first");
  assert.ok(Math.abs(probability(back.prohibited, ids) - probability(model.prohibited, ids)) < 0.01);
  assert.equal(back.threshold, 0.6);
  assert.equal(serializeModel(back), serializeModel(parseModel(serializeModel(back))), "a read model writes the same file");
});

test("a model file that is not one is refused with a reason", () => {
  assert.throws(() => parseModel("hello"), ClassifierModelError);
  const good = serializeModel(toyModel(0.6)).split("\n");
  assert.throws(() => parseModel([good[0], good[1]].join("\n")), /lacks its mass_surveillance line/);
  assert.throws(() => parseModel([good[0]!.replace("0.6", "1.5"), ...good.slice(1)].join("\n")), /not a probability/);
  assert.throws(() => parseModel([good[0], "prohibited 0 1 AAAA", ...good.slice(2)].join("\n")), /has 3 weights/);
});

test("classify refuses only at or above the threshold, naming the reason whose model scores highest", () => {
  const ids = features("which convoy should we strike first");
  const p = probability(toyModel(0.5).prohibited, ids);
  assert.equal(classify(toyModel(Math.min(0.99, p + 0.001)), ids), null);
  const verdict = classify(toyModel(Math.max(0.01, p - 0.001)), ids);
  assert.ok(verdict !== null && REASONS.includes(verdict.reason));
  const scores = toyModel(0.5).reasons.map((m) => probability(m, ids));
  assert.equal(verdict.reason, REASONS[scores.indexOf(Math.max(...scores))]);
});
