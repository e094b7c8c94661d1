/**
 * Stemming for lexicon matching, applied to lexicon entries and message tokens alike so an inflected form
 * ("opóźnione", "Verspätungen") meets its dictionary form. Snowball algorithms from @orama/stemmers (generated
 * Snowball JavaScript, the faster port); English (orama's is Porter 1, which leaves "brilliantli"), Czech and
 * Slovene from snowball-stemmers (orama's Bulgarian writes into a string and throws, so Bulgarian is unstemmed); a light
 * suffix stripper for Polish, which Snowball lacks; the identity elsewhere. Input is lower case.
 */
import { stemmer as french } from "@orama/stemmers/french";
import { stemmer as german } from "@orama/stemmers/german";
import { stemmer as spanish } from "@orama/stemmers/spanish";
import { stemmer as italian } from "@orama/stemmers/italian";
import { stemmer as dutch } from "@orama/stemmers/dutch";
import { stemmer as turkish } from "@orama/stemmers/turkish";
import { stemmer as portuguese } from "@orama/stemmers/portuguese";
import { stemmer as romanian } from "@orama/stemmers/romanian";
import { stemmer as danish } from "@orama/stemmers/danish";
import { stemmer as norwegian } from "@orama/stemmers/norwegian";
import { stemmer as swedish } from "@orama/stemmers/swedish";
import { stemmer as finnish } from "@orama/stemmers/finnish";
import { stemmer as hungarian } from "@orama/stemmers/hungarian";
import { stemmer as greek } from "@orama/stemmers/greek";
import { stemmer as lithuanian } from "@orama/stemmers/lithuanian";
import { stemmer as serbian } from "@orama/stemmers/serbian";
import snowball from "snowball-stemmers";

export type Stem = (word: string) => string;

const ALGORITHMS: Record<string, Stem | string> = {
  eng: "english", fra: french, deu: german, spa: spanish, ita: italian, nld: dutch, tur: turkish, por: portuguese, ron: romanian,
  dan: danish, nob: norwegian, swe: swedish, fin: finnish, hun: hungarian, ell: greek, lit: lithuanian, hrv: serbian,
  ces: "czech", slv: "slovene",
};

// Longest first; a stem keeps at least four letters so short words are not reduced to noise.
const POLISH_SUFFIXES = [
  "ościami", "owania", "owanie", "ościach", "owych", "owymi", "owego", "owemu", "ności", "ością", "iejsze", "iejszy",
  "ami", "ach", "ego", "emu", "ymi", "imi", "ych", "ich", "owi", "ową", "owa", "owe", "owy", "om", "ów", "ie", "ia", "ii", "ią", "ię",
  "ej", "ym", "im", "ą", "ę", "a", "e", "i", "o", "u", "y",
];

function stemPolish(word: string): string {
  for (const s of POLISH_SUFFIXES) {
    if (word.length - s.length >= 4 && word.endsWith(s)) return word.slice(0, -s.length);
  }
  return word;
}

// Snowball costs 5–300 µs a word; message vocabularies repeat, so a bounded memo makes it nearly free.
const MEMO_LIMIT = 200_000;
function memoized(stem: Stem): Stem {
  const memo = new Map<string, string>();
  return (word) => {
    let s = memo.get(word);
    if (s === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      s = stem(word);
      memo.set(word, s);
    }
    return s;
  };
}

const cache = new Map<string, Stem>();

/** A stemmer for a member language (ISO 639-3). */
export function stemmerFor(lang: string): Stem {
  let stem = cache.get(lang);
  if (stem) return stem;
  const algorithm = ALGORITHMS[lang];
  if (typeof algorithm === "function") stem = memoized(algorithm);
  else if (typeof algorithm === "string") {
    const s = snowball.newStemmer(algorithm);
    stem = memoized((w) => s.stem(w));
  } else if (lang === "pol") stem = stemPolish;
  else stem = (w) => w;
  cache.set(lang, stem);
  return stem;
}
