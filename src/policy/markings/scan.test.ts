import { test } from "node:test";
import assert from "node:assert/strict";
import { compareLevels, createMarkingStream, scanMarkings } from "../index.ts";

const names = (text: string, ceiling?: string) => scanMarkings(text, ceiling === undefined ? {} : { ceiling }).map((f) => f.marking);

test("a banner line of a NATO level is found with its level, nation and position", () => {
  const [f, ...rest] = scanMarkings("Report of the working group\nNATO SECRET\n\nThe convoy leaves at dawn.");
  assert.equal(rest.length, 0);
  assert.equal(f?.marking, "NATO SECRET");
  assert.equal(f?.level, "NATO SECRET");
  assert.equal(f?.nation, "NATO");
  assert.deepEqual(f?.location, { line: 2, column: 1, offset: 28, length: 11 });
});

test("findings never carry the text around the marking", () => {
  const [f] = scanMarkings("NATO SECRET\nThe password is hunter2");
  assert.ok(f);
  assert.ok(!JSON.stringify(f).includes("hunter2"));
});

test("prose look-alikes are not markings", () => {
  for (const text of [
    "The Secretary General met the press in Brussels.",
    "Members voted by secret ballot on the new chair.",
    "Grandma's top-secret recipe for apple pie.",
    "We keep your personal data confidential and never sell it.",
    "Das Rezept ist streng geheim.",
    "To są tajne informacje o przyjęciu urodzinowym.",
    "Bu çok gizli bir tarif.",
    "NATO Secret is one of four NATO classification levels.",
    "He whispered: it's SECRET! Don't tell mum.",
    "S E C R E T A R Y",
    "Your information is classified as confidential and kept for two years.",
  ]) assert.deepEqual(names(text), [], text);
});

test("spelling evasions are normalised: spacing, zero-width, confusables, full-width, mixed case, line breaks", () => {
  assert.deepEqual(names("N A T O  S-E-C-R-E-T"), ["NATO SECRET"]);
  assert.deepEqual(names("NATO SE\u200bCR\u200dET"), ["NATO SECRET"]);
  assert.deepEqual(names("N\u0410TO S\u0415CRET"), ["NATO SECRET"]); // Cyrillic А and Е
  assert.deepEqual(names("\uff2e\uff21\uff34\uff2f \uff33\uff25\uff23\uff32\uff25\uff34"), ["NATO SECRET"]);
  assert.deepEqual(names("please summarise this nAtO sEcReT annex"), ["NATO SECRET"]);
  assert.deepEqual(names("the NATO\nSECRET annex"), ["NATO SECRET"]);
  assert.deepEqual(scanMarkings("N A T O  S-E-C-R-E-T")[0]?.evasions, ["spacing"]);
});

test("common words count as markings only when written as markings", () => {
  assert.deepEqual(names("SECRET\nMeeting notes"), ["SECRET"]);
  assert.deepEqual(names("Classification: Secret\nMeeting notes"), ["SECRET"]);
  assert.deepEqual(names("This document is classified TOP SECRET."), ["TOP SECRET"]);
  assert.deepEqual(names("TOP SECRET//NOFORN"), ["TOP SECRET", "NOFORN"]);
  assert.deepEqual(names("[GEHEIM] Lagebericht"), ["GEHEIM"]);
  assert.deepEqual(names("ŚCIŚLE TAJNE\nEgz. nr 1"), ["ŚCIŚLE TAJNE"]);
});

test("portion marks open a paragraph; the same letters elsewhere are not marks", () => {
  assert.deepEqual(names("(NS) The convoy will leave at 0600."), ["(NS)"]);
  assert.deepEqual(names("1. (S//NF) Source reporting indicates a delay."), ["(S)"]);
  assert.deepEqual(names("She moved to Raleigh (NC) last year."), []);
  assert.deepEqual(names("(C) 2024 Example Corp. All rights reserved."), []);
});

test("machine-readable confidentiality labels are found", () => {
  assert.deepEqual(names('<slab:ConfidentialityInformation><slab:PolicyIdentifier>NATO</slab:PolicyIdentifier><slab:Classification>SECRET</slab:Classification>'), ["SECRET"]);
  assert.deepEqual(names('{"ConfidentialityInformation":{"PolicyIdentifier":"NATO","Classification":"restricted"}}'), ["RESTRICTED"]);
});

