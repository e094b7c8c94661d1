import { test } from "node:test";
import assert from "node:assert/strict";
import { scanMarkings } from "../index.ts";

const names = (text: string) => scanMarkings(text).map((f) => f.marking);

test("a marking in a table cell under a classification column is found: CSV, semicolons, Markdown, fixed width", () => {
  assert.deepEqual(names("doc;date;gradering;from\nPlan A;2026-01-12;HEMMELIG;FOH\nMenu;2026-01-16;UGRADERT;FB"), ["HEMMELIG"]);
  assert.deepEqual(names('no,subject,classification\n1,"Fuel, north",SECRET\n2,Canteen,UNCLASSIFIED'), ["SECRET"]);
  assert.deepEqual(names("| Nr | Betreff | Einstufung |\n|---|---|---|\n| 1 | Übung | **GEHEIM** |"), ["GEHEIM"]);
  assert.deepEqual(names("NO.    SUBJECT              STOPNJA\n---    -------------------  -------\n12     Fuel supply 2027     ZAUPNO"), ["ZAUPNO"]);
  // Title case in a labelled column counts too, as it would after "Classification:".
  assert.deepEqual(names("title\tgizlilik\nYakıt planı\tHizmete Özel"), ["HİZMETE ÖZEL"]);
});

test("the same words in other columns, after the table ends, or sharing a cell with other text are not markings", () => {
  assert.deepEqual(names("item;status;classification\nballot;SECRET;UNCLASSIFIED"), []);
  assert.deepEqual(names("name,classification\nA,UNCLASSIFIED\n\nThe SECRET of good bread, by ANNA"), []);
  assert.deepEqual(names("recipe,classification\nbread,SECRET family recipe"), []);
  assert.deepEqual(names("game,rating\nSECRET,great fun"), []);
});

test("a marking opening a subject line and set off by a dash, bar or line end is found; a phrase starting there is not", () => {
  assert.deepEqual(names("From: J3\nSubject: SECRET – exercise plan\n\nSee attached."), ["SECRET"]);
  assert.deepEqual(names("Onderwerp: RE: Dep. VERTROUWELIJK | rooster oefening"), ["DEPARTEMENTAAL VERTROUWELIJK"]);
  assert.deepEqual(names("Betreff: GEHEIM\nText"), ["GEHEIM"]);
  assert.deepEqual(names("Subject: SECRET Santa – who buys for whom"), []);
  assert.deepEqual(names("Subject: the secret ballot – results"), []);
  assert.deepEqual(names("Notes: SECRET – exercise plan"), []);
});
