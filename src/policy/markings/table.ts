/**
 * The markings table (markings.tsv beside this file) and the label words (labels.txt): data, loaded once.
 */
import { readFileSync } from "node:fs";
import { levelFromCode } from "../levels.ts";
import { foldSpelling, foldWords } from "./fold.ts";

export type MarkingKind = "banner" | "category" | "control" | "portion";
export type Strength = "distinct" | "common";

export interface MarkingRow {
  readonly id: number;
  readonly nation: string;
  readonly language: string;
  /** NATO level rank (0 = unclassified .. 4 = cosmic top secret); null for a control that implies none. */
  readonly level: number | null;
  readonly kind: MarkingKind;
  readonly strength: Strength;
  readonly marking: string;
  readonly spellings: readonly string[];
  /** Written in Latin script: a Cyrillic or Greek letter inside a match is then a confusable. */
  readonly latin: boolean;
}

/** One distinct sequence of folded letters and every row it spells. */
export interface Pattern {
  readonly letters: string;
  readonly breaks: ReadonlySet<number>;
  /** Word breaks some spelling writes with a full stop (an abbreviation, "STG. GEHEIM"). */
  readonly dotted: ReadonlySet<number>;
  readonly slashes: boolean;
  readonly rows: MarkingRow[];
}

const KINDS = new Set(["banner", "category", "control", "portion"]);

export function parseMarkingsTable(tsv: string, source = "markings table"): MarkingRow[] {
  const rows: MarkingRow[] = [];
  tsv.split("\n").forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const [nation, language, level, kind, strength, marking, variants] = line.split("\t");
    const where = `${source} line ${i + 1}`;
    if (!nation || !language || !level || !kind || !strength || !marking) throw new Error(`${where}: expected 6 or 7 tab-separated columns`);
    if (!KINDS.has(kind)) throw new Error(`${where}: kind "${kind}" is not one of ${[...KINDS].join(", ")}`);
    if (strength !== "distinct" && strength !== "common") throw new Error(`${where}: strength must be distinct or common`);
    const rank = levelFromCode(level);
    if (rank === null && level !== "-") throw new Error(`${where}: level "${level}" is not U, R, C, S, TS or -`);
    const spellings = [marking, ...(variants ? variants.split("|").map((v) => v.trim()).filter(Boolean) : [])];
    rows.push({
      id: rows.length, nation, language, level: rank, kind: kind as MarkingKind, strength, marking, spellings,
      latin: !/[\u0370-\u03ff\u0400-\u04ff]/u.test(marking),
    });
  });
  return rows;
}

export function patternsOf(rows: readonly MarkingRow[]): Pattern[] {
  const byLetters = new Map<string, { letters: string; breaks: Set<number>; dotted: Set<number>; slashes: boolean; rows: MarkingRow[] }>();
  for (const row of rows) {
    if (row.kind === "portion") continue; // portion marks are matched by their own syntax, see portion.ts
    for (const spelling of row.spellings) {
      const { letters, breaks, dotted, slashes } = foldSpelling(spelling);
      if (letters.length < 2 || letters.length > 64) throw new Error(`marking spelling "${spelling}" must fold to 2..64 letters`);
      let p = byLetters.get(letters);
      if (!p) byLetters.set(letters, (p = { letters, breaks: new Set(), dotted: new Set(), slashes: false, rows: [] }));
      breaks.forEach((b) => p.breaks.add(b));
      dotted.forEach((b) => p.dotted.add(b));
      p.slashes ||= slashes;
      if (!p.rows.includes(row)) p.rows.push(row);
    }
  }
  return [...byLetters.values()];
}

/** Portion tokens ("NS", "S//NF") to their rows. */
export function portionsOf(rows: readonly MarkingRow[]): Map<string, MarkingRow[]> {
  const map = new Map<string, MarkingRow[]>();
  for (const row of rows) {
    if (row.kind !== "portion") continue;
    for (const spelling of row.spellings) {
      const token = spelling.replace(/^\(|\)$/g, "").toUpperCase();
      map.set(token, [...(map.get(token) ?? []), row]);
    }
  }
  return map;
}

function dataFile(name: string): string {
  return readFileSync(new URL(name, import.meta.url), "utf8");
}

/** Words that may share a banner line with markings (label words, nation codes, "REL TO", page numbers). */
export function wordList(text: string): Set<string> {
  return new Set(
    text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).map((l) => foldWords(l)),
  );
}

export const MARKINGS: readonly MarkingRow[] = parseMarkingsTable(dataFile("./markings.tsv"), "markings.tsv");
export const LABELS: ReadonlySet<string> = wordList(dataFile("./labels.txt"));
export const BANNER_WORDS: ReadonlySet<string> = wordList(dataFile("./banner-words.txt"));
/** Mail and memo fields whose value may open with a marking ("Subject: SECRET – ..."). */
export const SUBJECT_LABELS: ReadonlySet<string> = wordList(dataFile("./subject-labels.txt"));
export const CLEARANCE_WORDS: ReadonlySet<string> = wordList(dataFile("./clearance-words.txt"));
export const HANDLING_WORDS: readonly string[] = [...wordList(dataFile("./handling-words.txt"))];