test("the ceiling decides which levels are reported", () => {
  const text = "NATO RESTRICTED\nbody\nNATO CONFIDENTIAL";
  assert.deepEqual(names(text), ["NATO RESTRICTED", "NATO CONFIDENTIAL"]);
  assert.deepEqual(names(text, "NATO RESTRICTED"), ["NATO CONFIDENTIAL"]);
  assert.deepEqual(names("NATO UNCLASSIFIED\nbody"), []);
});

test("the longest marking wins where spellings overlap", () => {
  const [f, ...rest] = scanMarkings("COSMIC TOP SECRET ATOMAL");
  assert.equal(rest.length, 0);
  assert.equal(f?.level, "COSMIC TOP SECRET");
});

test("compareLevels orders levels by rank whatever their spelling", () => {
  assert.ok(compareLevels("NATO SECRET", "NATO RESTRICTED") > 0);
  assert.ok(compareLevels("restricted", "COSMIC TOP SECRET") < 0);
  assert.equal(compareLevels("NS", "NATO SECRET"), 0);
  assert.throws(() => compareLevels("MOSTLY HARMLESS", "NATO SECRET"), /not a classification level/);
});

test("a stream catches a marking split across chunks, once, at its stream position", () => {
  const stream = createMarkingStream();
  const chunks = ["Here is the summary.\nNATO SEC", "RET\nMore text ", "about logistics. The Secre", "tary General said.\nTOP SEC", "RET"];
  const found = chunks.flatMap((c) => stream.push(c).map((f) => f.marking));
  found.push(...stream.end().map((f) => f.marking));
  assert.deepEqual(found, ["NATO SECRET", "TOP SECRET"]);
});

test("a stream reports a banner only once its line is complete", () => {
  const stream = createMarkingStream();
  assert.deepEqual(stream.push("SECRET"), []);
  assert.deepEqual(stream.push(" BALLOT results\n"), []);
  assert.deepEqual(stream.end(), []);
});

test("a stream gives the same findings as scanning the whole text, whatever the chunk size", () => {
  const text = "Intro line\n(NS) First para.\nThe Secretary General spoke.\nN A T O  R E S T R I C T E D\nGEHEIM\n" + "filler ".repeat(300) + "\nVS-VERTRAULICH\n";
  const whole = scanMarkings(text).map((f) => `${f.marking}@${f.location.offset}:${f.location.line}:${f.location.column}`);
  for (const size of [1, 3, 7, 64, 1000]) {
    const stream = createMarkingStream();
    const got: string[] = [];
    for (let i = 0; i < text.length; i += size) got.push(...stream.push(text.slice(i, i + size)).map((f) => `${f.marking}@${f.location.offset}:${f.location.line}:${f.location.column}`));
    got.push(...stream.end().map((f) => `${f.marking}@${f.location.offset}:${f.location.line}:${f.location.column}`));
    assert.deepEqual(got, whole, `chunk size ${size}`);
  }
});

test("a full stop inside a marking's own spelling is not a sentence end: 'Stg. GEHEIM' in any case", () => {
  assert.deepEqual(scanMarkings("Stg. GEHEIM\n\nMinisterie van Defensie").map((f) => f.marking), ["STG. GEHEIM"]);
  assert.deepEqual(scanMarkings("We met at the NATO. Secret ballots were held later.").map((f) => f.marking), []);
});

test("page footers in the member languages stay banner lines", () => {
  for (const footer of ["TAJNO – stran 2 od 5", "HEMMELIG – side 2 av 5", "SALAINEN – sivu 3", "TITKOS – oldal 4"]) {
    assert.equal(scanMarkings(`Raport.\n\n${footer}`).length, 1, footer);
  }
  assert.deepEqual(scanMarkings("Flokkun: LEYNDARMÁL").map((f) => f.marking), ["LEYNDARMÁL"]);
});

