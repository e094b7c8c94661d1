import { test } from "node:test";
import assert from "node:assert/strict";
import { SseParser } from "./sse.ts";

test("events split across chunks are joined at the blank line", () => {
  const p = new SseParser();
  assert.deepEqual(p.push('data: {"a"'), []);
  assert.deepEqual(p.push(':1}\n'), []);
  assert.deepEqual(p.push("\ndata: [DONE]\n\n"), ['{"a":1}', "[DONE]"]);
  assert.equal(p.pending, false);
});

test("CRLF line endings, comments and multi-line data are handled", () => {
  const p = new SseParser();
  assert.deepEqual(p.push(": keep-alive\r\ndata: x\r\ndata: y\r\n\r\n"), ["x\ny"]);
});

test("an event larger than the bound is refused instead of buffered", () => {
  const p = new SseParser(10);
  assert.throws(() => p.push("data: " + "x".repeat(20) + "\n"), /larger than 10 bytes/);
});

test("a stream cut in the middle of an event leaves it pending", () => {
  const p = new SseParser();
  p.push("data: partial");
  assert.equal(p.pending, true);
});
