import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRules, detectEvents } from "../index.ts";

const BASE = `title: Failed logon
id: failed-logon
name: failed_logon
logsource: { product: test }
detection:
    sel: { Outcome: failure }
    condition: sel
---
title: Successful logon
id: ok-logon
name: ok_logon
logsource: { product: test }
detection:
    sel: { Outcome: success }
    condition: sel
`;

function run(correlation: string, events: Array<Record<string, unknown>>) {
  const rs = compileRules([{ path: "c.yml", text: `${BASE}---\ntitle: corr\nid: corr\n${correlation}` }]);
  assert.deepEqual(rs.unsupported, []);
  return detectEvents(rs, events);
}

const at = (seconds: number, fields: Record<string, unknown>) => ({ timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(), ...fields });

test("event_count fires when a group reaches the count within the timespan", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { gte: 3 }\n";
  const alerts = run(corr, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "b" }), at(2, { Outcome: "failure", User: "a" }), at(3, { Outcome: "failure", User: "a" })]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.rule.id, "corr");
  assert.deepEqual(alerts[0]!.correlation?.group, { User: "a" });
  assert.equal(alerts[0]!.correlation?.count, 3);
  assert.equal(alerts[0]!.source.line, 4);
});

test("event_count ignores events that fell out of the timespan", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed-logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { gte: 3 }\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(5, { Outcome: "failure", User: "a" }), at(20, { Outcome: "failure", User: "a" })]).length, 0);
});

test("the rules a correlation uses raise no alerts of their own unless it says generate", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { gte: 5 }\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" })]).length, 0);
  const gen = `${corr}  generate: true\n`;
  assert.equal(run(gen, [at(0, { Outcome: "failure", User: "a" })]).length, 1);
});

test("event_count with an upper bound is judged when the window closes", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { lt: 2 }\n";
  const alerts = run(corr, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "b" }), at(2, { Outcome: "failure", User: "b" })]);
  assert.deepEqual(alerts.map((a) => a.correlation?.group), [{ User: "a" }]);
});

test("value_count counts distinct values of the field per group", () => {
  const corr = "correlation:\n  type: value_count\n  rules: [failed_logon]\n  group-by: [Source]\n  timespan: 1m\n  condition: { field: User, gte: 3 }\n";
  const same = [0, 1, 2, 3].map((s) => at(s, { Outcome: "failure", Source: "10.0.0.1", User: "a" }));
  assert.equal(run(corr, same).length, 0);
  const spray = ["a", "b", "a", "c"].map((u, s) => at(s, { Outcome: "failure", Source: "10.0.0.1", User: u }));
  const alerts = run(corr, spray);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.correlation?.count, 3);
});

test("temporal needs every rule in the group within the timespan, in any order", () => {
  const corr = "correlation:\n  type: temporal\n  rules: [failed_logon, ok_logon]\n  group-by: [User]\n  timespan: 30s\n";
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a" }), at(5, { Outcome: "failure", User: "a" })]).length, 1);
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a" }), at(5, { Outcome: "failure", User: "b" })]).length, 0);
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a" }), at(50, { Outcome: "failure", User: "a" })]).length, 0);
});

test("temporal_ordered needs the rules in the order listed", () => {
  const corr = "correlation:\n  type: temporal_ordered\n  rules: [failed_logon, ok_logon]\n  group-by: [User]\n  timespan: 30s\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(5, { Outcome: "success", User: "a" })]).length, 1);
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a" }), at(5, { Outcome: "failure", User: "a" })]).length, 0);
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(40, { Outcome: "success", User: "a" })]).length, 0);
});

test("event_count counts within the timespan of the newest event, whatever order events arrive in", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 30s\n  condition: { gte: 2 }\n";
  // 100 s apart: never two within 30 s, though the older one arrives last.
  assert.equal(run(corr, [at(100, { Outcome: "failure", User: "a" }), at(0, { Outcome: "failure", User: "a" })]).length, 0);
  // 20 s apart, arriving newest first: two within 30 s.
  assert.equal(run(corr, [at(20, { Outcome: "failure", User: "a" }), at(0, { Outcome: "failure", User: "a" })]).length, 1);
});

