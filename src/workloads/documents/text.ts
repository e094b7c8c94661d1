import { stemmer as bg } from "@orama/stemmers/bulgarian";
import { stemmer as da } from "@orama/stemmers/danish";
import { stemmer as nl } from "@orama/stemmers/dutch";
import { stemmer as en } from "@orama/stemmers/english";
import { stemmer as fi } from "@orama/stemmers/finnish";
import { stemmer as fr } from "@orama/stemmers/french";
import { stemmer as de } from "@orama/stemmers/german";
import { stemmer as el } from "@orama/stemmers/greek";
import { stemmer as hu } from "@orama/stemmers/hungarian";
import { stemmer as it } from "@orama/stemmers/italian";
import { stemmer as lt } from "@orama/stemmers/lithuanian";
import { stemmer as no } from "@orama/stemmers/norwegian";
import { stemmer as pt } from "@orama/stemmers/portuguese";
import { stemmer as ro } from "@orama/stemmers/romanian";
import { stemmer as sr } from "@orama/stemmers/serbian";
import { stemmer as es } from "@orama/stemmers/spanish";
import { stemmer as sv } from "@orama/stemmers/swedish";
import { stemmer as tr } from "@orama/stemmers/turkish";

/**
 * Snowball stemmers for the member languages that have one. Serbian's stemmer works on Latin-script
 * Serbo-Croatian, so Croatian, Bosnian and Montenegrin share it. Languages without a stemmer (Polish, Czech,
 * Slovak, Slovenian, Estonian, Latvian, Icelandic, Albanian, Macedonian...) are indexed by folded surface form.
 */
const STEMMERS: Readonly<Record<string, (w: string) => string>> = {
  bul: bg, dan: da, nld: nl, eng: en, fin: fi, fra: fr, deu: de, ell: el, hun: hu, ita: it, lit: lt,
  nob: no, nno: no, por: pt, ron: ro, srp: sr, hrv: sr, bos: sr, cnr: sr, spa: es, swe: sv, tur: tr,
};

export function hasStemmer(language: string): boolean {
  return language in STEMMERS;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Lower-cased words of the text, each with its character offsets (for highlighting the original). */
export function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(WORD)) out.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The index term of one word: stemmed in the document's (or query's) language, then stripped of diacritics so
 * "Türkiye" and "Turkiye" meet. Stemming comes first because stemmers rely on the diacritics.
 */
export function termOf(word: string, language: string): string {
  const key = `${language}\0${word}`;
  const hit = TERM_CACHE.get(key);
  if (hit !== undefined) return hit;
  const stem = STEMMERS[language];
  const lower = word.toLowerCase();
  const stemmed = stem ? stem(lower) : lower;
  const term = stemmed.normalize("NFD").replace(MARKS, "").normalize("NFC");
  // Word frequencies are Zipfian: a bounded memo of recent words saves most stemmer calls.
  if (TERM_CACHE.size >= TERM_CACHE_MAX) TERM_CACHE.clear();
  TERM_CACHE.set(key, term);
  return term;
}

const TERM_CACHE = new Map<string, string>();
const TERM_CACHE_MAX = 100_000;

export function terms(text: string, language: string): string[] {
  return words(text).map((w) => termOf(w.word, language));
}

/** Sentences by ICU's segmentation rules (handles abbreviations and quotes better than a regex). */
export function sentences(text: string, language: string): string[] {
  const locale = ISO3_TO_BCP47[language] ?? "en";
  const seg = new Intl.Segmenter(locale, { granularity: "sentence" });
  const out: string[] = [];
  for (const s of seg.segment(text)) {
    const t = s.segment.trim();
    if (t.length > 0) out.push(t);
  }
  return mergeAbbreviations(out);
}

/**
 * ICU ends a sentence at "Mr." or "U.S." before a capital. Rejoin a fragment that ends in a title or initials
 * (always an abbreviation), or in a short capitalised token followed by a lower-case start ("Sec. 3 applies").
 */
const TITLE_OR_INITIALS = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|St|No|Nr|Sec|Art|Para|vs|cf|e\.g|i\.e|(?:\p{Lu}\.)+\p{Lu})\.$/u;
const SHORT_ABBREVIATION = /(?:^|[\s(])(?:\p{Lu}\p{Ll}{0,3}|etc|approx|incl)\.$/u;

function mergeAbbreviations(parts: string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    const join = prev !== undefined && (TITLE_OR_INITIALS.test(prev) || (SHORT_ABBREVIATION.test(prev) && /^[\p{Ll}\p{N}(]/u.test(p)));
    if (join) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out;
}

export const ISO3_TO_BCP47: Readonly<Record<string, string>> = {
  eng: "en", fra: "fr", deu: "de", ita: "it", spa: "es", por: "pt", nld: "nl", dan: "da", nob: "nb", nno: "nn",
  swe: "sv", fin: "fi", pol: "pl", ces: "cs", slk: "sk", slv: "sl", hrv: "hr", srp: "sr", bos: "bs", est: "et",
  lav: "lv", lit: "lt", hun: "hu", ron: "ro", bul: "bg", ell: "el", tur: "tr", isl: "is", sqi: "sq", mkd: "mk",
};
