/**
 * Language identification over the member languages: ELD (n-gram, fast, restricted to the member set) decides,
 * CLD3 gives a second opinion where ELD is weak. Measured on test/comms/langid (docs/comms.md):
 * ELD alone misses Macedonian and Luxembourgish (not in its model) and the Danish/Norwegian, Czech/Slovak and
 * Croatian/Slovenian close calls; CLD3 alone is worse on short text. CLD3 runs only on the minority of
 * messages that need it, which keeps throughput near ELD's.
 */
import { eld } from "eld";
import { loadModule, type LanguageIdentifier as Cld3 } from "cld3-asm";
import { MEMBER_LANGUAGES, UNDETERMINED, findLanguage } from "./languages.ts";

export interface LanguageGuess {
  /** ISO 639-3 code of a member language, or `und`. */
  language: string;
  /** 0..1; a heuristic from the score margin and the agreement of the two detectors, not a calibrated probability. */
  confidence: number;
  /** Why the answer is `und`, when it is. */
  reason?: "too_short" | "mixed" | "ambiguous" | "not_a_member_language";
}

export type DetectLanguage = (text: string) => LanguageGuess;

type EldInstance = Awaited<ReturnType<typeof newEld>>;

// Languages ELD knows that decide between member languages; anything else it says is mapped or dropped.
const ELD_LANGS = MEMBER_LANGUAGES.map((l) => (l.iso1 === "nb" ? "no" : l.iso1)).filter((c) => !["lb", "mk", "bg", "el"].includes(c));
// Groups whose members look alike on short text: a close call inside one of them needs a second opinion.
const CONFUSABLE: readonly (readonly string[])[] = [["hrv", "slv", "slk", "ces"], ["dan", "nob", "swe"], ["deu", "nld", "ltz"], ["spa", "por"]];
// Luxembourgish spellings and function words (absent from German and Dutch); required before trusting CLD3's
// "lb", which it also says for some short German phrases.
const LUX_MARKERS = /ë|\bd'|\b(?:ass|huet|hunn|vun|fir|gëtt|sinn|déi|wéi|méi|iwwer|mam|gutt|muer|ech)\b/iu;
const MK_ONLY = /[ѓќѕљњџј]/giu;
const BG_ONLY = /[щъьяюй]/giu;

const MIN_LETTERS = 4;
const CLOSE_CALL = 0.03;
const SHORT_WORDS = 3;

async function newEld(size: "small" | "medium" | "large") {
  const instance = (eld as { newInstance(): { load(s: string): Promise<unknown> } & typeof eld }).newInstance();
  await instance.load(size);
  instance.setLanguageSubset(ELD_LANGS);
  return instance;
}

function fromLibraryCode(code: string): string | undefined {
  if (code === "no" || code === "nb" || code === "nn") return "nob";
  if (code === "bs" || code === "sr") return "hrv"; // Latin-script Serbo-Croatian: the member language is Croatian
  return findLanguage(code)?.iso3;
}

const ISO3_OF_ELD = new Map(ELD_LANGS.map((c) => [c, fromLibraryCode(c) as string]));

function groupOf(lang: string): readonly string[] | undefined {
  return CONFUSABLE.find((g) => g.includes(lang));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Letters in the distinct words only: "ok ok ok" has two, too few to tell a language by. */
function distinctLetters(text: string): number {
  return scripts([...new Set(text.toLowerCase().split(" "))].join(" ")).letters;
}

/** Letters, and how many are Greek or Cyrillic, in one pass (regex matching allocates a string per letter). */
function scripts(text: string): { letters: number; greek: number; cyr: number } {
  let letters = 0, greek = 0, cyr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41) continue;
    if (c >= 0x370 && c <= 0x3ff) { greek++; letters++; }
    else if (c >= 0x400 && c <= 0x52f) { cyr++; letters++; }
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1fff)) letters++;
  }
  return { letters, greek, cyr };
}

