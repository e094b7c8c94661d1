// Held-out personal data (test/policy/heldout/personal.jsonl): 200 texts in ten languages, written in session 4 by
// a writer who never saw the detector (120 with 248 items of personal data, every check digit computed and
// cross-checked by two programs; 80 look-alikes: numbers failing their checks, order and tracking numbers, NATO stock
// numbers, ISBNs, quantities, places and firms named like people). On arrival the detector found: names 56/75,
// phones 42/56, IBANs 20/22, SSNs 8/10, Steuer-IDs 9/10, every email, card, PESEL, NINO, NIR and codice fiscale;
// 2/80 look-alikes had a finding. Its misses were then used for development (lower-case IBANs, phones after a phone
// word, spaced SSNs after "SSN", titles with given name and surname, hyphenated and accented given names,
// particles, a larger gazetteer), so the floors below are development figures, not unseen ones.
// The one Steuer-ID missed is written 71/409/626/566, the layout of a tax number (Steuernummer), not of the ID.
// The look-alike still flagged ("Santiago de Compostela") is clean since the place-name rule of the second batch.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { findPersonalData } from "../../src/policy/index.ts";

interface Item { id: string; lang: string; text: string; expect: { type: string; value: string }[]; note?: string }
const load = (file: string) => readFileSync(new URL(`./heldout/${file}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item);

/** Each type found at least at its floor (a finding that holds the value, or 60% of it), look-alikes at most `lookAlikes` flagged. */
function measure(t: TestContext, items: Item[], floors: Record<string, number>, lookAlikes: number): void {
  const found: Record<string, number> = {};
  const total: Record<string, number> = {};
  // The same counts over the items without a writer's note (personal-3 notes surnames alone in their own field).
  const foundPlain: Record<string, number> = {};
  const totalPlain: Record<string, number> = {};
  const missed: string[] = [];
  let lookAlikesFlagged = 0;
  for (const item of items) {
    const spans = findPersonalData(item.text).map((m) => item.text.slice(m.start, m.end));
    if (item.expect.length === 0 && spans.length > 0) lookAlikesFlagged++;
    for (const e of item.expect) {
      total[e.type] = (total[e.type] ?? 0) + 1;
      if (item.note === undefined) totalPlain[e.type] = (totalPlain[e.type] ?? 0) + 1;
      const hit = spans.some((s) => s.includes(e.value) || (e.value.includes(s) && s.length >= e.value.length * 0.6));
      if (hit) found[e.type] = (found[e.type] ?? 0) + 1;
      if (hit && item.note === undefined) foundPlain[e.type] = (foundPlain[e.type] ?? 0) + 1;
      if (!hit) missed.push(`${item.id} ${e.type}`);
    }
  }
  t.diagnostic(`found: ${Object.keys(total).map((k) => `${k} ${found[k] ?? 0}/${total[k]}`).join(", ")}; look-alikes with a finding ${lookAlikesFlagged}/${items.filter((i) => i.expect.length === 0).length}`);
  t.diagnostic(`without the items that carry a note: ${Object.keys(totalPlain).map((k) => `${k} ${foundPlain[k] ?? 0}/${totalPlain[k]}`).join(", ")}`);
  t.diagnostic(`missed: ${missed.join(", ") || "none"}`);
  for (const [type, floor] of Object.entries(floors)) assert.ok((found[type] ?? 0) >= floor, `${type}: ${found[type] ?? 0} found, floor ${floor}`);
  assert.ok(lookAlikesFlagged <= lookAlikes, `${lookAlikesFlagged} look-alikes had a finding, at most ${lookAlikes}`);
}

test("held-out personal data: each type is found at its floor, and look-alikes mostly yield nothing", (t) => {
  // At least this many of each type found, as reached.
  measure(t, load("personal.jsonl"), { name: 75, phone: 56, iban: 22, email: 22, card: 13, pesel: 10, nino: 10, nir: 10, codice_fiscale: 10, ssn: 10, steuer_id: 9 }, 0);
});

// Second held-out batch (test/policy/heldout/personal-2.jsonl): 200 texts in some twenty member languages by a writer
// who never saw the detector (130 with 328 items of personal data; 70 look-alikes: identifiers failing their checks,
// order, tracking and serial numbers, amounts, dates, coordinates, places and brands). Measured once on arrival, the unseen figures: names 123/137, phones
// 55/69, IBANs 30/30, SSNs 9/10, NIR 9/9, NINO 10/10, emails 20/20, codici fiscali 11/11, PESEL 10/10, cards 12/12,
// Steuer-IDs 10/10; 3/70 look-alikes had a finding ("Santiago de Compostela", "Mercedes-Benz Sprinter", "Maria
// Novella" after "Santa"). Its misses were then used for development (given names in Greek and Cyrillic script,
// upper-case names on forms, Hungarian family-name-first order, declined Slavic given names, everyday-word given
// names after "she is", a few more given names; phone layouts of member nations without a phone word, phone words
// in Greek and Cyrillic, "00 44" with a space, extensions; nine-digit SSNs after an SSN cue; place heads and brands
// are not names), so the floors below are development figures, not unseen ones.
test("held-out personal data, second batch: each type is found at its floor, and look-alikes yield nothing", (t) => {
  measure(t, load("personal-2.jsonl"), { name: 137, phone: 69, iban: 30, ssn: 10, nir: 9, nino: 10, email: 20, codice_fiscale: 11, pesel: 10, card: 12, steuer_id: 10 }, 0);
});

// Third held-out batch (test/policy/heldout/personal-3.jsonl): 200 texts in 19 languages by a writer who never
// saw the detector (130 with 523 items; 70 look-alikes). Its conventions: names as written, "Surname, Given" in
// headers and tables, a given name alone after a greeting or in a chat message, and surnames alone in their own
// CSV/JSON field (those items carry a "note": no gazetteer finds a surname alone). Measured once on arrival, the
// unseen figures: names 138/241 (133/172 without the noted items), phones 105/110, NINO 13/13, NIR 10/10, codici
// fiscali 9/9, IBANs 41/41, emails 53/53, SSNs 11/11, cards 10/10, Steuer-IDs 12/12, PESEL 13/13; 2/70 look-alikes
// had a finding ("Albert Heijn", "Romeo Giulia Quadrifoglio" of L'Alfa Romeo). Its misses were then used for
// development (values of name and phone fields: JSON keys, key=value, form labels, table columns; "Surname, Given";
// a given name alone after a greeting or in a chat message; given names of the Baltic, Finnish, Czech, Hungarian,
// Greek, Portuguese, Dutch, Irish and Welsh lists; Polish mobiles in dashes, Greek mobiles, SMS as a phone word;
// a given name inside a brand), so the floors below are development figures, not unseen ones. The one phone still
// missed, "Aflysning på 59 57 57 99", is four bare pairs with no phone word: bare pairs are read as amounts or parts.
test("held-out personal data, third batch: each type is found at its floor, and look-alikes yield nothing", (t) => {
  measure(t, load("personal-3.jsonl"), { name: 241, phone: 109, nino: 13, nir: 10, codice_fiscale: 9, iban: 41, email: 53, ssn: 11, card: 10, steuer_id: 12, pesel: 13 }, 0);
});

// Fourth held-out batch (test/policy/heldout/personal-4.jsonl, end of session 5): 150 texts in 14 languages (100
// with 146 items, names written "Given Surname"; 50 look-alikes with check digits one off, never-issued SSN areas
// and NINO prefixes, order and tracking numbers, ISBNs, places) by a writer who never saw the detector or earlier
// batches. Measured once on arrival, after every session-5 change, and never read since: phones 24/25, every other
// type in full (names 44/44, emails 16/16, IBANs 16/16, cards 10/10, PESEL 8/8, Steuer-IDs 7/7, NIR 7/7, codici
// fiscali 7/7, NINO 7/7, SSNs 6/6); 0/50 look-alikes had a finding. The unseen figure of session 5.
test("held-out personal data, fourth batch (unseen): each type is found at its floor, and look-alikes yield nothing", (t) => {
  measure(t, load("personal-4.jsonl"), { name: 44, phone: 24, email: 16, iban: 16, card: 10, pesel: 8, steuer_id: 7, nir: 7, codice_fiscale: 7, nino: 7, ssn: 6 }, 0);
});

// Fifth held-out batch (test/policy/heldout/personal-5.jsonl, session 6): 150 texts in 25 languages by a writer who
// never saw the detector: 100 national identifiers of 27 nations (28 kinds), each generated from its check rule and
// verified by a second implementation, in forms, letters, chats and CSV rows; 50 look-alikes (a wrong check digit, an
// impossible date with a right check, order numbers and the like). Measured once on arrival, right after the national
// identifiers landed: 84/100 found (83 of the right kind), 3/50 look-alikes flagged. Then used: a column header labels
// the cells under it (the markings' register reader, markings/columns.ts), a label up to 60 characters before the number on its line
// counts, a comma opens a CSV cell, a PESEL's date must exist. Still missed: a CPR and an SSN in CSV rows after a
// numeric cell (read as a decimal comma), a CPR whose label is followed by a date, a Corsican NIR with its key set
// apart, and one matricule that fails the Verhoeff check the published example (1893120105732) passes. A matricule in
// spaced groups is found since session 7, next to its label; the TAJ look-alike once read as a phone number is not
// flagged since session 7 (a national identifier's label before a number).
test("held-out personal data, fifth batch (national identifiers): each kind at its floor, look-alikes within theirs", (t) => {
  measure(t, load("personal-5.jsonl"), {
    amka: 3, asmens_kodas: 3, bsn: 4, cnp: 4, codice_fiscale: 4, cpr: 2, dni: 3, egn: 3, emso: 3, fodselsnummer: 4, hetu: 4, isikukood: 3,
    kennitala: 3, matricule: 2, nie: 2, nif: 4, nino: 3, nir: 3, oib: 4, personas_kods: 3, personnummer: 4, pesel: 4, rodne_cislo: 6, sin: 4,
    ssn: 2, steuer_id: 4, taj: 3, tckn: 4,
  }, 0);
});

// Sixth held-out batch (test/policy/heldout/personal-6.jsonl, session 7): 150 texts in 27 languages by a writer who
// never saw the detector: 100 with 257 items (emails with plus-addressing and internationalised addresses, phone
// numbers of 28 nations as locals write them, IBANs of 27 nations, cards of three issuers, names in running text;
// every check digit computed and verified by a second implementation and three npm validators), 50 look-alikes.
// Measured once on arrival, the unseen figures: names 99/102, phones 63/73, emails 53/55, IBANs 33/33, cards 17/17;
// 3/50 look-alikes flagged ("Victoria Barracks", "Leonardo S.p.A.", a case number after "2024/"). Then used: two-digit
// trunk codes (Rome, Milan), Swedish 3-3-2, Belgian slash and dots, 2-3-2-2 groups (Madrid, Warsaw), US dotted
// numbers, contact and Portuguese line words as phone cues, internationalised emails, display names of mailboxes,
// common Hungarian family names before a given name, firms' legal forms and barracks. Still missed: a Greek landline
// 30 characters after its contact word, and a seven-digit Icelandic number after "s." (sími).
test("held-out personal data, sixth batch (contact details): each type at its floor, look-alikes yield nothing", (t) => {
  measure(t, load("personal-6.jsonl"), { name: 102, phone: 71, email: 55, iban: 33, card: 17 }, 0);
});

// Seventh held-out batch (test/policy/heldout/personal-7.jsonl, session 7): 100 long documents (356 to 781 characters:
// HR and payroll exports, travel orders, visa and clearance requests, medevac forms, incident reports, minutes, mail
// threads, contact lists, manifests) in 25 languages by a writer who never saw the detector; 60 hold 456 items of every
// type (all 30 national identifiers), 40 hold none but are full of order, stock, container and wagon numbers, IBANs
// failing their check, ships, barracks and firms named after people. Measured once on arrival: names 170/177, phones
// 81/82, every email, IBAN, card and identifier but a BSN and a CPR in a semicolon list and a spaced matricule; 11/40
// look-alikes flagged (ships, firms, a barracks and a base named after people; references read as phone numbers). Then
// used: military ranks as titles (COL, LTC, Hptm, Teniente, Yüzbaşı...), ships' prefixes (HDMS, ITS, Zr.Ms.), bases
// and barracks, firms' nouns (Logistics, Group, Optronics, Defense...), a reference's label before a number, guest and
// visitor fields (a parenthesis after the name holds its unit), German five-digit area codes. Now names 177/177,
// phones 82/82, 0/40 look-alikes.
test("held-out personal data, seventh batch (long documents): each type at its floor, look-alikes yield nothing", (t) => {
  measure(t, load("personal-7.jsonl"), { name: 177, phone: 82, email: 53, iban: 38, card: 8, pesel: 8, steuer_id: 6, nir: 5, rodne_cislo: 5, bsn: 4, dni: 4, cpr: 3, ssn: 4, cnp: 4, fodselsnummer: 4, matricule: 2 }, 0);
});

// Eighth held-out batch (test/policy/heldout/personal-8.jsonl, session 8): 150 texts in 29 languages by a writer who
// never saw the detector: 100 operational documents (duty rosters, travel and visa requests, medevac forms, transfer
// orders, incident reports, CSV/TSV/JSON exports, signature blocks, chat) with 396 items, every identifier, IBAN and
// card computed by the writer's own check-digit code; 50 look-alikes (ships, barracks, bases and airports named after
// people, brands, stock and order numbers, coordinates, date-time groups, IBANs and identifiers failing their checks).
// Measured once on arrival: names 134/140, phones 109/121, every email, IBAN and card, identifiers 69/71; 16/50
// look-alikes flagged. Then used: the kind of ship, base, barracks or airport written before a name in the member
// languages ("la fregata Carlo Bergamini", "Baza 57 Aeriană Mihail Kogălniceanu"; KIND_BEFORE), a Hungarian place word
// after it ("Bocskai István Laktanyában"), a title's initial before the name ("Gen. B. Stefano Colombo") and no name
// after a whole-word title ending a sentence ("Souda Bay. Serial"); no phone inside a failed IBAN's groups, before a
// reference's letter suffix ("2025-0447/MS") or opening with a year ("2025-07-118"); references' labels in 20 more
// languages; Icelandic and Latvian phone words, next-of-kin fields, seven-digit numbers after a phone word; Belgian,
// Lithuanian, Turkish and Norwegian layouts; casualty and beneficiary form fields, a name set off by a dash on its form
// line; Serbian and Montenegrin given names. Now names 138/140, phones 120/121, 0/50 look-alikes. Still missed: "Line"
// and "Rein" (given names that are everyday words), a Latvian roster number with no phone word, a Lithuanian personal
// code in a CSV row before a cell opening with a digit (read as a decimal comma). The one matricule counted missed
// fails the standard Verhoeff table: the writer's permutation table has a typo in its fifth row (8 7 0 6 for 6 8 7 0),
// which a check of the tables against the generating permutation shows; the detector's table is the standard one.
test("held-out personal data, eighth batch (operational documents): each type at its floor, look-alikes yield nothing", (t) => {
  measure(t, load("personal-8.jsonl"), { name: 138, phone: 120, email: 34, iban: 26, card: 8 }, 0);
});

// Ninth held-out batch (test/policy/heldout/personal-9.jsonl, session 8): 150 texts in 28 languages by a writer who
// never saw the detector, all running prose (news, letters, lower-case chat, minutes, diaries, posts): 100 with 495
// items, every mention of a person counted (names declined, in the possessive, surname alone after first mention,
// nicknames, lower case in chat); 50 look-alikes full of places, ships, holidays and works named after people.
// Measured once on arrival: names 148/320, phones 29/32, every email, IBAN and card, identifiers 59/62; 10/50
// look-alikes flagged. Then used: a person named in full is found again by one of their names, declined or possessive
// (mentions.ts); listed given names in lines written all in lower case; saints' places (Szent, Свети, Άγιος...),
// bridges, stations, stadiums, galleries, museums and the like before a name, streets after it ("Karl Johans gate"),
// station names ("Milano Centrale"); an identifier's name right after a number ("923 456 781 TAJ-szám"). Now names
// 182/320, 1/50 look-alikes. Not handled, by design: a given name alone in running prose (redacting every listed given
// name alone flagged 0 to 8 look-alikes in each earlier batch, 23 in all), a surname alone with no full name before it, nicknames.
test("held-out personal data, ninth batch (running prose): each type at its floor, look-alikes mostly yield nothing", (t) => {
  measure(t, load("personal-9.jsonl"), { name: 182, phone: 29, email: 15, iban: 15, card: 4 }, 1);
});

// Tenth held-out batch (test/policy/heldout/personal-10.jsonl, end of session 8): 120 texts in 29 languages, a
// representative spread of forms, mails, chats, tables and prose (80 with 356 items, 40 look-alikes), written after every
// change of the session and measured once with the detector as the session began (commit bb58c98) and as it ended:
// names 127/156 both times, phones 58/61, every email, IBAN and card, identifiers 67/69; look-alikes flagged 5/40, then
// 3/40. Never read until session 10, when its three flagged look-alikes were listed (a street, a call sign, a port):
// the street and the call sign are clean since, by general rules (below, eleventh batch), 2/40.
test("held-out personal data, tenth batch (end of session 8, unseen): each type at its floor", (t) => {
  measure(t, load("personal-10.jsonl"), { name: 127, phone: 58, email: 31, iban: 27, card: 9 }, 2);
});

// Eleventh held-out batch (test/policy/heldout/personal-11.jsonl, session 9): 120 texts in 26 languages, 90 documents of
// an alliance workbench (rosters, travel orders, visitor lists, HR forms, medevac requests, chat exports, CSV extracts)
// with 494 items, and 30 look-alikes (places, ships and barracks named after people, order numbers, failed check
// digits). On arrival: names 180/188, phones 134/140, every identifier but 2/4 EGN, and 10/30 look-alikes flagged.
// Then: a table column headed in Cyrillic ("ЕГН") labels its numbers (folding read it as "EGH"); "Nume și prenume"
// and the other whole-name headers of the member languages; streets, quays, airports and universities before a name
// and place compounds after it ("quai Jean Bart", "Zračna luka Franjo Tuđman", "Willem Alexanderkazerne"). Now names
// 182/188, phones 134/140, every identifier, 6/30 look-alikes (historical figures' names in a place the rules do not
// know, and three numbers whose failed check digit is valid as another nation's identifier). Session 10, from the
// look-alikes still flagged in the ninth to eleventh batches: Hungarian order reads streets and squares after the name
// as the other order does ("a Kossuth Lajos téri raktár"); "Quartier" before a name marks a place, "Embankment",
// "Quay", "Wharf", "Terrace", "Crescent" and "Lane" are not surnames, and a radio call sign ("Call sign Charlie
// Two-One") is no name.
// Names found stayed the same in every batch; look-alikes 4/30 here and 2/40 in the tenth.
test("held-out personal data, eleventh batch: each type is found at its floor, and look-alikes mostly yield nothing", (t) => {
  measure(t, load("personal-11.jsonl"), { name: 182, phone: 134, email: 67, iban: 31, card: 12, egn: 4, cnp: 4, pesel: 5 }, 4);
});
