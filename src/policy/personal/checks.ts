/**
 * Check digits of identifiers, so a number that merely looks like one is not redacted. Algorithms from the
 * issuing bodies' published rules: ISO 13616 (IBAN, ISO 7064 MOD 97-10), the Luhn formula (ISO/IEC 7812),
 * § 139b AO with ISO 7064 MOD 11,10 (German Steuer-ID), INSEE (French NIR key), the PESEL weights (Polish
 * Ministry of Digital Affairs), DM 23/12/1976 (Italian codice fiscale check character).
 */

// ISO 13616 lengths for member nations and common others.
const IBAN_LENGTHS: Record<string, number> = {
  AL: 28, BE: 16, BG: 22, HR: 21, CZ: 24, DK: 18, EE: 20, FI: 18, FR: 27, DE: 22, GR: 27, HU: 28, IS: 26, IT: 27,
  LV: 21, LT: 20, LU: 20, ME: 22, NL: 18, MK: 19, NO: 15, PL: 28, PT: 25, RO: 24, SK: 24, SI: 19, ES: 24, SE: 24,
  TR: 26, GB: 22, AT: 20, CH: 21, IE: 22, LI: 21, MT: 31, CY: 28, UA: 29, MC: 27, SM: 27, AD: 24,
};

export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[\s-]/g, "").toUpperCase();
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= "A" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer ranges of the major card schemes (first digits), so Luhn-valid serial numbers are left alone. */
export function cardIssuerKnown(digits: string): boolean {
  const n2 = Number(digits.slice(0, 2));
  const n4 = Number(digits.slice(0, 4));
  const len = digits.length;
  if (digits[0] === "4") return len === 13 || len === 16 || len === 19; // Visa
  if ((n2 >= 51 && n2 <= 55) || (n4 >= 2221 && n4 <= 2720)) return len === 16; // Mastercard
  if (n2 === 34 || n2 === 37) return len === 15; // American Express
  if (digits.startsWith("6011") || n2 === 65 || (n4 >= 6440 && n4 <= 6499)) return len >= 16; // Discover
  if (n4 >= 3528 && n4 <= 3589) return len >= 16; // JCB
  if (n2 === 36 || n2 === 38 || n2 === 39 || (n4 >= 3000 && n4 <= 3059)) return len >= 14; // Diners
  if (n2 === 50 || (n2 >= 56 && n2 <= 69)) return len >= 12; // Maestro
  return false;
}

export function steuerIdValid(id: string): boolean {
  if (!/^[1-9]\d{10}$/.test(id)) return false;
  // Among the first ten digits exactly one digit repeats (twice or three times).
  const counts = new Map<string, number>();
  for (const d of id.slice(0, 10)) counts.set(d, (counts.get(d) ?? 0) + 1);
  const repeated = [...counts.values()].filter((c) => c > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  let product = 10;
  for (const ch of id.slice(0, 10)) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(id[10]);
}

export function nirValid(raw: string): boolean {
  const nir = raw.replace(/\s/g, "").toUpperCase();
  if (!/^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(nir)) return false;
  const month = Number(nir.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) return false;
  // Corsica: 2A and 2B count as 19 and 18 for the key.
  const body = nir.slice(0, 13).replace("2A", "19").replace("2B", "18");
  const key = 97 - Number(BigInt(body) % 97n);
  return key === Number(nir.slice(13));
}

export function peselValid(id: string): boolean {
  if (!/^\d{11}$/.test(id)) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(id[i]) * w[i]!;
  if ((10 - (sum % 10)) % 10 !== Number(id[10])) return false;
  // The month carries the century: +80 for the 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s.
  const coded = Number(id.slice(2, 4));
  const century = [1900, 2000, 2100, 2200, 1800][Math.floor(coded / 20)]!;
  const month = coded % 20;
  const day = Number(id.slice(4, 6));
  const year = century + Number(id.slice(0, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  // The real calendar: no 30 February, no 31 April.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const CF_ODD: Record<string, number> = {
  "0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17, "8": 19, "9": 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20, O: 11, P: 3, Q: 6,
  R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};

export function codiceFiscaleValid(raw: string): boolean {
  const cf = raw.toUpperCase();
  // Digits may be replaced by LMNPQRSTUV ("omocodia") when two people would share a code.
  if (!/^[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z]$/.test(cf)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = cf[i]!;
    if (i % 2 === 0) sum += CF_ODD[ch]!;
    else sum += ch >= "A" ? ch.charCodeAt(0) - 65 : Number(ch);
  }
  return String.fromCharCode(65 + (sum % 26)) === cf[15];
}

export function ninoValid(raw: string): boolean {
  const nino = raw.replace(/\s/g, "").toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(nino)) return false;
  return !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].includes(nino.slice(0, 2));
}

export function ssnValid(raw: string): boolean {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(raw);
  if (m === null) return false;
  const [, area, group, serial] = m;
  return area !== "000" && area !== "666" && !area!.startsWith("9") && group !== "00" && serial !== "0000";
}
