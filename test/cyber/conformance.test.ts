import { test } from "node:test";
import assert from "node:assert/strict";
import { runConformance, sigmaCorpusDir } from "../../src/workloads/cyber/conformance.ts";

const corpus = sigmaCorpusDir();
const skip = corpus === undefined ? "Sigma corpus not found (set CONCORD_SIGMA_DIR or place it at ../shared/data/sigma)" : false;

test("the SigmaHQ corpus: at least 99% of non-deprecated rules load, the rest say why, every regression case raises its rule", { skip }, async () => {
  const report = await runConformance(corpus!);
  const nonDeprecated = report.documents - report.deprecated;
  assert.ok(report.loaded + report.unsupported.length >= nonDeprecated, "every rule document is loaded or reported");
  assert.ok(report.loaded / nonDeprecated >= 0.99, `load rate ${report.loaded}/${nonDeprecated}`);
  for (const u of report.unsupported) assert.ok(u.id !== "" && u.reason !== "", `unsupported entry without id or reason: ${JSON.stringify(u)}`);
  assert.ok(report.regression.length > 0, "the corpus has regression cases");
  const failures = report.regression.filter((r) => !r.passed);
  assert.deepEqual(failures, [], `${failures.length} regression case(s) failed`);
});
