import { InvalidRequest } from "../../errors/index.ts";

/** A member language: ISO 639-3 on output, 639-1 where one exists (input, libraries, Apertium modes). */
export interface MemberLanguage {
  readonly iso3: string;
  readonly iso1: string;
  readonly name: string;
}

/** The alliance's member languages (issue 9). `und` is the code for "cannot tell". */
export const MEMBER_LANGUAGES: readonly MemberLanguage[] = [
  { iso3: "bul", iso1: "bg", name: "Bulgarian" },
  { iso3: "ces", iso1: "cs", name: "Czech" },
  { iso3: "dan", iso1: "da", name: "Danish" },
  { iso3: "deu", iso1: "de", name: "German" },
  { iso3: "ell", iso1: "el", name: "Greek" },
  { iso3: "eng", iso1: "en", name: "English" },
  { iso3: "est", iso1: "et", name: "Estonian" },
  { iso3: "fin", iso1: "fi", name: "Finnish" },
  { iso3: "fra", iso1: "fr", name: "French" },
  { iso3: "hrv", iso1: "hr", name: "Croatian" },
  { iso3: "hun", iso1: "hu", name: "Hungarian" },
  { iso3: "isl", iso1: "is", name: "Icelandic" },
  { iso3: "ita", iso1: "it", name: "Italian" },
  { iso3: "lav", iso1: "lv", name: "Latvian" },
  { iso3: "lit", iso1: "lt", name: "Lithuanian" },
  { iso3: "ltz", iso1: "lb", name: "Luxembourgish" },
  { iso3: "mkd", iso1: "mk", name: "Macedonian" },
  { iso3: "nld", iso1: "nl", name: "Dutch" },
  { iso3: "nob", iso1: "nb", name: "Norwegian Bokmål" },
  { iso3: "pol", iso1: "pl", name: "Polish" },
  { iso3: "por", iso1: "pt", name: "Portuguese" },
  { iso3: "ron", iso1: "ro", name: "Romanian" },
  { iso3: "slk", iso1: "sk", name: "Slovak" },
  { iso3: "slv", iso1: "sl", name: "Slovenian" },
  { iso3: "spa", iso1: "es", name: "Spanish" },
  { iso3: "sqi", iso1: "sq", name: "Albanian" },
  { iso3: "swe", iso1: "sv", name: "Swedish" },
  { iso3: "tur", iso1: "tr", name: "Turkish" },
];

export const UNDETERMINED = "und";

const byIso3 = new Map(MEMBER_LANGUAGES.map((l) => [l.iso3, l]));
const byIso1 = new Map(MEMBER_LANGUAGES.map((l) => [l.iso1, l]));
// Codes people and libraries use for the same member language.
const aliases: Record<string, string> = { no: "nob", nor: "nob", nno: "nob", alb: "sqi", ger: "deu", fre: "fra", dut: "nld", gre: "ell", cze: "ces", slo: "slk", rum: "ron", ice: "isl", mac: "mkd", hbs: "hrv" };

/** The member language for a 639-1 or 639-3 code (case-insensitive), or undefined. */
export function findLanguage(code: string): MemberLanguage | undefined {
  const c = code.trim().toLowerCase();
  return byIso3.get(c) ?? byIso1.get(c) ?? byIso3.get(aliases[c] ?? "");
}

/** Normalises a user-supplied language code to ISO 639-3, or throws InvalidRequest naming the parameter. */
export function toIso3(code: string, param = "language"): string {
  const lang = findLanguage(code);
  if (!lang) {
    throw new InvalidRequest(`"${code.slice(0, 16)}" is not a member language code; use ISO 639-1 or 639-3 (e.g. en, eng, fr, fra)`, { param });
  }
  return lang.iso3;
}
