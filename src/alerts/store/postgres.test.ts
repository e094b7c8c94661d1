import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import postgres from "postgres";
import { reachable } from "../../../test/helpers/services.ts";
import { addNote, newAlert, transition } from "../model.ts";
import { openPostgresAlertStore } from "./postgres.ts";
import type { AlertStore } from "./query.ts";

const URL = process.env.CONCORD_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const up = await reachable(5432);

describe("PostgreSQL alert store", { skip: up ? false : "PostgreSQL is not reachable on 127.0.0.1:5432" }, () => {
  const schema = `alerts_test_${randomBytes(4).toString("hex")}`;
  let s: AlertStore;
  before(async () => { s = await openPostgresAlertStore(URL, schema); });
  after(async () => {
    await s?.close();
    const sql = postgres(URL, { onnotice: () => {} });
    await sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`;
    await sql.end();
  });

  const mk = (id: string, nation: string, image: string, tags = ["attack.execution"]) =>
    newAlert({ rule: { id: "r", title: "Rule", level: "high", tags }, source: { file: "request", line: 1 }, matched: { Image: image }, event: { Computer: `h-${id}` } },
      { id, nation, by: `${nation}/ana`, at: new Date() });

  test("the same filters and nation scope as SQLite, newest first", async () => {
    await s.insert([mk("p1", "DEU", "cmd.exe"), mk("p2", "DEU", "ps.exe", ["attack.t1059"]), mk("p3", "FRA", "ps.exe")]);
    const ids = async (f: Parameters<AlertStore["list"]>[1]) => (await s.list("DEU", f, { limit: 10, offset: 0 })).data.map((a) => a.id);
    assert.deepEqual(await ids({}), ["p2", "p1"]);
    assert.deepEqual(await ids({ tag: "attack.t1059" }), ["p2"]);
    assert.deepEqual(await ids({ field: { name: "Image", value: "ps.exe" } }), ["p2"]);
    assert.deepEqual(await ids({ host: "h-p1", q: "CMD" }), ["p1"]);
    assert.equal((await s.list("DEU", {}, { limit: 1, offset: 1 })).total, 2);
    assert.equal(await s.get("p3", "DEU"), null);
  });

  test("updates are applied under a row lock and a refused change writes nothing", async () => {
    const by = { by: "DEU/ana", at: new Date() };
    await s.update("p1", "DEU", (a) => addNote(transition(a, "acknowledge", by), "seen", by));
    await assert.rejects(s.update("p1", "DEU", (a) => transition(a, "acknowledge", by)), { code: "invalid_transition" });
    const a = await s.get("p1", "DEU");
    assert.equal(a?.status, "acknowledged");
    assert.deepEqual((await s.list("DEU", { status: "acknowledged", q: "seen" }, { limit: 10, offset: 0 })).data.map((x) => x.id), ["p1"]);
  });
});
