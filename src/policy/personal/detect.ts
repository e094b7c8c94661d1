/**
 * Finds personal data: identifiers validated by their check digits, contact details by their written form,
 * and person names through a small gazetteer of given names and titles. Kinds are the placeholder names.
 */
import { readFileSync } from "node:fs";
import { findFields, type FieldMatch } from "./fields.ts";
import { cardIssuerKnown, codiceFiscaleValid, ibanValid, luhnValid, nirValid, ninoValid, peselValid, ssnValid, steuerIdValid } from "./checks.ts";
import { LabelColumns } from "../markings/columns.ts";
import { laterMentions } from "./mentions.ts";
import { classifyNationalId, isNationalIdLabel, namedAsNationalId, NATIONAL_ID_PATTERN, type NationalIdKind } from "./national.ts";

export type PersonalDataKind =
  | "EMAIL" | "PHONE" | "IBAN" | "CARD" | "STEUER_ID" | "NIR" | "PESEL" | "CODICE_FISCALE" | "NINO" | "SSN" | "NAME"
  | NationalIdKind;
export type { NationalIdKind };

export interface PersonalDataMatch {
  readonly kind: PersonalDataKind;
  readonly start: number;
  readonly end: number;
}

interface Detector {
  readonly kind: PersonalDataKind;
  readonly pattern: RegExp;
  /** Every match holds a digit, is at most MAX_DIGIT_MATCH long and looks at most 2 characters around it. */
  readonly digits?: true;
  /** A part every match has, `offset` characters in: the pattern is then tried only there (findFromMiddle). */
  readonly middle?: { readonly pattern: RegExp; readonly offset: number };
  /** Accepts the matched text (after the pattern), e.g. by its check digits. */
  readonly valid?: (match: string) => boolean;
  /**
   * The pattern matches a cue word before the value ("SSN 651 16 0297"): the value is capture group 1 (the pattern
   * has the `d` flag). A cue read forward from its own first letter is far cheaper than a look-behind tried at
   * every digit.
   */
  readonly cued?: true;
  /**
   * Picks the kind of the matched text instead of `kind` and `valid` (undefined: not personal data); reads the
   * text before the match for a label. One pattern proposes many numbers this way, in one pass.
   */
  readonly classify?: (match: string, text: string, start: number, tables: () => LabelColumns) => PersonalDataKind | undefined;
}

const digitsOf = (s: string) => s.replace(/\D/g, "");

// Whole 16-character words, so matches never overlap (findFromMiddle relies on it).
export const CODICE_FISCALE_PATTERN = /\b[A-Za-z]{6}[\dLMNPQRSTUV]{2}[A-EHLMPRSTa-ehlmprst][\dLMNPQRSTUV]{2}[A-Za-z][\dLMNPQRSTUV]{3}[A-Za-z]\b/g;
/** The codice fiscale's fixed middle, 6 characters in: birth year digits (or omocodia letters), month letter, day. */
export const CF_MIDDLE = /[\dLMNPQRSTUV]{2}[A-EHLMPRSTa-ehlmprst][\dLMNPQRSTUV]{2}/g;

/**
 * Internationalised addresses too (RFC 6531: "jürgen.weiß@müller-logistik.example.de"): letters and digits of any
 * script in the local part and the domain's labels; the top-level domain is letters.
 */
export const EMAIL_PATTERN = /(?<![\p{L}\p{N}_])[\p{L}\p{N}._%+-]{1,64}@(?:[\p{L}\p{N}-]{1,63}\.)+\p{L}{2,24}(?![\p{L}\p{N}_])/gu;

/** Words that introduce a phone number, in the member languages (case-insensitive, accents as written). */
const PHONE_CUES = [
  String.raw`t[eé]l\.?|t[eé]l[eé]phone|telephone|phone|mobile?|mobil|mob\.?|cell(?:ulare)?|cel|gsm|fax|tlf|handy|portable`,
  String.raw`telefon\w*|tel[eé]fono|telefoon|m[oó]vil|fijo|cep|kom[oó]rk\w*|rufnummer|festnetz|r[uü]ckruf\w*|erreichbar\w*|anrufen|vaste lijn|lijn`,
  String.raw`ring(?:e)?|call|chiama\w*|dzwo[nń]\w*|contact number|numer telefonu|n[uú]mero de tel[eé]fono|numero di telefono`,
  String.raw`ll[aá]m\w*|bel(?: terug)?|zur[uü]ckruf\w*`,
  // Where a text message goes ("SMS sendes til 35 58 04 21", "SMS an", "per SMS al").
  String.raw`sms`,
  // Portuguese line words, and "contact" words, which in a signature or a ticket name the number after them.
  String.raw`fixo|telem[oó]vel|contact(?:o|e|ez)?|contatt\w*|kontakt\w*|ileti[sş]im|yhteystied\w*|kontaktuppgift\w*`,
  // Icelandic and Latvian phone words; next of kin, and "to be reached at", on a form or roster name a number to call.
  String.raw`s[ií]mi|t[aā]lrun\w*|p[åa]r[øo]rende|l[äa]hedane|omainen|anh[öo]rig\w*|next of kin|n[äa]chste[rn]? angeh[öo]rige[rn]?|pr[ée]venue? au|joignable au|bereikbaar (?:op|via)|reachable (?:at|on)`,
].join("|");
/** The same in Greek and Cyrillic script (τηλ., κινητό, тел., моб.): \b knows ASCII letters only, hence a look-behind. */
const PHONE_CUES_GREEK_CYRILLIC = String.raw`(?<![\u0370-\u03ff\u0400-\u04ff])(?:τηλ|κινητ|επικοινων|тел|моб|контакт)[\u0370-\u03ff\u0400-\u04ff]{0,8}`;
const PHONE_CUE = String.raw`(?:\b(?:${PHONE_CUES})|${PHONE_CUES_GREEK_CYRILLIC})[^\d\n]{0,24}`;
/**
 * A reference's label right before a number ("remittance 0047-681678205", "call-off 25/575295398", "Order no.
 * 0800 123 456"): the number is that reference, not a phone number, in the member languages.
 */
const REFERENCE_BEFORE = /(?:^|[^\p{L}])(?:remittance|ref(?:erence)?|order|invoice|po|call-?off|contract|ticket|case|container|wagon|serial|s\/n|part|article|lot|batch|folio|booking|tracking|shipment|consignment|customs|mrn|bestell\p{L}*|rechnung\p{L}*|auftrag\p{L}*|vertrag\p{L}*|artikel\p{L}*|aktenzeichen|az|commande|facture|dossier|contrat|pedido|factura|expediente|contrato|ordine|fattura|pratica|contratto|zam[óo]wieni\p{L}*|faktur\p{L}*|umow\p{L}*|sipari[şs]\p{L}*|fatura\p{L}*|s[öo]zle[şs]me\p{L}*|bestelling\p{L}*|factuur\p{L}*|contractnummer|kenmerk|beleg\p{L}*|vorgang\p{L}*|quittung\p{L}*|receipt|voucher|item|t[ée]tel\p{L}*|cikk\p{L}*|rendel[ée]s\p{L}*|sz[áa]mla\p{L}*|tellimu\p{L}*|arve|tilaus\p{L}*|lasku\p{L}*|objedn[áa]vk\p{L}*|zak[áa]zk\p{L}*|comand\p{L}*|factur\p{L}*|narud[žz]b\p{L}*|ra[čc]un\p{L}*|naro[čc]il\p{L}*|best[äa]llning\p{L}*|bestilling\p{L}*|ordre\p{L}*|encomenda|παραγγελ\p{L}*|τιμολογ\p{L}*|τιμολόγ\p{L}*|поръчк\p{L}*|u[žz]sakym\p{L}*|s[ąa]skait\p{L}*|pas[ūu]t[īi]jum\p{L}*|r[ēe][ķk]in\p{L}*|inventar\p{L}*|inventory|pozycj\p{L}*|partida|posizione)\.?(?:\s*(?:no|nr|n°|no\.|nr\.|number|nummer|numéro|número|numero|numer|#|id))?\.?[\s:#-]*$/iu;

/**
 * Digits that the text's shape shows to be part of another number: the groups of an IBAN whose checksum failed ("NL91
 * ABNA 0417 1643 01"), a reference with a letter suffix ("2025-0447/MS"), a year opening a reference ("2025-07-118").
 */
function otherNumberShape(text: string, start: number, end: number, match: string): boolean {
  if (IBAN_HEAD_BEFORE.test(text.slice(Math.max(0, start - 40), start))) return true;
  if (/^\/\p{L}/u.test(text.slice(end, end + 2))) return true;
  // A national identifier's name right after it ("923 456 781 TAJ-szám"), as labels more often stand before.
  if (ID_NAME_AFTER.test(text.slice(end, end + 24))) return true;
  return /^(?:19|20)\d{2}-\d/.test(match);
}
const ID_NAME_AFTER = /^\s*[(-]?\s*(?:TAJ|PESEL|BSN|NIF|NIE|DNI|CPR|OIB|EGN|ЕГН|AMKA|ΑΜΚΑ|AFM|ΑΦΜ|TCKN|SSN|SIN|NAS|NINO|NIR|HETU|kennitala|isikukood|asmens kod\p{L}*|personas kods|rodn[ée] [čc][íi]slo|CNP|EMŠO|EMSO|matricule|Steuer-?ID)(?![\p{L}])/iu;
const IBAN_HEAD_BEFORE = /(?<![\p{L}\d])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})*[ ]?$/u;

/** Whether a label before the number names it as something else: a national identifier (valid or not) or a reference. */
function labelledOtherwise(text: string, start: number): boolean {
  return namedAsNationalId(text, start) || REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 32), start));
}

/** A calendar date as numbers are grouped in one: 2024-05-12, 12.05.2024, 2024 05 12. */
const DATE_SHAPE = /^(?:\d{4}([-./ ])\d{1,2}\1\d{1,2}|\d{1,2}([-./ ])\d{1,2}\2\d{4})$/;
/** A national number: an optional bracketed area code, then groups of 2 to 4 digits (8 to 13 digits in all). */
const PHONE_GROUPS = String.raw`(?:(?:0 )?\(\d{2,5}\)|\d{1,5})(?:(?:[ .\/-]| [\/-] )?\d{2,4}){1,5}`;

