// The committed classifier model (src/policy/prohibited/classifier-model.txt) must be exactly what the training
// script makes of the repository's own examples: training is deterministic, so a model left stale after the
// examples changed, or edited by hand, fails here. Rebuild it with `npm run train:prohibited`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serializeModel } from "../../src/policy/prohibited/classifier.ts";
import { trainClassifier } from "../../src/policy/prohibited/train.ts";
import { MODEL_FILE, trainingSet, UNSEEN } from "../../scripts/train-prohibited-classifier.ts";

test("the committed classifier model is what training on the repository's examples gives", (t) => {
  const { model, report } = trainClassifier(trainingSet());
  t.diagnostic(`threshold ${report.threshold}; cross-validated ${report.caught}/${report.prohibited} prohibited caught, ${report.nearbyRefused}/${report.nearby} legitimate nearby refused`);
  assert.equal(serializeModel(model), readFileSync(MODEL_FILE, "utf8"), "stale model: run npm run train:prohibited");
  assert.ok(report.nearbyRefused <= 0.01 * report.nearby, "the threshold keeps cross-validated false refusals at 1% or under");
});

test("the held-out batches kept unseen are not among the training examples", () => {
  const set = trainingSet();
  const unseen = ["prohibited.jsonl", "legitimate.jsonl"].flatMap((f) =>
    readFileSync(new URL(`./heldout/${f}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { batch: string; text: string })).filter((r) => UNSEEN.has(r.batch));
  assert.ok(unseen.length >= 160);
  const trained = new Set([...set.prohibited.map((p) => p.text), ...set.nearby, ...set.other]);
  assert.deepEqual(unseen.filter((r) => trained.has(r.text)).map((r) => r.text), []);
});
