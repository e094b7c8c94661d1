import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadGlossary } from "../../src/cli/commands/translate.ts";

test("a YAML glossary file loads with defaults; a bad entry is named in a one-line error", async () => {
  const dir = await mkdtemp(join(tmpdir(), "concord-glossary-"));
  const good = join(dir, "g.yaml");
  await writeFile(good, "- term: Rapid Reaction Corps\n- term: headquarters\n  ignore_case: true\n  translations: { fr: QG, spa: cuartel general }\n");
  assert.deepEqual(await loadGlossary(good), [
    { term: "Rapid Reaction Corps", translations: {}, ignore_case: false },
    { term: "headquarters", translations: { fr: "QG", spa: "cuartel general" }, ignore_case: true },
  ]);
  const bad = join(dir, "bad.yaml");
  await writeFile(bad, "- term: ''\n");
  await assert.rejects(loadGlossary(bad), (e: Error & { code?: string }) => e.code === "invalid_request" && /glossary .*bad\.yaml: entry 0\.term/.test(e.message));
  await assert.rejects(loadGlossary(join(dir, "missing.yaml")), /cannot read the glossary/);
});
