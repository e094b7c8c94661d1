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

test("a line with a field the format does not have is malformed framing, not silently skipped", () => {
  const p = new SseParser();
  assert.deepEqual(p.push("event: x\nid: 1\nretry: 5\ndata: ok\n\n"), ["ok"]);
  assert.throws(() => p.push('{"choices":[]}\n\n'), (e: Error & { fault?: string }) => e.fault === "malformed_stream");
});

test("an event named error is the upstream reporting a failure", () => {
  const p = new SseParser();
  assert.throws(() => p.push('event: error\ndata: {"message":"overloaded"}\n\n'), (e: Error & { fault?: string; code?: string }) => e.fault === "upstream_error_event" && e.code === "upstream_error");
});

test("a line arriving a byte at a time is found once it ends", () => {
  const p = new SseParser();
  const out: string[] = [];
  for (const c of "data: slow\n\n") out.push(...p.push(c));
  assert.deepEqual(out, ["slow"]);
  assert.equal(p.pending, false);
});
