import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonDiff } from "./governance.ts";
import { snippetHtml } from "./documents.ts";
import { safeBack } from "./sign-in.ts";

test("the governance diff lists each changed, added and removed setting by path", () => {
  const rows = jsonDiff({ a: 1, b: { c: [1, 2] }, gone: true }, { a: 1, b: { c: [1, 3] }, added: "x" });
  assert.deepEqual(rows, [
    { path: "added", after: '"x"' },
    { path: "b.c[1]", before: "2", after: "3" },
    { path: "gone", before: "true" },
  ]);
  assert.deepEqual(jsonDiff({ x: [1] }, { x: [1] }), []);
});

test("search snippets keep only <mark>: any other markup in them is escaped", () => {
  assert.equal(snippetHtml("a &amp; <mark>fuel</mark> &lt;b&gt;").text, "a &amp; <mark>fuel</mark> &lt;b&gt;");
  assert.equal(snippetHtml("<script>x</script><mark>y</mark>").text, "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>");
});

test("after sign-in, only a console path is followed (no open redirect)", () => {
  assert.equal(safeBack("/console/chat"), "/console/chat");
  assert.equal(safeBack("/console/documents?q=fuel"), "/console/documents?q=fuel");
  for (const bad of ["https://evil.example/", "//evil.example", "/console/../admin", "/consolex", "/console\\@evil", ""]) {
    assert.equal(safeBack(bad), "/console", bad);
  }
});
