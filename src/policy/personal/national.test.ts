import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { params } from "../../../test/property/fc.ts";
import { findPersonalData, findPersonalDataEverywhere, redactPersonalData } from "./detect.ts";
import { dateValid, hetuValid, luhn, verhoeff } from "./national.ts";

const kinds = (text: string) => findPersonalData(text).map((m) => `${m.kind}:${text.slice(m.start, m.end)}`);

// Test vectors. Published examples, from python-stdnum's documentation of each module (taken there from the issuers'
// samples): NIE X1234567L; BE 85073003328; NO 15108695088; SE 880320-0016; FI 131052-308T; CZ 710319/2745;
// RO 1630615123457; BG 7523169263; EE 36805280109; LT 33309240064; LV 161175-19997; HR 33392005961;
// SI 0101006500006; GR AMKA 01013099997; TR 17291716060; IS 120174-3399; DK 211062-5629.
// DNI 12345678Z is the letter table's textbook case; CA SIN 046 454 286 is Service Canada's specimen; LU
// 1893120105732 is the CNS example lux-utils documents. The rest were computed here with the published rules:
// BSN 111222333 and 123456782, NIF 123456789, ΑΦΜ 123456783, TAJ 111 111 110, FI 2023 signs 010594Y9032 and 010510B1237,
// NO 01019010046, LU 1983081212113, EMŠO 1503985501004, EMBG (MK) 1207978451001 and (ME) 2308988211003,
// BE (born 2005) 05041210061, LV 24088211001, SE 811218-9876, CZ (a woman) 855201/4009, BG (born 2005) 0543169265.

test("strong national identifiers are found alone, typed by their number", () => {
  for (const [kind, value] of [
    ["DNI", "12345678Z"], ["DNI", "12345678-Z"], ["DNI", "12.345.678-Z"], ["NIE", "X1234567L"], ["NIE", "X-1234567-L"],
    ["NRN", "85.07.30-033.28"], ["NRN", "85073003328"], ["NRN", "05041210061"],
    ["FODSELSNUMMER", "15108695088"], ["FODSELSNUMMER", "151086 95088"], ["FODSELSNUMMER", "151086-95088"], ["FODSELSNUMMER", "01019010046"],
    ["PERSONNUMMER", "880320-0016"], ["PERSONNUMMER", "811218-9876"], ["PERSONNUMMER", "19811218-9876"], ["PERSONNUMMER", "811218+9876"],
    ["HETU", "131052-308T"], ["HETU", "010594Y9032"], ["HETU", "010510B1237"], ["HETU", "010185+123B"],
    ["RODNE_CISLO", "710319/2745"], ["RODNE_CISLO", "855201/4009"],
    ["CNP", "1630615123457"], ["ISIKUKOOD", "36805280109"], ["PERSONAS_KODS", "161175-19997"], ["PERSONAS_KODS", "24088211001"],
    ["EMSO", "0101006500006"], ["EMSO", "1503985501004"], ["EMBG", "1207978451001"], ["EMBG", "2308988211003"],
    ["KENNITALA", "120174-3399"], ["KENNITALA", "150385-1059"], ["MATRICULE", "1893120105732"], ["MATRICULE", "1983081212113"],
  ] as const) {
    assert.deepEqual(kinds(`Ref. ${value}, bitte prüfen.`), [`${kind}:${value}`], value);
  }
});

