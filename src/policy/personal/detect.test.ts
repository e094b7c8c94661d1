import { test } from "node:test";
import assert from "node:assert/strict";
import { findPersonalData, redactPersonalData, shouldRedact } from "../index.ts";
import { mulberry32 } from "../../../test/helpers/prng.ts";
import fc from "fast-check";
import { params } from "../../../test/property/fc.ts";
import { CF_MIDDLE, CODICE_FISCALE_PATTERN, EMAIL_PATTERN, findFromMiddle, findNames, findNamesEverywhere, findPersonalDataEverywhere, GIVEN_NAMES, NAME_PATTERN, nameEnd, NOT_MENTIONS, NOT_SURNAMES, PLACE_OR_FIRM, type PersonalDataMatch } from "./detect.ts";
import { laterMentions } from "./mentions.ts";

const kinds = (text: string) => findPersonalData(text).map((m) => `${m.kind}:${text.slice(m.start, m.end)}`);

test("identifiers are found only when their check digits hold", () => {
  // Valid examples: IBAN from ISO 13616's register example, PESEL/Steuer-ID/codice fiscale from their issuers' documentation.
  assert.deepEqual(kinds("IBAN DE89 3704 0044 0532 0130 00"), ["IBAN:DE89 3704 0044 0532 0130 00"]);
  assert.deepEqual(kinds("IBAN DE88 3704 0044 0532 0130 00"), []);
  assert.deepEqual(kinds("PESEL 44051401359"), ["PESEL:44051401359"]);
  assert.deepEqual(kinds("PESEL 44051401358"), []);
  assert.deepEqual(kinds("Steuer-ID 86095742719"), ["STEUER_ID:86095742719"]);
  assert.deepEqual(kinds("Steuer-ID 86095742718"), []);
  assert.deepEqual(kinds("CF RSSMRA85T10A562S"), ["CODICE_FISCALE:RSSMRA85T10A562S"]);
  assert.deepEqual(kinds("CF RSSMRA85T10A562T"), []);
  assert.deepEqual(kinds("NIR 1 85 05 78 006 084 91"), ["NIR:1 85 05 78 006 084 91"]);
  assert.deepEqual(kinds("NIR 1 85 05 78 006 084 36"), []);
  assert.deepEqual(kinds("card 4111 1111 1111 1111"), ["CARD:4111 1111 1111 1111"]);
  assert.deepEqual(kinds("card 4111 1111 1111 1112"), []);
  assert.deepEqual(kinds("NINO AB 12 34 56 C"), ["NINO:AB 12 34 56 C"]);
  assert.deepEqual(kinds("SSN 123-45-6789, not 000-12-3456"), ["SSN:123-45-6789"]);
});

test("emails and phone numbers in international and national forms are found", () => {
  assert.deepEqual(kinds("write to j.smith@mod.example.gov.uk"), ["EMAIL:j.smith@mod.example.gov.uk"]);
  for (const phone of ["+48 601 234 567", "+49 30 12345678", "+33 1 23 45 67 89", "01 23 45 67 89", "030 12345678", "(202) 555-0143", "07700 900123", "0312 123 45 67", "06-12345678", "347 123 4567"]) {
    assert.deepEqual(kinds(`call ${phone} today`), [`PHONE:${phone}`], phone);
  }
});

test("dates, times and order numbers are not phone numbers", () => {
  assert.deepEqual(kinds("The meeting is on 12.05.2024 at 10:30, order 123456789012, 2024-05-06."), []);
});

test("IBANs written in lower case are found, and a word after one is not taken into it", () => {
  assert.deepEqual(kinds("auf de89 3704 0044 0532 0130 00 auf"), ["IBAN:de89 3704 0044 0532 0130 00"]);
  assert.deepEqual(kinds("konto de88 3704 0044 0532 0130 00"), []);
});

test("national phone layouts are found after a phone word in the member languages, and bare digit groups are not", () => {
  for (const [text, phone] of [
    ["Teléfono fijo: 91 123 45 67.", "91 123 45 67"], ["Móvil: 678-12-34-56", "678-12-34-56"], ["Ring 22 12 34 56 eller", "22 12 34 56"],
    ["desk phone 212.555.0168.", "212.555.0168"], ["Tel: (01632) 960123 |", "(01632) 960123"], ["proszę dzwonić pod numer 22 123 45 67", "22 123 45 67"],
    ["gsm 0470 98 76 54,", "0470 98 76 54"], ["chiamare lo 06 6982 1234.", "06 6982 1234"], ["(0312) 444 55 66 numarasından", "(0312) 444 55 66"],
    ["Joignable au 0033 6 98 76 54 32 demain", "0033 6 98 76 54 32"], ["lub (+48) 601-234-567.", "(+48) 601-234-567"],
  ]) assert.deepEqual(kinds(text!), [`PHONE:${phone}`], text);
  assert.deepEqual(kinds("We stored 1 234 567 litres, order 1234 5678 90, part 22 12 34 56."), []);
});