test("markings in the forms requests and outputs carry: JSON escapes, HTML banners, pasted headers, message openers", () => {
  assert.deepEqual(names('{"messages":[{"content":"Fasse zusammen:\\nPOUFNE\\nEgz. nr 2"}]}'), ["POUFNE"]);
  assert.deepEqual(names('{"prompt":"x\\nVS-VERTRAULICH\\nAmtlich"}'), ["VS-VERTRAULICH"]);
  assert.deepEqual(names('<div class="banner">DÔVERNÉ</div>\n<h1>Správa</h1>'), ["DÔVERNÉ"]);
  assert.deepEqual(names("User: Översätt detta\nUser: BEGRÄNSAT HEMLIG\nÄmne: Förflyttning vecka 41"), ["BEGRÄNSAT HEMLIG"]);
  assert.deepEqual(names("RISERVATO - riunione spostata alle 15, non inoltrare."), ["RISERVATO"]);
  assert.deepEqual(names("D'après la note, qui porte la mention NATO DIFFUSION RESTREINTE, le dépôt sera déplacé."), ["NATO DIFFUSION RESTREINTE"]);
  assert.deepEqual(names("asiakirja;otsikko;turvallisuusluokka\n2026-118;Huoltosuunnitelma;SALAINEN (TL II)"), ["SALAINEN", "TL II"]);
  assert.deepEqual(names("Dokument on päises märgitud „SALAJANE“ ja see läheb Võrru."), ["SALAJANE"]);
});

test("their look-alikes are not: a disclaimer opening with CONFIDENTIAL:, a form's secret-ballot field, API secrets in JSON", () => {
  assert.deepEqual(names("CONFIDENTIAL: This e-mail and its attachments are intended only for the addressee."), []);
  assert.deepEqual(names("Bod 4: Volba místostarosty\nZpůsob hlasování: TAJNÉ\nNávrh: Ing. Pavel Novák"), []);
  assert.deepEqual(names('{"auth":{"jwtSecret":"change-me","clientSecret":"abc"},"secret":"x","confidential":false}'), []);
  assert.deepEqual(names('{"text":"Our \\nsecret\\n sauce"}'), []);
});

test("a level named as someone's clearance in running text is a mention, not a marking", () => {
  assert.deepEqual(names("Applicants must be eligible for a NATO SECRET security clearance before starting."), []);
  assert.deepEqual(names("Le poste exige une habilitation SECRET DÉFENSE en cours de validité."), []);
  // On a banner line, or set off by marking syntax, the same words still mark the text.
  assert.deepEqual(names("NATO SECRET\nClearance review minutes"), ["NATO SECRET"]);
  assert.deepEqual(names("Results of the audit (NATO SECRET) follow: clearance holders only."), ["NATO SECRET"]);
});

test("three or more levels listed in a sentence describe the marking system; two are not enough", () => {
  assert.deepEqual(names("Handling rules differ for NATO RESTRICTED, NATO CONFIDENTIAL and NATO SECRET material."), []);
  assert.equal(names("Handling rules for this NATO SECRET and NATO CONFIDENTIAL annex follow.").length > 0, true);
});

test("a chat message opening with a marking and a colon after its time and speaker is marked", () => {
  assert.deepEqual(names("[09:41] maj. Lund: HEMMELIG: kompaniet flyttes til leir nord i morgen."), ["HEMMELIG"]);
  assert.deepEqual(names("<lund> HEMMELIG: kompaniet flyttes i morgen."), ["HEMMELIG"]);
  // Without a speaker, a colon after a common word opens many a disclaimer.
  assert.deepEqual(names("CONFIDENTIAL: this message is meant only for the person it is addressed to."), []);
});

test("a marking closing a subject line after a dash, and a zero standing for O inside a marking, are found", () => {
  assert.deepEqual(names("Betreff: Haushaltsentwurf 2027 – VS-VERTRAULICH\n\nHallo zusammen"), ["VS-VERTRAULICH"]);
  assert.deepEqual(names("Subject: minutes of the board – we keep it secret"), []);
  assert.equal(scanMarkings("== C0SMIC T0P SECRET ==\nAnnex")[0]?.level, "COSMIC TOP SECRET");
  assert.deepEqual(scanMarkings("== C0SMIC T0P SECRET ==")[0]?.evasions, ["confusable"]);
  assert.deepEqual(names("Room 10 was booked for 2020 and 2030."), []);
});

test("a marking verb with its connector labels the level after it, in each language", () => {
  assert.deepEqual(names("Protokoll: Dokument eingestuft als GEHEIM, Zugriff nur für Referat II"), ["GEHEIM"]);
  assert.deepEqual(names("La riunione è classificata SEGRETO."), ["SEGRETO"]);
  assert.deepEqual(names("/* CONFIDENTIEL OTAN - ne pas publier */"), ["NATO CONFIDENTIEL"]);
});

