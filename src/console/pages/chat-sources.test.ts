import { test } from "node:test";
import assert from "node:assert/strict";
import { translator } from "../i18n/index.ts";
import { answerHtml, groundingMessage, groundingQuery, type Source } from "./chat-sources.ts";

const sources: Source[] = [
  { n: 1, document_id: "doc_" + "a".repeat(32), title: "Depot <report>", page: null, paragraph: 2, excerpt: "Fuel for nine days & more." },
  { n: 2, document_id: "doc_" + "b".repeat(32), title: "Roads", page: 3, paragraph: 1, excerpt: "The road is closed." },
];

test("each cited [n] becomes a link to its document, page and paragraph; uncited numbers and raw HTML stay text", () => {
  const out = answerHtml(translator("en"), "Fuel lasts nine days [1]. Roads are shut [2][7]. <img src=x onerror=alert(1)>", sources).text;
  assert.match(out, new RegExp(`<a href="/console/documents/doc_a{32}#p0-2" rel="noopener noreferrer">\\[1\\]</a>`));
  assert.match(out, new RegExp(`<a href="/console/documents/doc_b{32}#p3-1" rel="noopener noreferrer">\\[2\\]</a>\\[7\\]`));
  assert.ok(!out.includes("<img"), out);
  assert.match(out, /Depot &lt;report&gt;, paragraph 2<\/a>: <q>Fuel for nine days &amp; more\.<\/q>/);
  assert.match(out, /Roads, page 3, paragraph 1/);
});

test("without sources the answer is plain safe Markdown; the system message numbers every excerpt", () => {
  assert.equal(answerHtml(translator("en"), "see [1]", []).text.trim(), "<p>see [1]</p>");
  const m = groundingMessage(sources);
  assert.match(m, /\[1\] Depot <report>, paragraph 2: Fuel for nine days & more\.\n\[2\] Roads, page 3, paragraph 1: The road is closed\.$/);
});

test("a question becomes an OR query of its words: no query syntax, no duplicates, at most twelve words", () => {
  assert.equal(groundingQuery("How long does Depot Kestrel's fuel last? -x title:\"y\" OR or"), "how OR long OR does OR depot OR kestrel OR fuel OR last OR title");
  assert.equal(groundingQuery("a b ?"), "");
  assert.equal(groundingQuery(Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ")).split(" OR ").length, 12);
});