test("an SSN written with spaces is found only where the text names it", () => {
  assert.deepEqual(kinds("SSN 651 16 0297 was entered"), ["SSN:651 16 0297"]);
  assert.deepEqual(kinds("batch 651 16 0297 was entered"), []);
});

test("names: a title with given name and surname, hyphenated given names, particles, two surnames, accents", () => {
  assert.deepEqual(kinds("Termin mit Frau Ayşe Demir am Montag"), ["NAME:Frau Ayşe Demir"]);
  assert.deepEqual(kinds("contacter Marie-Hélène de La Tour demain"), ["NAME:Marie-Hélène de La Tour"]);
  assert.deepEqual(kinds("a nombre de José Luis Martínez García."), ["NAME:José Luis Martínez García"]);
  assert.deepEqual(kinds("t.n.v. Sanne de Vries en Étienne Lambert"), ["NAME:Sanne de Vries", "NAME:Étienne Lambert"]);
  assert.deepEqual(kinds("Kevin Brown Street is closed"), ["NAME:Kevin Brown"]);
  assert.deepEqual(kinds("Trains from Victoria Station run late."), []);
});

test("person names are found through given names and titles, not capitalised words", () => {
  assert.deepEqual(kinds("Anna Kowalska met Dr. Weber and Mr. Smith."), ["NAME:Anna Kowalska", "NAME:Dr. Weber", "NAME:Mr. Smith"]);
  assert.deepEqual(kinds("Mark the location. The Supply Depot opened."), []);
});

test("redaction uses typed placeholders and one placeholder per value", () => {
  const r = redactPersonalData("Mail anna@example.pl, then anna@example.pl again, or bob@example.org.");
  assert.equal(r.text, "Mail [EMAIL_1], then [EMAIL_1] again, or [EMAIL_2].");
  assert.deepEqual(r.counts, { EMAIL: 2 });
});

test("shouldRedact follows the nation's setting and the endpoint's residency", () => {
  assert.equal(shouldRedact("outside_residency", false), true);
  assert.equal(shouldRedact("outside_residency", true), false);
  assert.equal(shouldRedact("always", true), true);
  assert.equal(shouldRedact("never", false), false);
});

test("names and emails found from their candidates are exactly those a scan of the whole text finds", () => {
  // The reference: each pattern run over the whole text, as the detector did before it looked at candidates only.
  const byScan = (text: string): string[] => {
    const out: string[] = [];
    const emails: [number, number][] = [];
    const spans: PersonalDataMatch[] = [];
    const email = new RegExp(EMAIL_PATTERN.source, "gu");
    for (let m = email.exec(text); m !== null; m = email.exec(text)) {
      out.push(`EMAIL:${m.index}:${m[0].length}`);
      emails.push([m.index, m.index + m[0].length]);
    }
    const name = new RegExp(NAME_PATTERN.source, "gu");
    for (let m = name.exec(text); m !== null; m = name.exec(text)) {
      const end = nameEnd(text, m.index, m);
      if (end === PLACE_OR_FIRM) continue; // a place or firm: its words open no name (lastIndex is past them)
      if (end < 0) {
        // Not a name here: the scan goes on from the next character (the look-behind skips the rest of the word);
        // a whole code point, since a u-flag regex reads an index inside a surrogate pair as the pair's start.
        name.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
        continue;
      }
      name.lastIndex = end;
      // An email found first keeps its span (findPersonalData's rule for overlaps).
      if (!emails.some(([s, e]) => m.index < e && end > s)) {
        out.push(`NAME:${m.index}:${end - m.index}`);
        spans.push({ kind: "NAME", start: m.index, end });
      }
    }
    // Then the later mentions of the people found (mentions.ts), as findPersonalData adds them.
    const taken = (s: number, e: number) => emails.some(([a, b]) => s < b && e > a) || spans.some((n) => s < n.end && e > n.start);
    for (const m of laterMentions(text, spans, NOT_MENTIONS, taken)) if (!taken(m.start, m.end)) out.push(`NAME:${m.start}:${m.end - m.start}`);
    return out.sort();
  };
  const found = (text: string) =>
    findPersonalData(text).filter((m) => m.kind === "NAME" || m.kind === "EMAIL").map((m) => `${m.kind}:${m.start}:${m.end - m.start}`).sort();
  const bits = ["Anna", "Kowalska", " ", "Dr.", "Dr", "Mr", "M.", "M", "Sig.ra", "Rossi", "van der", "Jan", "Mayen", "Street", "Dear", "@",
    "a.b", "x@y.com", "j.smith@mod.example.gov.uk", "_", "-", ".", "é", "Łukasz", "Ölçer", "𝐀nna", "\n", ",", "Général", "Dupont", "Maria",
    "De", "Said", "%", "+", "x".repeat(70), "a@b", "Anne-Marie"];
  const rnd = mulberry32(5);
  for (let k = 0; k < 3000; k++) {
    let text = "";
    for (let i = Math.floor(rnd() * 12); i > 0; i--) text += bits[Math.floor(rnd() * bits.length)];
    // Overlaps with other kinds are resolved after both scans: compare only where no other kind was found.
    if (findPersonalData(text).some((m) => m.kind !== "NAME" && m.kind !== "EMAIL")) continue;
    assert.deepEqual(found(text), byScan(text), JSON.stringify(text));
  }
});

