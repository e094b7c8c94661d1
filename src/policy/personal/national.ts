/**
 * National identifiers of the NATO member nations other than those of checks.ts (FR, IT, DE, PL, UK, US), each
 * validated by its published check-digit rule and, where the number holds a birth date, by that date. One regex
 * (NATIONAL_ID_PATTERN) proposes every layout in a single pass over the text around digits; `classifyNationalId`
 * then tries each number whose layout fits. Numbers whose check passes about one random number in ten (BSN, NIF,
 * OIB, TAJ, SIN, AMKA, AFM, EGN, T.C. Kimlik, CPR without checksum, and bare runs of digits that are also
 * timestamps or phone numbers) count only after a label naming them in a member language, read back from the
 * candidate: labels cost nothing where no candidate passes its check.
 *
 * Sources of the rules: Spanish Real Decreto 1553/2005 (DNI letter, mod 23) and Orden INT/2058/2008 (NIE
 * prefixes); Dutch Wet algemene bepalingen BSN (11-proef); Belgian Rijksregister (97 - n mod 97, with 2 before
 * the number from 2000); Portuguese Autoridade Tributária (NIF mod 11); Danish CPR-kontoret; Norwegian
 * Skatteetaten (two mod-11 control digits, D-numbers); Swedish Skatteverket SKV 704 (Luhn, samordningsnummer);
 * Finnish DVV (mod 31 check character, century signs of 2023); Czech law 133/2000 (rodné číslo mod 11);
 * Romanian CNP (weights 279146358279); Bulgarian ЕГН (weights 2 4 8 5 10 9 7 3 6); Estonian EVS 585 and
 * Lithuanian LST 1185 (two-stage mod 11); Latvian PMLP (weights 1 6 3 7 9 10 5 8 4 2); Croatian OIB (ISO 7064
 * MOD 11,10); Yugoslav JMBG as used by Slovenia (EMŠO), North Macedonia and Montenegro (ЕМБГ); Greek AMKA (Luhn)
 * and ΑΦΜ (powers of two mod 11); Turkish NVİ (T.C. Kimlik); Hungarian OEP (TAJ weights 3 and 7); Icelandic
 * Þjóðskrá (kennitala weights 3 2 7 6 5 4 3 2); Canadian ESDC (SIN, Luhn); Luxembourg CNS (Luhn and Verhoeff).
 */

import { labelColumnOf, type LabelColumns } from "../markings/columns.ts";
import { foldWords } from "../markings/fold.ts";

export type NationalIdKind =
  | "DNI" | "NIE" | "BSN" | "NRN" | "NIF" | "CPR" | "FODSELSNUMMER" | "PERSONNUMMER" | "HETU" | "RODNE_CISLO" | "CNP" | "EGN"
  | "ISIKUKOOD" | "ASMENS_KODAS" | "PERSONAS_KODS" | "OIB" | "EMSO" | "EMBG" | "AMKA" | "AFM" | "TCKN" | "TAJ" | "KENNITALA" | "SIN"
  | "MATRICULE";

/** The number the digits s[from, to) write, read without slicing (candidates are many in digit-dense text). */
function num(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}
/** The digits s[0, to) modulo m. */
function mod(s: string, to: number, m: number): number {
  let r = 0;
  for (let i = 0; i < to; i++) r = (r * 10 + s.charCodeAt(i) - 48) % m;
  return r;
}
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Whether y-m-d is a date of the calendar. */
export function dateValid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS[m - 1]! + (leap ? 1 : 0);
}
/** Sum of digit × weight over s from its first digit. */
function weighted(s: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (s.charCodeAt(i) - 48) * weights[i]!;
  return sum;
}
/** Weights of the checks below, named by their digits (allocated once, not per candidate). */
const W_9_8_7_6_5_4_3_2 = [9, 8, 7, 6, 5, 4, 3, 2] as const;
const W_2_7_9_1_4_6_3_5_8_2_7_9 = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9] as const;
const W_2_4_8_5_10_9_7_3_6 = [2, 4, 8, 5, 10, 9, 7, 3, 6] as const;
const W_1_2_3_4_5_6_7_8_9_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1] as const;
const W_3_4_5_6_7_8_9_1_2_3 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3] as const;
const W_1_6_3_7_9_10_5_8_4_2 = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const W_7_6_5_4_3_2_7_6_5_4_3_2 = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const W_256_128_64_32_16_8_4_2 = [256, 128, 64, 32, 16, 8, 4, 2] as const;
const W_3_7_3_7_3_7_3_7 = [3, 7, 3, 7, 3, 7, 3, 7] as const;
const W_3_2_7_6_5_4_3_2 = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const W_3_7_6_1_8_9_4_5_2 = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const W_5_4_3_2_7_6_5_4_3_2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digit(digits, digits.length - 1 - i);
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
export function verhoeff(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![digit(digits, digits.length - 1 - i)]!]!;
  return c === 0;
}