test("temporal_ordered goes by the events' times, not the order they arrive in", () => {
  const corr = "correlation:\n  type: temporal_ordered\n  rules: [failed_logon, ok_logon]\n  group-by: [User]\n  timespan: 30s\n";
  // The success (time 5) arrives before the failure (time 0) that preceded it: merged logs do this.
  assert.equal(run(corr, [at(5, { Outcome: "success", User: "a" }), at(0, { Outcome: "failure", User: "a" })]).length, 1);
  // The success happened first, whatever the arrival order.
  assert.equal(run(corr, [at(5, { Outcome: "failure", User: "a" }), at(0, { Outcome: "success", User: "a" })]).length, 0);
  // In order but too far apart.
  assert.equal(run(corr, [at(40, { Outcome: "success", User: "a" }), at(0, { Outcome: "failure", User: "a" })]).length, 0);
});

test("aliases group different fields of different rules under one name", () => {
  const corr = "correlation:\n  type: temporal\n  rules: [failed_logon, ok_logon]\n  group-by: [ip]\n  timespan: 30s\n  aliases:\n    ip:\n      failed_logon: SourceIp\n      ok_logon: DestIp\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure", SourceIp: "1.2.3.4" }), at(1, { Outcome: "success", DestIp: "1.2.3.4" })]).length, 1);
  assert.equal(run(corr, [at(0, { Outcome: "failure", SourceIp: "1.2.3.4" }), at(1, { Outcome: "success", DestIp: "9.9.9.9" })]).length, 0);
});

test("correlations can chain on other correlations", () => {
  const text = `${BASE}---
title: many failures
id: many
name: many_failures
correlation: { type: event_count, rules: [failed_logon], group-by: [User], timespan: 1m, condition: { gte: 2 } }
---
title: failures then success
id: chain
correlation: { type: temporal_ordered, rules: [many_failures, ok_logon], group-by: [User], timespan: 1m }
`;
  const rs = compileRules([{ path: "c.yml", text }]);
  const alerts = detectEvents(rs, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "a" }), at(2, { Outcome: "success", User: "a" })]);
  assert.deepEqual(alerts.map((a) => a.rule.id), ["chain"]);
});

test("a correlation naming an unknown rule is reported unsupported", () => {
  const rs = compileRules([{ path: "c.yml", text: "title: c\nid: c\ncorrelation: { type: temporal, rules: [nope], group-by: [x], timespan: 1m }\n" }]);
  assert.match(rs.unsupported[0]?.reason ?? "", /unknown or unsupported rules: nope/);
});

test("value_sum fires when a group's number field adds up past the bound within the timespan (spec v2.1)", () => {
  const corr = "correlation:\n  type: value_sum\n  rules: [ok_logon]\n  group-by: [User]\n  timespan: 1h\n  condition: { field: bytes, gt: 1000 }\n";
  const alerts = run(corr, [at(0, { Outcome: "success", User: "a", bytes: 400 }), at(1, { Outcome: "success", User: "b", bytes: 900 }), at(2, { Outcome: "success", User: "a", bytes: "700" })]);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.correlation?.group, { User: "a" });
  assert.equal(alerts[0]!.correlation?.count, 1100);
  // A value that is not a number adds nothing.
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a", bytes: 900 }), at(1, { Outcome: "success", User: "a", bytes: "lots" })]).length, 0);
});

test("value_avg compares the mean of the field over the group's events (spec v2.1)", () => {
  const corr = "correlation:\n  type: value_avg\n  rules: [ok_logon]\n  group-by: [User]\n  timespan: 1h\n  condition: { field: bytes, gt: 500 }\n";
  assert.equal(run(corr, [at(0, { Outcome: "success", User: "a", bytes: 100 }), at(1, { Outcome: "success", User: "a", bytes: 200 })]).length, 0);
  const alerts = run(corr, [at(0, { Outcome: "success", User: "a", bytes: 100 }), at(1, { Outcome: "success", User: "a", bytes: 1000 })]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.correlation?.count, 550);
});

test("neq is judged when the window closes: a count different from the value fires (spec v2.1)", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { neq: 2 }\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "a" })]).length, 0);
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "a" }), at(2, { Outcome: "failure", User: "a" })]).length, 1);
});

test("value_percentile is reported unsupported with its reason, not guessed", () => {
  const rs = compileRules([{ path: "c.yml", text: `${BASE}---\ntitle: corr\nid: corr\ncorrelation:\n  type: value_percentile\n  rules: [ok_logon]\n  group-by: [Host]\n  timespan: 24h\n  condition: { field: Image, lte: 1 }\n` }]);
  assert.match(rs.unsupported.find((u) => u.id === "corr")?.reason ?? "", /value_percentile/);
});

