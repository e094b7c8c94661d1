import { test } from "node:test";
import assert from "node:assert/strict";
import { completionText, otherStrings } from "./guard.ts";

test("otherStrings gives every key and string except the model text the guard reads as text", () => {
  const chunk = {
    id: "chatcmpl-1", model: "m", extra: { content: "EXTRA" },
    choices: [{ index: 0, delta: { role: "assistant", content: "TEXT", tool_calls: [{ id: "t1", function: { name: "fn", arguments: "ARGS" } }] }, logprobs: { content: [{ token: "tok" }] } }],
  };
  const other = otherStrings(chunk).split("\n");
  assert.ok(!other.includes("TEXT") && !other.includes("ARGS"), "text and tool-call arguments are judged as the model's text");
  for (const s of ["chatcmpl-1", "m", "EXTRA", "fn", "tok", "t1", "extra"]) assert.ok(other.includes(s), `${s} is judged`);
});

test("a delta beside a message is not skipped: completionText reads only the message", () => {
  const both = { choices: [{ message: { content: "M" }, delta: { content: "DELTA" } }] };
  assert.equal(completionText(both), "M");
  assert.ok(otherStrings(both).split("\n").includes("DELTA"));
});

test("text outside an OpenAI reply's places is judged wherever it sits", () => {
  assert.ok(otherStrings({ choices: { message: { content: "NOT-AN-ARRAY" } } }).includes("NOT-AN-ARRAY"));
  assert.ok(otherStrings(["top", { content: "in-array" }]).includes("in-array"));
});

test("nesting deeper than any OpenAI reply is refused, not left unread", () => {
  let deep: unknown = "x";
  for (let i = 0; i < 40; i++) deep = [deep];
  assert.throws(() => otherStrings({ a: deep }), (e: Error & { code?: string }) => e.code === "upstream_error");
});
