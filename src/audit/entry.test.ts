import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson, encodeEntry } from "./entry.ts";

const entry = {
  time: "2026-11-25T10:00:00.000Z",
  nation: "DEU",
  subject: "analyst@de",
  action: "chat",
  decision: "allow",
  reason: "ok",
  policy_version: "sha256:abc",
  endpoint: "eu-vllm",
  jurisdiction: "DEU",
  request_sha256: "a".repeat(64),
  response_sha256: "b".repeat(64),
};

test("canonical JSON sorts keys by UTF-16 code units and uses ECMAScript number and string forms (RFC 8785)", () => {
  // Values from RFC 8785 §3.2.2/§3.2.3 examples: numbers and key order.
  assert.equal(canonicalJson({ b: [1e21, 1e-7, -0, 0.000001], a: "\u20ac$\u000f\nA'B\"\\\\\"/" }), '{"a":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","b":[1e+21,1e-7,0,0.000001]}');
  assert.equal(canonicalJson({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "1": 4, "\u00f6": 5 }), '{"\\r":2,"1":4,"ö":5,"€":1,"😀":3}');
  assert.equal(canonicalJson({ z: { y: null, x: [true, false] } }), '{"z":{"x":[true,false],"y":null}}');
  // Integer-like keys, which engines otherwise list first in numeric order, still sort as strings.
  assert.equal(canonicalJson({ b: 1, "10": 2, "9": 3, a: [{ "2": 0, "1": 0 }] }), '{"10":2,"9":3,"a":[{"1":0,"2":0}],"b":1}');
  assert.throws(() => canonicalJson({ a: Number.NaN }), /NaN/);
});

test("an entry encodes to canonical bytes whatever the key order it arrived in", () => {
  const reversed = Object.fromEntries(Object.entries(entry).reverse());
  assert.deepEqual(encodeEntry(reversed).bytes, encodeEntry(entry).bytes);
  assert.ok(encodeEntry(entry).bytes.toString().startsWith('{"action":"chat","decision":"allow","endpoint":"eu-vllm"'));
  assert.ok(encodeEntry({ ...entry, review_id: "rev_1" }).bytes.includes('"review_id":"rev_1"'));
});

test("an entry missing a field, with a bad digest or an unknown decision is refused naming the field", () => {
  const { reason: _drop, ...noReason } = entry;
  assert.throws(() => encodeEntry(noReason), /reason/);
  assert.throws(() => encodeEntry({ ...entry, request_sha256: "xyz" }), /request_sha256/);
  assert.throws(() => encodeEntry({ ...entry, decision: "maybe" }), /decision/);
  assert.throws(() => encodeEntry({ ...entry, nation: "de" }), /nation/);
});