/** ISO 7064 MOD 11,10 (Croatian OIB; the same as the German Steuer-ID's). */
export function mod11_10(digits: string): boolean {
  let product = 10;
  for (let i = 0; i < digits.length - 1; i++) {
    let sum = (digit(digits, i) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === digit(digits, digits.length - 1);
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
export function dniValid(raw: string): boolean {
  const m = /^(\d{8})-?([A-Za-z])$/.exec(raw);
  return m !== null && DNI_LETTERS[Number(m[1]) % 23] === m[2]!.toUpperCase();
}
export function nieValid(raw: string): boolean {
  const m = /^([XYZxyz])-?(\d{7})-?([A-Za-z])$/.exec(raw);
  return m !== null && DNI_LETTERS[Number("XYZ".indexOf(m[1]!.toUpperCase()) + m[2]!) % 23] === m[3]!.toUpperCase();
}

/** Dutch BSN, 9 digits: the 11-proef, weights 9 to 2 and -1 for the last digit. */
export function bsnValid(d: string): boolean {
  if (d.length !== 9 || d === "000000000") return false;
  return (weighted(d, W_9_8_7_6_5_4_3_2) - digit(d, 8)) % 11 === 0;
}

/**
 * Belgian national register number YYMMDD SSS CC: CC = 97 - (YYMMDDSSS mod 97), with 2 written before the nine
 * digits for those born from 2000. Month or day may be 0 (date unknown); a BIS number adds 20 or 40 to the month.
 */
export function nrnValid(d: string): boolean {
  if (d.length !== 11) return false;
  const body = num(d, 0, 9);
  const check = num(d, 9, 11);
  const century = 97 - (body % 97) === check ? 1900 : 97 - ((2_000_000_000 + body) % 97) === check ? 2000 : 0;
  if (century === 0) return false;
  const mm = num(d, 2, 4) % 20;
  const dd = num(d, 4, 6);
  if (num(d, 2, 4) > 52 || num(d, 6, 9) === 0) return false;
  return mm === 0 || dd === 0 ? mm <= 12 && dd <= 31 : dateValid(century + num(d, 0, 2), mm, dd);
}

/**
 * Portuguese NIF, 9 digits: mod 11 over weights 9 to 2, 10 and 11 giving 0. Only persons' numbers, which open with
 * 1, 2, 3 or 45 (5 to 9 are companies, public bodies and other entities: no personal data).
 */
export function nifValid(d: string): boolean {
  if (d.length !== 9 || !(d[0] === "1" || d[0] === "2" || d[0] === "3" || (d[0] === "4" && d[1] === "5"))) return false;
  const c = 11 - (weighted(d, W_9_8_7_6_5_4_3_2) % 11);
  return (c >= 10 ? 0 : c) === digit(d, 8);
}

/** Danish CPR, DDMMYY-SSSS: no checksum since 2007, so the date only (the 7th digit and the year give the century). */
export function cprValid(d: string): boolean {
  if (d.length !== 10) return false;
  const yy = num(d, 4, 6);
  const s = digit(d, 6);
  const century = s <= 3 ? 1900 : s === 4 || s === 9 ? (yy <= 36 ? 2000 : 1900) : yy <= 57 ? 2000 : 1800;
  return dateValid(century + yy, num(d, 2, 4), num(d, 0, 2));
}

/** Norwegian fødselsnummer DDMMYY III K1 K2 (D-numbers add 40 to the day): two mod-11 control digits. */
export function fodselsnummerValid(d: string): boolean {
  if (d.length !== 11) return false;
  const k = (w: readonly number[]) => {
    const r = 11 - (weighted(d, w) % 11);
    return r === 11 ? 0 : r;
  };
  if (k(W_3_7_6_1_8_9_4_5_2) !== digit(d, 9) || k(W_5_4_3_2_7_6_5_4_3_2) !== digit(d, 10)) return false;
  const day = num(d, 0, 2);
  return dateValid(2000 + num(d, 4, 6), num(d, 2, 4), day > 40 ? day - 40 : day);
}

/**
 * Swedish personnummer YYMMDD-NNNC (+ for those over 100) or YYYYMMDD-NNNC: Luhn over the ten digits; a
 * samordningsnummer adds 60 to the day.
 */
export function personnummerValid(d: string): boolean {
  let y: number | undefined;
  if (d.length === 12) {
    y = num(d, 0, 4);
    if (y < 1840 || y > 2099) return false;
    d = d.slice(2);
  }
  if (d.length !== 10) return false;
  const day = num(d, 4, 6);
  // The date first: most numbers that are not one fail it, and it costs less than the Luhn sum.
  return dateValid(y ?? 2000 + num(d, 0, 2), num(d, 2, 4), day > 60 ? day - 60 : day) && luhn(d);
}

const HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";
const HETU_CENTURY: Record<string, number> = { "+": 1800, "-": 1900, U: 1900, V: 1900, W: 1900, X: 1900, Y: 1900, A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };
/** Finnish henkilötunnus DDMMYYCZZZQ: century sign (+ - A, and U-Y, B-F since 2023), check character of DDMMYYZZZ mod 31. */
export function hetuValid(raw: string): boolean {
  const m = /^(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])$/.exec(raw);
  if (m === null) return false;
  const [, date, sign, serial, check] = m;
  if (Number(serial) < 2 || HETU_CHECK[Number(date! + serial!) % 31] !== check) return false;
  return dateValid(HETU_CENTURY[sign!]! + num(date!, 4, 6), num(date!, 2, 4), num(date!, 0, 2));
}

/**
 * Czech and Slovak rodné číslo YYMMDD/SSSC (from 1954): the ten digits divisible by 11 (or the first nine leaving
 * 10 and C = 0, issued until 1985). Women add 50 to the month; 20 more when a day's numbers ran out (from 2004).
 */
export function rodneCisloValid(d: string): boolean {
  if (d.length !== 10) return false;
  const rest = mod(d, 9, 11);
  if ((rest * 10 + digit(d, 9)) % 11 !== 0 && !(rest === 10 && digit(d, 9) === 0)) return false;
  const yy = num(d, 0, 2);
  let mm = num(d, 2, 4);
  if (mm > 50) mm -= 50;
  if (mm > 20) mm -= 20;
  return dateValid(yy < 54 ? 2000 + yy : 1900 + yy, mm, num(d, 4, 6));
}

/** Romanian CNP S YYMMDD JJ NNN C: weights 279146358279, the sum mod 11 (10 gives 1); JJ a county (01-52, 70). */
export function cnpValid(d: string): boolean {
  if (d.length !== 13 || d[0] === "0") return false;
  const c = weighted(d, W_2_7_9_1_4_6_3_5_8_2_7_9) % 11;
  if ((c === 10 ? 1 : c) !== digit(d, 12)) return false;
  const county = num(d, 7, 9);
  if (!((county >= 1 && county <= 52) || county === 70)) return false;
  const s = digit(d, 0);
  const century = s === 1 || s === 2 ? 1900 : s === 3 || s === 4 ? 1800 : s === 5 || s === 6 ? 2000 : 1900;
  return dateValid(century + num(d, 1, 3), num(d, 3, 5), num(d, 5, 7)) || (s >= 7 && dateValid(2000 + num(d, 1, 3), num(d, 3, 5), num(d, 5, 7)));
}

/** Bulgarian ЕГН YYMMDD SSS C: month + 20 for the 1800s, + 40 from 2000; weights 2 4 8 5 10 9 7 3 6 mod 11 (10 gives 0). */
export function egnValid(d: string): boolean {
  if (d.length !== 10) return false;
  const c = weighted(d, W_2_4_8_5_10_9_7_3_6) % 11;
  if (c % 10 !== digit(d, 9)) return false;
  const mm = num(d, 2, 4);
  const [century, month] = mm > 40 ? [2000, mm - 40] : mm > 20 ? [1800, mm - 20] : [1900, mm];
  return dateValid(century + num(d, 0, 2), month, num(d, 4, 6));
}

/** Estonian isikukood and Lithuanian asmens kodas G YYMMDD SSS C: weights 1-9,1 mod 11, else 3-9,1-3, else 0. */
export function isikukoodValid(d: string): boolean {
  if (d.length !== 11) return false;
  const g = digit(d, 0);
  if (g < 1 || g > 6) return false;
  let c = weighted(d, W_1_2_3_4_5_6_7_8_9_1) % 11;
  if (c === 10) c = weighted(d, W_3_4_5_6_7_8_9_1_2_3) % 11;
  if (c % 10 !== digit(d, 10)) return false;
  return dateValid(1800 + 100 * Math.floor((g - 1) / 2) + num(d, 1, 3), num(d, 3, 5), num(d, 5, 7));
}

/** Latvian personas kods DDMMYY-CNNNZ (before July 2017): C the century (0 1800s, 1 1900s, 2 2000s), Z = (1 - Σ) mod 11. */
export function personasKodsValid(d: string): boolean {
  if (d.length !== 11) return false;
  const c = digit(d, 6);
  if (c > 2) return false;
  // (1101 - Σ wᵢdᵢ) mod 11 with weights 1 6 3 7 9 10 5 8 4 2 (the published form; 1101 keeps it positive).
  const z = (1101 - weighted(d, W_1_6_3_7_9_10_5_8_4_2)) % 11;
  if (z === 10 || z !== digit(d, 10)) return false;
  return dateValid(1800 + 100 * c + num(d, 4, 6), num(d, 2, 4), num(d, 0, 2));
}

/** Croatian OIB, 11 digits, ISO 7064 MOD 11,10. */
export const oibValid = (d: string) => d.length === 11 && mod11_10(d);

/**
 * JMBG (EMŠO in Slovenia, ЕМБГ in North Macedonia and Montenegro) DDMMYYY RR BBB K: weights 7 6 5 4 3 2 twice,
 * K = 11 - Σ mod 11 (11 gives 0, 10 is never issued); YYY 9xx for the 1900s and 0xx from 2000.
 */
export function jmbgValid(d: string): boolean {
  if (d.length !== 13) return false;
  const r = 11 - (weighted(d, W_7_6_5_4_3_2_7_6_5_4_3_2) % 11);
  if (r === 10 || (r === 11 ? 0 : r) !== digit(d, 12)) return false;
  const yyy = num(d, 4, 7);
  if (yyy >= 100 && yyy < 800) return false;
  return dateValid(yyy < 100 ? 2000 + yyy : 1000 + yyy, num(d, 2, 4), num(d, 0, 2));
}

/** Greek AMKA DDMMYY NNNNN: Luhn, and the birth date. */
export function amkaValid(d: string): boolean {
  return d.length === 11 && luhn(d) && dateValid(2000 + num(d, 4, 6), num(d, 2, 4), num(d, 0, 2));
}

/**
 * Greek ΑΦΜ, 9 digits: Σ dᵢ·2^(8-i) mod 11 mod 10 is the last digit. Legal entities' numbers (opening with 09, 8 or
 * 9) are left alone: they are no personal data.
 */
export function afmValid(d: string): boolean {
  return d.length === 9 && d !== "000000000" && d[0] !== "8" && d[0] !== "9" && !d.startsWith("09") && (weighted(d, W_256_128_64_32_16_8_4_2) % 11) % 10 === digit(d, 8);
}

/** Turkish T.C. Kimlik No, 11 digits not opening with 0: d10 = (7·odd - even) mod 10, d11 = Σ d1..d10 mod 10. */
export function tcknValid(d: string): boolean {
  if (d.length !== 11 || d[0] === "0") return false;
  const odd = digit(d, 0) + digit(d, 2) + digit(d, 4) + digit(d, 6) + digit(d, 8);
  const even = digit(d, 1) + digit(d, 3) + digit(d, 5) + digit(d, 7);
  return (((7 * odd - even) % 10) + 10) % 10 === digit(d, 9) && (odd + even + digit(d, 9)) % 10 === digit(d, 10);
}

/** Hungarian TAJ, 9 digits: weights 3 and 7 alternating over the first eight, the sum mod 10. */
export const tajValid = (d: string) => d.length === 9 && weighted(d, W_3_7_3_7_3_7_3_7) % 10 === digit(d, 8);

/** Icelandic kennitala DDMMYY-RRCM: C by weights 3 2 7 6 5 4 3 2 mod 11, M the century (9 1900s, 0 2000s, 8 1800s). */
export function kennitalaValid(d: string): boolean {
  if (d.length !== 10) return false;
  const m = digit(d, 9);
  const century = m === 9 ? 1900 : m === 0 ? 2000 : m === 8 ? 1800 : 0;
  if (century === 0 || !dateValid(century + num(d, 4, 6), num(d, 2, 4), num(d, 0, 2))) return false;
  const r = 11 - (weighted(d, W_3_2_7_6_5_4_3_2) % 11);
  return r !== 10 && (r === 11 ? 0 : r) === digit(d, 8);
}

/** Canadian SIN, 9 digits: Luhn; 8 opens business numbers, not a person's. */
export const sinValid = (d: string) => d.length === 9 && d[0] !== "8" && luhn(d);

/** Luxembourg matricule YYYYMMDD NNN C1 C2 (NNN a serial): C1 Luhn over the first 11 digits, C2 Verhoeff over them. */
export function matriculeValid(d: string): boolean {
  if (d.length !== 13) return false;
  const y = num(d, 0, 4);
  if (y < 1880 || y > 2099 || !dateValid(y, num(d, 4, 6), num(d, 6, 8))) return false;
  return luhn(d.slice(0, 12)) && verhoeff(d.slice(0, 11) + d[12]);
}

/**
 * Every layout, one regex: NIE; DNI (also 12.345.678-Z); 8 digits and 4 (Swedish with the century); 6 digits, a sign and 4 or 5
 * characters (Finnish, Swedish, Danish, Icelandic, Czech/Slovak, Latvian); Norwegian 6 and 5; Belgian
 * YY.MM.DD-SSS.CC; 3-3-3 groups (SIN, NIF, TAJ, BSN, AFM) and the BSN's 4.2.3; 9 to 13 digits unbroken.
 * Not after or before a digit group (a phone's or an account's tail) nor a decimal point (amounts).
 */
export const NATIONAL_ID_PATTERN =
  // Factored on the shared leading digits (2, 3, 4, 6): twice as fast as one alternative per layout.
  /\b(?<![+./]|\d[ .,/-])(?:[XYZxyz]-?\d{7}-?[A-Za-z]|\d{2}(?:\.\d{2}\.\d{2}-\d{3}\.\d{2}|\.\d{3}\.\d{3}-?[A-Za-z]|\d(?:([ .-])\d{3}\1\d{3}|\d(?:\.\d{2}\.\d{3}|\d{2}(?:[-+/A-FU-Y]\d{3}[0-9A-Y]\d?| \d{5}|\d{2}(?:-?[A-Za-z]|-\d{4})|\d{3,7})| \d{4} \d{3} \d{2}))))\b(?![.,/-]\d)/g;

/** How a candidate is written: "d" and its length for unbroken digits, else one of the separated layouts. */
type Layout = "nie" | "dni" | "dni." | "8-4" | "6s4" | "6/4" | "6-5" | "6 5" | "hetu" | "be" | "333" | "423" | "4432" | `d${number}`;
/** Separated layouts, tried in order on candidates that are not all digits (the rarer ones). */
const LAYOUTS: readonly [Layout, RegExp][] = [
  ["nie", /^[XYZxyz]/], ["dni", /^\d{8}-?[A-Za-z]$/], ["dni.", /^\d{2}\.\d{3}\.\d{3}-?[A-Za-z]$/], ["8-4", /^\d{8}-\d{4}$/], ["6s4", /^\d{6}[-+]\d{4}$/], ["6/4", /^\d{6}\/\d{4}$/],
  ["6-5", /^\d{6}-\d{5}$/], ["6 5", /^\d{6} \d{5}$/], ["hetu", /^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$/], ["be", /^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/],
  ["333", /^\d{3}([ .-])\d{3}\1\d{3}$/], ["423", /^\d{4}\.\d{2}\.\d{3}$/], ["4432", /^\d{4} \d{4} \d{3} \d{2}$/],
];
function isBare(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** The layout of a candidate that is not all digits. */
function layoutOf(raw: string): Layout | undefined {
  for (const [layout, re] of LAYOUTS) if (re.test(raw)) return layout;
  return undefined;
}

type Rule = {
  readonly kind: NationalIdKind;
  readonly check: (digits: string, raw: string) => boolean;
  /** The layouts the number is written in: "alone" where it stands without a label, "label" where it needs one. */
  readonly on: Partial<Record<Layout, "alone" | "label">>;
  readonly label?: RegExp;
};
/**
 * Labels: the name of the number in the member languages, then up to 60 characters without a digit or a line break
 * ("burgerservicenummer voor de toeslag. Is het deze: 293159646").
 */
const labelled = (words: string) => new RegExp(String.raw`(?<!\p{L})(?:${words})[^\d\n]{0,60}$`, "iu");
const L = {
  BSN: labelled("bsn|burgerservicenummer|burger service nummer|sofi-?nummer"),
  NIF: labelled("nif|nif-?pt|n\\.?º? ?contribuinte|n[uú]mero de contribuinte|n[uú]mero de identifica[cç][aã]o fiscal|contribuinte"),
  CPR: labelled("cpr|cpr-?nr|cpr-?nummer|personnummer|personnr"),
  PERSONNUMMER: labelled("personnummer|personnr|person-?nr|pnr|samordningsnummer|personal identity number"),
  RODNE_CISLO: labelled("rodn[eé] [cč][ií]slo|r\\.? ?[cč]\\.?|rč|birth number"),
  EGN: labelled("егн|egn|единен граждански номер|personal number"),
  OIB: labelled("oib|osobni identifikacijski broj"),
  AMKA: labelled("αμκα|a\\.?m\\.?k\\.?a\\.?|amka|αριθμ[οό]ς μητρ[ωώ]ου κοινωνικ[ηή]ς ασφ[αά]λισης"),
  AFM: labelled("αφμ|α\\.φ\\.μ\\.?|afm|αριθμ[οό]ς φορολογικο[υύ] μητρ[ωώ]ου"),
  TCKN: labelled("t\\.? ?c\\.?(?: kimlik)?(?: no| numaras[ıi])?|tckn|tc kimlik|kimlik no|kimlik numaras[ıi]|vatanda[sş]l[ıi]k numaras[ıi]"),
  TAJ: labelled("taj|taj-?sz[aá]m|taj sz[aá]m|t\\.?a\\.?j\\.?|t[aá]rsadalombiztos[ií]t[aá]si azonos[ií]t[oó] jel"),
  KENNITALA: labelled("kennitala|kt\\.?|kennit\\.?"),
  // "SIN" and "NAS" in capitals only: "sin" is Spanish for without, "nas" Portuguese for in the.
  SIN: new RegExp(String.raw`(?<!\p{L})(?:SIN|S\.I\.N\.|NAS|N\.A\.S\.|[Ss]ocial [Ii]nsurance [Nn](?:umber|o\.?)|[Nn]um[eé]ro d'assurance sociale)[^\d\n]{0,60}$`, "u"),
  FODSELSNUMMER: labelled("f[oø]dselsnummer|f[oø]dselsnr|personnummer|d-?nummer"),
  NRN: labelled("rijksregisternummer|rijksregister|numéro national|num[eé]ro de registre national|registre national|nn|rrn|insz|niss"),
  MATRICULE: labelled("matricule|matrikel\\p{L}*|num[eé]ro d'identification(?: national)?|identifiant national|sozialversicherungsnummer|cns"),
  LT: /(?<!\p{L})(?:asmens kod|a\.? ?k\.?(?!\p{L})|lt(?!\p{L}))[^\d\n]{0,60}$/iu,
};

/** In order: where two numbers fit the same digits, the first one standing alone wins unless a label names another. */
const RULES: readonly Rule[] = [
  { kind: "NIE", check: (_d, raw) => nieValid(raw), on: { nie: "alone" } },
  { kind: "DNI", check: (_d, raw) => dniValid(raw.replace(/\./g, "")), on: { dni: "alone", "dni.": "alone" } },
  { kind: "HETU", check: (_d, raw) => hetuValid(raw), on: { "6s4": "alone", hetu: "alone" } },
  { kind: "PERSONNUMMER", check: personnummerValid, on: { "6s4": "alone", "8-4": "alone", d10: "label", d12: "label" }, label: L.PERSONNUMMER },
  { kind: "KENNITALA", check: kennitalaValid, on: { "6s4": "alone", d10: "label" }, label: L.KENNITALA },
  { kind: "RODNE_CISLO", check: rodneCisloValid, on: { "6/4": "alone", d10: "label" }, label: L.RODNE_CISLO },
  { kind: "CPR", check: cprValid, on: { "6s4": "label", d10: "label" }, label: L.CPR },
  { kind: "EGN", check: egnValid, on: { d10: "label" }, label: L.EGN },
  { kind: "NRN", check: nrnValid, on: { d11: "alone", be: "alone" }, label: L.NRN },
  { kind: "FODSELSNUMMER", check: fodselsnummerValid, on: { d11: "alone", "6 5": "alone", "6-5": "alone" }, label: L.FODSELSNUMMER },
  { kind: "ISIKUKOOD", check: isikukoodValid, on: { d11: "alone" } },
  { kind: "PERSONAS_KODS", check: personasKodsValid, on: { d11: "alone", "6-5": "alone" } },
  { kind: "AMKA", check: amkaValid, on: { d11: "label" }, label: L.AMKA },
  { kind: "TCKN", check: tcknValid, on: { d11: "label" }, label: L.TCKN },
  { kind: "OIB", check: oibValid, on: { d11: "label" }, label: L.OIB },
  { kind: "CNP", check: cnpValid, on: { d13: "alone" } },
  // Also in the groups of its parts, birth date then serial and checks ("1999 0727 695 04"), next to its label.
  { kind: "MATRICULE", check: matriculeValid, on: { d13: "alone", "4432": "label" }, label: L.MATRICULE },
  { kind: "EMSO", check: (d) => jmbgValid(d) && d[7] === "5", on: { d13: "alone" } },
  { kind: "EMBG", check: jmbgValid, on: { d13: "alone" } },
  { kind: "BSN", check: bsnValid, on: { d9: "label", "333": "label", "423": "label" }, label: L.BSN },
  { kind: "NIF", check: nifValid, on: { d9: "label", "333": "label" }, label: L.NIF },
  { kind: "TAJ", check: tajValid, on: { d9: "label", "333": "label" }, label: L.TAJ },
  { kind: "SIN", check: sinValid, on: { d9: "label", "333": "label" }, label: L.SIN },
  { kind: "AFM", check: afmValid, on: { d9: "label" }, label: L.AFM },
];
/** The rules of each layout, in rule order, with whether the number stands alone in it. */
const BY_LAYOUT = new Map<Layout, [Rule, boolean][]>();
for (const r of RULES) {
  for (const [layout, mode] of Object.entries(r.on) as [Layout, "alone" | "label"][]) {
    BY_LAYOUT.set(layout, [...(BY_LAYOUT.get(layout) ?? []), [r, mode === "alone"]]);
  }
}
/** The same for unbroken digits, by their count (a lookup without building the layout's name per candidate). */
const BY_LENGTH: ([Rule, boolean][] | undefined)[] = Array.from({ length: 14 }, (_, n) => BY_LAYOUT.get(`d${n}`));

/** The digits of a match (separators out); HETU's and DNI's letters are read from the raw match. */
const digitsOnly = (s: string) => s.replace(/[^0-9]/g, "");

/**
 * The kind of a national identifier proposed by NATIONAL_ID_PATTERN at `start`, or undefined: each rule whose layout
 * fits and whose check holds; a label before the number picks its rule, else the first that may stand alone.
 */
export function classifyNationalId(raw: string, text: string, start: number, tables?: () => LabelColumns): NationalIdKind | undefined {
  let rules: [Rule, boolean][] | undefined;
  let d = raw;
  if (isBare(raw)) rules = BY_LENGTH[raw.length];
  else {
    const layout = layoutOf(raw);
    rules = layout === undefined ? undefined : BY_LAYOUT.get(layout);
    d = digitsOnly(raw);
  }
  if (rules === undefined) return undefined;
  let alone: NationalIdKind | undefined;
  let before: string | undefined;
  let header: readonly string[] | null | undefined;
  for (const [r, standsAlone] of rules) {
    if (!r.check(d, raw)) continue;
    before ??= text.slice(Math.max(0, start - 96), start);
    if (r.label !== undefined && r.label.test(before)) return r.kind;
    if (r.label !== undefined && tables !== undefined && (header ??= columnLabel(text, tables(), start, start + raw.length)) !== null && header.some((h) => r.label!.test(h))) return r.kind;
    if (alone === undefined && standsAlone) alone = r.kind;
  }
  if (alone === "ISIKUKOOD" && L.LT.test(before!)) return "ASMENS_KODAS";
  return alone;
}

/** Every label of a number that needs one, to find the table columns headed by one ("bsn", "rodne_cislo", "CPR-nr."). */
const ALL_LABELS = Object.values(L);

/**
 * Whether the number at `start` follows a national identifier's label on its line ("the SIN 666 497 697", "TAJ szám
 * (966 818 768)"): such a number is that identifier, valid or not, and no phone number.
 */
export function namedAsNationalId(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 96), start);
  return ALL_LABELS.some((re) => re.test(before));
}
/**
 * Whether a table header cell names a national identifier, folded (capitals, words apart by one space) or as written
 * (folding reads Cyrillic by its look: "ЕГН" as "EGH").
 */
export function isNationalIdLabel(folded: string, raw = folded): boolean {
  const header = folded.toLowerCase();
  const written = raw.trim().toLowerCase();
  return ALL_LABELS.some((re) => re.test(header) || re.test(written));
}

/**
 * The header of the table column the number is the cell of, folded as labels are read ("rodne_cislo" -> "rodne cislo")
 * and as written in lower case (folding reads Cyrillic by its look, "ЕГН" as "EGH", where the labels hold "егн"), or
 * null: "jmeno,rodne_cislo,mesto" over "Petra,6452177985,Olomouc" labels the number as a birth number.
 */
function columnLabel(text: string, tables: LabelColumns, start: number, end: number): readonly string[] | null {
  const header = labelColumnOf(text, tables, start, end);
  return header === undefined ? null : [foldWords(header).toLowerCase(), header.toLowerCase()];
}
