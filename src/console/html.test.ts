import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, html, trusted } from "./html.ts";

test("every interpolation is escaped: markup, attribute quotes and backticks cannot break out", () => {
  const evil = `<script>alert("x")</script>' onmouseover='y' \``;
  const out = html`<p title="${evil}">${evil}</p>`.text;
  assert.equal(out, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
  assert.ok(!out.includes("<script>"));
  assert.ok(!/title="[^"]*"[^>]*onmouseover/.test(out.replace(/&[a-z#0-9]+;/g, "")));
  assert.equal(escapeHtml(`&<>"'\``), "&amp;&lt;&gt;&quot;&#39;&#96;");
});

test("nested templates and trusted() pass through; arrays join; null, undefined and false render nothing", () => {
  const inner = html`<b>${"a&b"}</b>`;
  assert.equal(html`<i>${inner}</i>`.text, "<i><b>a&amp;b</b></i>");
  assert.equal(html`${["<", html`<br>`, 3]}`.text, "&lt;<br>3");
  assert.equal(html`[${null}${undefined}${false}]`.text, "[]");
  assert.equal(html`${trusted("<mark>x</mark>")}`.text, "<mark>x</mark>");
  assert.equal(html`${0}`.text, "0");
});