test("two levels given as a range in prose are a mention, unless the text was regraded from one to the other", () => {
  assert.deepEqual(names("Handling rules cover everything from NATO RESTRICTED up to COSMIC TOP SECRET."), []);
  assert.deepEqual(names("This annex was downgraded from NATO SECRET to NATO RESTRICTED on 3 May."), ["NATO SECRET", "NATO RESTRICTED"]);
});

test("two levels compared in a sentence are a mention; two levels in a banner are not", () => {
  assert.deepEqual(names("Can you explain the difference between the OFFICIAL-SENSITIVE handling caveat and the SECRET tier?"), []);
  assert.deepEqual(names("Wie verhält sich die deutsche Einstufung VS-NUR FÜR DEN DIENSTGEBRAUCH zu NATO RESTRICTED?"), []);
  assert.ok(names("NATO RESTRICTED / VS-NUR FÜR DEN DIENSTGEBRAUCH\nBetreff: Übung").length > 0);
  assert.ok(names("This memo is NATO RESTRICTED. Compare it with last year's plan.").length > 0);
});

test("a common marking word in lower case that is a memo's whole first line, a subject field following, is its banner", () => {
  assert.ok(names("streng geheim\n\nbetreff: besuchsprogramm der delegation\ndie delegation trifft am dienstag ein.").length > 0);
  assert.deepEqual(names("Top secret\n\nMy grandmother's recipe for plum cake: 500 g flour..."), []);
});

test("a Title Case marking of two words or more alone on a document's last line is its footer; one word, or sentence case, is not", () => {
  const memo = "Muistio\n\n1. Harjoitus pidetään kesäkuussa.\n2. Kuljetus hoidetaan rautateitse.\n\n";
  assert.ok(names(`${memo}Käyttö Rajoitettu`).length > 0);
  assert.deepEqual(names(`${memo}Käyttö rajoitettu`), []);
  assert.deepEqual(names("Teksti.\n\nKäyttö Rajoitettu"), []);
});

test("Dutch DEPARTEMENTAAL VERTROUWELIJK is never prose: alone on a line in any case it is the banner, quoted in prose it is a name", () => {
  assert.ok(names("Departementaal Vertrouwelijk\nNotitie voor het overleg over de begroting.").length > 0);
  assert.ok(names("Notitie\n\n1. De oefening vindt plaats in juni.\n\nDepartementaal vertrouwelijk").length > 0);
  assert.deepEqual(names("De rubricering 'departementaal vertrouwelijk' is in 2013 vervangen."), []);
});

test("a common marking in capitals with a handling instruction in its sentence is marked; emphasis without one is not", () => {
  assert.deepEqual(names("posilam zapis z porady, je to DUVERNE tak to nikam nepreposilej."), ["DŮVĚRNÉ"]);
  assert.deepEqual(names("the minutes are CONFIDENTIAL, do not forward them."), ["CONFIDENTIAL"]);
  // Instructions written with their accents and letters beyond ASCII (the phrases are compared folded).
  assert.deepEqual(names("o relatório é CONFIDENCIAL, não reencaminhar."), ["CONFIDENCIAL"]);
  assert.deepEqual(names("raportti on SALAINEN, älä välitä eteenpäin."), ["SALAINEN"]);
  assert.deepEqual(names("Secret Santa is TOP SECRET, don't tell the kids!"), []);
  // The instruction belongs to its own sentence: one that follows does not make the emphasis a marking.
  assert.deepEqual(names("The recipe is SECRET. Do not share the photos though."), []);
});

test("the same marking as the whole first and last line of a text is a banner pair in any case; one line alone is a title", () => {
  assert.ok(names("très secret\n\nannexe c – calendrier des travaux\n\ntrès secret").length > 0);
  assert.deepEqual(names("top secret\nplan\nsecret"), []);
  assert.deepEqual(names("Top secret\n\nMy grandmother's recipe for plum cake."), []);
});

test("a subject field may close with a level and its number in the national scheme: SALAINEN, TL II", () => {
  assert.deepEqual(names("Aihe: VL: Harjoitussuunnitelma - SALAINEN, TL II"), ["SALAINEN", "TL II"]);
  assert.deepEqual(names("Subject: Plan - SECRET, later today"), []);
});