// Order matters: earlier detectors claim their spans first (an IBAN's digits are not also a phone number).
const DETECTORS: readonly Detector[] = [
  { kind: "EMAIL", pattern: EMAIL_PATTERN },
  { kind: "IBAN", digits: true, pattern: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{1,4}){3,8}\b/g, valid: ibanValid },
  // Written in lower case too ("de89 3704 ..."): then every group holds a digit, so a word after it is not taken in.
  { kind: "IBAN", digits: true, pattern: /\b[a-z]{2}\d{2}(?:[ -]?(?=[a-z]{0,3}\d)[a-z0-9]{1,4}){3,8}\b/g, valid: ibanValid },
  { kind: "CARD", digits: true, pattern: /\b\d(?:[ -]?\d){11,18}\b/g, valid: (m) => luhnValid(digitsOf(m)) && cardIssuerKnown(digitsOf(m)) },
  { kind: "NIR", digits: true, pattern: /\b[12378] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b/g, valid: nirValid },
  // Searched from its middle, rare in prose, instead of trying the pattern at every letter.
  { kind: "CODICE_FISCALE", pattern: CODICE_FISCALE_PATTERN, middle: { pattern: CF_MIDDLE, offset: 6 }, valid: codiceFiscaleValid },
  { kind: "STEUER_ID", digits: true, pattern: /\b[1-9]\d(?: ?\d){9}\b/g, valid: (m) => steuerIdValid(digitsOf(m)) },
  { kind: "PESEL", digits: true, pattern: /\b\d{11}\b/g, valid: peselValid },
  { kind: "NINO", digits: true, pattern: /\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b/g, valid: ninoValid },
  { kind: "SSN", digits: true, pattern: /\b\d{3}-\d{2}-\d{4}\b/g, valid: ssnValid },
  // Nine digits in 3-2-4 groups split by spaces are an SSN only where the text says so ("SSN 651 16 0297").
  // Or nine digits unbroken after the same cue, also as a field name ("applicant_ssn=878716864").
  { kind: "SSN", digits: true, cued: true, pattern: /(?<![A-Za-z])(?:SSN|ssn|[Ss]ocial [Ss]ecurity(?: [Nn]umber| [Nn]o\.?)?)[^\d\n]{0,5}?(\d{3} \d{2} \d{4}|\d{9})\b/dg, valid: (m) => ssnValid(m.length === 9 ? `${m.slice(0, 3)}-${m.slice(3, 5)}-${m.slice(5)}` : m.replace(/ /g, "-")) },
  // National identifiers of the other member nations (national.ts): one pattern for all their layouts.
  { kind: "DNI", digits: true, pattern: NATIONAL_ID_PATTERN, classify: classifyNationalId },
  // International (+CC ...), then national forms of member nations; 8 to 15 digits in all.
  { kind: "PHONE", digits: true, pattern: /(?<![\w+(]|\d[ .\/-])\(?\+\d{1,3}\)?[ .-]?(?:\(0\)[ .-]?)?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,5}\b/g, valid: (m) => digitsOf(m).length >= 8 && digitsOf(m).length <= 15 },
  // 00 and the country code, then a one-digit area or mobile prefix too ("0033 6 98 76 54 32").
  // The country code may stand apart ("00 44 161 496 0753").
  { kind: "PHONE", digits: true, pattern: /(?<![\w+]|\d[ .\/-])00 ?\d{2,3}[ .-]?\d{1,4}(?:[ .-]?\d{2,4}){2,5}\b/g, valid: (m) => digitsOf(m).length >= 10 && digitsOf(m).length <= 15 },
  {
    kind: "PHONE",
    digits: true,
    pattern: new RegExp(
      [
        String.raw`0[1-9](?:[ .]\d{2}){4}`, // FR 01 23 45 67 89
        String.raw`0\d{3}(?: \d{2}){3}`, // FR overseas 0590 82 14 37, BE 0470 98 76 54
        String.raw`0\d{3}([ .-])\d{3}\1\d{3}`, // RO 0744.123.456, 0744 123 456
        String.raw`0\d{2}([ .-])\d{3}\2\d{3,4}`, // IT 051 634 2218, HR 091 234 5678
        String.raw`0\d{1,3}-\d{2,3}(?: \d{2}){2,3}`, // SE 070-123 45 67, 08-123 456 78
        String.raw`0\d{2,3} - \d{2,3}(?: \d{2}){2,3}`, // NL 010 - 414 22 33
        String.raw`06 \d{1,2} \d{3} \d{3,4}`, // HU 06 30 123 4567, 06 1 234 5678
        String.raw`0(?: \d{2,3}){1,3} \/ \d{2,8}(?: \d{2,3}){0,3}`, // DE in pairs 0 62 21 / 45 67 89
        String.raw`\(0 ?\d{1,4}\) ?\d{2,8}(?:[ -]\d{2,4}){0,3}`, // DE trunk in brackets (0 89) 4523 8871
        String.raw`[6-9]\d{2}(?: \d{2}){3}`, // ES 612 34 56 78
        String.raw`\(\d{3}\) ?\d{3}-\d{4}`, // US (202) 555-0143
        String.raw`\d{3}-\d{3}-\d{4}`, // US 202-555-0143
        String.raw`0\d{1,4}[ /-]\d{4,8}(?:[ -]\d{1,4})?`, // DE 030 12345678, 030 12345678-21; NL 020-1234567; IT 06 1234 5678
        String.raw`0\d{4} \d{3} \d{2,3}`, // DE five-digit area code 08823 917 44
        String.raw`0\d{1,3}-\d{3} \d{3} \d{2}`, // SE 08-123 456 78
        String.raw`0\d{1,3}\/\d{2,3}(?:\.\d{2}){2,3}`, // BE 02/707.12.34, 010/45.67.89
        String.raw`[1-9]\d \d{3} \d{2} \d{2}`, // ES 91 234 56 78, PL 22 123 45 67
        String.raw`\d{3}\.\d{3}\.\d{4}`, // US 202.555.0143
        String.raw`07\d{3} ?\d{6}`, // UK mobile 07700 900123
        String.raw`0\d{3} \d{3} \d{2} \d{2}`, // TR 0312 123 45 67
        String.raw`06-?\d{8}`, // NL mobile 06-12345678
        String.raw`3\d{2} \d{3} \d{3,4}`, // IT mobile 347 123 4567
        String.raw`[5-9]\d{2} \d{3} \d{3}`, // PL 601 234 567, ES 612 345 678
        String.raw`[5-8]\d{2}-\d{3}-\d{3}`, // PL mobile 519-825-318
        String.raw`69\d \d{3} \d{4}`, // GR mobile 699 320 5493
        String.raw`0[2-9] \d{3} \d{2} \d{2}`, // BE 02 437 19 84
        String.raw`8 6\d{2} \d{5}`, // LT mobile 8 694 05730
        String.raw`8 5 \d{3} \d{4}`, // LT Vilnius 8 5 291 2415
        String.raw`0 ?\(\d{3}\) ?\d{3} \d{2} \d{2}`, // TR 0 (312) 240 35 10
        String.raw`[49]\d{2} \d{2} \d{3}`, // NO mobile 462 37 308
      ].map((p) => String.raw`(?<![\w+]|\d[ .\/-])(?:${p})(?!\w|[ .-]\d)`).join("|"),
      "g",
    ),
    // Up to 13 for an extension after a German number ("030 12345678-21"); only the forms that open with 0 reach it.
    // Norway's numbers have eight digits, in their 3-2-3 layout.
    valid: (m) => (digitsOf(m).length >= 9 && digitsOf(m).length <= 13) || /^[49]\d{2} \d{2} \d{3}$/.test(m),
  },
  // Any national layout of 8 to 13 digits in groups, where the text calls it a phone: right after a phone word
  // ("Tel.", "Móvil:", "gsm", "chiamare lo", "pod numer", "Ring") or before Turkish "numarası".
  {
    kind: "PHONE",
    digits: true,
    cued: true,
    pattern: new RegExp(
      // The value is group 1 (after a cue) or group 2 (before "numarası"); see `cued`.
      String.raw`${PHONE_CUE}(?<![\w+(]|\d[ .\/-])(${PHONE_GROUPS})(?![\w)]|[ .-]\d)|(?<![\w+(]|\d[ .\/-])(${PHONE_GROUPS})(?=[^\d\n]{0,3}numara)(?![\w)]|[ .-]\d)`,
      "dgi",
    ),
    // A date after a cue ("Contact date: 2024-05-12") is no number to call. Seven digits are a whole number in
    // Iceland and Estonia ("Sími: 595 4273").
    valid: (m) => digitsOf(m).length >= 7 && digitsOf(m).length <= 13 && !DATE_SHAPE.test(m),
  },
];

/** The words of a list, by the section (a "# xx" line) they stand under. */
function sectionedWords(name: string): Map<string, Set<string>> {
  const text = readFileSync(new URL(name, import.meta.url), "utf8");
  const sections = new Map<string, Set<string>>();
  let section = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) {
      const label = /^# ([\w\/ -]+)$/u.exec(line.trim());
      if (label !== null) section = label[1]!;
      continue;
    }
    let words = sections.get(section);
    if (words === undefined) sections.set(section, (words = new Set()));
    for (const w of line.split(/\s+/)) if (w !== "") words.add(w);
  }
  return sections;
}

const NAME_SECTIONS = sectionedWords("./first-names.txt");
/** Exported for the unit test that holds the candidate-driven scans equal to whole-text scans. */
export const GIVEN_NAMES: ReadonlySet<string> = new Set([...NAME_SECTIONS.values()].flatMap((s) => [...s]));
/**
 * Given names listed as Hungarian and under no other language: Hungarian writes the family name first
 * ("Nagy Katalin"), and only a name that is Hungarian alone says the word before it is a family name.
 */
