import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateNoteKey, parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifier } from "../../src/audit/index.ts";
import { parseConfig, type ConfigInput } from "../../src/config/index.ts";
import type { Principal } from "../../src/identity/index.ts";
import { bundleFromConfig, bundleHash, Governance, signLine, verifyPolicyRecord, type GovernanceEvent, type PolicyBundle, type PolicyRecord } from "../../src/oversight/index.ts";
import { openSqliteOversightStore } from "../../src/oversight/store/sqlite.ts";

const NATIONS = ["DEU", "FRA", "POL"] as const;
const admin = (nation: string): Principal => ({ nation, subject: `admin@${nation}`, roles: ["nation-admin"], via: "jwt" });
const HOUR = 3_600_000;

/** A governance over a fresh SQLite store, a frozen clock, and nations that sign offline with their own keys. */
async function setup(quorum: NonNullable<ConfigInput["governance"]>["quorum"]) {
  const cfg = parseConfig({ network: { name: "t", jurisdiction: "BEL" }, nations: Object.fromEntries(NATIONS.map((n) => [n, { residency: ["EU"], identity: "demo" }])), governance: { quorum } }, "test");
  const signers = new Map<string, NoteSigner>();
  const verifiers = new Map<string, NoteVerifier>();
  for (const n of NATIONS) {
    const k = generateNoteKey(n);
    signers.set(n, parseSignerKey(k.signerKey));
    verifiers.set(n, parseVerifierKey(k.verifierKey));
  }
  const clock = { t: Date.parse("2026-11-25T12:00:00Z") };
  const events: GovernanceEvent[] = [];
  const store = openSqliteOversightStore(join(mkdtempSync(join(tmpdir(), "concord-gov-")), "o.db"));
  const genesis = bundleFromConfig(cfg);
  const g = await Governance.open({ store, keys: { verifiers, demoSigners: new Map() }, network: "t", members: [...NATIONS], now: () => clock.t, audit: async (e) => { events.push(e); } }, genesis);
  const changed = (): PolicyBundle => ({ ...structuredClone(g.bundle()), oversight: { ...g.bundle().oversight, review: ["comms.analyze", "documents.summarize"] } });
  const sign = (nation: string, text: string) => signLine(text, signers.get(nation)!);
  const propose = async (bundle = changed()) => {
    const p = await g.propose(admin("DEU"), bundle, "review summaries too");
    return g.approve(p.id, admin("DEU"), "", sign("DEU", p.text));
  };
  return { g, clock, events, genesis, sign, propose, changed, verifiers, store };
}

