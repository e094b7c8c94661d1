// Held-out marking checks (test/policy/heldout/markings.jsonl): languages the marking corpus does not cover
// (Hungarian, Romanian, Bulgarian, the Baltic and Nordic languages, Slovak, Slovenian, Croatian, Albanian,
// Macedonian, Icelandic) and formats it does not hold (mail subjects, Markdown, HTML, CSV, YAML, document
// metadata, PDF footers, two-column banners, other STANAG-style label shapes), with prose look-alikes in those
// languages. Written apart from the table; before labels.txt gained its Estonian and longer Spanish labels,
// 38 of 40 were refused and none of the 30 look-alikes. Batch f (ids f-m-*, session 4: 60 marked, 60 look-alikes in
// 15 languages, by a writer who never saw the table or the corpus) was refused 60/60 with 0/60 look-alikes on arrival,
// before any change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mulberry32 } from "../helpers/prng.ts";
import { createMarkingStream, scanMarkings } from "../../src/policy/index.ts";

interface Item { id: string; lang: string; how: string; marked: boolean; text: string }
const items = readFileSync(new URL("./heldout/markings.jsonl", import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item);
const marked = items.filter((i) => i.marked);
const unmarked = items.filter((i) => !i.marked);

test("held-out markings in other languages and formats are refused, and their look-alikes are not", (t) => {
  const missed = marked.filter((i) => scanMarkings(i.text).length === 0).map((i) => `${i.id} (${i.lang}, ${i.how})`);
  const refused = unmarked.filter((i) => scanMarkings(i.text).length > 0).map((i) => `${i.id} (${i.lang}, ${i.how})`);
  t.diagnostic(`held-out marked refused: ${marked.length - missed.length}/${marked.length}; look-alikes refused: ${refused.length}/${unmarked.length}`);
  assert.deepEqual(missed, []);
  assert.deepEqual(refused, []);
});

/** Whether a marking stream fed the text in chunks of 1 to 9 characters (sizes drawn from `next`) finds nothing. */
function missedWhenStreamed(text: string, next: () => number): boolean {
  const stream = createMarkingStream();
  let found = 0;
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(next() * 9);
    found += stream.push(text.slice(i, i + size)).length;
    i += size;
  }
  return found + stream.end().length === 0;
}

test("held-out markings are refused when they arrive in chunks of 1 to 9 characters", () => {
  const next = mulberry32(11);
  assert.deepEqual(marked.filter((item) => missedWhenStreamed(item.text, next)).map((i) => i.id), []);
});

/**
 * One held-out batch: at least `floor` marked texts found, at most `maxRefused` look-alikes refused; judgement calls
 * printed, not asserted.
 */
