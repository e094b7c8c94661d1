import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

const example = (name: string) => readFileSync(resolve(import.meta.dirname, "../../examples/cyber", name), "utf8");
const RULE = example("encoded-powershell.yml");
const EVENTS = example("process-events.jsonl").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("alerts over HTTP: kept from detections, nation-scoped, triaged with a complete history", () => {
  let gw: RunningServer, deu: string, deuBob: string, fra: string, deuReviewer: string, ids: string[];
  before(async () => {
    gw = await startGateway({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["FRA"], identity: "demo" } } });
    deu = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "ana" });
    deuBob = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "bob" });
    fra = await mintDemoToken(gw.gateway.demoKeys.get("FRA")!, { nation: "FRA", role: "analyst", subject: "luc" });
    deuReviewer = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "reviewer", subject: "rita" });
    const r = await call(gw.url, "/v1/workloads/detect", { token: deu, body: { rules: [RULE], events: EVENTS } });
    assert.equal(r.status, 200, r.text);
    ids = r.json.alert_ids;
  });
  after(async () => { await gw.close(); });

  test("detect returns one alert id per detection, and the alert keeps rule, tags, host and event", async () => {
    assert.equal(ids.length, 2);
    const a = await call(gw.url, `/v1/alerts/${ids[0]}`, { token: deu });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.nation, "DEU");
    assert.equal(a.json.status, "open");
    assert.equal(a.json.rule.level, "high");
    assert.match(a.json.rule.description, /encoded command/);
    assert.deepEqual(a.json.attack, ["attack.execution", "attack.t1059.001", "attack.defense-evasion", "attack.t1027"]);
    assert.equal(a.json.host, "ws-berlin-07");
    assert.equal(a.json.event.User, "CORP\\mkrause");
  });

  test("DEU lists and filters its alerts; FRA sees none of them and cannot read or change one", async () => {
    const all = await call(gw.url, "/v1/alerts", { token: deu });
    assert.equal(all.json.total, 2);
    const host = await call(gw.url, "/v1/alerts?host=srv-bonn-02", { token: deu });
    assert.deepEqual(host.json.data.map((a: { id: string }) => a.id), [ids[1]]);
    const field = await call(gw.url, `/v1/alerts?field=CommandLine&value=${encodeURIComponent(String(EVENTS[1]!["CommandLine"]))}`, { token: deu });
    assert.equal(field.json.total, 1);
    const q = await call(gw.url, "/v1/alerts?q=EncodedCommand", { token: deu });
    assert.equal(q.json.total, 1);

    assert.equal((await call(gw.url, "/v1/alerts", { token: fra })).json.total, 0);
    assert.equal((await call(gw.url, `/v1/alerts/${ids[0]}`, { token: fra })).status, 404);
    const ack = await call(gw.url, `/v1/alerts/${ids[0]}/acknowledge`, { token: fra, body: {} });
    assert.equal(ack.status, 404);
    assert.equal((await call(gw.url, `/v1/alerts/${ids[0]}`, { token: deu })).json.status, "open", "FRA's attempt changed nothing");
  });

  test("a role without alert capabilities is refused by Cedar", async () => {
    const r = await call(gw.url, "/v1/alerts", { token: deuReviewer });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "forbidden");
  });

  test("acknowledge, assign, note, close with a reason; an illegal transition answers 409 invalid_transition; history is complete", async () => {
    const id = ids[0]!;
    assert.equal((await call(gw.url, `/v1/alerts/${id}/acknowledge`, { token: deu, body: {} })).status, 200);
    assert.equal((await call(gw.url, `/v1/alerts/${id}/assign`, { token: deu, body: { assignee: "DEU/bob" } })).status, 200);
    assert.equal((await call(gw.url, `/v1/alerts/${id}/notes`, { token: deu, body: { text: "user confirms an admin task" } })).status, 200);
    const noReason = await call(gw.url, `/v1/alerts/${id}/close`, { token: deu, body: {} });
    assert.equal(noReason.status, 400);
    const closed = await call(gw.url, `/v1/alerts/${id}/close`, { token: deuBob, body: { reason: "benign", comment: "scheduled maintenance" } });
    assert.equal(closed.status, 200, closed.text);
    const again = await call(gw.url, `/v1/alerts/${id}/acknowledge`, { token: deu, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "invalid_transition");

    const a = (await call(gw.url, `/v1/alerts/${id}`, { token: deu })).json;
    assert.equal(a.status, "closed");
    assert.equal(a.close_reason, "benign");
    assert.deepEqual(a.history.map((h: { action: string; by: string }) => [h.action, h.by]), [
      ["created", "DEU/ana"], ["acknowledge", "DEU/ana"], ["assign", "DEU/ana"], ["note", "DEU/ana"], ["close", "DEU/bob"],
    ]);
    const listed = await call(gw.url, "/v1/alerts?status=closed&assignee=DEU%2Fbob", { token: deu });
    assert.deepEqual(listed.json.data.map((x: { id: string }) => x.id), [id]);
  });

  test("a note carrying a marking above the ceiling is refused and not kept", async () => {
    const r = await call(gw.url, `/v1/alerts/${ids[1]}/notes`, { token: deu, body: { text: "NATO SECRET\nexfil path" } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "classification_exceeded");
    assert.equal((await call(gw.url, `/v1/alerts/${ids[1]}`, { token: deu })).json.notes.length, 0);
  });

  test("every alert call is written to the audit log under its capability", async () => {
    const entries = await call(gw.url, "/admin/audit/entries?start=0&end=100", { token: await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "auditor" }) });
    assert.equal(entries.status, 200, entries.text);
    const actions = JSON.stringify(entries.json);
    assert.match(actions, /alerts\.triage/);
    assert.match(actions, /alerts\.read/);
  });
});