// findNames tries only where its regex proposes a name may start; findNamesEverywhere visits every character.
const nameBits = [
  "Anna", "Kowalska", "Dr.", "Mr", "M.", "M", "Sig.ra", "Rossi", "van der", "Jan", "Mayen", "Street", "Łukasz", "Ölçer", "Émilie",
  "Général", "Dupont", "Maria", "Anne-Marie", "Said", "MARIA", "McAnna", " ", "  ", "\n", ",", ".", "-", "_", "'", "é", "ß", "Ж", "α",
  "x", "a1", "\uD835\uDC00", "\uD83D\uDE00", "\uD800", "\uDC00", "\u0301", "\u200b", "anna.kowalska@example.pl", "7",
  // Upper-case form names, Hungarian order, declined and everyday-word given names, place heads, Greek and Cyrillic.
  "JEAN-BAPTISTE", "NOWAK", "PESEL", ":", "Nagy", "Katalin", "Kedves", "Katarino", "Grace", "she is ", "Santa ", "Mercedes-Benz", "Γιώργος", "Мария",
];
const namesOf = (find: (text: string, out: PersonalDataMatch[]) => void, text: string) => {
  const out: PersonalDataMatch[] = [];
  find(text, out);
  return out;
};

test("names next to non-ASCII text and surrogates are found as visiting every character finds them", () => {
  for (const text of ["Zażółć Anna Kowalska gęślą", "éAnna Kowalska", "\uD800Anna Kowalska", "\uD800aAnna Kowalska", "\uD800\uD800Anna Kowalska", "\uD835\uDC00Anna Kowalska", "Ж Dr. Weber Ж", "Μαρία Anna Kowalska"]) {
    assert.deepEqual(namesOf(findNames, text), namesOf(findNamesEverywhere, text), JSON.stringify(text));
  }
  assert.deepEqual(namesOf(findNames, "Zażółć Anna Kowalska gęślą").map((m) => m.start), [7]);
});

test("property: names found from proposed starts are those found visiting every character", (t) => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...nameBits), { maxLength: 24 }).map((b) => b.join("")), (text) => {
      assert.deepEqual(namesOf(findNames, text), namesOf(findNamesEverywhere, text));
    }),
    params(t, 3000, 20_000),
  );
});

test("property: a codice fiscale found from its middle is one the pattern finds over the whole text", (t) => {
  const bits = ["RSSMRA85T10A562S", "RSSMRALRTLMA562S", "rssmra85t10a562s", "RSSMRA85T10A562", "XRSSMRA85T10A562S", "85T10", "LMT", " ", "_", "é", "1", "A", "\n"];
  const whole = (text: string) => {
    const out: string[] = [];
    const re = new RegExp(CODICE_FISCALE_PATTERN.source, "g");
    for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(`${m.index}:${m[0]}`);
    return out;
  };
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...bits), { maxLength: 12 }).map((b) => b.join("")), (text) => {
      const got: string[] = [];
      findFromMiddle(text, CODICE_FISCALE_PATTERN, CF_MIDDLE, 6, (start, match) => got.push(`${start}:${match}`));
      assert.deepEqual(got, whole(text));
    }),
    params(t, 3000, 20_000),
  );
});

test("property: scanning only around digits finds what whole-text scans find", (t) => {
  const bits = [
    "IBAN DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "MT84 MALT 0110 0001 2345 MTLC AST0 01S", "4111 1111 1111 1111", "+48 601 234 567", "0048 601 234 567",
    "01 23 45 67 89", "(202) 555-0143", "123-45-6789", "44051401359", "86095742719", "AB 12 34 56 C", "1 85 05 78 006 084 91",
    "RSSMRA85T10A562S", "Anna Kowalska", "anna@example.pl", "Dr. Weber", "x".repeat(60), " ".repeat(50), "word ", "1", "12", "-", ".",
    "\n", "é", "_", "+", "(", ")",
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...bits), { maxLength: 16 }).map((b) => b.join("")), (text) => {
      assert.deepEqual(findPersonalData(text), findPersonalDataEverywhere(text));
    }),
    params(t, 2000, 20_000),
  );
});

