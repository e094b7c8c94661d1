/**
 * Folds every character to what a reader sees: an uppercase Latin letter (or a few, for ß, Æ, Ж...), a
 * separator, an ignorable (zero-width, soft hyphen, combining mark), or another word character (digit, letter
 * of a script we do not fold). Full-width and mathematical letters fold through NFKD; Cyrillic and Greek
 * letters fold to the Latin letter they look like (so "SЕCRЕT" with Cyrillic Е reads SECRET), the rest of
 * those scripts to a transliteration, applied alike to the table's spellings and to scanned text.
 */

export const SEP = 0;
export const IGN = 1;
export const WORD = 2;
export const MULTI = 3;
/** Values 65..90 are the folded letter's char code. */
export type CharClass = number;

// Look-alikes first, then transliteration; keys are uppercase forms.
const SCRIPT_FOLD: Record<string, string> = {
  // Cyrillic
  А: "A", Б: "B", В: "B", Г: "G", Д: "D", Е: "E", Ё: "E", Ж: "ZH", З: "Z", И: "I", Й: "I", К: "K", Л: "L", М: "M",
  Н: "H", О: "O", П: "P", Р: "P", С: "C", Т: "T", У: "Y", Ф: "F", Х: "X", Ц: "TS", Ч: "CH", Ш: "SH", Щ: "SHT",
  Ъ: "A", Ы: "Y", Ь: "", Э: "E", Ю: "YU", Я: "YA", Ѓ: "G", Ѕ: "S", І: "I", Ї: "I", Ј: "J", Љ: "LJ", Њ: "NJ",
  Ќ: "K", Џ: "DZ", Є: "E", Ў: "U", Ԁ: "D", Ԛ: "Q", Ԝ: "W",
  // Greek
  Α: "A", Β: "B", Γ: "G", Δ: "D", Ε: "E", Ζ: "Z", Η: "H", Θ: "TH", Ι: "I", Κ: "K", Λ: "L", Μ: "M", Ν: "N",
  Ξ: "X", Ο: "O", Π: "P", Ρ: "P", Σ: "S", Τ: "T", Υ: "Y", Φ: "F", Χ: "X", Ψ: "PS", Ω: "O",
  // Latin letters NFKD leaves whole
  Æ: "AE", Œ: "OE", Ø: "O", Ł: "L", Đ: "D", Ð: "D", Þ: "TH", Ħ: "H", Ŋ: "N", Ŧ: "T", ẞ: "SS", Ɩ: "I", Ɪ: "I",
};

const MULTI_LETTERS = new Map<number, string>();
const BMP = new Uint8Array(65536).fill(255); // 255: not yet computed
const ASTRAL = new Map<number, number>();

function compute(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (/^[\p{Cf}\p{M}]$/u.test(ch)) return IGN;
  const base = ch.normalize("NFKD").replace(/\p{M}/gu, "").toUpperCase();
  if (base.length === 0) return IGN;
  let letters = "";
  for (const part of base) {
    const folded = SCRIPT_FOLD[part];
    if (folded !== undefined) letters += folded;
    else if (part >= "A" && part <= "Z") letters += part;
    else if (/^[\p{L}\p{N}]$/u.test(part)) return WORD;
    else if (letters.length === 0) return /^[\p{Cf}\p{M}]$/u.test(part) ? IGN : SEP;
  }
  if (letters.length === 0) return IGN; // e.g. a soft sign: part of the word, no letter of its own
  if (letters.length === 1) return letters.charCodeAt(0);
  MULTI_LETTERS.set(cp, letters);
  return MULTI;
}

/** Class of a code point (use codePointAt for astral characters). */
export function classOf(cp: number): CharClass {
  if (cp < 65536) {
    let cls = BMP[cp]!;
    if (cls === 255) {
      cls = cp >= 0xd800 && cp <= 0xdfff ? IGN : compute(cp);
      BMP[cp] = cls;
    }
    return cls;
  }
  let cls = ASTRAL.get(cp);
  if (cls === undefined) {
    cls = compute(cp);
    ASTRAL.set(cp, cls);
  }
  return cls;
}

/** The letters of a MULTI character. */
export function multiLetters(cp: number): string {
  return MULTI_LETTERS.get(cp) ?? "";
}

export function isLetterClass(cls: CharClass): boolean {
  return cls >= 65 || cls === MULTI;
}

/** Folds a string to uppercase Latin letters with single spaces between words (for labels and lexicons). */
export function foldWords(text: string): string {
  let out = "";
  let pendingSpace = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const cls = classOf(cp);
    if (cls === IGN) continue;
    if (cls >= 65 || cls === MULTI || cls === WORD) {
      if (pendingSpace && out.length > 0) out += " ";
      pendingSpace = false;
      out += cls >= 65 ? String.fromCharCode(cls) : cls === MULTI ? multiLetters(cp) : ch;
    } else {
      pendingSpace = true;
    }
  }
  return out;
}

/**
 * Letters only, with the positions of word breaks (index of the letter a break precedes) and, among them, those
 * whose separator holds a full stop: an abbreviation of the marking's own spelling ("STG. GEHEIM"), which a text
 * then may write in any case without the stop reading as the end of a sentence.
 */
export function foldSpelling(spelling: string): { letters: string; breaks: number[]; dotted: number[]; slashes: boolean } {
  let letters = "";
  const breaks: number[] = [];
  const dotted: number[] = [];
  let pendingBreak = false;
  let pendingDot = false;
  for (const ch of spelling) {
    const cp = ch.codePointAt(0)!;
    const cls = classOf(cp);
    if (cls >= 65 || cls === MULTI) {
      if (pendingBreak && letters.length > 0) {
        breaks.push(letters.length);
        if (pendingDot) dotted.push(letters.length);
      }
      pendingBreak = false;
      pendingDot = false;
      letters += cls >= 65 ? String.fromCharCode(cls) : multiLetters(cp);
    } else if (cls !== IGN) {
      pendingBreak = true;
      if (ch === ".") pendingDot = true;
    }
  }
  return { letters, breaks, dotted, slashes: spelling.includes("/") };
}
