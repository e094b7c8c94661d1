import { test } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../config/index.ts";
import { bundleFromConfig, coversCapability, redLineWeakenings, type PolicyBundle } from "./bundle.ts";

const base = bundleFromConfig(parseConfig({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } } }, "test"));
const withScopes = (scopes: string[]): PolicyBundle => ({ ...structuredClone(base), prohibited_uses: base.prohibited_uses.map((r) => (r.id === "targeting" ? { ...r, capabilities: scopes } : r)) });

test("capability scopes: * covers all, x.* covers the family x and its members, nothing else", () => {
  assert.ok(coversCapability(["*"], "chat.anything"));
  assert.ok(coversCapability(["comms.*"], "comms.analyze"));
  assert.ok(coversCapability(["comms.*"], "comms"));
  assert.ok(!coversCapability(["comms.*"], "communications"));
  assert.ok(!coversCapability(["chat"], "chat.intelligence_summary"));
});

test("red lines ratchet: widening a rule's scope or adding covered requests passes, narrowing is named", () => {
  const narrow = withScopes(["comms.*", "chat.*"]);
  assert.deepEqual(redLineWeakenings(narrow, withScopes(["*"])), []);
  assert.deepEqual(redLineWeakenings(narrow, withScopes(["comms.*", "chat.*", "documents.*"])), []);
  assert.match(redLineWeakenings(narrow, withScopes(["comms.analyze", "chat.*"])).join(), /no longer applies to comms\.\*/);
  assert.match(redLineWeakenings(withScopes(["*"]), withScopes(["comms.*"])).join(), /no longer applies to \*/);
  const more = structuredClone(base);
  more.prohibited_uses[2]!.covers.push("battle damage assessment for re-strike");
  assert.deepEqual(redLineWeakenings(base, more), []);
  assert.match(redLineWeakenings(more, base).join(), /drops from targeting: "battle damage assessment for re-strike"/);
});

test("covered requests compare without regard to case and spacing, so rewording whitespace is no weakening", () => {
  const reworded = structuredClone(base);
  reworded.prohibited_uses[0]!.covers = reworded.prohibited_uses[0]!.covers.map((c) => `  ${c.toUpperCase()} `);
  assert.deepEqual(redLineWeakenings(base, reworded), []);
});

test("a lower ceiling is allowed, a higher one never", () => {
  assert.deepEqual(redLineWeakenings({ ...base, ceiling: "NATO RESTRICTED" }, base), []);
  assert.match(redLineWeakenings(base, { ...base, ceiling: "COSMIC TOP SECRET" }).join(), /raises the classification ceiling/);
});