export const HUNGARIAN_GIVEN_NAMES: ReadonlySet<string> = (() => {
  // Also left out: names listed as Hungarian but as common in other languages (only their spelling is unlisted).
  const international = ["Viktor", "Anita", "Alexandra", "Vivien", "Melinda", "Izabella", "Dorina", "Zita", "Lili", "Kitti", "Brigitta", "Marcell", "Zeno", "Iren", "Irma", "Vince"];
  const elsewhere = new Set([...NAME_SECTIONS].filter(([k]) => k !== "hu").flatMap(([, s]) => [...s]).concat(international));
  return new Set([...(NAME_SECTIONS.get("hu") ?? [])].filter((w) => !elsewhere.has(w)));
})();
/**
 * Slavic languages decline given names: Slovene and Croatian "pokličite Natašo", Polish "dla Katarzyny", Czech
 * "s Kateřinou". Feminine names in -a of five letters or more from those sections, by the stem before the -a; a
 * word is taken for one when a case ending follows the stem. Shorter names are left out: their forms are
 * everyday words too often ("Anno", "Mare").
 */
const SLAVIC_SECTIONS = ["pl", "cs", "sk", "sl", "hr", "bg", "mk", "ru", "ru/uk/bg/mk/sr-script"];
const SLAVIC_FEMININE_STEMS: ReadonlySet<string> = new Set(
  SLAVIC_SECTIONS.flatMap((k) => [...(NAME_SECTIONS.get(k) ?? [])]).filter((w) => w.length >= 5 && /[aа]$/u.test(w)).map((w) => w.slice(0, -1)),
);
const SLAVIC_CASE_ENDINGS = ["o", "e", "i", "u", "y", "ę", "ą", "ou", "om", "oj"];
const CYRILLIC_CASE_ENDINGS = ["ой", "у", "ю", "ы", "е", "и", "о", "ою"];
/**
 * Titles, and the military ranks of the member nations as staff lists write them (NATO's capitalised abbreviations
 * and each language's own): a capitalised word after one is a surname. Two-letter country codes that are also ranks
 * (LT, BG, MG) are left out.
 */
const TITLES = "Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Herr|Frau|Monsieur|Madame|Mme|Mlle|M|Señor|Señora|Sr|Sra|Signor|Signora|Sig|Sig\\.ra|Dott|Pan|Pani|Bay|Bayan|Dhr|Mevr|Mevrouw|Meneer|Gen|Col|Maj|Capt|Lt|Sgt|Adm|Cdr|Oberst|Général|Generał|Pułkownik|Kapitan" +
  "|COL|LTC|MAJ|CPT|CAPT|GEN|LTG|BGEN|CDR|LCDR|ADM|RADM|VADM|SGT|SSG|MSG|SGM|CSM|CPL|PVT|WO1|WO2|Ltc|Lcdr|Cpt|Cpl|Pvt" +
  "|Hptm|Hauptmann|Oblt|Oberleutnant|OTL|Oberstleutnant|Leutnant|Feldwebel|Hauptfeldwebel|HptFw|Stabsfeldwebel|StFw|Kapitänleutnant|Fregattenkapitän|Korvettenkapitän" +
  "|Capitaine|Commandant|Colonel|Lieutenant|Sergent|Adjudant|Caporal|Cabo|Sargento|Teniente|Capitán|Comandante|Coronel|Brigada" +
  "|Capitano|Maggiore|Colonnello|Tenente|Sergente|Caporale|Maresciallo|Porucznik|Podporucznik|Sierżant|Kapral|Chorąży" +
  "|Yüzbaşı|Binbaşı|Albay|Yarbay|Teğmen|Üsteğmen|Çavuş|Kapitein|Majoor|Kolonel|Luitenant|Korporaal|Sergeant|Adjudant";