test("weak national identifiers are found only after their label, in member languages", () => {
  for (const [kind, text, value] of [
    ["BSN", "BSN: 111222333", "111222333"], ["BSN", "burgerservicenummer van de aanvrager 1234.56.782", "1234.56.782"],
    ["BSN", '{"bsn": "111222333"}', "111222333"], ["BSN", "patient_bsn=123456782", "123456782"],
    ["NIF", "NIF 123 456 789", "123 456 789"], ["NIF", "número de contribuinte: 123456789", "123456789"],
    ["CPR", "CPR-nr. 211062-5629", "211062-5629"], ["CPR", "cpr 2110625629", "2110625629"],
    ["PERSONNUMMER", "personnummer 8803200016", "8803200016"], ["RODNE_CISLO", "rodné číslo 7103192745", "7103192745"],
    ["EGN", "ЕГН 7523169263", "7523169263"], ["EGN", "EGN: 0543169265", "0543169265"],
    ["OIB", "OIB: 33392005961", "33392005961"], ["AMKA", "ΑΜΚΑ 01013099997", "01013099997"], ["AMKA", "AMKA: 01013099997", "01013099997"],
    ["AFM", "ΑΦΜ 123456783", "123456783"], ["TCKN", "T.C. Kimlik No: 17291716060", "17291716060"], ["TCKN", "TCKN 17291716060", "17291716060"],
    ["TAJ", "TAJ szám: 111 111 110", "111 111 110"], ["TAJ", "TAJ-szám 111111110", "111111110"],
    ["KENNITALA", "kt. 1201743399", "1201743399"], ["SIN", "SIN 046 454 286", "046 454 286"],
    ["SIN", "numéro d'assurance sociale : 046-454-286", "046-454-286"],
  ] as const) {
    assert.deepEqual(kinds(text), [`${kind}:${value}`], text);
    // The same number without its label is no national identifier (a bare 3-3-3 group may still read as a phone).
    assert.deepEqual(kinds(`Bestellung ${value} heute`).filter((k) => !k.startsWith("PHONE:")), [], value);
  }
});

test("companies' tax numbers are no personal data, labelled or not", () => {
  // Computed with the rules: a Portuguese company NIF (opening with 5) and a Greek legal entity's ΑΦΜ (opening with 09).
  assert.deepEqual(kinds("NIF 500000000"), []);
  assert.deepEqual(kinds("ΑΦΜ 090000008"), []);
});

test("short labels that are everyday words elsewhere count only as written for the number", () => {
  // Spanish "sin" (without) and Portuguese "nas" (in the) before a Luhn-valid nine digits are no SIN label.
  assert.deepEqual(kinds("pedido sin 046454286 hoy").filter((k) => !k.startsWith("PHONE:")), []);
  assert.deepEqual(kinds("nas 046454286 faturas").filter((k) => !k.startsWith("PHONE:")), []);
  assert.deepEqual(kinds("NAS : 046454286"), ["SIN:046454286"]);
  // A label far before the number, or on another line, names it no more.
  assert.deepEqual(kinds("BSN van de aanvrager is bekend maar hier niet vermeld; bestelling 111222333"), []);
  assert.deepEqual(kinds("BSN\n111222333"), []);
});

test("a label picks the number among those whose check the digits pass", () => {
  // 123456782 passes both the 11-proef and Luhn.
  assert.deepEqual(kinds("BSN 123456782"), ["BSN:123456782"]);
  assert.deepEqual(kinds("SIN 123 456 782"), ["SIN:123 456 782"]);
  // Estonian and Lithuanian codes share their rule: a Lithuanian label names the number.
  assert.deepEqual(kinds("isikukood 36805280109"), ["ISIKUKOOD:36805280109"]);
  assert.deepEqual(kinds("asmens kodas 33309240064"), ["ASMENS_KODAS:33309240064"]);
});

test("a wrong check digit or character is not found", () => {
  for (const text of [
    "12345678A", "12.345.678-A", "X1234567M", "85.07.30-033.29", "85073003327", "15108695089", "880320-0017", "131052-308U", "710319/2746",
    "1630615123458", "36805280108", "161175-19998", "0101006500007", "120174-3397", "1893120105733", "1893120105722",
    "BSN 111222334", "NIF 123456788", "ЕГН 7523169264", "OIB 33392005962", "AMKA 01013099998", "ΑΦΜ 123456784",
    "T.C. Kimlik No 17291716061", "TAJ 111111111", "SIN 046 454 287", "kennitala 1201743389",
  ]) {
    // A 3-3-3 group that fails its check may still read as a phone number; no identifier is found.
    assert.deepEqual(kinds(`Nr. ${text} erledigt`).filter((k) => !k.startsWith("PHONE:")), [], text);
  }
});

test("numbers whose checksum holds but whose date cannot be are not found", () => {
  // Each computed so that only the date fails: Feb 31, month 13, Feb 30, Apr 31, Jun 31, Nov 31.
  for (const text of [
    "310252-308Y", "881320-0014", "1630231123452", "36802300103", "710230/2702", "ЕГН 7513169266", "31049010039",
    "300285-1049", "1983063112106", "3111985501006", "85023003390", "CPR 300285-1234",
  ]) {
    assert.deepEqual(kinds(`Ref ${text} ok`), [], text);
  }
});