test("a level quoted in running text, not in capitals, is talked about", () => {
  assert.deepEqual(names("La réforme a supprimé le niveau « confidentiel défense » en 2021."), []);
  assert.ok(names("La note est classée CONFIDENTIEL DÉFENSE.").length > 0);
});

test("a level as a personnel security clearance three words on, and a range with the levels qualified, are mentions", () => {
  assert.deepEqual(names("You must hold, or be able to obtain, a NATO SECRET personnel security clearance."), []);
  assert.deepEqual(names("Sie kennt vier Grade, von VS-NUR FÜR DEN DIENSTGEBRAUCH als niedrigstem bis STRENG GEHEIM als höchstem Grad."), []);
});

test("digits standing for letters inside words are an evasion of a marking of several words; one word needs its banner", () => {
  assert.deepEqual(scanMarkings("N4T0 C0NF1D3NT1AL\nSubj: coverage gaps").map((f) => [f.marking, f.evasions]), [["NATO CONFIDENTIAL", ["confusable"]]]);
  assert.deepEqual(names("PASSWORD=S3CR3T in the example config"), []);
});

test("a spreadsheet cell pasted with its reference, and the Latvian label, carry a marking", () => {
  assert.ok(names("Pasa estas celdas a una tabla:\nA1: DIFUSIÓN LIMITADA\nA2: Unidad | B2: Efectivos").length > 0);
  assert.ok(names("Muuta CSV-muotoon:\nA1: LUOTTAMUKSELLINEN – SUOJAUSTASO III\nA2: Joukko").length > 0);
  assert.ok(names('{"dokuments": "Apgādes plāns", "klasifikācija": "SLEPENI"}').length > 0);
});

test("markings in code and files: an identifier's SECRET, an enumeration's levels and a template variable are names", () => {
  assert.deepEqual(names("# session cookies\nSESSION_SECRET=change-me\nDATABASE_URL=postgres://app@db/stock"), []);
  assert.deepEqual(names("class AccessLevel(IntEnum):\n    PUBLIC = 0\n    CONFIDENTIAL = 2\n    RESTRICTED = 3"), []);
  assert.deepEqual(names("enum EstadoMesa {\n  LIBRE = \"LIBRE\",\n  RESERVADO = \"RESERVADO\",\n}"), []);
  assert.deepEqual(names("Go to ${SECRET} now"), []);
  // A label names the value assigned, and a value under another name may be the text's marking.
  assert.deepEqual(names("CLASSIFICATION = SECRET\nOWNER = \"ops\""), ["SECRET"]);
  assert.deepEqual(names("level = \"NATO SECRET\"\nowner = \"ops\""), ["NATO SECRET"]);
});

test("markings in braces, path components and table cells of their own are written as markings", () => {
  assert.deepEqual(names("\\fancyhead[C]{\\textbf{RISERVATO}}"), ["RISERVATO"]);
  assert.deepEqual(names("backup done: D:\\Arsiv\\HIZMETE_OZEL\\Tatbikat_Plani_2024.docx"), ["HİZMETE ÖZEL"]);
  assert.deepEqual(names("item_no,portion,description,qty\n1,(CTS),Key list for strategic net,2"), ["(CTS)"]);
  assert.deepEqual(names("[2024-09-02 13:44:51] DMS upload ok  doc=\"Insatsorder 4/24\"  klassning=\"HEMLIG\""), ["HEMLIG"]);
});

test("a level as a threshold, or among three levels or more a paragraph describes, is talked about", () => {
  assert.deepEqual(names("Do not forward anything marked NATO RESTRICTED or higher to this address."), []);
  assert.deepEqual(names("NATO uses four levels. NATO RESTRICTED applies to information whose disclosure would be disadvantageous. NATO CONFIDENTIAL applies where it would be damaging, NATO SECRET where it would cause serious damage."), []);
  assert.deepEqual(names("Turvallisuusluokka I (ERITTÄIN SALAINEN) on korkein ja turvallisuusluokka IV (KÄYTTÖ RAJOITETTU) alin."), []);
  // A banner line stays a marking whatever the paragraph describes.
  assert.ok(names("NATO SECRET\nNATO RESTRICTED applies to ... NATO CONFIDENTIAL applies to ... COSMIC TOP SECRET applies to ...").includes("NATO SECRET"));
});
