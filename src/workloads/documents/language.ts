import { franc } from "franc-all";

/**
 * Languages of the alliance's member nations, as franc names them (ISO 639-3; franc-all uses the individual
 * codes ekk/lvs/als where the macrolanguage is est/lav/sqi). Restricting franc to these turns a 400-way guess
 * into a ~35-way one, which is what makes it accurate on long text.
 */
const FRANC_TO_ISO: Readonly<Record<string, string>> = {
  eng: "eng", fra: "fra", deu: "deu", ita: "ita", spa: "spa", por: "por", nld: "nld", dan: "dan", nob: "nob",
  nno: "nno", swe: "swe", fin: "fin", pol: "pol", ces: "ces", slk: "slk", slv: "slv", hrv: "hrv", srp: "srp",
  bos: "bos", cnr: "cnr", ekk: "est", lvs: "lav", lit: "lit", hun: "hun", ron: "ron", bul: "bul", ell: "ell",
  tur: "tur", isl: "isl", als: "sqi", mkd: "mkd", ltz: "ltz", gle: "gle", mlt: "mlt",
};
const ONLY = Object.keys(FRANC_TO_ISO);

/**
 * Below this, trigram guesses among close languages (da/nb, hr/sr, cs/sk) are often wrong, and a wrong language
 * means wrong stems; `und` indexes surface forms, which every query also searches.
 */
const MIN_CHARS = 60;

/** Enough text to decide; franc's trigram profile stops improving long before a whole report. */
const SAMPLE_CHARS = 6000;

/** ISO 639-3 code of the text's language among member languages, or `und` when the text is too short to say. */
export function detectLanguage(text: string): string {
  const code = franc(text.slice(0, SAMPLE_CHARS), { only: ONLY, minLength: MIN_CHARS });
  return FRANC_TO_ISO[code] ?? "und";
}

/** Accepts ISO 639-1 or 639-3 on input (DESIGN.md), answers 639-3. */
const ISO1: Readonly<Record<string, string>> = {
  en: "eng", fr: "fra", de: "deu", it: "ita", es: "spa", pt: "por", nl: "nld", da: "dan", nb: "nob", nn: "nno",
  no: "nob", sv: "swe", fi: "fin", pl: "pol", cs: "ces", sk: "slk", sl: "slv", hr: "hrv", sr: "srp", bs: "bos",
  et: "est", lv: "lav", lt: "lit", hu: "hun", ro: "ron", bg: "bul", el: "ell", tr: "tur", is: "isl", sq: "sqi",
  mk: "mkd", lb: "ltz", ga: "gle", mt: "mlt",
};
export function normalizeLanguage(code: string): string {
  const c = code.trim().toLowerCase();
  return ISO1[c] ?? c;
}