/** One capitalised name word: "Kowalska", "McAllister", "O’Connor", "Lefèvre", "Ben-Ali". */
const NAME_WORD = String.raw`\p{Lu}[\p{Ll}'’]*(?:\p{Lu}[\p{Ll}'’]+)?(?:-\p{L}[\p{Ll}'’]+)*`;
const PARTICLE = String.raw`(?:[Vv]an der|[Vv]an den|[Vv]an de|[Vv]an|[Vv]on der|[Vv]on|[Dd]e [Ll]a|[Dd]e los|[Dd]el|[Dd]e|[Dd]i|[Dd]a|[Dd]os|[Dd]u|[Ll]e|[Ll]a|[Tt]er|[Tt]en)`;
/** A surname of one to three words, particles between ("de La Tour", "Martínez García", "van der Berg"). */
const SURNAME = String.raw`(?:${PARTICLE} )?${NAME_WORD}(?: (?:${PARTICLE} )?${NAME_WORD}){0,2}`;
/** A given name as written: "Anna", "Jean-Luc", "DeShawn". */
const GIVEN_WORD = String.raw`\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?`;
export const NAME_PATTERN = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:${TITLES})\.? (?<titled>${SURNAME})|(?<given>${GIVEN_WORD})(?: \p{Lu}\.)? (?<surname>${SURNAME}))(?![\p{L}])`,
  "gu",
);
// Capitalised words that follow a given name without being a surname ("Anna Said", "Jan Mayen" stay names).
export const NOT_SURNAMES: ReadonlySet<string> = new Set(["The", "And", "Und", "Et", "In", "On", "At", "Of", "To", "For", "From", "With", "Is", "Was", "Has", "Had", "Said", "Says", "Street", "Road", "Avenue", "Lane", "Embankment", "Quay", "Wharf", "Terrace", "Crescent", "Strasse", "Straße", "Rue", "Via", "Ulica", "Sokak", "Station", "Airport", "Square", "Bridge", "Hospital", "Church", "Cathedral", "Platz", "Bahnhof", "Kirche", "Place", "Gare", "Plaza", "Calle", "Piazza", "Stazione", "Plein", "Straat", "Caddesi", "Meydanı",
  // Barracks and bases named after people ("Victoria Barracks", "Caserma Ugo Mara") are places.
  "Barracks", "Kaserne", "Caserne", "Caserma", "Cuartel", "Koszary", "Kazerne", "Airbase", "Airfield", "Harbour", "Harbor",
  // Stations named after their place ("Milano Centrale", "Roma Termini") and streets after their namesake.
  "Centrale", "Central", "Centraal", "Hauptbahnhof", "Termini", "Gate", "Gata", "Gatan", "Vej", "Vei", "Veien", "Gade", "Utca", "Iela", "Katu"]);
/** A word that is only a particle ("de", "van der"): a name does not end on one. */
const WHOLE_PARTICLE = new RegExp(`^${PARTICLE}$`, "u");
/**
 * Words that open place names, so the given name after one is part of a place ("Santa Maria Novella", "San José",
 * "São Paulo", "Sankt Peter"), and given names that head a place when a particle follows ("Santiago de Compostela",
 * "Santiago de Chile"): a person so named is missed, a station or a city is no longer redacted.
 */
const PLACE_HEAD_BEFORE = /(?<![\p{L}])(?:San|Santa|Santo|Santos|São|Sao|Saint|Sainte|St\.?|Ste\.?|Sankt|Sveti|Sveta|Szent|Svatý|Svatá|Svätý|Svätá|Święt\p{L}*|Sfânt\p{L}*|Sint|Свети|Света|Св\.|Άγιος|Αγίου|Αγία|Αγίας|Monte|Porto|Puerto|Villa|Fort|Mount|Cape|Cabo|Isla|Ilha|Lake|Lago|Caserma|Caserne|Kaserne|Cuartel|Quartel|Cazarma|Koszary|Kazerne|Kamp|Camp|Base|Baza) $/u;
/**
 * Ships and units named after people: a navy's ship prefix ("HDMS Niels Juel", "Zr.Ms. Karel Doorman", "ITS Carlo
 * Bergamini", "ESPS Juan Carlos I"), or a base whose name is quoted after it ("Baza Logistică „Maior Constantin Ene”").
 */
const SHIP_BEFORE = /(?<![\p{L}])(?:HMS|HMCS|HMAS|HMNZS|HNLMS|HDMS|HNoMS|HSwMS|KNM|ITS|ESPS|FGS|FS|BNS|NRP|ORP|TCG|HS|ROS|LNS|ENS|EML|USS|USNS|Zr\.\s?Ms\.|Hr\.\s?Ms\.|Nave|SMS) $/u;
const QUOTED_UNIT_BEFORE = /(?:Baza|Base|Caserma|Kaserne|Unitatea|Brigada|Batalionul|Regimentul|Școala|Scoala|Spitalul|Academia|Liceul)[^\n„"“«]{0,50}[„"“«](?:\p{Lu}[\p{Ll}.]*\.? )?$/u;
/**
 * A kind of ship, base, barracks or airport written before the name it bears, in the member languages ("la fregata
 * Carlo Bergamini", "le porte-avions Charles de Gaulle", "Baza 57 Aeriană Mihail Kogălniceanu", "Kasárne Milana
 * Rastislava Štefánika", "θωρηκτό Γεώργιος Αβέρωφ"), with a number or a word such as "Naval" or "Aeriană" between.
 */
const KIND_BEFORE = new RegExp(String.raw`(?<![\p{L}])(?:${[
  "frigate", "fregat[ae]?", "frégate", "fregatte", "fragata", "firkateyn\\p{L}*", "φρεγάτα",
  "destroyer", "destructor", "zerstörer", "cacciatorpediniere", "niszczyciel\\p{L}*", "muhrip\\p{L}*", "torpedojager",
  "corvette", "corvetta", "corbeta", "korvette", "korwet[ay]", "korvet\\p{L}*", "cruiser", "croiseur", "crucero", "incrociatore", "kreuzer",
  "battleship", "cuirassé", "θωρηκτό", "carrier", "aircraft carrier", "porte-avions", "portaerei", "portaaviones", "flugzeugträger", "lotniskowiec",
  "submarine", "sous-marin", "sottomarino", "submarino", "u-boot", "onderzeeboot", "okręt(?: podwodny)?", "denizaltı\\p{L}*",
  "ship", "vessel", "navire", "bâtiment", "buque(?: de asalto anfibio)?", "nave", "schiff", "schip", "gemi\\p{L}*", "patrol(?:ler| vessel| boat)?",
  "patrouilleur", "patrullero", "pattugliatore", "minehunter", "chasseur de mines", "cazaminas", "cacciamine", "minenjagdboot", "mijnenjager",
  "niszczyciel min", "miinijahtija", "okręt", "laiv\\p{L}*", "fartyg\\p{L}*", "skib\\p{L}*", "skip\\p{L}*",
  "barracks", "caserne", "kaserne", "caserma", "cuartel", "quartel", "kazerne", "koszary", "kasárne", "kasárna", "vojarna", "vojašnica",
  "kazarma", "cazarma", "kışla\\p{L}*", "kasarmi", "kaserne", "base(?: naval| navale| aérienne| aérea| aerea)?", "baza(?: lotnicza| morska)?",
  "air base", "airbase", "naval base", "fliegerhorst", "luchtmachtbasis", "airport", "aéroport", "aeroporto", "aeropuerto", "flughafen",
  "lotnisk\\p{L}*", "letisk\\p{L}*", "letišt\\p{L}*", "havalimanı", "aerodrom\\p{L}*", "camp", "kamp", "lager", "tábor", "school", "école", "scuola",
  // Ships' kinds written with a second word ("buque escuela", "navio-escola"), and the places a city names after people:
  // bridges, stations, stadiums, galleries, museums, theatres, hospitals, universities, schools, squares, parks, churches.
  "navio(?:-escola)?", "buque escuela", "navire-école", "nave scuola", "segelschulschiff",
  "ponte", "pont", "puente", "most", "brücke", "brug", "köprü\\p{L}*", "estadio", "stadion", "stade", "stadio", "stadium",
  "galleria", "galerie", "galería", "museo", "musée", "museum", "muzeum", "müze\\p{L}*", "teatro", "théâtre", "theater", "teatr",
  "ospedale", "hôpital", "krankenhaus", "szpital\\p{L}*", "hastane\\p{L}*", "ziekenhuis", "universidad", "université", "università",
  "universität", "uniwersytet\\p{L}*", "üniversite\\p{L}*", "universiteit", "escuela", "schule", "szkoł\\p{L}*", "okul\\p{L}*",
  "gimnazjum", "liceo", "lycée", "collège", "gymnasium", "avenida", "viale", "aleja", "aleje", "catedral", "cathédrale", "kathedrale",
  "cattedrale", "katedr\\p{L}*", "iglesia", "église", "chiesa", "kościół", "basilica", "basilique", "parque", "parc", "parco", "park",
  "plaza", "praça", "plac", "placu", "estación", "estação", "gare", "stazione", "dworzec", "dworca", "istasyon\\p{L}*",
  // Streets, quays and squares written before the name in French, Italian, Spanish and Slavic usage; airports, universities
  // and squares of the other member languages ("quai Jean Bart", "Zračna luka Franjo Tuđman", "Αεροδρόμιο Ελευθέριος Βενιζέλος").
  "rue", "quai", "quartier", "boulevard", "bd\\.?", "avenue", "impasse", "chemin", "cours", "calle", "via", "piazza", "piazzale", "corso", "largo", "rua",
  "ul\\.", "ulica", "ulice", "ulici", "trg", "náměstí", "námestie", "zračn\\p{L}* luk\\p{L}*", "letališč\\p{L}*", "lennujaam\\p{L}*",
  "lidost\\p{L}*", "oro uost\\p{L}*", "aeroportul", "aeroportului", "aeroport", "αεροδρόμιο\\p{L}*", "αερολιμέν\\p{L}*", "летище",
  "аерогара", "аеродром", "университет\\p{L}*", "универзитет\\p{L}*", "univerzit\\p{L}*", "sveučilišt\\p{L}*", "universitet\\p{L}*",
  "universitat\\p{L}*", "πανεπιστήμιο\\p{L}*", "училище", "колеж", "academia", "akademi\\p{L}*", "академия", "hospital", "spital\\p{L}*",
  "bolnic\\p{L}*", "болница", "νοσοκομείο\\p{L}*", "stadionul", "стадион", "γήπεδο",
  // A radio call sign is spelt in the phonetic alphabet, whose Charlie, Victor and Oscar are given names too. (Not the
  // words that also mean the name a person goes by: Rufname, roepnaam, nominativo alone.)
  "call ?sign", "indicatif d'appel", "funkrufname", "rufzeichen", "nominativo radio", "indicativo de (?:llamada|chamada)", "kryptonim", "çağrı işareti",
].join("|")})(?: (?:\d+\p{L}*|nr\.? ?\d+|naval[ae]?|navale|aerian[ăa]|aérienne|aérea|aerea|militar[ae]?|militare|lotnicza|morska|de asalto anfibio))* [„"“«]?$`, "iu");

const PLACE_HEAD_GIVEN = new Set(["Santiago", "Santa", "Santo", "São", "Salvador", "Concepción", "Asunción", "Victoria"]);
/**
 * Brands and models whose first word is a listed given name; a match that opens with one is no name. Written out
 * whole, so "Mercedes Ruiz" is still a name and "Mercedes-Benz Sprinter" is not.
 */
const BRANDS = ["Carl Gustaf", "Mercedes-Benz", "Mercedes-AMG", "Hugo Boss", "Louis Vuitton", "Christian Dior", "Ralph Lauren", "Calvin Klein",
  "Tommy Hilfiger", "Giorgio Armani", "Alfa Romeo", "Aston Martin", "Johnnie Walker", "Jack Daniel's", "Yves Saint Laurent",
  "Ford Transit", "Ford Focus", "Ford Fiesta", "Ford Ranger", "Albert Heijn", "Alfa Romeo Giulia", "Alfa Romeo Stelvio"];
/** Each brand under each of its words, with the word's offset in it: a match may start on any word of a brand. */
const BRANDS_BY_WORD = new Map<string, [string, number][]>();
for (const b of BRANDS) {
  for (const w of b.matchAll(/[^ -]+/g)) BRANDS_BY_WORD.set(w[0], [...(BRANDS_BY_WORD.get(w[0]) ?? []), [b, w.index]]);
}

/**
 * Whether a name found from `start` to `end` names a place, a ship, a unit, a brand or a firm after a person instead
 * ("Santiago de Compostela", "HDMS Niels Juel", "Zr.Ms. Karel Doorman", "Caserma Carlo Alberto", "Thomas Cook
 * Logistics", "Leonardo S.p.A."). `head` is where the person's words begin (after a title, if one opens the match);
 * `given` is the given name that opens it, if one does.
 */
function placeOrFirm(text: string, start: number, head: number, end: number, given?: string): boolean {
  // A ship's prefix may hold a title's word ("Zr.Ms."): read before the person's words; the rest before the match.
  if (SHIP_BEFORE.test(text.slice(Math.max(0, head - 8), head)) || PLACE_HEAD_BEFORE.test(text.slice(Math.max(0, start - 8), start))) return true;
  if (QUOTED_UNIT_BEFORE.test(text.slice(Math.max(0, start - 90), start)) || KIND_BEFORE.test(text.slice(Math.max(0, start - 40), start))) return true;
  // A street named after the person, its kind written after the name in lower case ("Karl Johans gate", "Ozolu iela").
  if (STREET_AFTER.test(text.slice(end, end + 12))) return true;
  const lastWord = text.slice(start, end).split(" ").at(-1) ?? "";
  if (PLACE_COMPOUND.test(lastWord)) return true;
  if (COMPANY_WORDS.has(lastWord) || COMPANY_WORDS.has(followingWord(text, end)) || COMPANY_FORM.test(text.slice(end, end + 14))) return true;
  // "Paul Wurth S.A.": the pattern took the S of S.A. for an initial.
  if (/^\p{Lu}$/u.test(lastWord) && COMPANY_FORM.test(text.slice(end - 2, end + 12))) return true;
  if (given === undefined) return false;
  const afterGiven = start + given.length;
  if (COMPANY_FORM.test(text.slice(afterGiven, afterGiven + 14))) return true;
  const first = given.split("-")[0]!;
  if (PLACE_HEAD_GIVEN.has(first) && /^ (?:de|del|da|do|di|dos) /u.test(text.slice(afterGiven, afterGiven + 6))) return true;
  for (const [b, offset] of BRANDS_BY_WORD.get(first) ?? []) {
    const at = start - offset;
    if (at >= 0 && text.startsWith(b, at) && !/[\p{L}]/u.test(text[at + b.length] ?? "") && !/[\p{L}]/u.test(text[at - 1] ?? "")) return true;
  }
  return false;
}

/** A last word that is a place compound in the Germanic languages: "Alexanderkazerne", "Goethestraße", "Karl-Marx-Allee". */
const PLACE_COMPOUND = /\p{Ll}(?:kazerne|kaserne|kasernen|kaserni|straße|strasse|gasse|platz|plein|laan|gracht|kade|brug|brücke|hafen|haven|stadion|arena|plads|gade|gatan|vägen|torget|kaserne|flughafen|lufthavn|flygplats|allee)$/iu;
const STREET_AFTER = /^[“"]? (?:gate|gata|gatan|vej|vei|veien|vegen|gade|plass|plads|torg|torget|all[ée]|gr[äa]nd|v[äa]g|v[äa]gen|tie|katu|kuja|iela|gatv[ėe]|ulica|ulice|utca|[úu]tja|sokak|soka[ğg][ıi]|caddesi|straat|laan|weg|plein|street|road|avenue|lane|square|t[ée]r|t[ée]ri|t[ée]ren|repül[őo]t[ée]r\p{L}*|egyetem\p{L}*|l[üu]likool\p{L}*|arena|stadion|stadium|kazerne|kaserne|barracks|airport|university|bridge|station|hall|centre|center|school|college|hospital)(?![\p{L}])/iu;

/**
 * Words that make a name a firm's or an institution's ("Thomas Cook Logistics", "Carl Zeiss Optronics", "Jan De Nul
 * Group", "John Cockerill Defense"): as the name's last word or the word right after it.
 */
const COMPANY_WORDS = new Set(["Logistics", "Logistik", "Logistique", "Logistica", "Logística", "Company", "Co", "Group", "Groep", "Gruppe",
  "Groupe", "Gruppo", "Grupo", "Defense", "Defence", "Défense", "Difesa", "Systems", "Systeme", "Systèmes", "Sistemi", "Sistemas",
  "Industries", "Industrie", "Industria", "Industrias", "Technologies", "Technology", "Technik", "Technologie", "Tecnologie", "Optronics",
  "Optronik", "Aerospace", "Aviation", "Missiles", "Munitions", "Holding", "Holdings", "Corporation", "Corp", "International",
  "Solutions", "Services", "Engineering", "Motors", "Electronics", "Elektronik", "Elettronica", "Dynamics", "Shipbuilding", "Shipyard",
  "Shipyards", "Werft", "Werke", "Werk", "Consulting", "Partners", "Associates", "Bank", "Banque", "Airlines", "Airways", "Transport",
  "Transports", "Trucking", "Naval", "Foundation", "Stiftung", "Fondation", "Fondazione", "Fundación", "Institute", "Institut",
  "Istituto", "Instituto", "University", "Universität", "Université", "Università", "Universidad", "Instruments", "Instrument"]);

/** The capitalised word right after position `at` (one space on), or "". */
function followingWord(text: string, at: number): string {
  const m = /^[ \t]+(\p{Lu}[\p{L}]*)/u.exec(text.slice(at, at + 40));
  return m === null ? "" : m[1]!;
}

/** A legal form of a company right after a name, in the member nations' abbreviations. */
const COMPANY_FORM = /^ (?:S\.p\.A|S\.r\.l|S\.A\.|SA\b|S\.L\.|GmbH|AG\b|KG\b|Ltd|Limited|Inc\b|LLC|PLC|plc|B\.V|BV\b|N\.V|NV\b|SE\b|SAS\b|SARL|A\/S|ApS|AB\b|ASA\b|AS\b|Oy\b|Oyj|A\.Ş|Kft|Zrt|s\.r\.o|a\.s\.|d\.o\.o|Sp\. z o\.o|& (?:Co|Söhne|Sons|Fils|Figli|Hijos|Zonen)\b)/u;

/**
 * The end of a name the pattern matched at `start`: trailing words that are not surnames ("Anna Kowalska Street")
 * are dropped, and with nothing left after the given name or title the match is no name (-1). The tests' reference
 * scan uses the same rule.
 */
/** nameEnd's answer for a match that names a place, ship, brand or firm: no name, and its words open none. */
export const PLACE_OR_FIRM = -2;

export function nameEnd(text: string, start: number, m: RegExpExecArray, givenKnown = false): number {
  const g = m.groups ?? {};
  const tail = g.surname ?? g.titled!;
  const words = tail.split(" ");
  let keep = words.length;
  while (keep > 0 && (NOT_SURNAMES.has(words[keep - 1]!) || PLACE_WORD_INFLECTED.test(words[keep - 1]!))) keep--;
  // Hungarian writes the kind of place after the name, inflected ("a Bocskai István Laktanyában"): a place.
  if (keep < words.length && PLACE_WORD_INFLECTED.test(words[keep]!)) return PLACE_OR_FIRM;
  // A particle left last ("Anna Kowalska de" before a dropped word) is not a name word either.
  while (keep > 0 && WHOLE_PARTICLE.test(words[keep - 1]!)) keep--;
  if (keep === 0) return -1;
  if (g.given !== undefined && !givenKnown && !GIVEN_NAMES.has(g.given.split("-")[0]!)) return -1;
  let end = start + m[0].length;
  if (g.titled !== undefined) {
    // A title spelled out in full ends a sentence when a point follows it ("... at Souda Bay. Serial number"): only
    // abbreviations take a point.
    const titleWord = /^[\p{L}]+/u.exec(m[0])![0];
    if (WHOLE_WORD_TITLES.has(titleWord) && m[0][titleWord.length] === ".") return -1;
    // An initial after the title: the surname is the word after it ("Dr. J. Smith"); with none, there is no name
    // ("Bay C", a storage bay).
    if (words.length === 1 && /^\p{Lu}$/u.test(words[0]!)) {
      const next = AFTER_INITIAL.exec(text.slice(end, end + 80));
      if (next === null) return -1;
      end += next[0].length;
    }
  }
  // A place, ship, brand or firm named after a person: PLACE_OR_FIRM, and none of its words opens a name either.
  if (SHIP_BEFORE.test(text.slice(Math.max(0, start - 8), start))) return PLACE_OR_FIRM;
  if (placeOrFirm(text, start, g.given === undefined ? end - tail.length : start, end, g.given)) return PLACE_OR_FIRM;
  const dropped = words.slice(keep).join(" ");
  return end - (dropped.length > 0 ? dropped.length + 1 : 0);
}

/** Hungarian kinds of place, with any case ending: barracks, airport, base, street, square, school, hospital, university. */
const PLACE_WORD_INFLECTED = /^(?:Laktany|Kaszárny|Repülőt[ée]r|Bázis|Utc[aá]|Útj?|Tér|Iskol[aá]|Kórház|Egyetem|Akadémi[aá])\p{Ll}*$/u;

/** The name after a title's initial ("Sra. D. Maria da Conceição Sousa", "Gen. B. Stefano Colombo"): a surname's words. */
const AFTER_INITIAL = new RegExp(String.raw`^\.? ?(?=\p{Lu}\p{Ll})${SURNAME}(?![\p{L}])`, "u");

/** Titles that are whole words, not abbreviations: a point after one ends its sentence. */
const WHOLE_WORD_TITLES = new Set(["Miss", "Sir", "Dame", "Herr", "Frau", "Monsieur", "Madame", "Señor", "Señora", "Signor", "Signora", "Pan",
  "Pani", "Bay", "Bayan", "Mevrouw", "Meneer", "Oberst", "Général", "Generał", "Pułkownik", "Kapitan", "Hauptmann", "Oberleutnant",
  "Oberstleutnant", "Leutnant", "Feldwebel", "Hauptfeldwebel", "Stabsfeldwebel", "Capitaine", "Commandant", "Colonel", "Lieutenant",
  "Sergent", "Adjudant", "Caporal", "Cabo", "Sargento", "Teniente", "Capitán", "Comandante", "Coronel", "Brigada", "Capitano", "Maggiore",
  "Colonnello", "Tenente", "Sergente", "Caporale", "Maresciallo", "Porucznik", "Podporucznik", "Sierżant", "Kapral", "Chorąży"]);

// The same pattern, tried only where a title or a listed given name starts a word: those are the only places a
// name can be found, and trying the pattern at every capitalised word dominated the cost of a scan.
const NAME_AT = new RegExp(NAME_PATTERN.source, "uy");
const TITLE_WORDS = new Set(TITLES.split("|").map((t) => t.replace(/\\\..*$/, "")));
/**
 * Given names in lines written all in lower case, as chat is ("ok zeynep, yarın 9'da", "pitaj ivu"): a line without a
 * capital letter has none to mark a name, so a listed given name there (not an everyday word) is one.
 */
function lowerCaseNames(text: string): PersonalDataMatch[] {
  const out: PersonalDataMatch[] = [];
  // Line by line by indexOf: a line opening with an ASCII capital (most prose) is passed over without reading it.
  for (let from = 0; from < text.length; ) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    if (to - from >= 12 && to - from <= 300) {
      let k = from;
      while (k < to && text.charCodeAt(k) === 32) k++;
      const c = text.charCodeAt(k);
      if (!(c >= 65 && c <= 90) && !CAPITAL.test(text.slice(k, to))) namesInLowerCaseLine(text, from, to, out);
    }
    from = to + 1;
  }
  return out;
}
const CAPITAL = /\p{Lu}/u;

function namesInLowerCaseLine(text: string, from: number, to: number, out: PersonalDataMatch[]): void {
  // A chat message is a line of three words at least: a lone lower-case word is a value or a heading.
  let spaces = 0;
  for (let k = text.indexOf(" ", from); k !== -1 && k < to && spaces < 2; k = text.indexOf(" ", k + 1)) spaces++;
  if (spaces < 2) return;
  const given = lowerCaseGivenNames();
  LOWER_WORD.lastIndex = from;
  for (let w = LOWER_WORD.exec(text); w !== null && w.index < to; w = LOWER_WORD.exec(text)) {
    const word = w[0];
    if (word.length < 3 || !given.has(word)) continue;
    out.push({ kind: "NAME", start: w.index, end: w.index + word.length });
  }
}
const LOWER_WORD = /(?<![\p{L}\d@._/-])\p{Ll}+(?![\p{L}\d@_/-])/gu;
/** Listed given names (not everyday words, not titles) in lower case, for lower-case lines; built on first use. */
let lowerCaseGiven: ReadonlySet<string> | undefined;
const lowerCaseGivenNames = (): ReadonlySet<string> =>
  (lowerCaseGiven ??= new Set([...WORD_ROLE].filter(([w, role]) => role === "name" && !TITLE_WORDS.has(w)).map(([w]) => w.toLowerCase())));

/** Words of a found name that name no one by themselves: titles, ranks, and words such as "Street" or "Barracks". */
export const NOT_MENTIONS: ReadonlySet<string> = new Set([...TITLE_WORDS, ...NOT_SURNAMES]);

/**
 * Given names left out of the gazetteer because they are everyday words (first-names.txt's header): a name only
 * where the text introduces someone by it ("she is Grace ...", "my name is Will ...", "I'm Rose ...").
 */
const EVERYDAY_GIVEN_NAMES = new Set(["Grace", "Mark", "May", "Will", "Rose", "Hope", "Faith", "Joy", "Dawn", "Iris", "Ruby", "Jade", "Bill", "Pat", "Guy", "Summer", "Holly", "Ivy", "Olive", "Heath", "Glen", "Dean", "Chase", "Hunter", "Sky", "Robin", "Crystal", "Amber", "Daisy", "Pearl", "Destiny"]);
const SELF_NAMING_BEFORE = /(?<![\p{L}])(?:(?:[Ss]he|[Hh]e|[Tt]his|[Nn]ame) is|I am|I'm|I’m|named|called) $/u;

/**
 * What a word may open: "name" for a listed given name or a title (then NAME_PATTERN), "declined" for a declined
 * Slavic given name ("Natašo", "Katarzyny", "Марию"), "everyday" for an everyday-word given name (a name only after
 * SELF_NAMING_BEFORE), "caps" for a listed given name in capitals (capsNameAt; "JEAN" of "JEAN-BAPTISTE").
 * All spelled out in advance, so each capitalised word costs one lookup.
 */
const WORD_ROLE = new Map<string, "name" | "declined" | "everyday" | "caps">();
for (const w of GIVEN_NAMES) {
  WORD_ROLE.set(w.toUpperCase(), "caps");
  WORD_ROLE.set(w.split("-")[0]!.toUpperCase(), "caps");
}
for (const stem of SLAVIC_FEMININE_STEMS) {
  for (const ending of /[\u0400-\u04ff]/u.test(stem) ? CYRILLIC_CASE_ENDINGS : SLAVIC_CASE_ENDINGS) WORD_ROLE.set(stem + ending, "declined");
}
for (const w of EVERYDAY_GIVEN_NAMES) WORD_ROLE.set(w, "everyday");
for (const w of [...GIVEN_NAMES, ...TITLE_WORDS]) WORD_ROLE.set(w, "name");

/** 0: not a letter; 1: a letter; 2: an uppercase letter (\p{L}, \p{Lu}), per UTF-16 code unit of the BMP. */
const LETTER = new Uint8Array(65536).fill(255);
function letterClass(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 65 && c <= 90) ? 2 : c >= 97 && c <= 122 ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdfff) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    return /\p{Lu}/u.test(ch) ? 2 : /\p{L}/u.test(ch) ? 1 : 0;
  }
  let cls = LETTER[c]!;
  if (cls === 255) {
    const ch = String.fromCharCode(c);
    LETTER[c] = cls = /\p{Lu}/u.test(ch) ? 2 : /\p{L}/u.test(ch) ? 1 : 0;
  }
  return cls;
}

