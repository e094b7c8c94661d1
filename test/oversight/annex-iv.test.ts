import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadConfig, parseConfig, DEMO_ALLIANCE } from "../../src/config/index.ts";
import { annexIvDocument, bundleFromConfig, bundleHash } from "../../src/oversight/index.ts";

const CHECKED_IN = new URL("../../docs/annex-iv-demo.md", import.meta.url);

test("docs/annex-iv-demo.md is exactly what `concord docs annex-iv` writes for the demo alliance (regenerate it when this fails)", async () => {
  const fresh = await annexIvDocument(loadConfig(), null);
  assert.equal(readFileSync(CHECKED_IN, "utf8"), fresh, "run: node bin/concord.js docs annex-iv --out docs/annex-iv-demo.md (with no ./data store), then review the diff");
});

test("the Annex IV document follows the configuration: endpoints, oversight settings and the bundle version in force", async () => {
  const cfg = parseConfig({ ...structuredClone(DEMO_ALLIANCE), oversight: { review: ["documents.summarize"], approvals_required: 3, reviewers: "any", expiry: "2d" }, governance: { quorum: { mode: "silence", deadline: "72h" } } }, "test");
  const md = await annexIvDocument(cfg, null);
  assert.match(md, /`documents\.summarize`/);
  assert.match(md, /3 distinct reviewers/);
  assert.match(md, /any nation/);
  assert.match(md, /expires after 2d/);
  assert.match(md, /silence procedure: adopted (72h|3d) after the proposal/);
  assert.ok(md.includes(bundleHash(bundleFromConfig(cfg))));
  for (const e of cfg.endpoints) assert.ok(md.includes(`| ${e.id} |`), e.id);
  for (const h of ["purpose and intended use", "Models and endpoints", "pipeline", "Policy bundle in force", "Human oversight", "Transparency", "Record-keeping", "Accuracy", "Cybersecurity", "Change history"]) assert.ok(md.includes(h), h);
});