// Fixes after the second held-out batch (test/policy/heldout/personal-2.jsonl); each case below failed before them.
test("names written in Greek and Cyrillic script are found through given names in that script", () => {
  assert.deepEqual(kinds("Υπεύθυνη: Αικατερίνη Νικολάου, γραφείο 12"), ["NAME:Αικατερίνη Νικολάου"]);
  assert.deepEqual(kinds("Контакт: Дмитрий Соколов и Олена Шевченко."), ["NAME:Дмитрий Соколов", "NAME:Олена Шевченко"]);
  assert.deepEqual(kinds("Отговорник: Петър Георгиев"), ["NAME:Петър Георгиев"]);
  assert.deepEqual(kinds("Η Αθήνα είναι η πρωτεύουσα. Москва Сити."), []);
});

test("upper-case names on forms: a listed given name in capitals where a field stands, label words after it left out", () => {
  assert.deepEqual(kinds("NAZWISKO I IMIĘ: ANNA NOWAK"), ["NAME:ANNA NOWAK"]);
  assert.deepEqual(kinds("PASSPORT\nMARIE-CLAIRE DUBOIS\nP<FRA"), ["NAME:MARIE-CLAIRE DUBOIS"]);
  assert.deepEqual(kinds("HOLDER JOHN PAUL SMITH DOB 01/02/1980"), ["NAME:JOHN PAUL SMITH"]);
  assert.deepEqual(kinds("VERSICHERTER KLAUS MEYER PESEL"), ["NAME:KLAUS MEYER"]);
  // Capitals in running text, with no label before them, are a headline, not a field.
  assert.deepEqual(kinds("Road works close GEORGE STREET and visit JORDAN VALLEY today"), []);
});

test("Hungarian order: a family name before a given name that is Hungarian only", () => {
  assert.deepEqual(kinds("Aláírta: Horváth Ildikó és Varga Bence."), ["NAME:Horváth Ildikó", "NAME:Varga Bence"]);
  assert.deepEqual(kinds("Ügyintéző: Molnár Gergely\nTelefonszám nélkül"), ["NAME:Molnár Gergely"]);
  // A greeting or an opener before the given name is no family name (the greeted given name alone is the name);
  // a name listed in other languages too is not read so.
  assert.deepEqual(kinds("Kedves Katalin, Thanks Anita, Then Gábor."), ["NAME:Katalin", "NAME:Anita"]);
});

test("given names added: German, French, Turkish, with particles", () => {
  assert.deepEqual(kinds("Antragsteller: Friederike von Bülow"), ["NAME:Friederike von Bülow"]);
  assert.deepEqual(kinds("Bien à vous, Amélie Girard"), ["NAME:Amélie Girard"]);
  assert.deepEqual(kinds("Katılımcı: Çağla Yıldız"), ["NAME:Çağla Yıldız"]);
});

test("declined Slavic feminine given names and everyday-word given names where someone is introduced by them", () => {
  assert.deepEqual(kinds("pokličite Katarino Novak jutri"), ["NAME:Katarino Novak"]);
  assert.deepEqual(kinds("list dla Katarzyny Wiśniewskiej"), ["NAME:Katarzyny Wiśniewskiej"]);
  assert.deepEqual(kinds("Hello, my name is Grace Holloway."), ["NAME:Grace Holloway"]);
  assert.deepEqual(kinds("Grace Period ends. Mark Twain Street. Anno Domini."), []);
});

test("place and brand names that open with a given name are not names", () => {
  assert.deepEqual(kinds("Vuelos a Santiago de Chile y a San José Costa Rica."), []);
  assert.deepEqual(kinds("Il treno per Santa Maria Novella; ein Mercedes-Benz Actros."), []);
  assert.deepEqual(kinds("Mercedes Ruiz y Santiago Pérez."), ["NAME:Mercedes Ruiz", "NAME:Santiago Pérez"]);
});

test("national phone layouts of member nations without a phone word", () => {
  for (const phone of ["0596 71 23 45", "0722.345.678", "0 40 / 12 34 56", "055 123 4567", "031-712 34 56", "020 - 612 34 56",
    "06 1 234 5678", "(0 30) 1234 5678", "699 12 34 56", "040 87654321-15", "00 49 30 1234 5678"]) {
    assert.deepEqual(kinds(`bitte ${phone} danke`), [`PHONE:${phone}`], phone);
  }
});

test("phone words in Greek and Cyrillic script, and mob., tél., llámame, bel", () => {
  for (const [text, phone] of [["τηλ. 2310 987654", "2310 987654"], ["тел. 02 981 1234", "02 981 1234"], ["mob. 98 765 4321", "98 765 4321"],
    ["tél. 5 56 12 34 56", "5 56 12 34 56"], ["llámame al 91 234 56 78", "91 234 56 78"], ["bel 10 414 22 33", "10 414 22 33"]]) {
    assert.deepEqual(kinds(text!), [`PHONE:${phone}`], text);
  }
});