function countMatches(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** Letters only, without URLs, addresses, handles and numbers, which carry no language. */
export function languageBearingText(text: string): string {
  return text.replace(/https?:\/\/\S+|\S+@\S+|[@#]\w+|\d+/gu, " ").replace(/\s+/gu, " ").trim();
}

export function makeDetector(eldInstance: EldInstance, cld3: Cld3): DetectLanguage {
  const secondOpinion = (text: string) => {
    const r = cld3.findLanguage(text);
    return { language: fromLibraryCode(r.language), probability: r.probability, reliable: r.is_reliable };
  };

  const cyrillic = (text: string): LanguageGuess => {
    const mk = countMatches(text, MK_ONLY), bg = countMatches(text, BG_ONLY);
    if (mk > 0 && bg === 0) return { language: "mkd", confidence: Math.min(1, 0.8 + 0.05 * mk) };
    if (bg > 0 && mk === 0) return { language: "bul", confidence: Math.min(1, 0.8 + 0.05 * bg) };
    const c = secondOpinion(text);
    if (c.language === "mkd" || c.language === "bul") return { language: c.language, confidence: round(Math.min(0.9, c.probability)) };
    return { language: UNDETERMINED, confidence: 0, reason: "not_a_member_language" };
  };

  return (raw: string): LanguageGuess => {
    const text = languageBearingText(raw);
    const { letters, greek, cyr } = scripts(text);
    if (letters < MIN_LETTERS || (letters < 20 && distinctLetters(text) < MIN_LETTERS)) return { language: UNDETERMINED, confidence: 0, reason: "too_short" };
    if (greek + cyr > 0 && greek + cyr < letters * 0.7 && greek + cyr > letters * 0.3) return { language: UNDETERMINED, confidence: 0, reason: "mixed" };
    if (greek >= letters * 0.7) return { language: "ell", confidence: 1 };
    if (cyr >= letters * 0.7) return cyrillic(text);

    const scores = eldInstance.detect(text).getScores();
    // The two best member languages, in one pass (this runs on every message).
    let first: [string, number] | undefined, second: [string, number] | undefined;
    for (const code in scores) {
      const s = scores[code] as number, lang = ISO3_OF_ELD.get(code);
      if (lang === undefined) continue;
      if (!first || s > first[1]) { second = first; first = [lang, s]; }
      else if (!second || s > second[1]) second = [lang, s];
    }
    if (!first) return { language: UNDETERMINED, confidence: 0, reason: "not_a_member_language" };
    const words = text.split(" ").length;
    const margin = first[1] - (second?.[1] ?? 0);
    let language = first[0];
    let confidence = Math.min(1, 0.5 + margin * 5) * Math.min(1, first[1] / 0.6);

    const group = groupOf(language);
    // Within CLOSE_CALL the second opinion can change the answer; beyond it, it could not, so it is not asked.
    const closeCall = second !== undefined && group?.includes(second[0]) === true && margin < CLOSE_CALL;
    const maybeLux = (language === "deu" || language === "nld" || first[1] < 0.6) && LUX_MARKERS.test(text);
    if (closeCall || maybeLux || first[1] < 0.6) {
      const c = secondOpinion(text);
      if (c.language === "ltz" && c.reliable && c.probability >= 0.9 && LUX_MARKERS.test(text)) {
        return { language: "ltz", confidence: round(c.probability * 0.95) };
      }
      const other = c.language !== undefined && c.language !== language ? scores[toEldCode(c.language)] : undefined;
      if (other !== undefined && c.reliable && c.probability >= 0.9 && other >= first[1] - CLOSE_CALL) {
        return { language: c.language as string, confidence: round(Math.min(0.9, c.probability * 0.8)) };
      }
      if (c.language === language) confidence = 1 - (1 - confidence) * (1 - c.probability);
      else if (closeCall && words <= SHORT_WORDS && margin < CLOSE_CALL) return { language: UNDETERMINED, confidence: 0, reason: "ambiguous" };
    }
    return { language, confidence: round(confidence) };
  };
}

function toEldCode(iso3: string): string {
  if (iso3 === "nob") return "no";
  return findLanguage(iso3)?.iso1 ?? iso3;
}

export interface LanguageIdentifierOptions {
  /** ELD database size; `small` measured as accurate as `medium` on sentences here and twice as fast. */
  size?: "small" | "medium" | "large";
}

/** Loads both models (about 0.3 s) and returns a synchronous detector. */
export async function loadLanguageIdentifier(opts: LanguageIdentifierOptions = {}): Promise<DetectLanguage> {
  // CLD3's loader gives its wasm 3 s by default, which a busy machine overruns (seen here under load 19).
  const [eldInstance, cldFactory] = await Promise.all([newEld(opts.size ?? "small"), loadModule({ timeout: 60_000 })]);
  // minBytes 0: short text is judged by our own letter threshold, not CLD3's 140-byte default.
  return makeDetector(eldInstance, cldFactory.create(0, 1000));
}

let shared: Promise<DetectLanguage> | undefined;

/** The process-wide detector, loaded on first use. */
export function sharedLanguageIdentifier(): Promise<DetectLanguage> {
  shared ??= loadLanguageIdentifier().catch((err: unknown) => {
    shared = undefined; // a failed load (a timeout on a busy machine) is retried by the next caller
    throw err;
  });
  return shared;
}

/** Detects the member language of one text (ISO 639-3, or `und` with a reason). */
export async function detectLanguage(text: string): Promise<LanguageGuess> {
  return (await sharedLanguageIdentifier())(text);
}
