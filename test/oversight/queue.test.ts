import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Principal } from "../../src/identity/index.ts";
import { ReviewQueue, boundRequest, type OversightSettings } from "../../src/oversight/index.ts";
import { openSqliteOversightStore } from "../../src/oversight/store/sqlite.ts";

const who = (nation: string, subject: string, role: Principal["roles"][number] = "reviewer"): Principal => ({ nation, subject, roles: [role], via: "jwt" });

function queue(settings: Partial<OversightSettings> = {}) {
  const store = openSqliteOversightStore(join(mkdtempSync(join(tmpdir(), "concord-rq-")), "o.db"));
  const clock = { t: Date.parse("2026-11-25T12:00:00Z") };
  const s: OversightSettings = { review: ["comms.analyze"], approvals_required: 2, reviewers: "any", expiry: "1h", ...settings };
  const q = new ReviewQueue(store, () => s, () => clock.t);
  const hold = (requester: Principal) => q.hold({ capability: "comms.analyze", principal: requester, result: { status: 200, body: '{"secret":"held text"}', headers: {} }, request: { messages: [{ id: "m1", text: "asked text" }] }, requestSha256: "0".repeat(64), responseSha256: null, policyVersion: "v" });
  return { q, clock, hold, store };
}

describe("review queue rules (frozen clock)", () => {
  test("under reviewers: any, the requester still never approves their own request, even holding the reviewer role", async () => {
    const { q, hold } = queue();
    const anna = who("DEU", "anna");
    const r = await hold(anna);
    await assert.rejects(q.approve(r.id, anna, ""), /requester never reviews their own request/);
    const same = await q.approve(r.id, who("DEU", "rolf"), "");
    assert.equal(same.approvals.length, 1, "a same-nation reviewer counts when the rule is any");
    assert.equal((await q.approve(r.id, who("FRA", "fred"), "")).status, "approved");
  });

  test("a held result expires at its deadline and its content is deleted", async () => {
    const { q, clock, hold, store } = queue();
    const anna = who("DEU", "anna", "analyst");
    const r = await hold(anna);
    await q.approve(r.id, who("FRA", "fred"), "");
    clock.t += 3_600_000 - 1;
    assert.equal((await q.poll(r.id, anna)).view.status, "pending");
    clock.t += 1;
    const polled = await q.poll(r.id, anna);
    assert.equal(polled.view.status, "expired");
    assert.equal(polled.view.result, undefined);
    assert.equal((await store.getReview(r.id))?.result, null);
    await assert.rejects(q.approve(r.id, who("POL", "piotr"), ""), /expired, not pending/);
  });

  test("the expiry sweep deletes content of every overdue review without anyone polling", async () => {
    const { q, clock, hold, store } = queue({ expiry: "30m" });
    const a = await hold(who("DEU", "anna", "analyst"));
    clock.t += 10 * 60_000;
    const b = await hold(who("FRA", "fleur", "analyst"));
    clock.t += 25 * 60_000;
    assert.equal(await q.expire(), 1);
    assert.equal((await store.getReview(a.id))?.status, "expired");
    assert.equal((await store.getReview(b.id))?.status, "pending");
    assert.ok((await store.getReview(b.id))?.result);
  });

  test("the bar is the one in force when the result was held", async () => {
    const settings: OversightSettings = { review: ["comms.analyze"], approvals_required: 1, reviewers: "other_nation", expiry: "1h" };
    const store = openSqliteOversightStore(join(mkdtempSync(join(tmpdir(), "concord-rq-")), "o.db"));
    const q = new ReviewQueue(store, () => settings, () => 0);
    const r = await q.hold({ capability: "comms.analyze", principal: who("DEU", "anna", "analyst"), result: { status: 200, body: "{}", headers: {} }, requestSha256: "0".repeat(64), responseSha256: null, policyVersion: "v" });
    settings.approvals_required = 3;
    assert.equal((await q.approve(r.id, who("FRA", "fred"), "")).status, "approved");
  });

  test("per-nation retention erases the content of a released result and keeps the review; other nations' content stays", async () => {
    const { q, clock, hold, store } = queue({ approvals_required: 1, expiry: "30d" });
    const deu = await hold(who("DEU", "anna", "analyst"));
    const fra = await hold(who("FRA", "fleur", "analyst"));
    await q.approve(deu.id, who("POL", "piotr"), "");
    const retention = (n: string) => (n === "DEU" ? 7 * 86_400_000 : undefined);
    clock.t += 7 * 86_400_000 - 1;
    assert.equal(await q.erase(retention), 0);
    clock.t += 1;
    assert.equal(await q.erase(retention), 1);
    const polled = await q.poll(deu.id, who("DEU", "anna", "analyst"));
    assert.equal(polled.view.status, "approved");
    assert.equal(polled.view.result, undefined);
    assert.match(polled.view.reason ?? "", /retention/);
    assert.equal((await store.getReview(deu.id))?.request, null, "the request is erased with the result");
    assert.ok((await store.getReview(fra.id))?.result);
    assert.match((await store.getReview(fra.id))?.request?.body ?? "", /asked text/);
  });

  test("a held result's expiry deletes the request too", async () => {
    const { q, clock, hold, store } = queue();
    const r = await hold(who("DEU", "anna", "analyst"));
    assert.match((await store.getReview(r.id))?.request?.body ?? "", /asked text/);
    clock.t += 3_600_000;
    assert.equal(await q.expire(), 1);
    assert.equal((await store.getReview(r.id))?.request, null);
  });

  test("a store written before requests were kept opens, lists its reviews without a request and erases them", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "concord-rq-")), "o.db");
    const old = openSqliteOversightStore(path);
    const clock = { t: Date.parse("2026-11-25T12:00:00Z") };
    const s: OversightSettings = { review: ["comms.analyze"], approvals_required: 1, reviewers: "any", expiry: "1h" };
    const r = await new ReviewQueue(old, () => s, () => clock.t).hold({ capability: "comms.analyze", principal: who("DEU", "anna", "analyst"), result: { status: 200, body: '{"a":1}', headers: {} }, requestSha256: "0".repeat(64), responseSha256: null, policyVersion: "v" });
    // The document exactly as the earlier code wrote it: no request field at all.
    const { request: _, ...legacy } = r;
    await old.updateReview(r.id, () => legacy as typeof r);
    await old.close();
    const store = openSqliteOversightStore(path);
    const q = new ReviewQueue(store, () => s, () => clock.t);
    const [item] = await q.list(who("FRA", "fred"), "pending");
    assert.equal(item?.id, r.id);
    assert.deepEqual(item?.held, { a: 1 });
    assert.equal(item?.request, undefined);
    clock.t += 1000;
    assert.equal(await q.erase(() => 1000), 1);
    assert.equal((await store.getReview(r.id))?.result, null);
  });

  test("a request beyond the bound is cut on a character boundary and marked truncated", () => {
    assert.deepEqual(boundRequest({ a: "é" }, 64), { body: '{"a":"é"}', truncated: false });
    const cut = boundRequest("ééé", 3);
    assert.deepEqual(cut, { body: "é", truncated: true });
  });
});