/**
 * Where a listed given name or title (any word of WORD_ROLE) may start: one of their first letters, not right after an ASCII letter
 * (NAME_PATTERN's look-behind rejects those). It only proposes: findNames checks each proposal as
 * findNamesEverywhere's loop would, the reference the unit test holds it to.
 */
const NAME_STARTS = (() => {
  // Non-ASCII first letters stand for their whole block (Latin-1, Latin Extended-A and B, Greek, Cyrillic capitals):
  // past some fifteen separate ranges V8 reads a character class several times slower, and a wider class only
  // proposes a few more starts, each checked below like any other.
  const BLOCKS: [number, number][] = [[0xc0, 0xde], [0x100, 0x17f], [0x180, 0x24f], [0x386, 0x3ab], [0x400, 0x42f], [0x1e00, 0x1eff]];
  const hex = (c: number) => `\\u${c.toString(16).padStart(4, "0")}`;
  const parts = new Set<string>();
  for (const w of WORD_ROLE.keys()) {
    const c = w.charCodeAt(0);
    const block = c < 128 ? undefined : BLOCKS.find(([a, b]) => c >= a && c <= b);
    parts.add(block === undefined ? hex(c) : `${hex(block[0])}-${hex(block[1])}`);
  }
  // The letter first, the look-behind after it: the regex then stops only at those letters.
  return new RegExp(`[${[...parts].join("")}](?<![A-Za-z][^])`, "g");
})();