describe("consent governance: quorum all", () => {
  test("adopted exactly when the last nation's signed approval arrives, and the version changes at once", async () => {
    const { g, sign, propose, genesis, events } = await setup("all");
    const p = await propose();
    assert.equal(g.version(), bundleHash(genesis));
    const afterFra = await g.approve(p.id, admin("FRA"), "ok", sign("FRA", p.text));
    assert.equal(afterFra.status, "pending");
    assert.equal(g.version(), bundleHash(genesis));
    const done = await g.approve(p.id, admin("POL"), "ok", sign("POL", p.text));
    assert.equal(done.status, "adopted");
    assert.equal(g.version(), p.bundle_hash);
    assert.deepEqual(g.bundle().oversight.review, ["comms.analyze", "documents.summarize"]);
    assert.deepEqual(events.map((e) => e.action), ["governance.propose", "governance.approve", "governance.approve", "governance.approve", "governance.adopt"]);
  });

  test("one objection blocks it", async () => {
    const { g, sign, propose, genesis } = await setup("all");
    const p = await propose();
    await g.approve(p.id, admin("FRA"), "", sign("FRA", p.text));
    const r = await g.object(p.id, admin("POL"), "not now");
    assert.equal(r.status, "rejected");
    assert.equal(g.version(), bundleHash(genesis));
  });

  test("a forged approval (wrong key, or another text) is refused and not counted", async () => {
    const { g, sign, propose, genesis } = await setup("all");
    const p = await propose();
    // POL's admin sends a line FRA's key made: it is not POL's signature.
    await assert.rejects(g.approve(p.id, admin("POL"), "", sign("FRA", p.text)), /not made with POL's governance key/);
    // A key named POL that is not POL's configured key.
    const impostor = parseSignerKey(generateNoteKey("POL").signerKey);
    await assert.rejects(g.approve(p.id, admin("POL"), "", signLine(p.text, impostor)), /not made with POL's governance key/);
    // POL's own key over other text (a tampered bundle hash).
    const other = p.text.replace(/bundle sha256:[0-9a-f]{4}/, "bundle sha256:0000");
    const line = sign("POL", other);
    await assert.rejects(g.approve(p.id, admin("POL"), "", line), /does not verify/);
    const now = await g.get(p.id);
    assert.deepEqual(now.approvals.map((a) => a.nation), ["DEU"]);
    await g.approve(p.id, admin("FRA"), "", sign("FRA", p.text));
    assert.equal((await g.get(p.id)).status, "pending");
    assert.equal(g.version(), bundleHash(genesis));
  });

  test("a replayed approval (the same nation twice, or a line from an earlier proposal) is refused", async () => {
    const { g, sign, propose, changed } = await setup("all");
    const first = await propose();
    const fraLine = sign("FRA", first.text);
    await g.approve(first.id, admin("FRA"), "", fraLine);
    await assert.rejects(g.approve(first.id, admin("FRA"), "", fraLine), /already approved/);
    await g.object(first.id, admin("POL"), "no");
    // The same bundle proposed again: FRA's old line names the old proposal and cannot be reused.
    const again = await g.propose(admin("DEU"), changed(), "second try");
    await assert.rejects(g.approve(again.id, admin("FRA"), "", fraLine), /does not verify/);
    assert.deepEqual((await g.get(again.id)).approvals, []);
  });

  test("a bundle that weakens a red line is refused before anyone votes", async () => {
    const { g } = await setup("all");
    const base = g.bundle();
    const drop = { ...structuredClone(base), prohibited_uses: base.prohibited_uses.filter((r) => r.id !== "targeting") };
    await assert.rejects(g.propose(admin("DEU"), drop, ""), /removes the prohibited-use rule targeting/);
    const soften = structuredClone(base);
    soften.prohibited_uses[0]!.enforcement = "log";
    await assert.rejects(g.propose(admin("DEU"), soften, ""), /lowers the enforcement of mass_surveillance/);
    const narrow = structuredClone(base);
    narrow.prohibited_uses[1]!.capabilities = ["chat"];
    await assert.rejects(g.propose(admin("DEU"), narrow, ""), /no longer applies to \*/);
    const fewer = structuredClone(base);
    fewer.prohibited_uses[0]!.covers = fewer.prohibited_uses[0]!.covers.slice(1);
    await assert.rejects(g.propose(admin("DEU"), fewer, ""), /drops from mass_surveillance/);
    await assert.rejects(g.propose(admin("DEU"), { ...structuredClone(base), ceiling: "NATO RESTRICTED" }, ""), /raises the classification ceiling/);
    await assert.rejects(g.propose(admin("DEU"), { ...structuredClone(base), guard: { ...base.guard, scan_output: false } }, ""), /scan of model outputs/);
    // Strengthening is fine: a stricter ceiling is not a weakening.
    const stricter = await g.propose(admin("DEU"), { ...structuredClone(base), prohibited_uses: [...structuredClone(base.prohibited_uses), { id: "disinformation", description: "No disinformation campaigns.", enforcement: "refuse", capabilities: ["*"], covers: ["fabricated news"] }] }, "");
    assert.equal(stricter.status, "pending");
  });

  test("only a nation-admin acts, and the offline record verifies; altering it breaks verification", async () => {
    const { g, sign, propose, verifiers } = await setup("all");
    await assert.rejects(g.propose({ ...admin("DEU"), roles: ["analyst"] }, g.bundle(), ""), /nation-admin/);
    const p = await propose();
    await g.approve(p.id, admin("FRA"), "", sign("FRA", p.text));
    await g.approve(p.id, admin("POL"), "", sign("POL", p.text));
    const history = [];
    for (const a of await g.history()) {
      const prop = a.proposal_id ? await g.get(a.proposal_id) : null;
      history.push({ version: a.version, parent: a.parent, bundle: await g.bundleByVersion(a.version), proposal_id: a.proposal_id, adopted_at: new Date(a.adopted_at).toISOString(), note: prop?.note ?? null });
    }
    const record: PolicyRecord = { version: g.version(), bundle: g.bundle(), history };
    const v = verifyPolicyRecord(record, verifiers, "t");
    assert.equal(v.ok, true, v.problem);
    assert.deepEqual(v.steps[1]?.signedBy, ["DEU", "FRA", "POL"]);
    const tampered = structuredClone(record) as { bundle: PolicyBundle } & PolicyRecord;
    tampered.bundle.oversight.approvals_required = 1;
    assert.equal(verifyPolicyRecord(tampered, verifiers).ok, false);
    // Drop POL's signature line: the quorum of the genesis bundle (all) no longer holds.
    const short = structuredClone(record) as PolicyRecord & { history: Array<{ note: string | null }> };
    short.history[1]!.note = short.history[1]!.note!.split("\n").filter((l) => !l.startsWith("\u2014 POL ")).join("\n");
    const r = verifyPolicyRecord(short, verifiers);
    assert.equal(r.ok, false);
    assert.match(r.problem ?? "", /quorum/);
  });
});

describe("consent governance: quorum N and silence (frozen clock)", () => {
  test("quorum 2: adopted at the second signed approval", async () => {
    const { g, sign, propose } = await setup(2);
    const p = await propose();
    assert.equal((await g.get(p.id)).status, "pending");
    assert.equal((await g.approve(p.id, admin("POL"), "", sign("POL", p.text))).status, "adopted");
  });

  test("quorum 2: objections that make 2 unreachable reject it", async () => {
    const { g, propose } = await setup(2);
    const p = await propose();
    await g.object(p.id, admin("FRA"), "");
    assert.equal((await g.get(p.id)).status, "pending");
    assert.equal((await g.object(p.id, admin("POL"), "")).status, "rejected");
  });

  test("silence: pending until the deadline, adopted exactly at it", async () => {
    const { g, clock, propose, genesis } = await setup({ mode: "silence", deadline: "72h" });
    const p = await propose();
    clock.t += 72 * HOUR - 1;
    await g.tick();
    assert.equal((await g.get(p.id)).status, "pending");
    assert.equal(g.version(), bundleHash(genesis));
    clock.t += 1;
    await g.tick();
    assert.equal((await g.get(p.id)).status, "adopted");
    assert.equal(g.version(), p.bundle_hash);
  });

  test("silence: a nation breaking silence blocks it, even after the deadline passes", async () => {
    const { g, clock, propose, genesis } = await setup({ mode: "silence", deadline: "72h" });
    const p = await propose();
    clock.t += 10 * HOUR;
    await g.object(p.id, admin("POL"), "breaking silence");
    clock.t += 100 * HOUR;
    await g.tick();
    assert.equal((await g.get(p.id)).status, "rejected");
    assert.equal(g.version(), bundleHash(genesis));
  });

  test("a proposal made on an older version is superseded when another is adopted first", async () => {
    const { g, sign, propose, changed } = await setup(2);
    const a = await propose();
    const b = await g.propose(admin("FRA"), { ...changed(), ceiling: "NATO UNCLASSIFIED", jurisdictions: { EU: ["DEU"] } }, "");
    await g.approve(a.id, admin("POL"), "", sign("POL", a.text));
    assert.equal(g.version(), a.bundle_hash);
    await g.tick();
    assert.equal((await g.get(b.id)).status, "superseded");
  });
});
