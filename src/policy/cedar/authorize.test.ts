import { test } from "node:test";
import assert from "node:assert/strict";
import { createAuthorizer, PolicyError } from "../index.ts";

const analyst = { nation: "DEU", subject: "alice", roles: ["analyst"] };
const authorizer = createAuthorizer();

test("an analyst may use the workloads and plain or purposed chat", () => {
  for (const action of ["chat", "chat.intelligence_summary", "embeddings", "documents.search", "cyber.detect", "logistics.plan", "comms.translate"]) {
    assert.equal(authorizer.authorize({ principal: analyst, action }).decision, "allow", action);
  }
});

test("a chat purpose the schema does not list is evaluated as chat", () => {
  const d = authorizer.authorize({ principal: analyst, action: "chat.weather_poem" });
  assert.equal(d.decision, "allow");
  assert.equal(d.action, "chat");
});

test("an unknown capability is denied as forbidden", () => {
  const d = authorizer.authorize({ principal: analyst, action: "teleport" });
  assert.deepEqual([d.decision, d.code], ["deny", "forbidden"]);
});

test("admin capabilities follow roles: analysts no, auditors their own nation, alliance auditors all", () => {
  assert.equal(authorizer.authorize({ principal: analyst, action: "admin.audit" }).decision, "deny");
  const auditor = { nation: "DEU", subject: "bob", roles: ["auditor"] };
  assert.equal(authorizer.authorize({ principal: auditor, action: "admin.audit", resource: { kind: "audit", nation: "DEU" } }).decision, "allow");
  assert.equal(authorizer.authorize({ principal: auditor, action: "admin.audit", resource: { kind: "audit", nation: "FRA" } }).decision, "deny");
  const allianceAuditor = { nation: "BEL", subject: "eve", roles: ["alliance-auditor"] };
  assert.equal(authorizer.authorize({ principal: allianceAuditor, action: "admin.audit", resource: { kind: "audit", nation: "FRA" } }).decision, "allow");
  const reviewer = { nation: "FRA", subject: "rex", roles: ["reviewer"] };
  assert.equal(authorizer.authorize({ principal: reviewer, action: "admin.reviews" }).decision, "allow");
  assert.equal(authorizer.authorize({ principal: reviewer, action: "admin.policy" }).decision, "deny");
});

test("red lines override every permit and name their refusal code", () => {
  const prohibited = authorizer.authorize({ principal: analyst, action: "chat", context: { prohibited: { reason: "targeting" } } });
  assert.deepEqual([prohibited.decision, prohibited.code, prohibited.reasons], ["deny", "prohibited_use", ["forbid-prohibited-use"]]);
  const marked = authorizer.authorize({ principal: analyst, action: "chat", context: { maxLevel: "NATO SECRET" } });
  assert.deepEqual([marked.decision, marked.code], ["deny", "classification_exceeded"]);
  const ok = authorizer.authorize({ principal: analyst, action: "chat", context: { maxLevel: "NATO UNCLASSIFIED" } });
  assert.equal(ok.decision, "allow");
});

test("documents are read only by nations they are releasable to", () => {
  const doc = { kind: "document", nation: "FRA", releasableTo: ["FRA", "BEL"] };
  assert.equal(authorizer.authorize({ principal: analyst, action: "documents.search", resource: doc }).decision, "deny");
  assert.equal(authorizer.authorize({ principal: { ...analyst, nation: "BEL" }, action: "documents.search", resource: doc }).decision, "allow");
});

test("a nation's policies restrict its own principals only", () => {
  const withDeu = createAuthorizer({ policies: { nations: { DEU: '@id("no-comms")\nforbid (principal, action == Concord::Action::"comms.analyze", resource);' } } });
  const d = withDeu.authorize({ principal: analyst, action: "comms.analyze" });
  assert.deepEqual([d.decision, d.reasons], ["deny", ["DEU.no-comms"]]);
  assert.equal(withDeu.authorize({ principal: { ...analyst, nation: "FRA" }, action: "comms.analyze" }).decision, "allow");
  assert.notEqual(withDeu.policyVersion, authorizer.policyVersion);
});

test("a nation's permit is refused: nation policies may only forbid", () => {
  assert.throws(() => createAuthorizer({ policies: { nations: { DEU: "permit (principal, action, resource);" } } }), (err: unknown) => err instanceof PolicyError && /may only forbid/.test(err.message));
});

test("policies that do not validate against the schema are refused", () => {
  assert.throws(() => createAuthorizer({ policies: { nations: { DEU: "forbid (principal, action, resource) when { principal.rank > 2 };" } } }), /do not validate/);
});

test("the policy version is the SHA-256 of the bundle and is stable", () => {
  assert.match(authorizer.policyVersion, /^[0-9a-f]{64}$/);
  assert.equal(createAuthorizer().policyVersion, authorizer.policyVersion);
});