function batchTest(name: string, file: string, floor: number, maxRefused = 0): void {
  const items = readFileSync(new URL(`./heldout/${file}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Item & { judgement?: boolean });
  test(`held-out markings batch ${name}: found and refused within the floors reached`, (t) => {
    const marked = items.filter((i) => i.marked);
    const lookAlikes = items.filter((i) => !i.marked && i.judgement !== true);
    const judgement = items.filter((i) => i.judgement === true);
    const missed = marked.filter((i) => scanMarkings(i.text).length === 0).map((i) => `${i.id} (${i.lang}, ${i.how})`);
    const refused = lookAlikes.filter((i) => scanMarkings(i.text).length > 0).map((i) => `${i.id} (${i.lang}, ${i.how})`);
    const judged = judgement.filter((i) => scanMarkings(i.text).length > 0).map((i) => i.id);
    t.diagnostic(`batch ${name}: marked found ${marked.length - missed.length}/${marked.length}; look-alikes refused ${refused.length}/${lookAlikes.length}; judgement calls refused ${judged.length}/${judgement.length} (${judged.join(" ") || "none"})`);
    t.diagnostic(`batch ${name} missed: ${missed.join("; ") || "none"}`);
    assert.ok(marked.length - missed.length >= floor, `batch ${name}: ${marked.length - missed.length}/${marked.length} found, floor ${floor}`);
    assert.ok(refused.length <= maxRefused, `batch ${name}: look-alikes refused: ${refused.join("; ")}`);
  });
  test(`held-out markings batch ${name}: what the whole text shows, chunks of 1 to 9 characters show too`, () => {
    const next = mulberry32(13);
    const lost = items.filter((item) => item.marked && scanMarkings(item.text).length > 0 && missedWhenStreamed(item.text, next));
    assert.deepEqual(lost.map((i) => i.id), []);
  });
}

// Batch j (heldout/markings-j.jsonl, session 4): 50 marked texts inside realistic documents (forwarded mail, Markdown
// tables, CSV columns, STANAG-style labels, YAML front matter, PDF footers, portion marks, 26 languages, evasions) and
// 50 look-alikes, by a writer who never saw the table. On arrival: 45/50 found, 0/46 look-alikes refused. Its
// misses then led to: abbreviations in a marking's own spelling ("Stg. GEHEIM") no longer read as a sentence end,
// page footers in the other member languages ("TAJNO – stran 2 od 5"), Icelandic LEYNDARMÁL and the label
// "Flokkun". Still missed then: a marking as a CSV cell under a "gradering" column (found since session 5, by the
// column reading below), and a bare "NS" banner line.
// Four items are judgement calls (declassified stamps, training prose listing the levels): printed, not asserted.
batchTest("j", "markings-j.jsonl", 49);

// Batch k (heldout/markings-k.jsonl, session 5): 50 marked texts in 28 languages, weighted to the less common ones
// (memo and report headers, PDF headers and footers, registers as CSV, Markdown and fixed-width printouts, STANAG
// labels, forwarded mail, OCR noise, 11 evasions) and 50 look-alikes (national "unclassified" headers such as
// NESECRET and JAWNE, disclaimers, minutes), by a writer who never saw the table. On arrival: 44/50 found, 0/45
// look-alikes refused, 2/5 judgement calls refused. Its misses led to: table cells under a column headed by a label
// (columns.ts), a marking opening a subject line ("Onderwerp: Dep. VERTROUWELIJK – ..."), an abbreviation in a
// marking's spelling keeping its Title case in capitals, and labels in the remaining member languages ("Stepen
// tajnosti", "Klasifikimi", "Classificação de segurança").
batchTest("k", "markings-k.jsonl", 50);

// Batch n (heldout/markings-n.jsonl, session 5): 50 marked texts in the forms requests and model outputs carry (raw
// JSON bodies with \n escapes, HTML banner divs, pasted chat transcripts, SMS openers, model answers quoting a
// marking, CSV exports, YAML/TOML, 10 evasions; 28 languages) and 50 look-alikes (API secrets in JSON, disclaimers,
// party themes, secret ballots), by a writer who never saw the table. On arrival: 37/50 found, 0/43 look-alikes
// refused, 1/8 judgement calls refused. Its misses led to: a start after a JSON escape ("\nPOUFNE"), markup not
// counted as text on a banner line, a pasted header after a speaker's name when a subject line follows, a line
// opening with a marking set off by a dash, a parenthesised level code after a cell's marking, NATO's French
// markings (NATO DIFFUSION RESTREINTE, NATO CONFIDENTIEL, COSMIC TRÈS SECRET), and the verbs of marking
// ("märgitud", "mit dem Vermerk") as labels. Still missed: "ДОВЕРЛИВО: ..." opening an SMS with a colon, left
// because "CONFIDENTIAL: This e-mail is intended..." opens many a disclaimer.
batchTest("n", "markings-n.jsonl", 49);

// Batch p (heldout/markings-p.jsonl, end of session 5): 50 marked texts and 50 look-alikes in 27 member languages,
// forms of the writer's choosing, 10 evasions, by a writer who never saw the table or earlier batches. Measured once
// on arrival, after every session-5 change, and never read since: 47/50 found, 1/47 look-alikes refused, 4/4
// judgement calls refused. The unseen figure of session 5.
batchTest("p", "markings-p.jsonl", 47, 1);

// Batch q (heldout/markings-q.jsonl, session 6): 50 marked, 50 look-alikes, 19 languages, an eleventh writer. On
// arrival, measured once before any change: 49/50 found, 3/50 look-alikes refused. Used for development since: a level
// named as a person's clearance ("must hold a NATO SECRET clearance", clearance-words.txt) and three or more levels
// listed in a sentence are mentions, not markings; a chat message opening with a marking and a colon after its time
// and speaker is marked ("[10:02] kn. Holm: FORTROLIGT: ..."). One judgement call: a restaurant's "RESERVADO" table
// card, a lone capitalised banner word that a Spanish or Portuguese document would carry the same way (refused).
batchTest("q", "markings-q.jsonl", 50, 0);

// Batch r (heldout/markings-r.jsonl, session 6): 50 marked, 50 look-alikes, 17 languages, a twelfth writer, written
// after batch q's changes and measured once on arrival: 48/50 found, 0/50 look-alikes refused. Its two misses then
// led to: a zero inside a marking read as the O it stands for ("NAT0 SECRET" in OCR text; reported as a confusable),
// and a marking closing a subject line after a dash ("Onderwerp: conceptbegroting 2026 – DEPARTEMENTAAL VERTROUWELIJK").
batchTest("r", "markings-r.jsonl", 50, 0);

// Batch s (heldout/markings-s.jsonl, session 6): 50 marked, 50 look-alikes, 17 languages, a sixth writer, in the
// places documents hide markings (source comments, log lines, mail quoted several levels deep, subtitles,
// spreadsheet exports, bilingual banners), written after batch r's changes and measured once on arrival: 45/50 found,
// 2/50 look-alikes refused. Then used: labels ending in a connector now match ("eingestuft als GEHEIM", "classificata
// SEGRETO", "classificado SECRETO"); the Finnish label "luokitus"; NATO's French markings with OTAN ("CONFIDENTIEL
// OTAN"); two levels given as a range in prose are a mention ("from NATO RESTRICTED up to COSMIC TOP SECRET"), unless
// regraded ("downgraded from NATO SECRET to NATO RESTRICTED"). Still refused: prose naming "RESTREINT UE/EU
// RESTRICTED" as the lowest EU level.
batchTest("s", "markings-s.jsonl", 50, 1);

// Batch u (heldout/markings-u.jsonl, session 7): 50 marked, 50 look-alikes, 11 languages, a thirteenth writer (banners,
// footers, portion marks, subject lines, JSON and XML labels, YAML headers; 11 evasions: lower case, letter spacing,
// zero-width characters, full-width and Cyrillic letters, a decomposed accent, dropped diacritics; look-alikes include
// questions about the marking systems), written after every session-6 change and measured once on arrival: 49/50
// found, 2/50 look-alikes refused. Then used: two levels compared in a sentence are a mention ("the difference between
// the OFFICIAL-SENSITIVE caveat and the SECRET tier", "wie verhält sich VS-NUR FÜR DEN DIENSTGEBRAUCH zu NATO
// RESTRICTED"); a common marking word in any case that is the whole first line of a memo, a subject field following, is
// its banner ("streng geheim" over "betreff: ...").
batchTest("u", "markings-u.jsonl", 50, 0);

// Batch v (heldout/markings-v.jsonl, session 7): 50 marked, 50 look-alikes, 25 languages, a fourteenth writer, with
// markings placed in long documents (a footer under a 150-word note, a portion mark in paragraph 3, a line in a
// forwarded mail), written after batch u's changes and measured once on arrival: 49/50 found, 2/50 look-alikes refused
// (a job advert's "NATO SECRET personnel security clearance"; a course text giving the German levels "von VS-NUR FÜR
// DEN DIENSTGEBRAUCH als niedrigstem bis STRENG GEHEIM als höchstem Grad"). Then used: a Title Case marking of two words
// or more alone on a document's last line is its footer ("Departementaal Vertrouwelijk"); clearance words count three
// words after a level; a range's first level may be qualified by up to three words before the connector.
batchTest("v", "markings-v.jsonl", 50, 0);

// Batch w (heldout/markings-w.jsonl, session 7): 50 marked, 50 look-alikes in 25 languages, a sixteenth writer (mail and
// chat quoting marked material, markings in file names and paths, spreadsheet cells, code comments, machine labels,
// leetspeak; look-alikes in file names, unclassified labels, NDAs, training slides), written after batch v's changes
// and measured once on arrival: 46/50 found, 0/50 look-alikes refused. Then used: digits standing for letters inside a
// word (0 O, 1 I, 3 E, 4 A, 5 S, 7 T: "N4T0 C0NF1D3NT1AL"), an evasion in a marking of several words; a spreadsheet
// cell pasted with its reference ("A1: DIFUSIÓN LIMITADA"); the Latvian and Lithuanian labels ("klasifikācija").
batchTest("w", "markings-w.jsonl", 50, 0);

// Batch x (heldout/markings-x.jsonl, session 7): 50 marked, 50 look-alikes, 8 languages, a seventeenth writer (document
// properties and metadata, e-mail X-headers, tables of contents, quoted reply chains, combined caveats, side-by-side
// translations; look-alikes: releasable NATO UNCLASSIFIED, PUBLIC and OFFEN labels, secret-management and confidential-
// computing docs), measured once on arrival: 49/50 found, 0/50 look-alikes refused. Then: the German labels
// "Klassifizierung", "Geheimhaltungsstufe", "Geheimhaltungsgrad" (the miss: photo metadata with "Klassifizierung": "GEHEIM").
batchTest("x", "markings-x.jsonl", 50, 0);

// Batch y (heldout/markings-y.jsonl, session 7): 50 marked, 50 look-alikes in 23 languages, an eighteenth writer
// (markings inside staff products: paragraph portion marks, annex headers, distribution lists, page footers; exercise
// documents; national "unclassified" labels; "restricted area", "confidential informant", "Secret Service" in prose),
// measured once on arrival after every change of the session: 50/50 found, 0/50 look-alikes refused.
batchTest("y", "markings-y.jsonl", 50, 0);

// Batch z (heldout/markings-z.jsonl, end of session 7): 50 marked, 50 look-alikes in 23 languages, a nineteenth writer
// asked for a representative spread, written after every session-7 change and measured once on arrival: 49/50 found,
// 3/50 look-alikes refused (a code enum listing the NATO levels, questions about VS-NfD, a Hungarian text describing
// the levels). Never used for development: the unseen figure of the end of session 7.
batchTest("z", "markings-z.jsonl", 50, 3);

// Session 8: batch z was then used (its miss: a French banner in lower case over and under a memo, now a banner pair;
// a Hungarian "TL II"-style mention stays a judgement the look-alikes count).
// Batch aa (heldout/markings-aa.jsonl, session 8): 50 marked, 50 look-alikes in 17 languages, a twenty-first writer
// (text through PDF/OCR: headers and footers mid-text, page numbers, broken lines, table fragments; forwarded-mail
// headers in each country's style; subject lines), measured once on arrival: 48/50 found, 1/50 look-alikes refused.
// Then used: Finland's numbered levels (TL IV to TL I, turvallisuusluokka), a subject field closing with a list of
// markings ("– SALAINEN, TL II"), DEPARTEMENTAAL VERTROUWELIJK never prose (distinct), a level quoted in prose case is
// talked about ("le niveau « confidentiel défense »").
batchTest("aa", "markings-aa.jsonl", 50, 0);

// Batch ab (heldout/markings-ab.jsonl, session 8): 50 marked, 50 look-alikes in 19 languages, a twenty-second writer
// (the smaller and newer members in their own languages, markings and everyday words for secret), measured once on
// arrival: 49/50 found, 0/50 refused. Then used: a common marking in capitals with a handling instruction in its
// sentence ("je to DUVERNE tak to nikam nepřeposílej"; handling-words.txt).
batchTest("ab", "markings-ab.jsonl", 50, 0);

// Batch ad (heldout/markings-ad.jsonl, session 8): 50 marked, 50 look-alikes in 24 languages, a twenty-third writer
// (markings in code comments, configuration, log lines, metadata, file paths, SQL rows, LaTeX headers; look-alikes:
// secrets in code, access-level enums), measured once on arrival: 46/50 found, 4/50 look-alikes refused. Then used: an
// identifier before an assignment is no marking ("SESSION_SECRET="), nor a name in an enumeration or a settings block
// ("CONFIDENTIAL = 2", "RESERVADO = \"RESERVADO\""); braces, path components and delimited cells of their own mark
// ("{\\textbf{RISERVATO}}", "D:\\Arsiv\\HIZMETE_OZEL\\", "1,(CTS),Key list"); the Swedish label "klassning".
batchTest("ad", "markings-ad.jsonl", 50, 0);

// Batch ae (heldout/markings-ae.jsonl, session 8): 50 marked, 50 look-alikes in 24 languages, a twenty-fourth writer
// (long documents marked once: a header field, a page footer mid-text, the very end; look-alikes: training material
// explaining the levels, declassified history, leak coverage, helpdesk warnings), measured once on arrival: 50/50
// found, 7/50 look-alikes refused. Then used: a level as a threshold ("NATO RESTRICTED or higher") and three classified
// levels or more in one paragraph of prose are talked about; highest and lowest compare levels. Still refused: a history
// of a paper "originally classified TOP SECRET", a news report quoting "TOP SECRET//NOFORN", French training text
// listing "SECRET et TRÈS SECRET" after its label.
batchTest("ae", "markings-ae.jsonl", 50, 3);

// Batch af (heldout/markings-af.jsonl, session 8): 50 marked, 50 look-alikes in 24 languages, a twenty-fifth writer
// (exercise documents, scenario classifications "SECRET (EXERCISE ONLY)", releasability lines, several nations'
// markings in one document; look-alikes under unclassified exercise banners), measured once on arrival: 48/50 found,
// 0/50 refused. Then: exercise words may share a banner line with a marking (banner-words.txt).
batchTest("af", "markings-af.jsonl", 50, 0);

// Batch ac (heldout/markings-ac.jsonl, session 8): 50 marked, 50 look-alikes in 23 languages, a representative spread,
// measured on arrival (49/50 found, 0/50 refused) and after every change of the session (49/50, 0/50). Never read nor
// used: the unseen figure of the end of session 8.
batchTest("ac", "markings-ac.jsonl", 49, 0);

// Batch ag (heldout/markings-ag.jsonl, end of session 8): 50 marked, 50 look-alikes in 21 languages, a representative
// spread written after every change, measured once with the guard as the session began and as it ended: 50/50 found,
// 0/50 refused both times. Never read.
batchTest("ag", "markings-ag.jsonl", 50, 0);
// Batches ah and ai (session 9, 50 marked and 50 look-alikes each, in 24 to 27 member languages: memos, minutes, mails,
// tickets and forms of many nations; ai a representative spread). On arrival ah 50/50 and 0/50, ai 50/50 and 1/50: a
// security notice naming "information at NATO SECRET level", now read as a level named (a level word after it).
batchTest("ah", "markings-ah.jsonl", 50, 0);
batchTest("ai", "markings-ai.jsonl", 50, 0);
// Batch aj (session 9's unseen one, never read): 49/50 and 0/50 with the session's starting guard and its final one.
batchTest("aj", "markings-aj.jsonl", 49, 0);