test("amounts, dates, coordinates, order and stock numbers are still not phone numbers", () => {
  for (const text of ["Total 1 234 567,00 EUR", "am 12.03.1979 um 10:30", "pos. N 48 51 24 E 002 21 07", "order no. 4711 0815 42", "NSN 5820-01-234-5678",
    "ISBN 978-3-16-148410-0", "Lot 12 34 56 78", "2024-11-26 / 2025-01-02", "ref 123 456 789", "1.234.567.890 Stück"]) {
    assert.deepEqual(kinds(text), [], text);
  }
});

test("an SSN of nine unbroken digits is found after an SSN cue, also as a field name", () => {
  assert.deepEqual(kinds("applicant_ssn=219099999 state=NY"), ["SSN:219099999"]);
  assert.deepEqual(kinds("SSN: 219099999"), ["SSN:219099999"]);
  assert.deepEqual(kinds("batch=219099999 ssn=000123456"), []);
});

test("structured fields: values under a name key, in a name column or after a name label are names, gazetteer or not", () => {
  assert.deepEqual(kinds('{"anagrafica": {"cognome": "Dell\'Acqua", "nome": "Niccolò", "cf": "x"}}'), ["NAME:Dell'Acqua", "NAME:Niccolò"]);
  assert.deepEqual(kinds('{"employee": {"name": {"first": "Amelia", "last": "Fitzgerald"}}}'), ["NAME:Amelia", "NAME:Fitzgerald"]);
  assert.deepEqual(kinds('ERROR [export] nazwisko="Szczepański" imie="Tomasz" customer_name=Brzęczyszczykiewicz'), ["NAME:Szczepański", "NAME:Tomasz", "NAME:Brzęczyszczykiewicz"]);
  assert.deepEqual(kinds("Příjmení;Jméno;Město\nProcházková;Hana;Brno\nLo Russo;Alessandro;Praha"), ["NAME:Procházková", "NAME:Hana", "NAME:Lo Russo", "NAME:Alessandro"]);
  assert.deepEqual(kinds('Id,Name,Plan\n7,"Johnson, Brandon",Gold\n8,Quiggley Thorne,Basic'), ["NAME:Johnson, Brandon", "NAME:Quiggley Thorne"]);
  assert.deepEqual(kinds("| Nr | Nom | Ville |\n|---|---|---|\n| 1 | Bélanger | Lyon |"), ["NAME:Bélanger"]);
  assert.deepEqual(kinds("Name, Vorname: Quaschnig, Xaver\nCOGNOME E NOME: Fumagalli, Luca"), ["NAME:Quaschnig, Xaver", "NAME:Fumagalli, Luca"]);
  // Values that are no names, keys naming things, and a column that names nothing personal are left alone.
  assert.deepEqual(kinds('{"name": "Server 42", "host_name": "Alpha Centauri", "nome": "rossi"}\nfile_name="Annual Report"'), []);
  assert.deepEqual(kinds("Product;Colour;Name tag\nWidget;Blue;yes\nGadget;Red;no"), []);
  assert.deepEqual(kinds("What is your name? Nome del prodotto: questo"), []);
});

test("phone numbers in a phone column or under a phone key, in layouts not read bare", () => {
  assert.deepEqual(kinds("Efternavn;Fornavn;Telefon\nNørgaard;Mads;33 69 97 74"), ["NAME:Nørgaard", "NAME:Mads", "PHONE:33 69 97 74"]);
  assert.deepEqual(kinds('{"telefon": "33 69 97 74"}'), ["PHONE:33 69 97 74"]);
  assert.deepEqual(kinds("Ref;Telefon\n1;12 34\n2;n/a"), []);
});

test("Surname, Given with a listed given name after the comma, where a field stands", () => {
  assert.deepEqual(kinds("Personalnr\tMitarbeiter\n40217\tBecker, Matthias\t1868"), ["NAME:Becker, Matthias"]);
  assert.deepEqual(kinds("> De : Lefèvre, Jean-Luc <j.lefevre@free.fr>"), ["NAME:Lefèvre, Jean-Luc", "EMAIL:j.lefevre@free.fr"]);
  assert.deepEqual(kinds("NOM / Prénom : de La Fontaine, Mathieu\n"), ["NAME:de La Fontaine, Mathieu"]);
  assert.deepEqual(kinds("Organizador: Muñoz Peña, Lucía luciam71@gmail.com"), ["NAME:Muñoz Peña, Lucía", "EMAIL:luciam71@gmail.com"]);
  assert.deepEqual(kinds("A-0931 | Moreau, Anaïs | 2750"), ["NAME:Moreau, Anaïs"]);
  // Not a field: the given name runs on into the sentence; a place before the comma then is no surname.
  assert.deepEqual(kinds("In Berlin, Anna said no."), []);
});

