import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidRequest } from "../../errors/index.ts";
import { parseQuery, toFts5, toTsquery } from "./query.ts";

test("words, phrases, fields, exclusions and OR become FTS5 and tsquery expressions over stemmed terms", () => {
  const q = parseQuery('supplies "northern depots" title:bridge -convoy fuel OR diesel', ["eng"]);
  assert.equal(toFts5(q), '(("supplies" OR "suppli") AND ("northern depots" OR "northern depot") AND title : ("bridge" OR "bridg") AND ("fuel" OR "diesel")) NOT (("convoy" OR "convoi"))');
  assert.equal(toTsquery(q), "(('supplies') | ('suppli')) & (('northern' <-> 'depots') | ('northern' <-> 'depot')) & (('bridge':A) | ('bridg':A)) & (('fuel') | ('diesel')) & !(('convoy') | ('convoi'))");
  assert.deepEqual(q.words, ["supplies", "northern", "depots", "bridge", "fuel", "diesel"]);
});

test("query text cannot inject full-text syntax: only letters and digits reach the expression", () => {
  const q = parseQuery('depot" OR x NEAR(a b) * ^col:', ["eng"]);
  assert.doesNotMatch(toFts5(q), /NEAR|\*|\^|col:/);
  assert.doesNotMatch(toTsquery(q), /\*|\^/);
});

test("a query of only exclusions, or of too many parts, is refused", () => {
  assert.throws(() => parseQuery("-depot -fuel", ["eng"]), InvalidRequest);
  assert.throws(() => parseQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "), ["eng"]), InvalidRequest);
});
