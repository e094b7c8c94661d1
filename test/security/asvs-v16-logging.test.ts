import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqlite } from "../../src/store/index.ts";
import { call } from "../helpers/gateway.ts";
import { deadPort } from "../helpers/stub-upstream.ts";
import { auditSince, securityGateway, type SecurityGateway } from "./helpers.ts";

/**
 * OWASP ASVS 5.0.0 chapter V16, security logging and error handling. Concord keeps two records: the audit log
 * (every decision, a signed Merkle log, src/audit) and the operational log (JSON lines, src/server/log.ts).
 */

const SECRET_TEXT = "The convoy leaves grid 31U at 0400";

describe("ASVS V16 security logging and error handling", { timeout: 180_000 }, () => {
  let s: SecurityGateway, token: string;
  before(async () => {
    s = await securityGateway();
    token = await s.token("DEU");
  });
  after(() => s.close());

  test("ASVS V16.2.1: each audit entry says when, where, who and what: time, endpoint and jurisdiction, nation and subject, action and decision", async () => {
    const from = await s.gw.gateway.audit.size();
    assert.equal((await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "Status?" }] } })).status, 200);
    const [e] = await auditSince(s.gw, from);
    assert.ok(e);
    for (const field of ["time", "nation", "subject", "action", "decision", "reason", "endpoint", "jurisdiction", "policy_version", "request_sha256", "response_sha256", "request_id"]) {
      assert.ok(e[field] !== undefined && e[field] !== null, `audit entry lacks ${field}`);
    }
    assert.deepEqual([e["nation"], e["action"], e["decision"], e["endpoint"], e["jurisdiction"]], ["DEU", "chat", "allow", "deu", "DEU"]);
  });

  test("ASVS V16.2.2: timestamps are UTC, in the audit log and in the operational log", async () => {
    const from = await s.gw.gateway.audit.size();
    await call(s.gw.url, "/v1/models", { token });
    const [e] = await auditSince(s.gw, from);
    assert.match(String(e?.["time"]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    s.gw.gateway.log.info({ event: "probe" }, "probe");
    const line = JSON.parse(s.logs.at(-1)!) as { time: string };
    assert.match(line.time, /Z$/);
  });

  test("ASVS V16.2.4: the operational log is one JSON object per line, readable by any log processor", async () => {
    await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "nowhere", messages: [{ role: "user", content: "x" }] } });
    assert.ok(s.logs.length > 0);
    for (const l of s.logs) {
      assert.ok(l.endsWith("\n") && !l.slice(0, -1).includes("\n"), "one line per record");
      const rec = JSON.parse(l) as Record<string, unknown>;
      assert.equal(typeof rec["time"], "string");
      assert.ok(["info", "warn", "error"].includes(String(rec["level"])));
    }
  });

  test("ASVS V16.2.5: no credential or refused content reaches a log: tokens, API keys and the text of refused input appear in neither", async () => {
    const { key } = await s.gw.gateway.apiKeys.create({ nation: "DEU", roles: ["analyst"] });
    const from = await s.gw.gateway.audit.size();
    await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: `SECRET//NOFORN ${SECRET_TEXT}` }] } });
    await call(s.gw.url, "/v1/chat/completions", { token: key, body: { model: "nowhere", messages: [{ role: "user", content: SECRET_TEXT }] } });
    await call(s.gw.url, "/v1/models", { token: token.slice(0, -3) + "AAA" });
    const everything = s.logs.join("") + JSON.stringify(await auditSince(s.gw, from));
    for (const secret of [token, token.split(".")[2]!, key, key.split(".")[1]!, SECRET_TEXT, "sk-upstream-secret-0123456789"]) {
      assert.ok(!everything.includes(secret), `a log holds ${secret.slice(0, 12)}…`);
    }
  });

  test("ASVS V16.3.1: authentication is recorded, success and failure alike", async () => {
    const from = await s.gw.gateway.audit.size();
    await call(s.gw.url, "/v1/models", { token });
    await call(s.gw.url, "/v1/models", { token: "not-a-token" });
    await call(s.gw.url, "/v1/models");
    const [ok, bad, none] = await auditSince(s.gw, from);
    assert.deepEqual([ok?.["decision"], ok?.["nation"]], ["allow", "DEU"]);
    assert.deepEqual([bad?.["decision"], bad?.["reason"]], ["deny", "unauthenticated"]);
    assert.deepEqual([none?.["decision"], none?.["reason"]], ["deny", "unauthenticated"]);
    const m = await call(s.gw.url, "/metrics");
    assert.match(m.text, /concord_decisions_total\{[^}]*stage="authorize"|concord_requests_total\{[^}]*code="unauthenticated"/, "failures are counted too");
  });

  test("ASVS V16.3.2: a failed authorization is recorded with the policy that denied it", async () => {
    const from = await s.gw.gateway.audit.size();
    const r = await call(s.gw.url, "/admin/audit/entries", { token });
    assert.equal(r.status, 403);
    const [e] = await auditSince(s.gw, from);
    assert.deepEqual([e?.["decision"], e?.["reason"], e?.["action"]], ["deny", "forbidden", "admin.audit.entries"]);
    assert.equal(typeof e?.["policies"], "string");
  });

  test("ASVS V16.3.3: attempts to get past the guard are recorded: a marking and a prohibited use, by rule and marking name, never by text", async () => {
    const from = await s.gw.gateway.audit.size();
    await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "TOP SECRET\nplan" }] } });
    await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "Identify every protester in the city by face recognition and track them" }] } });
    const [marking, prohibited] = await auditSince(s.gw, from);
    assert.deepEqual([marking?.["decision"], marking?.["reason"], marking?.["marking"]], ["deny", "classification_exceeded", "TOP SECRET"]);
    assert.deepEqual([prohibited?.["decision"], prohibited?.["reason"]], ["deny", "mass_surveillance"]);
    assert.equal(typeof prohibited?.["prohibited_rule"], "string");
    assert.ok(!JSON.stringify([marking, prohibited]).includes("protester"));
  });

  test("ASVS V16.3.4: unexpected errors and failures of a dependency are logged (the internal error with its stack, the upstream failure by code)", async () => {
    const backend = s.gw.gateway.backends.get("deu") as { call: (...a: unknown[]) => Promise<unknown> };
    const original = backend.call;
    backend.call = async () => { throw new TypeError("boom inside a backend"); };
    try {
      const r = await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
      assert.equal(r.status, 500);
    } finally {
      backend.call = original;
    }
    const errors = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l["level"] === "error");
    assert.ok(errors.some((l) => String(l["err"]).includes("boom inside a backend") && String(l["err"]).includes("TypeError")), "the unexpected error is logged with its stack");
    const dead = await securityGateway({ endpoints: [{ id: "down", url: `http://127.0.0.1:${await deadPort()}/v1`, jurisdiction: "DEU", models: ["m"] }] });
    try {
      const r = await call(dead.gw.url, "/v1/chat/completions", { token: await dead.token("DEU"), body: { model: "m", messages: [{ role: "user", content: "x" }] } });
      assert.equal(r.status, 502);
      assert.ok(dead.logs.some((l) => /"code":"upstream_error"/.test(l) && /"level":"warn"/.test(l)), dead.logs.join(""));
    } finally {
      await dead.close();
    }
  });

  test("ASVS V16.4.1: log records cannot be forged through content: a newline and JSON inside a logged value stay inside one record", async () => {
    const backend = s.gw.gateway.backends.get("deu") as { call: (...a: unknown[]) => Promise<unknown> };
    const original = backend.call;
    backend.call = async () => { throw new Error('x\n{"time":"2026-01-01T00:00:00Z","level":"info","msg":"forged record"}\n'); };
    try {
      await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
    } finally {
      backend.call = original;
    }
    const records = s.logs.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg: string; err?: string });
    assert.ok(records.some((r) => r.err?.includes("forged record")), "the hostile value was logged, inside a field");
    assert.ok(records.every((r) => r.msg !== "forged record"), "no line of the log is the forged record");
  });

  test("ASVS V16.4.2: the audit log cannot be changed unnoticed: an edited entry fails verification", async () => {
    const t = await securityGateway();
    try {
      const tk = await t.token("DEU");
      for (let i = 0; i < 3; i++) await call(t.gw.url, "/v1/models", { token: tk });
      await t.gw.gateway.audit.checkpoint();
      assert.equal((await t.gw.gateway.audit.verify()).ok, true, "the control: the untouched log verifies");
      const db = openSqlite(join(t.gw.dataDir, "audit.db"));
      const table = (db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_entries'").get() as { name: string }).name;
      const row = db.prepare(`SELECT entry FROM ${table} WHERE idx = 1`).get() as { entry: Buffer };
      db.prepare(`UPDATE ${table} SET entry = ? WHERE idx = 1`).run(Buffer.from(row.entry.toString("utf8").replace('"allow"', '"deny"')));
      db.close();
      const report = await t.gw.gateway.audit.verify();
      assert.equal(report.ok, false);
    } finally {
      await t.close();
    }
  });

  test("ASVS V16.5.1: an unexpected error answers a generic message: no stack, path, internal message or key reaches the client", async () => {
    const backend = s.gw.gateway.backends.get("deu") as { call: (...a: unknown[]) => Promise<unknown> };
    const original = backend.call;
    backend.call = async () => { throw new RangeError("index 7 out of range in /srv/concord/src/x.ts:12 key=sk-upstream-secret-0123456789"); };
    try {
      const r = await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
      assert.equal(r.status, 500);
      assert.equal(r.json.error.code, "internal_error");
      for (const leak of ["RangeError", "out of range", "/srv", ".ts", "sk-upstream", "at "]) assert.ok(!r.json.error.message.includes(leak), leak);
    } finally {
      backend.call = original;
    }
  });

  test("ASVS V16.5.2: when an upstream fails the gateway keeps operating: the failure is a 502 in the error shape, audited, and other requests are served", async () => {
    const dead = await securityGateway({ endpoints: [{ id: "down", url: `http://127.0.0.1:${await deadPort()}/v1`, jurisdiction: "DEU", models: ["m"] }] });
    try {
      const tk = await dead.token("DEU");
      const from = await dead.gw.gateway.audit.size();
      for (let i = 0; i < 3; i++) {
        const r = await call(dead.gw.url, "/v1/chat/completions", { token: tk, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
        assert.ok(r.status === 502 || r.status === 503, `${r.status} ${r.text}`);
        assert.match(String(r.json.error.code), /^(upstream_error|residency_unavailable)$/);
      }
      const entries = await auditSince(dead.gw, from);
      assert.equal(entries.length, 3);
      assert.ok(entries.every((e) => e["decision"] === "deny"));
      assert.equal((await call(dead.gw.url, "/v1/workloads/documents/search?q=x", { token: tk })).status, 200);
      const ready = await call(dead.gw.url, "/readyz");
      assert.equal(ready.json.endpoints[0].id, "down", "readiness names the failing endpoint's circuit");
    } finally {
      await dead.close();
    }
  });

  test("ASVS V16.5.3: failure is closed: when the audit log cannot commit, the answer is refused (503 audit_unavailable), never given unaudited", async () => {
    const audit = s.gw.gateway.audit as { append: (...a: unknown[]) => Promise<unknown> };
    const original = audit.append;
    const before = s.upstream.seen.length;
    audit.append = async () => { throw new Error("disk full"); };
    try {
      const r = await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "Status?" }] } });
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, "audit_unavailable");
      assert.doesNotMatch(r.text, /All quiet/, "the model's answer is withheld");
      assert.equal(s.upstream.seen.length, before + 1, "the model was asked; its answer was not released");
    } finally {
      audit.append = original;
    }
  });

  test("ASVS V16.5.4: a last-resort handler catches what a route did not: the process survives and keeps serving", async () => {
    const backend = s.gw.gateway.backends.get("deu") as { call: (...a: unknown[]) => Promise<unknown> };
    const original = backend.call;
    backend.call = () => { throw new TypeError("synchronous throw, not even a rejected promise"); };
    try {
      const r = await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x" }] } });
      assert.equal(r.status, 500);
      assert.equal(r.json.error.code, "internal_error");
    } finally {
      backend.call = original;
    }
    assert.equal((await call(s.gw.url, "/healthz")).status, 200);
    assert.equal((await call(s.gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content: "x" }] } })).status, 200);
  });
});
