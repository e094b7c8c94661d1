import { test } from "node:test";
import assert from "node:assert/strict";
import { renderMarkdown } from "./markdown.ts";

test("raw HTML in model output is shown as text, never as markup", () => {
  const out = renderMarkdown('Hi <img src=x onerror="alert(1)"> and <script>alert(2)</script>').text;
  assert.ok(!/<img|<script/i.test(out), out);
  assert.match(out, /&lt;img src=x onerror=/);
});

test("links keep only http(s), mailto and same-site targets; images become links; markdown still renders", () => {
  const out = renderMarkdown("**b** [x](javascript:alert(1)) [y](https://example.org/a) ![i](data:image/png;base64,AA) - [x] done").text;
  assert.match(out, /<strong>b<\/strong>/);
  assert.ok(!out.includes("javascript:"), out);
  assert.ok(!out.includes("data:"), out);
  assert.match(out, /<a href="https:\/\/example.org\/a" rel="noopener noreferrer">y<\/a>/);
  assert.ok(!/<img|<input/.test(out));
});