test("a listed given name alone after a greeting or thanks, before punctuation or the line's end", () => {
  assert.deepEqual(kinds("Bonjour Mathieu,\nje transmets."), ["NAME:Mathieu"]);
  assert.deepEqual(kinds("Dag Pieter-Jan,\nzie onder."), ["NAME:Pieter-Jan"]);
  assert.deepEqual(kinds("Thanks Bethan, will action today."), ["NAME:Bethan"]);
  assert.deepEqual(kinds("Hej Karin!"), ["NAME:Karin"]);
  assert.deepEqual(kinds("Liebe/r Annegret Groß, Ihr Termin"), ["NAME:Annegret Groß"]);
  assert.deepEqual(kinds("Bonjour Paris, bonjour Mathieu Dupont."), ["NAME:Mathieu Dupont"]);
  assert.deepEqual(kinds("Hi Anna and Tom"), []);
});

test("a listed given name alone in a chat message (after the time stamp and sender) is a name", () => {
  assert.deepEqual(kinds("[12.03.26, 14:02] Friederike Hoffmann: Hast du die Nummer von Annegret?"), ["NAME:Friederike Hoffmann", "NAME:Annegret"]);
  assert.deepEqual(kinds("12/03/2026, 14:02 - Bethan Thompson: does anyone have Emily's number?"), ["NAME:Bethan Thompson", "NAME:Emily"]);
  assert.deepEqual(kinds("Hast du die Nummer von Annegret?"), []);
  assert.deepEqual(kinds("[12.03.26, 14:02] Jörg Müller: Das Paket liegt bei Albert Heijn."), ["NAME:Jörg Müller"]);
});

test("given names with an inner capital, and given names of the Baltic, Finnish, Irish and Greek gazetteer additions", () => {
  assert.deepEqual(kinds("1 Name: DeShawn Nguyen"), ["NAME:DeShawn Nguyen"]);
  assert.deepEqual(kinds("Mokėtojas: Mantas Kazlauskas, gavėja Aušra Jankauskienė"), ["NAME:Mantas Kazlauskas", "NAME:Aušra Jankauskienė"]);
  assert.deepEqual(kinds("c/o Ciarán Byrne and Riikka Hämäläinen"), ["NAME:Ciarán Byrne", "NAME:Riikka Hämäläinen"]);
});

test("brands that hold a given name anywhere in them are not names", () => {
  assert.deepEqual(kinds("Het pakket van Albert Heijn ligt klaar."), []);
  assert.deepEqual(kinds("L'Alfa Romeo Giulia Quadrifoglio ha 520 CV."), []);
});

test("Polish mobiles in dashes, Greek mobiles, and numbers after SMS", () => {
  assert.deepEqual(kinds("Łukasz;519-825-318;x"), ["PHONE:519-825-318"]);
  assert.deepEqual(kinds("Νίκος, 699 320 5493 ή 699 320 5494"), ["PHONE:699 320 5493", "PHONE:699 320 5494"]);
  assert.deepEqual(kinds("SMS sendes til 35 58 04 21."), ["PHONE:35 58 04 21"]);
  assert.deepEqual(kinds("NIP 527-000-00-00, kod 519-825-31, 519-825-318-4"), []);
});

test("a field label before long runs of words without a colon, and long lines without newlines, are read in linear time", () => {
  const words = Array.from({ length: 400 }, () => "Name Vorname abcdefghijabcdefghijabcdefghijabcdefghij und x").join(" ");
  const lines = Array.from({ length: 400 }, () => `name${" ".repeat(30)}Nachname${"Ab".repeat(300)};Anna`).join(";");
  const t0 = process.cpuUsage();
  findPersonalData(words);
  findPersonalData(lines);
  const ms = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000;
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
});

test("two-digit trunk codes, Swedish 3-3-2 groups, Belgian slash and dots, 2-3-2-2 groups and US dotted numbers are phones", () => {
  for (const phone of ["06 4735 1234", "02 1234 5678", "08-123 456 78", "02/707.12.34", "91 234 56 78", "22 123 45 67", "202.555.0143"]) {
    assert.deepEqual(kinds(`numbers: ${phone} ok`), [`PHONE:${phone}`], phone);
  }
});

test("contact words and Portuguese line words cue a phone number, but not a date", () => {
  assert.deepEqual(kinds("O meu fixo é o 21 123 4567."), ["PHONE:21 123 4567"]);
  assert.deepEqual(kinds("Kontakt: 22 1234 5678"), ["PHONE:22 1234 5678"]);
  assert.deepEqual(kinds("Contact date: 2024-05-12"), []);
  assert.deepEqual(kinds("Contacto 12.05.2024"), []);
});