/** Whether the character loop of findNamesEverywhere visits position i: an odd run of high surrogates before it skips it. */
function visited(text: string, i: number): boolean {
  let highs = 0;
  for (let k = i - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c < 0xd800 || c > 0xdbff) break;
    highs++;
  }
  return highs % 2 === 0;
}

/** prevLetter of findNamesEverywhere's loop at a visited position i: the class of the last position it visited. */
function prevLetterAt(text: string, i: number): boolean {
  if (i === 0) return false;
  const p = i >= 2 && !visited(text, i - 1) ? i - 2 : i - 1;
  return letterClass(text, p) !== 0;
}

/** Names in the text: findNamesEverywhere's answer, trying only where NAME_STARTS proposes. */
export function findNames(text: string, out: PersonalDataMatch[]): void {
  let after = 0;
  const re = NAME_STARTS;
  re.lastIndex = 0;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    if (i < after || letterClass(text, i) !== 2 || !visited(text, i) || prevLetterAt(text, i)) continue;
    const c = text.charCodeAt(i);
    let j = i + 1 + (c >= 0xd800 && c <= 0xdbff ? 1 : 0);
    while (j < text.length && letterClass(text, j) !== 0) j++;
    after = nameAt(text, i, j, after, out);
  }
  lineCache.text = ""; // not kept alive past the scan
}

/** The name starting at i whose first word ends at j, if any; returns where the next name may start. */
function nameAt(text: string, i: number, j: number, after: number, out: PersonalDataMatch[]): number {
  const word = text.slice(i, j);
  const role = WORD_ROLE.get(word);
  if (role === undefined) return after;
  if (role === "caps") return capsNameAt(text, i, after, out);
  NAME_AT.lastIndex = i;
  const m = NAME_AT.exec(text);
  const givenKnown = role === "declined" || (role === "everyday" && (SELF_NAMING_BEFORE.test(text.slice(Math.max(0, i - 16), i)) || (m !== null && displayName(text, i + m[0].length))));
  if (role === "everyday" && !givenKnown) return after;
  const end = m === null ? -1 : nameEnd(text, i, m, givenKnown);
  if (end === PLACE_OR_FIRM) return i + m![0].length;
  if (end >= 0) {
    out.push({ kind: "NAME", start: i, end });
    return end;
  }
  if (HUNGARIAN_GIVEN_NAMES.has(word) || role === "name") {
    const found = familyNameFirst(text, i, j, after, out, !HUNGARIAN_GIVEN_NAMES.has(word));
    if (found !== after) return found;
  }
  return role === "name" && !TITLE_WORDS.has(word) ? givenAlone(text, i, after, out) : after;
}

/** An address right after a name: the name is a mailbox's display name ("Grace Wilson" <grace.wilson@...>, Mark Davies <MARK.DAVIES@...>). */
const ADDRESS_AFTER = /"? ?<[^\s<>@]{1,64}@/y;
function displayName(text: string, end: number): boolean {
  ADDRESS_AFTER.lastIndex = end;
  return ADDRESS_AFTER.test(text);
}

const GIVEN_AT = new RegExp(GIVEN_WORD, "uy");
/**
 * Words after which a given name alone is a name: greetings and thanks in the member languages ("Bonjour Mathieu,",
 * "Dag Pieter-Jan,", "Thanks Bethan,"), matched case-insensitively right before the name.
 */
const GREETINGS = ["Hi", "Hey", "Hello", "Dear", "Thanks", "Thank you", "Cheers", "Morning", "Good morning", "Bonjour", "Bonsoir", "Salut",
  "Coucou", "Cher", "Chère", "Merci", "Hallo", "Liebe", "Lieber", "Liebe/r", "Servus", "Moin", "Danke", "Guten Morgen", "Guten Tag", "Hola",
  "Querido", "Querida", "Estimado", "Estimada", "Buenos días", "Buenas", "Gracias", "Olá", "Ola", "Obrigado", "Obrigada", "Caro", "Cara",
  "Ciao", "Gentile", "Salve", "Buongiorno", "Buonasera", "Grazie", "Cześć", "Dzień dobry", "Witaj", "Witam", "Szanowny", "Szanowna", "Drogi",
  "Droga", "Dziękuję", "Merhaba", "Sayın", "Selam", "Sevgili", "Beste", "Hoi", "Dag", "Goedemorgen", "Bedankt", "Hej", "Hei", "Moi", "Kära", "Käre",
  "Tack", "Kedves", "Szia", "Tisztelt", "Ahoj", "Dobrý den", "Milý", "Milá", "Vážený", "Vážená", "Bună", "Dragă", "Stimate", "Stimată",
  "Γεια σου", "Γεια", "Αγαπητέ", "Αγαπητή", "Здравей", "Здравейте", "Здравствуйте", "Привет", "Скъпи", "Скъпа", "Dobar dan", "Draga", "Dragi",
  "Živjo", "Bok", "Tere", "Labas", "Sveiki", "Kaixo", "Bon dia", "Benvolgut", "Benvolguda"];
