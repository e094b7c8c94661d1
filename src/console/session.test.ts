import { test } from "node:test";
import assert from "node:assert/strict";
import { sameSecret, SessionStore } from "./session.ts";

const user = (tokenExpiresAt: number) => ({ token: "t", nation: "DEU", subject: "anna", roles: ["analyst"], tokenExpiresAt });

test("a session idle longer than the timeout is gone; each request restarts the idle clock", () => {
  let now = 1_000_000;
  const s = new SessionStore(15 * 60_000, () => now);
  const a = s.create();
  now += 14 * 60_000;
  assert.equal(s.get(a.id)?.id, a.id);
  now += 14 * 60_000;
  assert.equal(s.get(a.id)?.id, a.id, "touched 14 minutes ago: still alive");
  now += 15 * 60_000 + 1;
  assert.equal(s.get(a.id), undefined);
  assert.equal(s.get(a.id), undefined, "and forgotten");
});

test("a signed-in session ends when its bearer token expires, even while active", () => {
  let now = 0;
  const s = new SessionStore(60_000, () => now);
  const signed = s.rotate(s.create(), user(30_000));
  now = 29_000;
  assert.ok(s.get(signed.id));
  now = 30_000;
  assert.equal(s.get(signed.id), undefined);
});

test("signing in rotates the id and the CSRF token: the pre-sign-in id no longer finds the session", () => {
  const s = new SessionStore(60_000);
  const anon = s.create({ locale: "fr" });
  const signed = s.rotate(anon, user(Date.now() + 60_000));
  assert.notEqual(signed.id, anon.id);
  assert.notEqual(signed.csrf, anon.csrf);
  assert.equal(s.get(anon.id), undefined);
  assert.equal(s.get(signed.id)?.user?.subject, "anna");
  assert.equal(s.get(signed.id)?.locale, "fr");
  s.destroy(signed.id);
  assert.equal(s.get(signed.id), undefined);
});

test("ids and CSRF tokens are 256-bit random; secrets compare in constant time and by exact value", () => {
  const s = new SessionStore(60_000);
  const a = s.create();
  assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
  assert.match(a.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(s.create().id, a.id);
  assert.equal(sameSecret(a.csrf, a.csrf), true);
  assert.equal(sameSecret(a.csrf, a.csrf.slice(1)), false);
  assert.equal(sameSecret("", a.csrf), false);
});

test("a flood of anonymous sessions is capped: the oldest are dropped first", () => {
  const s = new SessionStore(60_000, Date.now, 3);
  const first = s.create();
  for (let i = 0; i < 5; i++) s.create();
  assert.ok(s.size <= 3);
  assert.equal(s.get(first.id), undefined);
});
