import { test } from "node:test";
import assert from "node:assert/strict";
import { findPersonalData } from "./detect.ts";

const names = (text: string) => findPersonalData(text).filter((m) => m.kind === "NAME").map((m) => text.slice(m.start, m.end));

test("a person named in full is found again by one of their names, declined or in the possessive", () => {
  assert.deepEqual(names("Anna Kowalska otworzyła spotkanie. Potem Kowalska przedstawiła plan, a zespół Kowalskiej go przyjął."), ["Anna Kowalska", "Kowalska", "Kowalskiej"]);
  assert.deepEqual(names("Stefan Müller schreibt. Müllers Bericht kam gestern."), ["Stefan Müller", "Müllers"]);
});

test("only names the text itself gave are followed, and words like them that are longer are not", () => {
  assert.deepEqual(names("Kowalska then said it was fine."), []);
  // "Maria" may be declined by two letters at most: "Marianne" is someone else.
  assert.deepEqual(names("Maria Rossi arrived. Marianne left."), ["Maria Rossi"]);
});

test("in a line written all in lower case, a listed given name is a name; everyday words and code identifiers are not", () => {
  assert.deepEqual(names("ok zeynep, yarin dokuzda buradayim"), ["zeynep"]);
  assert.deepEqual(names("let max_retries = 3; for item in items do nothing"), []);
  assert.deepEqual(names("Mihai arrives tomorrow."), []);
});