const GREETING_BEFORE = new RegExp(`(?<![\\p{L}])(?:${GREETINGS.map((g) => g.replace("/", "\\/")).join("|")})[ ,]*$`, "iu");
/** Where a greeted name ends: punctuation or the line's end. */
const GREETING_AFTER = /[,:!.;?]|[ \t]*(?:\r?\n|$)/y;
/** The opening of a chat message line: "[12.03.26, 14:02] Friederike Hoffmann: " (WhatsApp and Signal exports). */
const CHAT_LINE = /^(?:\[[^\]\n]{4,30}\]|\d{1,4}[./-]\d{1,2}[./-]\d{1,4},? \d{1,2}:\d{2}(?: ?[AaPp][Mm])? [-–]) [^:\n]{1,40}: /;
/** A surname, then ", " right before a given name ("Becker, Matthias", "de La Fontaine, Mathieu", "Muñoz Peña, Lucía"). */
const SURNAME_COMMA_BEFORE = new RegExp(String.raw`(?<![\p{L}'’-])(${SURNAME}), $`, "u");
/** What may stand before a "Surname, Given" field: a line start, a cell delimiter, a label's colon, a comma, a quote. */
const FIELD_START_BEFORE = /(?:^|[\n\t;|"(>] ?|[:,] ?)$/;
/** What may end it: the line's end, a cell delimiter, a quote, an email in angle brackets or after a space. */
const FIELD_END_AFTER = /(?:$|\r?\n| ?[\t;|")]| <| [^\s@]+@)/y;

/**
 * A listed given name that no surname follows: a name in "Surname, Given" order as headers, tables and address
 * books write it, after a greeting or thanks, or anywhere in a chat message (people are called by given name there).
 */
function givenAlone(text: string, i: number, after: number, out: PersonalDataMatch[]): number {
  GIVEN_AT.lastIndex = i;
  const g = GIVEN_AT.exec(text);
  if (g === null) return after;
  const end = i + g[0].length;
  // Checked only when a rule below would take the name: lone given names are many, and this reads text around each.
  const placeOrBrandHere = () => placeOrFirm(text, i, i, end, g[0]);
  FIELD_END_AFTER.lastIndex = end;
  // The comma and the field's end are checked first: the surname pattern is dear, and lone given names are many.
  const comma = text.charCodeAt(i - 1) === 32 && text.charCodeAt(i - 2) === 44;
  const surname = comma && FIELD_END_AFTER.test(text) ? SURNAME_COMMA_BEFORE.exec(text.slice(Math.max(0, i - 60), i)) : null;
  if (surname !== null) {
    const start = i - surname[0].length;
    const words = surname[1]!.split(/[ -]/);
    const first = words[0]!;
    const fieldStart = FIELD_START_BEFORE.test(text.slice(Math.max(0, start - 2), start));
    if (start >= after && fieldStart && !GREETING_BEFORE.test(`${first} `) && !words.some((w) => NOT_SURNAMES.has(w) || NOT_FAMILY_NAMES.has(w) || TITLE_WORDS.has(w)) && !placeOrBrandHere()) {
      out.push({ kind: "NAME", start, end });
      return end;
    }
  }
  GREETING_AFTER.lastIndex = end;
  const greeted = GREETING_AFTER.test(text) && GREETING_BEFORE.test(text.slice(Math.max(0, i - 25), i));
  if ((greeted || inChatMessage(text, i)) && !placeOrBrandHere()) {
    out.push({ kind: "NAME", start: i, end });
    return end;
  }
  return after;
}

/**
 * The start of the line holding i. Names are visited in text order, so the last answer is kept and the search goes
 * on from there: a lastIndexOf per name would read a long line again for every name on it.
 */
let lineCache = { text: "", lineStart: 0, nextNewline: -1 };
function lineStartOf(text: string, i: number): number {
  const c = lineCache;
  // Still on the cached line: i lies between its start and its newline (none: the line runs to the end).
  if (c.text === text && i >= c.lineStart && (c.nextNewline < 0 || i <= c.nextNewline)) return c.lineStart;
  // Native searches, each over text no later call reads again while names go forward.
  const lineStart = text.lastIndexOf("\n", i - 1) + 1;
  lineCache = { text, lineStart, nextNewline: text.indexOf("\n", i) };
  return lineStart;
}

/** Whether position i lies in the message of a chat line (after its time stamp and sender). */
function inChatMessage(text: string, i: number): boolean {
  const lineStart = lineStartOf(text, i);
  if (i - lineStart > 400 || (text[lineStart] !== "[" && !/\d/.test(text[lineStart] ?? ""))) return false;
  const m = CHAT_LINE.exec(text.slice(lineStart, i));
  return m !== null;
}

/** Capitalised words before a Hungarian given name that are not family names: greetings, articles, conjunctions. */
const NOT_FAMILY_NAMES = new Set(["Szent", "Kedves", "Tisztelt", "Szia", "Szervusz", "Üdv", "Dear", "Hi", "Hello", "Hallo", "Liebe", "Lieber", "Az", "És", "De", "Ha", "Hogy", "Mert", "Ma", "Ez", "Ezt", "Is", "Van", "Nem", "Igen", "Köszönöm", "Köszi",
  "Then", "When", "But", "So", "Also", "Thanks", "Thank", "Ask", "Call", "Tell", "Cc", "By", "Per", "Via", "Danke", "Merci", "Grazie", "Gracias"]);
const FAMILY_NAME_BEFORE = /(?<![\p{L}.])(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?) $/u;

/**
 * The commonest Hungarian family names (after the statistics office's lists), without those that are given names or
 * everyday words elsewhere too (Simon, Major, Magyar, Király): before any listed given name they open a name in
 * Hungarian order ("Tóth Anna"), where a given name found in other languages too would not say so by itself.
 */
const HUNGARIAN_FAMILY_NAMES = new Set(["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas", "Balogh",
  "Papp", "Takács", "Juhász", "Lakatos", "Mészáros", "Oláh", "Rácz", "Szilágyi", "Török", "Fehér", "Gál", "Szűcs", "Kocsis", "Orsós",
  "Pintér", "Fodor", "Szalai", "Sipos", "Lukács", "Gulyás", "Bíró", "Biró", "Katona", "Jakab", "Bogdán", "Balog", "Boros", "Fazekas",
  "Kelemen", "Orosz", "Somogyi", "Fülöp", "Veres", "Budai", "Vincze", "Hegedűs", "Hegedüs", "Deák", "Illés", "Vass", "Szőke", "Fábián",
  "Vörös", "Lengyel", "Bognár", "Bodnár", "Jónás", "Hajdu", "Halász", "Székely", "Kozma", "Gáspár", "Pásztor", "Bakos", "Dudás",
  "Virág", "Orbán", "Barna", "Soós", "Nemes", "Pataki", "Balla", "Faragó", "Kerekes", "Borbély", "Barta", "Szekeres", "Csonka", "Mezei",
  "Sárközi", "Berki", "Márton", "Szénási", "Kántor", "Csizmadia", "Kun", "Bárány", "Vida", "Pócza", "Rigó", "Erdélyi", "Sárközy"]);

/** Hungarian order, family name first ("Nagy Katalin", "Szabó Zsófia"): the capitalised word before a Hungarian given name. */
function familyNameFirst(text: string, i: number, j: number, after: number, out: PersonalDataMatch[], listedFamilyOnly: boolean): number {
  if (text.charCodeAt(i - 1) !== 32) return after;
  const m = FAMILY_NAME_BEFORE.exec(text.slice(Math.max(0, i - 25), i));
  if (m === null) return after;
  // Most given names are not Hungarian alone: then only a listed Hungarian family name before them says so.
  if (listedFamilyOnly && !HUNGARIAN_FAMILY_NAMES.has(m[1]!)) return after;
  const start = i - m[0].length;
  if (start < after || NOT_SURNAMES.has(m[1]!) || NOT_FAMILY_NAMES.has(m[1]!) || TITLE_WORDS.has(m[1]!)) return after;
  // Streets, squares and barracks are named so too ("a Kossuth Lajos téri raktár"): a place, as in the other order.
  if (placeOrFirm(text, start, start, j)) return after;
  out.push({ kind: "NAME", start, end: j });
  return j;
}

const titleCase = (w: string) => w.split("-").map((p) => p.charAt(0) + p.slice(1).toLowerCase()).join("-");

/** Names of the identifiers this module finds and other field labels: on a form they follow a name, not end it. */
const FORM_LABELS = new Set(["PESEL", "NIR", "NINO", "NI", "SSN", "IBAN", "BIC", "SWIFT", "NIP", "REGON", "TEL", "FAX", "DOB", "ID", "NO", "NR", "CF", "DNI", "NIE", "NIF", "BSN", "OIB", "EGN", "EMŞO", "EMSO", "AMKA", "AFM", "TC", "PIN", "EMAIL", "E-MAIL", "MAIL", "ADDRESS", "ADRESSE", "DATE", "DATUM", "NUMBER", "NUMMER", "NUMER", "NUMERO", "NUMÉRO", "PHONE", "TELEFON", "PASSPORT", "STEUER-ID", "CODICE", "FISCALE"]);
const CAPS_WORD = String.raw`\p{Lu}[\p{Lu}'’]*(?:-\p{Lu}[\p{Lu}'’]*)*`;
const CAPS_PARTICLE = "(?:VAN DER|VAN DEN|VAN DE|VAN|VON DER|VON|DE LA|DE LOS|DEL|DE|DI|DA|DOS|DU|LE|LA|TER|TEN)";
const CAPS_NAME_AT = new RegExp(String.raw`${CAPS_WORD}((?: (?:${CAPS_PARTICLE} )?${CAPS_WORD}){1,3})(?![\p{L}])`, "uy");
const WHOLE_CAPS_PARTICLE = new RegExp(`^${CAPS_PARTICLE}$`, "u");
/**
 * Whether a form field may stand at i: before it on its line nothing, a label's colon, or another upper-case word
 * of two letters or more (the label). Read backwards from i, so the cost is that of the label.
 */
function formFieldAt(text: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (text[k] === " " || text[k] === "\t")) k--;
  if (k < 0 || text[k] === "\n" || text[k] === "\r" || text[k] === ":") return true;
  if (k === i - 1) return false;
  let upper = 0;
  while (k >= 0 && letterClass(text, k) === 2) {
    upper++;
    k--;
  }
  return upper >= 2 && (k < 0 || letterClass(text, k) === 0);
}

/**
 * An upper-case name on a scanned form or card ("UBEZPIECZONY TOMASZ KAMIŃSKI PESEL ...", "JEAN-BAPTISTE LACROIX"
 * alone on a line): a listed given name in capitals, then one to three upper-case words, where a form field stands.
 * Headlines in capitals are left alone unless a label precedes, and label words after the name are not part of it.
 */
function capsNameAt(text: string, i: number, after: number, out: PersonalDataMatch[]): number {
  if (!formFieldAt(text, i)) return after;
  CAPS_NAME_AT.lastIndex = i;
  const m = CAPS_NAME_AT.exec(text);
  if (m === null) return after;
  const words = m[1]!.slice(1).split(" ");
  let keep = words.length;
  while (keep > 0 && (FORM_LABELS.has(words[keep - 1]!) || NOT_SURNAMES.has(titleCase(words[keep - 1]!)) || WHOLE_CAPS_PARTICLE.test(words[keep - 1]!))) keep--;
  if (keep === 0) return after;
  const end = i + m[0].length - m[1]!.length + 1 + words.slice(0, keep).join(" ").length;
  out.push({ kind: "NAME", start: i, end });
  return end;
}

/** Names found by visiting every character: the reference for findNames. */
export function findNamesEverywhere(text: string, out: PersonalDataMatch[]): void {
  let after = 0; // matches may not overlap: candidates before the end of the last name are skipped
  let prevLetter = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? ((c >= 65 && c <= 90) ? 2 : c >= 97 && c <= 122 ? 1 : 0) : letterClass(text, i);
    const wide = c >= 0xd800 && c <= 0xdbff ? 1 : 0;
    if (cls === 2 && !prevLetter && i >= after) {
      let j = i + 1 + wide;
      while (j < text.length && letterClass(text, j) !== 0) j++;
      after = nameAt(text, i, j, after, out);
    }
    prevLetter = cls !== 0;
    i += wide;
  }
  lineCache.text = "";
}

/**
 * The matches a global `pattern` finds, tried only `offset` characters before each hit of `middle` (global).
 * Right for a pattern whose matches cannot overlap (whole words of a fixed length): then trying each candidate
 * in text order and resuming after a match finds the same ones.
 */
export function findFromMiddle(text: string, pattern: RegExp, middle: RegExp, offset: number, each: (start: number, match: string) => void): void {
  const at = new RegExp(pattern.source, pattern.flags.replace("g", "") + "y");
  middle.lastIndex = 0;
  for (let m = middle.exec(text); m !== null; m = middle.exec(text)) {
    const start = m.index - offset;
    middle.lastIndex = m.index + 1;
    if (start < 0) continue;
    at.lastIndex = start;
    const found = at.exec(text);
    if (found === null) continue;
    each(start, found[0]);
    middle.lastIndex = start + found[0].length;
  }
}

const EMAIL_LOCAL = /^[\p{L}\p{N}._%+-]$/u;
const EMAIL_AT = new RegExp(EMAIL_PATTERN.source, "uy");
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/**
 * Emails, as the EMAIL pattern finds them scanning the whole text, found from each "@": the match is the leftmost
 * start within the 64 local-part characters (code points) before the "@" where the pattern holds.
 */
function findEmails(text: string, each: (start: number, end: number) => void): void {
  let from = 0;
  for (let at = text.indexOf("@", from); at !== -1; at = text.indexOf("@", Math.max(from, at + 1))) {
    let runStart = at;
    for (let n = 0; n < 64 && runStart > from; n++) {
      const w = isLowSurrogate(text.charCodeAt(runStart - 1)) && runStart - 2 >= from && isHighSurrogate(text.charCodeAt(runStart - 2)) ? 2 : 1;
      if (!EMAIL_LOCAL.test(text.slice(runStart - w, runStart))) break;
      runStart -= w;
    }
    for (let s = runStart; s < at; s++) {
      if (isLowSurrogate(text.charCodeAt(s)) && s > 0 && isHighSurrogate(text.charCodeAt(s - 1))) continue;
      EMAIL_AT.lastIndex = s;
      const m = EMAIL_AT.exec(text);
      if (m !== null) {
        each(s, s + m[0].length);
        from = s + m[0].length;
        break;
      }
    }
  }
}

/** Longest match of a `digits` detector (an IBAN: 2 letters, 2 digits, 8 groups of up to 4 after a separator). */
const MAX_DIGIT_MATCH = 44;
/** Text kept either side of a digit: any match holding it, and the 2 characters its pattern looks at, fit. */
const DIGIT_REACH = MAX_DIGIT_MATCH + 4;
const DIGIT_CLUSTER = new RegExp(String.raw`\d(?:\D{0,${2 * DIGIT_REACH}}\d)*`, "g");

/**
 * Stretches of the text around its digits, [from, to), apart by more than twice DIGIT_REACH: each digit
 * detector runs on these only. A match holds a digit, so it and the characters its pattern looks at lie in
 * one stretch, and none starts between stretches: a scan of each stretch finds what a whole-text scan finds.
 */
export function digitWindows(text: string): [number, number][] {
  const out: [number, number][] = [];
  DIGIT_CLUSTER.lastIndex = 0;
  for (let m = DIGIT_CLUSTER.exec(text); m !== null; m = DIGIT_CLUSTER.exec(text)) {
    out.push([Math.max(0, m.index - DIGIT_REACH), Math.min(text.length, m.index + m[0].length + DIGIT_REACH)]);
  }
  return out;
}

type Each = (start: number, match: string, m: RegExpExecArray) => void;

/** Matches of a global pattern in text[from, to), with offsets in the text. */
function findIn(text: string, from: number, to: number, pattern: RegExp, each: Each): void {
  const part = from === 0 && to === text.length ? text : text.slice(from, to);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(part); m !== null; m = pattern.exec(part)) each(from + m.index, m[0], m);
}

/** For a `cued` detector: hands on the value (the capture group that took part) instead of the whole match. */
function valueOf(each: Each): Each {
  return (start, _match, m) => {
    const k = m[1] !== undefined ? 1 : 2;
    const span = m.indices?.[k];
    if (span === undefined) return;
    each(start + span[0] - m.index, m[k]!, m);
  };
}

/** Personal data in the text, in order, without overlaps (first detector wins). */
export function findPersonalData(text: string): PersonalDataMatch[] {
  return find(text, false);
}

/** The same, each pattern run over the whole text and names sought at every character: the tests' reference. */
export function findPersonalDataEverywhere(text: string): PersonalDataMatch[] {
  return find(text, true);
}

function find(text: string, everywhere: boolean): PersonalDataMatch[] {
  const found: PersonalDataMatch[] = [];
  // Which characters earlier matches cover: checking a candidate costs its own length, not the number of matches
  // so far (a text dense with names made that quadratic: seconds per megabyte for anyone who can send text).
  let covered: Uint8Array | undefined;
  const taken = (s: number, e: number) => {
    if (covered === undefined) return false;
    for (let i = s; i < e; i++) if (covered[i] === 1) return true;
    return false;
  };
  const take = (m: PersonalDataMatch) => {
    (covered ??= new Uint8Array(text.length)).fill(1, m.start, m.end);
    found.push(m);
  };
  let windows: [number, number][] | undefined;
  // The text's tables, read only if some number needs its column's header for a label.
  let columns: LabelColumns | undefined;
  const tables = () => (columns ??= new LabelColumns(text, isNationalIdLabel));
  for (const d of DETECTORS) {
    if (d.kind === "EMAIL") {
      findEmails(text, (start, end) => {
        if (!taken(start, end)) take({ kind: "EMAIL", start, end });
      });
      continue;
    }
    d.pattern.lastIndex = 0;
    const classify = d.classify;
    const each = classify !== undefined
      ? (start: number, match: string) => {
        const end = start + match.length;
        if (taken(start, end)) return;
        const kind = classify(match, text, start, tables);
        if (kind !== undefined) take({ kind, start, end });
      }
      : (start: number, match: string) => {
        const end = start + match.length;
        if ((d.valid !== undefined && !d.valid(match)) || taken(start, end)) return;
        if (d.kind === "PHONE" && !match.includes("+") && (labelledOtherwise(text, start) || otherNumberShape(text, start, end, match))) return;
        take({ kind: d.kind, start, end });
      };
    const one = d.cued ? valueOf(each) : each;
    if (everywhere) findIn(text, 0, text.length, d.pattern, one);
    else if (d.middle !== undefined) findFromMiddle(text, d.pattern, d.middle.pattern, d.middle.offset, each);
    else if (d.digits) for (const [from, to] of (windows ??= digitWindows(text))) findIn(text, from, to, d.pattern, one);
    else findIn(text, 0, text.length, d.pattern, one);
  }
  // Values named by their field (JSON keys, key=value, form labels, table columns), then names by the gazetteer.
  const fields: FieldMatch[] = [];
  findFields(text, fields);
  for (const f of fields) if (!taken(f.start, f.end)) take(f);
  const names: PersonalDataMatch[] = [];
  (everywhere ? findNamesEverywhere : findNames)(text, names);
  for (const n of names) if (!taken(n.start, n.end)) take(n);
  for (const n of lowerCaseNames(text)) if (!taken(n.start, n.end)) take(n);
  // The people found, mentioned again by one of their names ("Kowalska then said", "Müllers Bericht").
  if (found.some((m) => m.kind === "NAME")) for (const m of laterMentions(text, found, NOT_MENTIONS, taken)) if (!taken(m.start, m.end)) take(m);
  return found.sort((a, b) => a.start - b.start);
}

export interface Redaction {
  readonly text: string;
  /** How many distinct values of each kind were replaced. */
  readonly counts: Partial<Record<PersonalDataKind, number>>;
}

/** Replaces personal data with typed placeholders ([EMAIL_1], [NAME_2]); one value keeps one placeholder. */
export function redactPersonalData(text: string): Redaction {
  const matches = findPersonalData(text);
  const counts: Partial<Record<PersonalDataKind, number>> = {};
  const assigned = new Map<string, string>();
  let out = "";
  let pos = 0;
  for (const m of matches) {
    const value = text.slice(m.start, m.end);
    const key = `${m.kind}\u0000${m.kind === "NAME" || m.kind === "EMAIL" ? value : value.replace(/[\s.\/-]/g, "")}`;
    let placeholder = assigned.get(key);
    if (placeholder === undefined) {
      const n = (counts[m.kind] ?? 0) + 1;
      counts[m.kind] = n;
      placeholder = `[${m.kind}_${n}]`;
      assigned.set(key, placeholder);
    }
    out += text.slice(pos, m.start) + placeholder;
    pos = m.end;
  }
  return { text: out + text.slice(pos), counts };
}

export type RedactionSetting = "outside_residency" | "always" | "never";

/** Whether a request must be redacted before it leaves for an endpoint (the nation's setting decides). */
export function shouldRedact(setting: RedactionSetting, endpointInResidency: boolean): boolean {
  return setting === "always" || (setting === "outside_residency" && !endpointInResidency);
}

