import assert from "node:assert/strict";
import { test } from "node:test";
import { ConcordError } from "../errors/index.ts";
import { addNote, assign, EVENT_EXCERPT_CHARS, newAlert, transition, type AlertRecord } from "./model.ts";

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, s));
const detection = (event: unknown = { Event: { System: { Computer: "ws-01" } }, Image: "C:\\x\\cmd.exe" }) => ({
  rule: { id: "r-1", title: "Cmd", level: "high", tags: ["attack.execution", "attack.t1059", "cve.2021-1"] },
  source: { file: "request", line: 3 },
  matched: { Image: "C:\\x\\cmd.exe" },
  event,
});
const fresh = (): AlertRecord => newAlert(detection(), { id: "alr_1", nation: "DEU", by: "DEU/ana", at: at(0) });
const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as ConcordError).code; } return "none"; };

test("a new alert is open, keeps only the rule's ATT&CK tags as attack, names the host, and records its creation", () => {
  const a = fresh();
  assert.equal(a.status, "open");
  assert.deepEqual(a.attack, ["attack.execution", "attack.t1059"]);
  assert.equal(a.host, "ws-01");
  assert.deepEqual(a.history.map((h) => h.action), ["created"]);
});

test("an event larger than the excerpt bound is kept as a truncated JSON excerpt", () => {
  const a = newAlert(detection({ big: "x".repeat(EVENT_EXCERPT_CHARS * 2) }), { id: "alr_2", nation: "DEU", by: "DEU/ana", at: at(0) });
  assert.equal(a.event_truncated, true);
  assert.equal((a.event as string).length, EVENT_EXCERPT_CHARS);
});

test("open → acknowledged → closed with a reason → reopened, each step appended to the history", () => {
  const ack = transition(fresh(), "acknowledge", { by: "DEU/ana", at: at(1) });
  const closed = transition(ack, "close", { by: "DEU/bob", at: at(2), reason: "false_positive", comment: "admin script" });
  assert.equal(closed.status, "closed");
  assert.equal(closed.close_reason, "false_positive");
  assert.equal(closed.close_comment, "admin script");
  const reopened = transition(closed, "reopen", { by: "DEU/ana", at: at(3) });
  assert.equal(reopened.status, "open");
  assert.equal(reopened.close_reason, null);
  assert.deepEqual(reopened.history.map((h) => [h.action, h.from ?? null, h.to ?? null, h.by]), [
    ["created", null, "open", "DEU/ana"], ["acknowledge", "open", "acknowledged", "DEU/ana"], ["close", "acknowledged", "closed", "DEU/bob"], ["reopen", "closed", "open", "DEU/ana"],
  ]);
});

test("illegal transitions are refused with invalid_transition and change nothing", () => {
  const a = fresh();
  assert.equal(code(() => transition(a, "reopen", { by: "x", at: at(1) })), "invalid_transition");
  const ack = transition(a, "acknowledge", { by: "x", at: at(1) });
  assert.equal(code(() => transition(ack, "acknowledge", { by: "x", at: at(2) })), "invalid_transition");
  const closed = transition(ack, "close", { by: "x", at: at(2), reason: "benign" });
  assert.equal(code(() => transition(closed, "close", { by: "x", at: at(3), reason: "benign" })), "invalid_transition");
  assert.equal(code(() => assign(closed, "bob", { by: "x", at: at(3) })), "invalid_transition");
  assert.equal(closed.history.length, 3);
});

test("closing needs a reason from the fixed set", () => {
  assert.equal(code(() => transition(fresh(), "close", { by: "x", at: at(1) })), "invalid_request");
  assert.equal(code(() => transition(fresh(), "close", { by: "x", at: at(1), reason: "bored" })), "invalid_request");
});

test("assigning records from and to; assigning the same person again adds no history", () => {
  const a = assign(fresh(), "DEU/bob", { by: "DEU/ana", at: at(1) });
  assert.equal(a.assignee, "DEU/bob");
  assert.deepEqual(a.history.at(-1), { at: at(1).toISOString(), by: "DEU/ana", action: "assign", from: null, to: "DEU/bob" });
  assert.equal(assign(a, "DEU/bob", { by: "DEU/ana", at: at(2) }), a);
  assert.equal(code(() => assign(a, "bad name!", { by: "x", at: at(2) })), "invalid_request");
});

test("notes are kept in order, also on a closed alert, and an empty note is refused", () => {
  const closed = transition(fresh(), "close", { by: "x", at: at(1), reason: "duplicate" });
  const n = addNote(addNote(closed, "first", { by: "DEU/ana", at: at(2) }), "second", { by: "DEU/bob", at: at(3) });
  assert.deepEqual(n.notes.map((x) => [x.by, x.text]), [["DEU/ana", "first"], ["DEU/bob", "second"]]);
  assert.equal(n.history.filter((h) => h.action === "note").length, 2);
  assert.equal(code(() => addNote(n, "   ", { by: "x", at: at(4) })), "invalid_request");
});