test("a late event joins the burst it belongs to, though newer events of its group came first", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 1m\n  condition: { gte: 3 }\n";
  // Two files merged one after the other: 00:00 and 30:00 from the first, 00:10 and 00:20 from the second.
  const min = (m: number, s: number, fields: Record<string, unknown>) => at(m * 60 + s, fields);
  const events = [min(0, 0, { Outcome: "failure", User: "a" }), min(30, 0, { Outcome: "failure", User: "a" }), min(0, 10, { Outcome: "failure", User: "a" }), min(0, 20, { Outcome: "failure", User: "a" })];
  const alerts = run(corr, events);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.correlation?.count, 3);
  assert.deepEqual(alerts[0]!.correlation?.events.map((e) => e.source.line), [1, 3, 4]);
  // The 30:00 event alone with the late pair is no burst.
  assert.equal(run(corr, [events[1]!, events[2]!, events[3]!]).length, 0);
});

test("temporal correlation counts rules within the timespan by the events' times, not their arrival", () => {
  const corr = "correlation:\n  type: temporal\n  rules: [failed_logon, ok_logon]\n  group-by: [User]\n  timespan: 10s\n";
  // Thirty minutes apart, whichever arrives first: no correlation.
  assert.equal(run(corr, [at(1800, { Outcome: "failure", User: "a" }), at(0, { Outcome: "success", User: "a" })]).length, 0);
  assert.equal(run(corr, [at(1800, { Outcome: "failure", User: "a" }), at(1805, { Outcome: "success", User: "a" })]).length, 1);
  assert.equal(run(corr, [at(1805, { Outcome: "success", User: "a" }), at(1800, { Outcome: "failure", User: "a" })]).length, 1);
});

test("an event without a group-by field belongs to no group", () => {
  const corr = "correlation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [User]\n  timespan: 10s\n  condition: { gte: 2 }\n";
  assert.equal(run(corr, [at(0, { Outcome: "failure" }), at(1, { Outcome: "failure" })]).length, 0);
  assert.equal(run(corr, [at(0, { Outcome: "failure", User: "a" }), at(1, { Outcome: "failure", User: "a" })]).length, 1);
});

test("value_avg waits for the window's end: one high value first does not fire while later ones pull the mean down", () => {
  const corr = "correlation:\n  type: value_avg\n  rules: [ok_logon]\n  group-by: [User]\n  timespan: 1h\n  condition: { field: bytes, gt: 500 }\n";
  const ev = (s: number, bytes: number) => at(s, { Outcome: "success", User: "a", bytes });
  assert.equal(run(corr, [ev(0, 900), ev(1, 100), ev(2, 100), ev(3, 100)]).length, 0);
  assert.equal(run(corr, [ev(0, 100), ev(1, 200), ev(2, 900)]).length, 0);
  const alerts = run(corr, [ev(0, 900), ev(1, 300)]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.correlation?.count, 600);
});

test("correlations that refer to each other are reported, with the chain, and so is one built on a rejected one", () => {
  const rs = compileRules([{ path: "c.yml", text: `${BASE}---
title: a
id: corr-a
name: corr_a
correlation: { type: event_count, rules: [corr_b, failed_logon], group-by: [User], timespan: 1m, condition: { gte: 2 } }
---
title: b
id: corr-b
name: corr_b
correlation: { type: event_count, rules: [corr_a], group-by: [User], timespan: 1m, condition: { gte: 1 } }
---
title: c
id: corr-c
correlation: { type: event_count, rules: [nope], group-by: [User], timespan: 1m, condition: { gte: 1 } }
---
title: d
id: corr-d
correlation: { type: event_count, rules: [corr-c], group-by: [User], timespan: 1m, condition: { gte: 1 } }
` }]);
  const reasons = Object.fromEntries(rs.unsupported.map((u) => [u.id, u.reason]));
  assert.match(reasons["corr-a"] ?? "", /refers to itself through corr_a -> corr_b -> corr_a/);
  assert.match(reasons["corr-b"] ?? "", /refers to itself through corr_b -> corr_a -> corr_b/);
  assert.match(reasons["corr-c"] ?? "", /unknown or unsupported rules: nope/);
  assert.match(reasons["corr-d"] ?? "", /unknown or unsupported rules: corr-c/);
  assert.deepEqual(rs.correlations, []);
  // The rules the rejected correlations named still alert on their own.
  assert.equal(rs.detections.every((d) => d.emit), true);
});

test("a zero timespan is reported: no two events could fall within it", () => {
  const rs = compileRules([{ path: "c.yml", text: `${BASE}---\ntitle: corr\nid: corr\ncorrelation: { type: event_count, rules: [failed_logon], group-by: [User], timespan: 0m, condition: { gte: 2 } }\n` }]);
  assert.match(rs.unsupported.find((u) => u.id === "corr")?.reason ?? "", /timespan '0m' is zero/);
});
