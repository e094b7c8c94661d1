import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { reachable } from "../helpers/services.ts";
import type { Principal } from "../../src/identity/index.ts";
import { ReviewQueue, type OversightStore, type OversightSettings } from "../../src/oversight/index.ts";
import { openPostgresOversightStore } from "../../src/oversight/store/postgres.ts";

const URL_ = "postgres://postgres@127.0.0.1:5432/test";
const up = await reachable(5432);
const prefix = `ovt_${randomBytes(4).toString("hex")}`;
const who = (nation: string, subject: string): Principal => ({ nation, subject, roles: ["reviewer"], via: "jwt" });

// Replicas share the queue and the governance record through PostgreSQL; approvals race under row locks.
describe("oversight store on PostgreSQL", { skip: up ? false : "PostgreSQL is not reachable at 127.0.0.1:5432" }, () => {
  let a: OversightStore, b: OversightStore;
  before(async () => {
    a = await openPostgresOversightStore(URL_, prefix);
    b = await openPostgresOversightStore(URL_, prefix);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    const sql = postgres(URL_, { onnotice: () => {} });
    for (const t of ["reviews", "bundles", "proposals", "adoptions"]) await sql`DROP TABLE IF EXISTS ${sql(`${prefix}_${t}`)}`;
    await sql.end();
  });

  test("two replicas approving the same held result at once: the same reviewer counts once, two reviewers release it", async () => {
    const s: OversightSettings = { review: ["comms.analyze"], approvals_required: 2, reviewers: "other_nation", expiry: "1h" };
    const qa = new ReviewQueue(a, () => s, Date.now), qb = new ReviewQueue(b, () => s, Date.now);
    const r = await qa.hold({ capability: "comms.analyze", principal: { ...who("DEU", "anna"), roles: ["analyst"] }, result: { status: 200, body: "{}", headers: {} }, requestSha256: "0".repeat(64), responseSha256: null, policyVersion: "v" });
    const same = await Promise.allSettled([qa.approve(r.id, who("FRA", "fred"), ""), qb.approve(r.id, who("FRA", "fred"), "")]);
    assert.deepEqual(same.map((x) => x.status).sort(), ["fulfilled", "rejected"]);
    assert.equal((await b.getReview(r.id))?.approvals.length, 1);
    assert.equal((await qb.approve(r.id, who("POL", "piotr"), "")).status, "approved");
  });

  test("adoption is compare-and-set: two replicas adopting on the same parent, one wins", async () => {
    assert.equal(await a.adopt({ version: "g", parent: null, proposal_id: null, adopted_at: 1 }), true);
    const both = await Promise.all([a.adopt({ version: "x", parent: "g", proposal_id: "p1", adopted_at: 2 }), b.adopt({ version: "y", parent: "g", proposal_id: "p2", adopted_at: 2 })]);
    assert.deepEqual(both.filter(Boolean).length, 1);
    assert.equal((await b.adoptions()).length, 2);
  });
});