test("order numbers, phone numbers, amounts, timestamps and dates are not national identifiers", () => {
  for (const text of [
    "Order 4711081512 shipped, invoice 2024000123, amount 123456789.50 EUR, 1.234.567.890 units.",
    "Unix time 1716200000, build 20240506123000, ts 2024-05-06T12:30:00Z, date 06.05.2024.",
    "Ring 22 12 34 56 eller 0701234567, tel 0888 123 456, +47 15108695088 is a phone.",
    "Stock 123 456 789 pcs, ref 111 222 333, tracking 00340434161094042557, serial 9876543210123.",
    "Amount 12345678,90 and 85073003328.5 and 0.36805280109.",
  ]) {
    assert.deepEqual(findPersonalData(text).filter((m) => !["PHONE", "NAME"].includes(m.kind)).map((m) => text.slice(m.start, m.end)), [], text);
  }
});

test("national identifiers are redacted with typed placeholders", () => {
  const r = redactPersonalData("DNI 12345678Z, BSN 111222333, hetu 131052-308T, again 12345678Z.");
  assert.equal(r.text, "DNI [DNI_1], BSN [BSN_1], hetu [HETU_1], again [DNI_1].");
  assert.deepEqual(r.counts, { DNI: 1, BSN: 1, HETU: 1 });
  // One number written two ways keeps one placeholder.
  assert.equal(redactPersonalData("RČ 710319/2745, rodné číslo 7103192745").text, "RČ [RODNE_CISLO_1], rodné číslo [RODNE_CISLO_1]");
});

test("check algorithms against their textbook cases", () => {
  assert.equal(verhoeff("2363"), true);
  assert.equal(verhoeff("2364"), false);
  assert.equal(luhn("79927398713"), true);
  assert.equal(dateValid(2000, 2, 29), true);
  assert.equal(dateValid(1900, 2, 29), false);
  assert.equal(hetuValid("131052-308t"), false);
});

test("property: scanning only around digits finds national identifiers as whole-text scans do", (t) => {
  const bits = [
    "12345678Z", "X1234567L", "85.07.30-033.28", "15108695088", "880320-0016", "131052-308T", "710319/2745", "1630615123457",
    "36805280109", "161175-19997", "0101006500006", "1893120105732", "BSN ", "111222333", "ЕГН ", "7523169263", "TAJ ", "111 111 110",
    "asmens kodas ", "33309240064", "1", "12", "-", ".", "/", "+", " ", "\n", "é", "x".repeat(60), " ".repeat(50),
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...bits), { maxLength: 16 }).map((b) => b.join("")), (text) => {
      assert.deepEqual(findPersonalData(text), findPersonalDataEverywhere(text));
    }),
    params(t, 1000, 10_000),
  );
});

test("a number in a delimited table is labelled by its column's header", () => {
  const kinds = (text: string) => findPersonalData(text).filter((f) => f.kind !== "NAME").map((f) => [f.kind, text.slice(f.start, f.end)]);
  // BSN 111222333 passes the 11-proef; alone, nine digits are not enough.
  assert.deepEqual(kinds("klantnr;bsn;woonplaats\nK-1;111222333;Utrecht"), [["BSN", "111222333"]]);
  assert.deepEqual(kinds("klantnr;ordernr;woonplaats\nK-1;111222333;Utrecht"), []);
});

test("a label further on the same line still names the number, and a PESEL with an impossible date is none", () => {
  assert.equal(findPersonalData("Mag ik je burgerservicenummer voor de zorgtoeslag? Is het deze: 111222333?").some((f) => f.kind === "BSN"), true);
  assert.deepEqual(findPersonalData("PESEL 81023044653").map((f) => f.kind), []);
});

test("a Luxembourg matricule written in the groups of its parts is found next to its label, not alone", () => {
  const kinds = (text: string) => findPersonalData(text).map((m) => `${m.kind}:${text.slice(m.start, m.end)}`);
  assert.deepEqual(kinds("Visitor registration: matricule 1999 0727 695 04, badge 7"), ["MATRICULE:1999 0727 695 04"]);
  assert.deepEqual(kinds("order 1999 0727 695 04 shipped"), []);
});
