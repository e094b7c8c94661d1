import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEventLines, splitRules } from "./alerts.ts";

test("pasted log lines become events; blank lines are skipped and the first non-object line is named", () => {
  assert.deepEqual(parseEventLines('{"a":1}\n\n  {"b":2}  \r\n'), { events: [{ a: 1 }, { b: 2 }] });
  assert.deepEqual(parseEventLines('{"a":1}\n[1,2]\n{"c":3}'), { badLine: 2 });
  assert.deepEqual(parseEventLines('{"a":1}\nnot json'), { badLine: 2 });
});

test("pasted rules split on lines holding only ---, and empty parts are dropped", () => {
  assert.deepEqual(splitRules("title: a\n---\ntitle: b\n--- \n\n"), ["title: a", "title: b"]);
  assert.deepEqual(splitRules("title: a\nx: '---'"), ["title: a\nx: '---'"]);
  assert.deepEqual(splitRules("  \n"), []);
});
