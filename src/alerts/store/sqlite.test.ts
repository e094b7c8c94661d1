import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { migrateSqlite } from "../../store/index.ts";
import { addNote, assign, newAlert, transition } from "../model.ts";
import { SQLITE_MIGRATIONS, sqliteAlertStore } from "./sqlite.ts";

function store() {
  const db = new Database(":memory:");
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return { db, s: sqliteAlertStore(db) };
}
const mk = (id: string, nation: string, level: string, image: string, tags = ["attack.execution"]) =>
  newAlert({ rule: { id: `rule-${level}`, title: `Rule ${level}`, level, tags }, source: { file: "request", line: 1 }, matched: { Image: image }, event: { Computer: `host-${id}`, Image: image } },
    { id, nation, by: `${nation}/ana`, at: new Date(Date.UTC(2026, 0, 1)) });

test("list is scoped to the nation, newest first, and paged with a total", async () => {
  const { s } = store();
  await s.insert([mk("a1", "DEU", "high", "cmd.exe"), mk("a2", "DEU", "low", "ps.exe"), mk("a3", "FRA", "high", "cmd.exe"), mk("a4", "DEU", "high", "cmd.exe")]);
  const all = await s.list("DEU", {}, { limit: 2, offset: 0 });
  assert.equal(all.total, 3);
  assert.deepEqual(all.data.map((a) => a.id), ["a4", "a2"]);
  assert.deepEqual((await s.list("DEU", {}, { limit: 2, offset: 2 })).data.map((a) => a.id), ["a1"]);
  assert.equal(await s.get("a3", "DEU"), null, "another nation's alert is absent");
  assert.equal((await s.get("a3", "FRA"))?.id, "a3");
});

test("filters on level, rule, tag, host, matched field and text combine with AND", async () => {
  const { s } = store();
  await s.insert([mk("a1", "DEU", "high", "cmd.exe"), mk("a2", "DEU", "low", "ps.exe", ["attack.t1059"]), mk("a3", "DEU", "high", "ps.exe")]);
  const ids = async (f: Parameters<typeof s.list>[1]) => (await s.list("DEU", f, { limit: 50, offset: 0 })).data.map((a) => a.id).sort();
  assert.deepEqual(await ids({ level: "high" }), ["a1", "a3"]);
  assert.deepEqual(await ids({ rule: "rule-low" }), ["a2"]);
  assert.deepEqual(await ids({ tag: "attack.t1059" }), ["a2"]);
  assert.deepEqual(await ids({ host: "host-a3" }), ["a3"]);
  assert.deepEqual(await ids({ field: { name: "Image", value: "ps.exe" } }), ["a2", "a3"]);
  assert.deepEqual(await ids({ field: { name: "Image", value: "ps.exe" }, level: "high" }), ["a3"]);
  assert.deepEqual(await ids({ q: "PS.EXE rule" }), ["a2", "a3"]);
  assert.deepEqual(await ids({ q: "100%_" }), [], "LIKE wildcards in the query are literal");
});

test("updates change status, assignee and searchable notes; a throwing change writes nothing", async () => {
  const { s } = store();
  await s.insert([mk("a1", "DEU", "high", "cmd.exe")]);
  const by = { by: "DEU/ana", at: new Date() };
  await s.update("a1", "DEU", (a) => assign(transition(a, "acknowledge", by), "DEU/bob", by));
  await s.update("a1", "DEU", (a) => addNote(a, "beaconing to 10.0.0.9", by));
  const ids = async (f: Parameters<typeof s.list>[1]) => (await s.list("DEU", f, { limit: 50, offset: 0 })).data.map((a) => a.id);
  assert.deepEqual(await ids({ status: "acknowledged", assignee: "DEU/bob" }), ["a1"]);
  assert.deepEqual(await ids({ q: "beaconing" }), ["a1"]);
  await assert.rejects(s.update("a1", "DEU", (a) => transition(a, "reopen", by)), { code: "invalid_transition" });
  assert.equal((await s.get("a1", "DEU"))?.history.length, 4);
  assert.equal(await s.update("a1", "FRA", (a) => a), null, "another nation cannot update it");
});

test("text search through the index follows updates, and words under three characters still match", async () => {
  const { s } = store();
  await s.insert([mk("a1", "DEU", "high", "cmd.exe"), mk("a2", "DEU", "low", "ps.exe")]);
  const by = { by: "DEU/ana", at: new Date() };
  const ids = async (q: string) => (await s.list("DEU", { q }, { limit: 50, offset: 0 })).data.map((a) => a.id).sort();
  await s.update("a1", "DEU", (a) => assign(a, "DEU/bobby", by));
  assert.deepEqual(await ids("bobby"), ["a1"]);
  await s.update("a1", "DEU", (a) => assign(a, "DEU/carol", by));
  assert.deepEqual(await ids("bobby"), [], "the old assignee is gone from the index");
  assert.deepEqual(await ids("carol"), ["a1"]);
  assert.deepEqual(await ids("ps"), ["a2"], "a two-character word is matched by LIKE");
  assert.deepEqual(await ids(':"cmd.exe"'), ["a1"], "quotes in a word are searched for (the event excerpt holds them), not parsed");
  assert.deepEqual(await ids('"zzz'), []);
});
