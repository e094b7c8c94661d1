import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAssets, ISLANDS } from "./assets.ts";

test("every island and the stylesheet build, are named by content hash, and each island is under 60 KB gzipped", async () => {
  const a = await buildAssets();
  assert.deepEqual([...a.all.keys()].sort(), [...ISLANDS.map((i) => `${i}.js`), "console.css"].sort());
  for (const [logical, asset] of a.all) {
    assert.match(asset.name, /^[a-z]+\.[0-9a-f]{16}\.(js|css)$/, logical);
    assert.equal(a.url(logical), `/console/assets/${asset.name}`);
    assert.equal(a.byName(asset.name), asset);
    if (logical.endsWith(".js")) {
      assert.ok(asset.gzip.length < 60 * 1024, `${logical}: ${asset.gzip.length} bytes gzipped`);
      assert.doesNotMatch(asset.body.toString("utf8"), /\beval\(|new Function\(/, `${logical} needs no unsafe-eval`);
    }
  }
});