test("a number right after a year and a slash is a file reference, not a phone number", () => {
  assert.deepEqual(kinds("Número de expediente 2024/000123456789, registro"), []);
});

test("internationalised email addresses: letters of any script in the local part and the domain", () => {
  assert.deepEqual(kinds("MAIL FROM:<jürgen.weiß@müller-logistik.example.de> SIZE=1"), ["EMAIL:jürgen.weiß@müller-logistik.example.de"]);
  assert.deepEqual(kinds("E-posta: ayşe.demir@örnek-savunma.com.tr"), ["EMAIL:ayşe.demir@örnek-savunma.com.tr"]);
  assert.deepEqual(kinds("x Dr𝐀nna@mod.example.gov.uk"), ["EMAIL:Dr𝐀nna@mod.example.gov.uk"]);
});

test("an everyday-word given name is a name as a mailbox's display name", () => {
  assert.deepEqual(kinds("From: \"Grace Wilson\" <grace.wilson@mil.example.int>"), ["NAME:Grace Wilson", "EMAIL:grace.wilson@mil.example.int"]);
  assert.deepEqual(kinds("- Primary: Mark Davies <MARK.DAVIES@NCIA.EXAMPLE.INT>"), ["NAME:Mark Davies", "EMAIL:MARK.DAVIES@NCIA.EXAMPLE.INT"]);
  assert.deepEqual(kinds("Will Smith went home and May Day came."), []);
});

test("Hungarian order with a given name of other languages too: only after a listed Hungarian family name", () => {
  assert.deepEqual(kinds("Üdvözlettel: Tóth Anna"), ["NAME:Tóth Anna"]);
  assert.deepEqual(kinds("(Kovács Anna)"), ["NAME:Kovács Anna"]);
  assert.deepEqual(kinds("Thanks Anna"), ["NAME:Anna"]);
  assert.deepEqual(kinds("Budapest Anna"), []);
});

test("firms named after a person and barracks are not person names", () => {
  assert.deepEqual(kinds("Ordine a Leonardo S.p.A. e Fincantieri"), []);
  assert.deepEqual(kinds("Lieferant: Hans Weber GmbH, Ulm"), []);
  assert.deepEqual(kinds("Exercise at Victoria Barracks"), []);
});

test("a number after a national identifier's label is that identifier, valid or not, and no phone number", () => {
  assert.deepEqual(kinds("the SIN 666 497 697 entered on line 3 failed validation"), []);
  assert.deepEqual(kinds("a megadott TAJ szám (966 818 768) ellenőrző számjegye nem megfelelő"), []);
  assert.deepEqual(kinds("Tel. 666 497 697"), ["PHONE:666 497 697"]);
});

test("military ranks as staff lists write them open a name", () => {
  assert.deepEqual(kinds("2. COL Aurelija Stankevičienė, LTU"), ["NAME:COL Aurelija Stankevičienė"]);
  assert.deepEqual(kinds("Escort: LTC Kjetil Solberg"), ["NAME:LTC Kjetil Solberg"]);
  assert.deepEqual(kinds("the Major Projects Authority and the LT Vilnius office"), []);
});

test("ships, bases and firms named after people are not person names, nor are the words inside them", () => {
  for (const text of ["Holdings: HDMS Niels Juel (F363), HDMS Peter Willemoes (F362).", "periscoop voor Zr.Ms. Dolfijn en Zr.Ms. Karel Doorman",
    "Units: ESPS Juan Carlos I (L61), ITS Carlo Bergamini (F590)", "Delivery: Caserma Carlo Alberto dalla Chiesa.",
    "Baza Logistică Zonală 2 „Maior Constantin Ene”, Cincu", "vendors Thomas Cook Logistics, Carl Zeiss Optronics, Jan De Nul Group, Paul Wurth S.A."]) {
    assert.deepEqual(kinds(text), [], text);
  }
});

test("a reference's label before a number makes it no phone number; a guest or visitor field holds a name", () => {
  assert.deepEqual(kinds("remittance 0047-681678205, call-off 25/575295398"), []);
  assert.deepEqual(kinds("Guest: Hiroshi Tanaka-Larsen (Norwegian Armed Forces)"), ["NAME:Hiroshi Tanaka-Larsen"]);
  assert.deepEqual(kinds("Festnetz: 08823 917 44"), ["PHONE:08823 917 44"]);
});

