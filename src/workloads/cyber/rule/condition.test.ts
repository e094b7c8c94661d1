import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRules, detectEvents } from "../index.ts";
import { parseCondition } from "./condition.ts";

const SEARCHES = `
selection_a: { A: 1 }
selection_b: { B: 1 }
filter_c: { C: 1 }
_hidden: { H: 1 }`;

function fires(condition: string, event: Record<string, unknown>): boolean {
  const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:${SEARCHES.replace(/^/gm, "    ")}\n    condition: ${condition}\n`;
  const rs = compileRules([{ path: "t.yml", text }]);
  assert.deepEqual(rs.unsupported, []);
  return detectEvents(rs, [event], { logsource: { product: "test", categories: [], services: [] } }).length > 0;
}

test("and binds tighter than or; not binds tighter than and", () => {
  assert.deepEqual(parseCondition("a or b and not c"), {
    op: "or",
    args: [{ op: "ref", name: "a" }, { op: "and", args: [{ op: "ref", name: "b" }, { op: "not", arg: { op: "ref", name: "c" } }] }],
  });
  assert.equal(fires("selection_a or selection_b and not filter_c", { A: 1, C: 1 }), true);
  assert.equal(fires("selection_a or selection_b and not filter_c", { B: 1, C: 1 }), false);
});

test("brackets group", () => {
  assert.equal(fires("(selection_a or selection_b) and not filter_c", { A: 1, C: 1 }), false);
  assert.equal(fires("(selection_a or selection_b) and not filter_c", { B: 1 }), true);
  assert.equal(fires("not (selection_a and selection_b)", { A: 1 }), true);
  assert.equal(fires("not (selection_a and selection_b)", { A: 1, B: 1 }), false);
});

test("1 of / any of / all of a pattern", () => {
  assert.equal(fires("1 of selection_*", { B: 1 }), true);
  assert.equal(fires("any of selection_*", { B: 1 }), true);
  assert.equal(fires("all of selection_*", { B: 1 }), false);
  assert.equal(fires("all of selection_*", { A: 1, B: 1 }), true);
  assert.equal(fires("all of selection_* and not 1 of filter_*", { A: 1, B: 1, C: 1 }), false);
});

test("them means every search identifier except those starting with an underscore", () => {
  assert.equal(fires("1 of them", { H: 1 }), false);
  assert.equal(fires("1 of them", { C: 1 }), true);
  assert.equal(fires("all of them", { A: 1, B: 1, C: 1 }), true);
  assert.equal(fires("all of them", { A: 1, B: 1 }), false);
});

test("N of counts matching searches", () => {
  assert.equal(fires("2 of selection_* ", { A: 1 }), false);
  assert.equal(fires("2 of them", { A: 1, C: 1 }), true);
});

test("keywords are case-insensitive and operators case-insensitive too", () => {
  assert.equal(fires("selection_a AND NOT filter_c", { A: 1 }), true);
});

test("a list of conditions is their disjunction", () => {
  const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:${SEARCHES.replace(/^/gm, "    ")}\n    condition:\n        - selection_a\n        - selection_b\n`;
  const rs = compileRules([{ path: "t.yml", text }]);
  assert.equal(detectEvents(rs, [{ B: 1 }]).length, 1);
});

test("conditions the engine cannot run are reported with the reason", () => {
  const reason = (condition: string): string => {
    const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:${SEARCHES.replace(/^/gm, "    ")}\n    condition: ${condition}\n`;
    return compileRules([{ path: "t.yml", text }]).unsupported[0]?.reason ?? "";
  };
  assert.match(reason("selection_a | count() by B > 5"), /aggregation/);
  assert.match(reason("selection_a and missing"), /does not define/);
  assert.match(reason("selection_a and (selection_b"), /missing '\)'/);
  assert.match(reason("1 of nothing_*"), /matches no search/);
  assert.match(reason("selection_a near selection_b"), /near|unexpected/);
});

test("matched lists the fields of positive searches only", () => {
  const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:\n    sel:\n        Image|endswith: '\\\\cmd.exe'\n        CommandLine|contains: '/c'\n    filter:\n        User: admin\n    condition: sel and not filter\n`;
  const rs = compileRules([{ path: "t.yml", text }]);
  const [alert] = detectEvents(rs, [{ Image: "C:\\cmd.exe", CommandLine: "cmd /c whoami", User: "bob" }]);
  assert.deepEqual(alert?.matched, { Image: "C:\\cmd.exe", CommandLine: "cmd /c whoami" });
});

test("a double negation is the search itself: it fires on it and lists its fields as matched", () => {
  const text = `title: t\nid: r\nlogsource: { product: test }\ndetection:\n    sel: { a: '1' }\n    condition: not not sel\n`;
  const rs = compileRules([{ path: "t.yml", text }]);
  const alerts = detectEvents(rs, [{ a: "1" }, { a: "2" }]);
  assert.deepEqual(alerts.map((a) => a.matched), [{ a: "1" }]);
});

test("a condition nested deeper than the limit makes the rule unsupported instead of overflowing the stack", () => {
  const depth = 3000;
  const text = `title: t\nid: deep\nlogsource: { product: test }\ndetection:${SEARCHES.replace(/^/gm, "    ")}\n    condition: ${"(".repeat(depth)}selection_a${")".repeat(depth)}\n`;
  const rs = compileRules([{ path: "t.yml", text }]);
  assert.equal(rs.detections.length, 0);
  assert.equal(rs.unsupported[0]?.id, "deep");
  assert.match(rs.unsupported[0]!.reason, /nest/);
  const nots = `title: t\nid: nots\nlogsource: { product: test }\ndetection:${SEARCHES.replace(/^/gm, "    ")}\n    condition: ${"not ".repeat(depth)}selection_a\n`;
  assert.match(compileRules([{ path: "t.yml", text: nots }]).unsupported[0]?.reason ?? "", /nest/);
  // Ordinary nesting still loads.
  assert.equal(fires(`${"(".repeat(20)}selection_a${")".repeat(20)}`, { A: 1 }), true);
});