test("ships, bases, barracks and airports named after people are no names, in the member languages", () => {
  for (const text of [
    "La fregata Carlo Bergamini (F 590) partecipa all'esercitazione.",
    "Le porte-avions Charles de Gaulle appareillera de Toulon.",
    "El buque de asalto anfibio Juan Carlos I y la fragata Álvaro de Bazán zarpan.",
    "Baza 57 Aeriană Mihail Kogălniceanu: sosire C-17.",
    "Kasárne Milana Rastislava Štefánika, Bratislava.",
    "Το θωρηκτό Γεώργιος Αβέρωφ στο Φάληρο.",
    "A Bocskai István Laktanyában tárolt alkatrész.",
    "ORP Gen. T. Kościuszko wejdzie do portu.",
    "12x Carl Gustaf M4 launchers",
  ]) assert.deepEqual(kinds(text).filter((k) => k.startsWith("NAME")), [], text);
  // The same people as people: a rank, or a comma, between the kind word and the name.
  assert.deepEqual(kinds("il comandante Carlo Bergamini"), ["NAME:Carlo Bergamini"]);
});

test("a title's initial opens the name after it; a whole-word title before a point or a lone letter opens none", () => {
  assert.deepEqual(kinds("Presenti: Gen. B. Stefano Colombo, Col. Francesca Ricci"), ["NAME:Gen. B. Stefano Colombo", "NAME:Col. Francesca Ricci"]);
  assert.deepEqual(kinds("Exma. Sra. D. Maria da Conceição Sousa"), ["NAME:Sra. D. Maria da Conceição Sousa"]);
  assert.deepEqual(kinds("Deliver to Bldg 7, Bay C, NLT 141200Z."), []);
  assert.deepEqual(kinds("joined SNMG2 at Souda Bay. Serial number follows."), []);
});

test("digits another number's shape claims are no phone: a failed IBAN's groups, a reference's suffix, a year opening it", () => {
  assert.deepEqual(kinds("NL91 ABNA 0417 1643 01 has an invalid check digit."), []);
  assert.deepEqual(kinds("Tellimuse nr 2025-0447/MS"), []);
  assert.deepEqual(kinds("Beleg 2025-07-118"), []);
  assert.deepEqual(kinds("tételszám 037 687 211"), []);
});

test("phone words and layouts of more members: Icelandic, Latvian, next of kin, Belgian, Lithuanian, Turkish, Norwegian", () => {
  assert.deepEqual(kinds("Sími: 595 4273"), ["PHONE:595 4273"]);
  assert.deepEqual(kinds("Tālrunis: 2927 4741"), ["PHONE:2927 4741"]);
  assert.deepEqual(kinds("Pårørende: 93302273"), ["PHONE:93302273"]);
  assert.deepEqual(kinds("Famille prévenue au 02 437 19 84."), ["PHONE:02 437 19 84"]);
  assert.deepEqual(kinds("Tel. 8 5 291 2415, mob. 8 694 05730"), ["PHONE:8 5 291 2415", "PHONE:8 694 05730"]);
  assert.deepEqual(kinds("Pazartesi: 0 (312) 240 35 10"), ["PHONE:0 (312) 240 35 10"]);
  assert.deepEqual(kinds("Reserve: 462 37 308"), ["PHONE:462 37 308"]);
});

test("a casualty or beneficiary field names a person, up to a dash or bracket that goes on about them", () => {
  assert.deepEqual(kinds("Blessé : DUBOIS Aurélie – né(e) le 21/06/1980"), ["NAME:DUBOIS Aurélie"]);
  assert.deepEqual(kinds("Nominativo: GALLO Elena"), ["NAME:GALLO Elena"]);
});

test("places named after people: saints, bridges, stations, galleries, streets written after the name", () => {
  for (const text of ["Szent István napján tűzijáték lesz.", "O navio atracou junto à Ponte Vasco da Gama.", "Il treno parte da Milano Centrale alle 7.",
    "Den 17. mai går toget opp Karl Johans gate.", "Lietadlo z Letiska M. R. Štefánika odletí o 14.35.", "alla Galleria Vittorio Emanuele II",
    "Катедралата „Свети Александър Невски“ беше отворена."]) assert.deepEqual(kinds(text).filter((k) => k.startsWith("NAME")), [], text);
  assert.deepEqual(kinds("A minta 923 456 781 TAJ-szám érvénytelen."), []);
});

test("a street, quay or barracks named after someone, a call sign spelt in the phonetic alphabet, are not names", () => {
  for (const text of ["A Kossuth Lajos téri raktár zárva.", "A Kossuth Lajos utca 5. alatt.", "then along Albert Embankment to the barracks",
    "Call sign Charlie Two-One, frequency 243.000 MHz.", "Livraison au Quartier Général Frère, 12 boulevard Victor Hugo."]) {
    assert.deepEqual(kinds(text).filter((k) => k.startsWith("NAME")), [], text);
  }
  // The same given names where they name people.
  assert.deepEqual(kinds("Kovács Péter holnap érkezik."), ["NAME:Kovács Péter"]);
  assert.deepEqual(kinds("Charlie Evans called at noon."), ["NAME:Charlie Evans"]);
  assert.deepEqual(kinds("Nominativo: GALLO Elena"), ["NAME:GALLO Elena"]);
});
