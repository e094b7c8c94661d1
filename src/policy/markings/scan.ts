/**
 * Decides which table spellings found in a text are written as markings. A spelling is a marking by how it is
 * written, never by being there: the case of its letters, whether it stands alone on a banner line, follows a
 * label ("Classification:"), sits in marking syntax ("SECRET//NOFORN", "[SECRET]", next to a control), or is
 * spelled to evade (spaced letters, zero-width characters, confusable or full-width letters, mixed case).
 * Distinct markings (NATO SECRET, VS-VERTRAULICH) need one such sign; common words (SECRET, GEHEIM, TAJNE)
 * need capitals and a structural sign, or a label.
 */
import { levelName, type Level } from "../levels.ts";
import { buildAutomaton } from "./automaton.ts";
import * as context from "./context.ts";
import * as fold from "./fold.ts";
import * as letterStream from "./letters.ts";
import type { LetterStream, RawMatch } from "./letters.ts";
import { buildTrie } from "./starts.ts";
import { findPortionMarks } from "./portion.ts";
import { BANNER_WORDS, CLEARANCE_WORDS, HANDLING_WORDS, LABELS, MARKINGS, patternsOf, portionsOf, SUBJECT_LABELS, type MarkingKind, type MarkingRow } from "./table.ts";
import { inLabelColumn, LabelColumns } from "./columns.ts";

// Imported bindings copied into module constants once: when tsx loads these files as CommonJS (from a CommonJS
// entry point), each read of an imported name is a getter call, and the scan's inner loops read them per character.
const { classAfter, classBefore, gapBetween, lineEnd, lineStart, locate, MAX_BANNER_SIDE } = context;
const { foldWords, IGN, isLetterClass, WORD } = fold;
const { findRawMatches, findRawMatchesFrom, readChar } = letterStream;

export type Evasion = "spacing" | "zero_width" | "confusable" | "fullwidth" | "case" | "line_break";

export interface Finding {
  /** Canonical spelling of the marking (from the table), never the text around it. */
  readonly marking: string;
  readonly level: Level;
  /** Nation (or NATO / EU) whose marking it is; `nations` lists all when the spelling is shared. */
  readonly nation: string;
  readonly nations: readonly string[];
  readonly language: string;
  readonly kind: MarkingKind | "label";
  /** Where it starts (1-based line and column, 0-based offset in UTF-16 units) and its length in the text. */
  readonly location: { readonly line: number; readonly column: number; readonly offset: number; readonly length: number };
  /** Spelling tricks seen in this occurrence. */
  readonly evasions: readonly Evasion[];
}

export interface ScanOptions {
  /** Highest level the text may carry; findings are the markings above it. Default NATO UNCLASSIFIED. */
  readonly ceiling?: number;
}

/** Internal: also lets the stream scanner say the text starts mid-line. */
export interface WindowOptions {
  readonly ceiling: number;
  readonly openStart?: boolean;
}

type CaseClass = "upper" | "lower" | "prose" | "evasive";

interface Candidate {
  readonly rows: readonly MarkingRow[];
  readonly start: number;
  readonly end: number;
  readonly caseClass: CaseClass;
  readonly evasions: number;
  readonly slashInside: boolean;
  readonly strength: "distinct" | "common";
  readonly isControl: boolean;
}

const PATTERNS = patternsOf(MARKINGS);
const AUTOMATON = buildAutomaton(PATTERNS);
const TRIE = buildTrie(PATTERNS);
const PORTIONS = portionsOf(MARKINGS);
const CONNECTORS = /(?: (?:IS|AS|ALS|IST|EST|ES|E|JEST|COMME|COMO|COME|OLARAK|ER|ZIJN|IS GERUBRICEERD))+$/;

function caseOf(cp: number): number {
  if (cp >= 65 && cp <= 90) return UPPER;
  if (cp >= 97 && cp <= 122) return LOWER;
  const ch = String.fromCodePoint(cp);
  if (ch !== ch.toLowerCase()) return UPPER;
  if (ch !== ch.toUpperCase()) return LOWER;
  return 0;
}
const UPPER = 1;
const LOWER = 2;

const WORD_UPPER = 1;
const WORD_LOWER = 2;
const WORD_TITLE = 4;
const ALL_UPPER = 1;
const ALL_LOWER = 2;
const MIXED = 4;

/** Folds a finished word's case into the phrase's: all upper and all lower hold only if every word is so. */
function endWord(phrase: number, word: number): number {
  let out = phrase;
  if ((word & (WORD_UPPER | WORD_LOWER | WORD_TITLE)) === 0) out |= MIXED;
  if ((word & WORD_UPPER) === 0) out &= ~ALL_UPPER;
  if ((word & WORD_LOWER) === 0) out &= ~ALL_LOWER;
  return out;
}

/** Turns a raw letter match into a candidate, or null when its letters are not one written phrase. */
function toCandidate(text: string, letters: LetterStream, raw: RawMatch): Candidate | null {
  const { starts, ends } = letters;
  const { pattern } = raw;
  const len = pattern.letters.length;
  const first = raw.last - len + 1;
  const start = starts[first]!;
  const end = ends[raw.last]!;
  const before = classBefore(text, start);
  if (isLetterClass(before) || before === WORD) return null;
  const after = classAfter(text, end);
  if (isLetterClass(after) || after === WORD) return null;

  let evasions = 0;
  let slashInside = false;
  let sentenceBreak = false;
  const primary = pattern.rows[0]!;
  // Case, word by word: all upper, all lower, Title, or mixed (an evasion such as "SeCrEt"). Bit sets, not a
  // closure: this runs for every spelling found, and a closure per call costs more than the rest.
  let phrase = ALL_UPPER | ALL_LOWER;
  let word = WORD_UPPER | WORD_LOWER | WORD_TITLE;
  let wordPos = 0;
  for (let j = 0; j < len; j++) {
    const at = first + j;
    const wordBreak = pattern.breaks.has(j);
    if (j > 0 && starts[at] !== starts[at - 1] && starts[at] !== ends[at - 1]) {
      const gap = gapBetween(text, ends[at - 1]!, starts[at]!);
      if (gap.visible > (wordBreak ? 8 : 3)) return null;
      if (gap.ignorable) evasions |= ZERO_WIDTH;
      if (gap.slash) slashInside = true;
      if (gap.newline) evasions |= LINE_BREAK;
      if (gap.sentenceEnd && !gap.slash && wordBreak && !pattern.dotted.has(j)) sentenceBreak = true;
      if (!wordBreak && gap.visible > 0) {
        if (gap.sentenceEnd && !gap.newline && gap.visible > 1) return null;
        evasions |= SPACING;
      }
    }
    if (wordBreak && wordPos > 0) {
      // An abbreviation of the marking's own spelling keeps its Title case on a banner in capitals ("Dep. VERTROUWELIJK").
      if (!(pattern.dotted.has(j) && (word & (WORD_TITLE | WORD_UPPER)) !== 0)) phrase = endWord(phrase, word);
      word = WORD_UPPER | WORD_LOWER | WORD_TITLE;
      wordPos = 0;
    }
    if (j > 0 && starts[at] === starts[at - 1]) continue; // second letter of ß, Æ
    const code = text.charCodeAt(starts[at]!);
    const cp = code < 128 ? code : readChar(text, starts[at]!).cp;
    const cs = caseOf(cp);
    if (cs !== 0) {
      if (cs !== UPPER) word &= ~WORD_UPPER;
      if (cs !== LOWER) word &= ~WORD_LOWER;
      if ((wordPos === 0) !== (cs === UPPER)) word &= ~WORD_TITLE;
      wordPos++;
    }
    // A digit read as a letter (0 as O, 4 as A...): an evasion in a marking of several words ("N4T0 C0NF1D3NT1AL").
    // One word alone ("PASSWORD=S3CR3T" in a config example) is read like its plain spelling, banner or syntax needed.
    if (cp >= 48 && cp <= 57) evasions |= pattern.breaks.size > 0 ? CONFUSABLE : 0;
    else if (cp >= 128) {
      if (cp >= 0xff00 && cp <= 0xffef) evasions |= FULLWIDTH;
      else if ((primary.latin && cp > 0x24f && cp < 0x1e00) || cp > 0xffff) evasions |= CONFUSABLE;
    }
  }
  if (wordPos > 0) phrase = endWord(phrase, word);
  const mixed = (phrase & MIXED) !== 0;
  const caseClass: CaseClass = mixed ? "evasive" : phrase & ALL_UPPER ? "upper" : phrase & ALL_LOWER ? "lower" : "prose";
  if (mixed) evasions |= CASE;
  // "... of NATO. Secret ballots": a sentence ends between the words unless everything is in capitals.
  if (caseClass !== "upper" && sentenceBreak) return null;
  // Spaced letters that keep going ("S E C R E T A R Y") are a spaced-out word, not a marking.
  if (evasions & SPACING && spacedWordContinues(text, end)) return null;

  const strength = pattern.rows.some((r) => r.strength === "distinct") ? "distinct" : "common";
  const isControl = pattern.rows.every((r) => r.kind === "control" || r.kind === "category");
  return { rows: pattern.rows, start, end, caseClass, evasions, slashInside, strength, isControl };
}

const SPACING = 1;
const ZERO_WIDTH = 2;
const CONFUSABLE = 4;
const FULLWIDTH = 8;
const CASE = 16;
const LINE_BREAK = 32;
const EVASION_NAMES: [number, Evasion][] = [
  [SPACING, "spacing"], [ZERO_WIDTH, "zero_width"], [CONFUSABLE, "confusable"], [FULLWIDTH, "fullwidth"], [CASE, "case"], [LINE_BREAK, "line_break"],
];

function evasionList(bits: number): Evasion[] {
  return EVASION_NAMES.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
}

function spacedWordContinues(text: string, end: number): boolean {
  let i = end;
  let seps = 0;
  // A sentence ending after the span ("N-A-T-O S-E-C-R-E-T. L'annexe") ends the spaced word too.
  if (/^[.!?]\s/.test(text.slice(end, end + 2))) return false;
  while (i < text.length && seps <= 3) {
    const { cls, cp, width } = readChar(text, i);
    if (isLetterClass(cls)) break;
    if (cls === WORD || cp === 10 || cp === 13) return false;
    seps++;
    i += width;
  }
  if (seps === 0 || seps > 3 || i >= text.length) return false;
  const letter = readChar(text, i);
  if (i + letter.width >= text.length) return false;
  const next = readChar(text, i + letter.width).cls;
  return !isLetterClass(next) && next !== WORD;
}

// ---- structural evidence -------------------------------------------------------------------------------

const CONNECTOR_WORDS = new Set(["IS", "AS", "ALS", "IST", "EST", "ES", "E", "JEST", "COMME", "COMO", "COME", "OLARAK", "ER", "ZIJN"]);
/**
 * Labels as they are compared: without a connector they end with ("eingestuft als", "classified as"), since the words
 * before a candidate lose theirs too.
 */
const LABELS_BARE = [...new Set([...LABELS].map((l) => l.replace(CONNECTORS, "")).filter((l) => l !== ""))];
const LABEL_LAST_WORDS = new Set([...LABELS, ...LABELS_BARE].map((l) => l.split(" ").at(-1)!));

/** The word before idx on the same line, folded, and where it starts; separators skipped (at most 8). */
function wordBefore(text: string, idx: number): { word: string; start: number } | null {
  let i = idx;
  let seps = 0;
  while (i > 0) {
    const cls = classBefore(text, i);
    if (isLetterClass(cls) || cls === WORD) break;
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13 || ++seps > 8) return null;
    i--;
  }
  const end = i;
  while (i > 0 && end - i < 40) {
    const cls = classBefore(text, i);
    if (!isLetterClass(cls) && cls !== WORD && cls !== IGN) break;
    i--;
  }
  return end === i ? null : { word: foldWords(text.slice(i, end)), start: i };
}

/**
 * Whether a label introduces the candidate. With `structured`, only a label in field syntax counts: followed
 * by ":", "=", ">" or a quote ("Classification: Secret", <Classification>, "classification":"secret"), not a
 * phrase such as "classified as confidential" in a privacy notice.
 */
function labelled(text: string, c: Candidate, structured = false): boolean {
  if (structured && !/[:=>"]\s*"?\s*$/.test(text.slice(Math.max(0, c.start - 4), c.start))) return false;
  // Cheap test first: the word before (or the one before a connector such as "as") must end some label.
  let prev = wordBefore(text, c.start);
  if (prev !== null && CONNECTOR_WORDS.has(prev.word)) prev = wordBefore(text, prev.start);
  if (prev === null || !LABEL_LAST_WORDS.has(prev.word)) return false;
  const from = lineStart(text, c.start, 64);
  const words = foldWords(text.slice(from === -1 ? c.start - 64 : from, c.start).replace(/\\[nrt]/g, " ")).replace(CONNECTORS, "");
  for (const label of LABELS_BARE) {
    if (words.endsWith(label) && (words.length === label.length || words[words.length - label.length - 1] === " ")) return true;
  }
  return false;
}

const OPENERS = "[*=<#(-_|";
const CLOSERS = "]*=>#)-_|";

/** Candidates near the i-th in text order: evidence comes from the same line. */
const NEAR = 16;

function syntax(text: string, all: readonly Candidate[], i: number): boolean {
  const c = all[i]!;
  if (c.slashInside) return true;
  const before = text.slice(Math.max(0, c.start - 4), c.start).replace(/[ \t]+$/, "");
  const after = text.slice(c.end, c.end + 4).replace(/^[ \t]+/, "");
  if (before.endsWith("//") || after.startsWith("//")) return true;
  const open = before.at(-1);
  const close = after[0];
  // An underscore joining a word before an assignment is an identifier's ("SESSION_SECRET="), not a marking's
  // decoration (a file name's "_TAJNO_" still is).
  const joined = open === "_" && /[A-Za-z0-9]/.test(before.at(-2) ?? "") && close === "=";
  if (open !== undefined && close !== undefined && OPENERS.includes(open) && CLOSERS.includes(close) && !joined) return true;
  // In braces, as typesetting and templates mark a page ("\fancyhead[C]{\textbf{RISERVATO}}"); a substituted
  // variable ("${SECRET}", "{{ SECRET }}") is not.
  if (open === "{" && close === "}" && !/[$%{]$/.test(before.slice(0, -1))) return true;
  // A whole component of a path ("D:\Arsiv\HIZMETE_OZEL\Tatbikat.docx", "/srv/docs/SECRET/"): where it is filed.
  if ((open === "\\" || open === "/") && (close === "\\" || close === "/") && c.caseClass === "upper") return true;
  // Next to a control or special category written in capitals: "SECRET NOFORN", "CONFIDENTIAL ATOMAL".
  if (c.isControl) return false;
  for (let k = Math.max(0, i - NEAR); k < Math.min(all.length, i + NEAR + 1); k++) {
    const o = all[k]!;
    if (o === c || !o.isControl || o.caseClass !== "upper") continue;
    if (o.start >= c.end && /^[\s/,\-–]{1,4}$/.test(text.slice(c.end, o.start))) return true;
    if (o.end <= c.start && /^[\s/,\-–]{1,4}$/.test(text.slice(o.end, c.start))) return true;
  }
  return false;
}

/** The candidate's line holds nothing but markings, controls, nation codes, labels and decoration. */
function bannerLine(text: string, all: readonly Candidate[], i: number, openStart: boolean): boolean {
  const c = all[i]!;
  const ls = lineStart(text, c.start, MAX_BANNER_SIDE);
  const le = lineEnd(text, c.end, MAX_BANNER_SIDE);
  if (ls === -1 || le === -1 || (ls === 0 && openStart)) return false;
  let residue = "";
  let pos = ls;
  for (let k = Math.max(0, i - NEAR); k < Math.min(all.length, i + NEAR + 1); k++) {
    const o = all[k]!;
    if (o.end <= ls || o.start >= le || o.start < pos) continue;
    residue += text.slice(pos, o.start) + " ";
    pos = o.end;
  }
  residue += text.slice(pos, le);
  // Markup around a banner is not text on its line: <div class="banner">SECRET</div>.
  const words = foldWords(residue.replace(/\\[nrt]/g, " ").replace(MARKUP, " "));
  if (words === "") return true;
  return words.split(" ").every((w) => BANNER_WORDS.has(w) || /^\d+$/.test(w));
}

const MARKUP = /<\/?[A-Za-z][^<>]{0,200}>/g;

/**
 * A header pasted after a speaker's name: the candidate is the whole value of a "Name:" line, in capitals, and the
 * next line opens a subject field ("User: BEGRÄNSAT HEMLIG" then "Ämne: ..."; "Kullanıcı: GİZLİ" then "KONU: ...").
 * The subject line is what tells it from a form ("Způsob hlasování: TAJNÉ" is a secret ballot).
 */
function fieldValue(text: string, c: Candidate): boolean {
  const from = lineStart(text, c.start, 48);
  const to = lineEnd(text, c.end, 8);
  if (from === -1 || to === -1) return false;
  if (!/^[\s>*]*[^\s:]{1,24}(?: [^\s:]{1,24})?\s*:\s*$/.test(text.slice(from, c.start))) return false;
  if (!/^[\s.!]*$/.test(text.slice(c.end, to))) return false;
  const next = /^(?:\r?\n|\\[nr])+\s*([^\s:]{1,24})\s*:/.exec(text.slice(to, to + 64));
  return next !== null && SUBJECT_LABELS.has(foldWords(next[1]!));
}

/**
 * The candidate opens the value of a subject or title field and is set off from the rest of it: "Subject: SECRET –
 * Exercise plan", "Onderwerp: RE: Dep. VERTROUWELIJK | rooster". Reply and forward prefixes may come between.
 */
function subjectOpener(text: string, c: Candidate): boolean {
  const from = lineStart(text, c.start, 64);
  if (from === -1) return false;
  const before = text.slice(from, c.start);
  // At the start of a line ("RISERVATO - riunione spostata"), or after a subject or title field name.
  const after = text.slice(c.end, c.end + 4);
  // A line opening with the marking is set off by a dash or bar (not a colon: "CONFIDENTIAL: This e-mail is
  // intended only for..." opens many a disclaimer).
  if (/^[\s>]*[\[(]?$/.test(before)) return /^[\])]?\s*[–—\-|]/.test(after);
  // A chat line's message, after its time and speaker ("[10:02] kn. Holm: FORTROLIGT: bataljonen ..."; "<holm>
  // HEMMELIG - ..."), opens with the marking: no disclaimer sits there, so a colon sets it off too.
  if (CHAT_SPEAKER.test(before)) return /^[\])]?\s*[–—\-|:]/.test(after);
  // A spreadsheet cell pasted with its reference ("A1: DIFUSIÓN LIMITADA", "A1: LUOTTAMUKSELLINEN – SUOJAUSTASO III"):
  // the cell's whole value, or its opening set off by a dash.
  if (CELL_REFERENCE.test(before)) return /^[\])]?(?:\s*[–—\-|/]|\s*$)/.test(after) || lineEnd(text, c.end, 0) === c.end;
  const m = /^[\s>]*([^\s:]+(?: [^\s:]+)?)\s*:\s*(?:[A-Za-z]{1,3}\s*:\s*)*[\[(]?$/.exec(before);
  if (m === null || !SUBJECT_LABELS.has(foldWords(m[1]!))) return false;
  return /^[\])]?(?:\s*[–—\-:|/]|\s*$)/.test(after) || lineEnd(text, c.end, 0) === c.end;
}

/**
 * The candidate closes the value of a subject or title field, set off by a dash or bar, with nothing after it on the
 * line: "Onderwerp: conceptbegroting 2026 – DEPARTEMENTAAL VERTROUWELIJK", "Subject: Exercise plan | SECRET".
 */
function subjectCloser(text: string, all: readonly Candidate[], i: number): boolean {
  const c = all[i]!;
  const from = lineStart(text, c.start, 160);
  const to = lineEnd(text, c.end, 40);
  if (from === -1 || to === -1) return false;
  // Other markings may follow it, listed ("– SALAINEN, TL II": the level and its number in the national scheme).
  let pos = c.end;
  for (let k = i + 1; k < all.length && all[k]!.start < to; k++) {
    const o = all[k]!;
    if (o.start < pos) continue;
    if (!/^[\s,;/]+$/.test(text.slice(pos, o.start))) return false;
    pos = o.end;
  }
  if (!/^[\s\])]*$/.test(text.slice(pos, to))) return false;
  // ... or close a list of them ("TL II" after "SALAINEN, "): the field's value is read up to the list's first.
  let start = c.start;
  for (let k = i - 1; k >= 0 && all[k]!.end > from; k--) {
    const o = all[k]!;
    if (o.end > start) continue;
    if (!/^[\s,;/]+$/.test(text.slice(o.end, start))) break;
    start = o.start;
  }
  const m = /^[\s>]*([^\s:]+(?: [^\s:]+)?)\s*:\s*\S.*?\s[–—\-|]\s*[\[(]?$/.exec(text.slice(from, start));
  return m !== null && SUBJECT_LABELS.has(foldWords(m[1]!));
}

const CELL_REFERENCE = /^[\s>]*[A-Z]{1,3}[1-9]\d{0,4}\s*[:=|]\s*[\[(]?$/;
const CHAT_SPEAKER = /^[\s>]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*[^\s:<>\[\]][^:<>\[\]]{0,39}:|(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*)?<[^<>\s]{1,32}>)\s*$/;

/** The columns of the text's tables that are headed by a label, read only for tables some candidate sits in. */
type Columns = () => LabelColumns;
const isLabel = (folded: string): boolean => LABELS.has(folded);

function accept(text: string, all: readonly Candidate[], i: number, openStart: boolean, columns: Columns): boolean {
  const c = all[i]!;
  if (c.evasions === 0 && (threshold(text, c) || (enumMember(text, c) && !labelled(text, c)))) return false;
  // A common word in ordinary case is a marking only in a labelled field.
  if (c.strength === "common" && (c.caseClass === "lower" || c.caseClass === "prose")) return labelled(text, c, true) || inColumn(text, c, columns) || memoHead(text, c, openStart) || titledFooter(text, c) || bannerPair(text, all, i, openStart);
  // An unclassified marking is under every ceiling: whether it is talked about or written changes nothing.
  const unclassified = rankOf(c.rows) === 0;
  if (c.strength === "distinct") {
    if (c.evasions === 0 && !unclassified && (enumerated(text, all, i) || clearanceMention(text, c) || comparedLevels(text, all, i) || quotedName(text, c) || schemeDescribed(text, all, i)) && !bannerLine(text, all, i, openStart) && !syntax(text, all, i)) return false;
    if (c.caseClass === "upper" || c.caseClass === "lower" || c.evasions !== 0) return true;
    return labelled(text, c) || syntax(text, all, i) || bannerLine(text, all, i, openStart);
  }
  const marked = labelled(text, c) || c.caseClass === "evasive" || (c.caseClass === "upper" && ((c.evasions & ~LINE_BREAK) !== 0 ||
    syntax(text, all, i) || bannerLine(text, all, i, openStart) || subjectOpener(text, c) || subjectCloser(text, all, i) || fieldValue(text, c) ||
    inColumn(text, c, columns) || handlingNote(text, c)));
  // Levels compared or described as a scheme, written in parentheses or capitals ("Turvallisuusluokka I (ERITTÄIN
  // SALAINEN) on korkein ja turvallisuusluokka IV (KÄYTTÖ RAJOITETTU) alin"): talked about, unless on a banner line.
  // (Asked only of what would be a marking: the questions are dear, and common words in prose are many.)
  return marked && !(c.evasions === 0 && !unclassified && (comparedLevels(text, all, i) || schemeDescribed(text, all, i)) && !bannerLine(text, all, i, openStart));
}

/**
 * The candidate stands in a member of an enumeration or a block of settings in code ("    CONFIDENTIAL = 2",
 * "  RESERVADO = \"RESERVADO\","), a line NAME = value with another such line next to it: a name in code, not the
 * text's marking. (A label naming the value, "CLASSIFICATION = SECRET", is read before this.)
 */
function enumMember(text: string, c: Candidate): boolean {
  // An assignment's sign beside the candidate first: most candidates have none.
  if (!ASSIGNED_AFTER.test(text.slice(c.end, c.end + 6)) && !ASSIGNED_BEFORE.test(text.slice(Math.max(0, c.start - 6), c.start))) return false;
  const ls = lineStart(text, c.start, 120);
  const le = lineEnd(text, c.end, 120);
  if (ls === -1 || le === -1) return false;
  const line = text.slice(ls, le);
  const m = ASSIGNMENT.exec(line);
  if (m === null) return false;
  // The candidate is the name assigned to, or the value repeats the name ("RESERVADO = \"RESERVADO\""); a value
  // under another name ("level = \"NATO SECRET\"") may be the text's marking.
  const name = m[1]!;
  const nameEnd = ls + line.indexOf(name) + name.length;
  if (c.start >= nameEnd && foldWords(m[2]!.replace(/["']/g, "")) !== foldWords(name)) return false;
  const prev = ls >= 2 ? text.slice(Math.max(0, lineStart(text, ls - 1, 120)), ls - 1) : "";
  const next = le < text.length ? text.slice(le + 1, Math.max(le + 1, lineEnd(text, le + 1, 120))) : "";
  return ASSIGNMENT.test(prev) || ASSIGNMENT.test(next);
}
const ASSIGNED_AFTER = /^["']?\s*=/;
const ASSIGNED_BEFORE = /=\s*["']?$/;
const ASSIGNMENT = /^\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*=\s*(-?\d+|["'][^"'\n]{0,40}["']|[A-Za-z_][A-Za-z0-9_.]*)\s*[,;]?\s*$/;

/**
 * A level as a threshold: "anything marked NATO RESTRICTED or higher", "SECRET and above", "VS-VERTRAULICH oder höher".
 * A text that sets a limit names the level; it is not marked with it.
 */
function threshold(text: string, c: Candidate): boolean {
  return THRESHOLD_AFTER.test(text.slice(c.end, c.end + 32));
}
const THRESHOLD_AFTER = /^\s*(?:or|and|ou|et|oder|und|o|y|e|lub|i|veya|ve|of|en)\s+(?:higher|above|more|plus haut|sup[ée]rieur\p{L}*|au-dessus|h[öo]her|dar[üu]ber|superior\p{L}*|pi[uù] alt\p{L}*|superiore|wy[żz]ej|wy[żz]sz\p{L}*|[üu]st[üu]|yukar[ıi]s[ıi]|hoger|daarboven)\b/iu;

/**
 * Three different levels or more named in one paragraph of running text (a training text that defines each, a list
 * with what each means): a text about the levels. A banner line or marking syntax among them is still a marking.
 */
function schemeDescribed(text: string, all: readonly Candidate[], i: number): boolean {
  const c = all[i]!;
  const from = paragraphStart(text, c.start);
  const to = paragraphEnd(text, c.end);
  const levels = new Set<number>();
  // Candidates are in text order: read outward from this one while they stay in the paragraph (at most 64 each way).
  let lo = i;
  while (lo > 0 && i - lo < 64 && all[lo - 1]!.end > from) lo--;
  let hi = i;
  while (hi + 1 < all.length && hi - i < 64 && all[hi + 1]!.start < to) hi++;
  for (let k = lo; k <= hi; k++) {
    const o = all[k]!;
    if (o.end <= from || o.start >= to || o.isControl) continue;
    // Classified levels only: a table listing SECRET beside UNCLASSIFIED items (and a CRYPTO category) describes no scheme.
    let r = 0;
    for (const row of o.rows) if (row.kind === "banner" && row.level !== null && row.level > r) r = row.level;
    if (r > 0) levels.add(r);
  }
  return levels.size >= 3;
}
function paragraphStart(text: string, at: number): number {
  const i = text.lastIndexOf("\n\n", at);
  return i === -1 || at - i > 1200 ? Math.max(0, at - 1200) : i;
}
function paragraphEnd(text: string, at: number): number {
  const i = text.indexOf("\n\n", at);
  return i === -1 || i - at > 1200 ? Math.min(text.length, at + 1200) : i;
}

/**
 * A level's name quoted in running text, not in capitals: "a supprimé le niveau « confidentiel défense »", "the
 * 'Departementaal Vertrouwelijk' tier". A marking is written, not quoted; a quoted name in prose case is talked about.
 */
function quotedName(text: string, c: Candidate): boolean {
  if (c.caseClass === "upper") return false;
  return QUOTE_OPEN.test(text.slice(Math.max(0, c.start - 3), c.start)) && QUOTE_CLOSE.test(text.slice(c.end, c.end + 3));
}
const QUOTE_OPEN = /["'«“„‘‹»]\s?$/;
const QUOTE_CLOSE = /^\s?["'»”“’›«]/;

/**
 * A handling instruction in the marking's sentence on its line ("je to DŮVĚRNÉ, tak to nikam nepřeposílej"; see
 * handling-words.txt): 80 characters either side, cut at a sentence end.
 */
function handlingNote(text: string, c: Candidate): boolean {
  const ls = lineStart(text, c.start, 80);
  const le = lineEnd(text, c.end, 80);
  const before = text.slice(ls === -1 ? c.start - 80 : ls, c.start).split(/[.!?](?:\s|$)/).at(-1)!;
  const after = text.slice(c.end, le === -1 ? c.end + 80 : le).split(/[.!?](?:\s|$)/)[0]!;
  return HANDLING.test(` ${foldWords(`${before} ${after}`)} `);
}
/** handling-words.txt as one pattern over folded words: one test instead of one search per phrase. */
const HANDLING = new RegExp(` (?:${HANDLING_WORDS.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")}) `);

/**
 * A level named as someone's security clearance in running text ("candidates must hold a NATO SECRET clearance", "a
 * NATO SECRET personnel security clearance"): a word of clearance-words.txt among the three words right after it or
 * ending the three right before it, on its line.
 */
function clearanceMention(text: string, c: Candidate): boolean {
  // A level named as a level ("information at NATO SECRET level", "Unterlagen der Stufe GEHEIM" reads before).
  if (LEVEL_AFTER.test(text.slice(c.end, c.end + 16))) return true;
  // Three words after, three before: 40 characters either side hold them (the fold below is the costly part).
  const to = lineEnd(text, c.end, 40);
  const after = foldWords(text.slice(c.end, to === -1 ? c.end + 40 : to).replace(/\\[nrt]/g, " ")).split(" ").filter((w) => w !== "");
  for (let n = 1; n <= 3 && n <= after.length; n++) if (CLEARANCE_WORDS.has(after.slice(0, n).join(" ")) || CLEARANCE_WORDS.has(after[n - 1]!)) return true;
  const from = lineStart(text, c.start, 40);
  const before = foldWords(text.slice(from === -1 ? Math.max(0, c.start - 40) : from, c.start).replace(/\\[nrt]/g, " ")).split(" ").filter((w) => w !== "");
  // The first word of a cut-off window may be a fragment: only whole words count.
  if (from === -1) before.shift();
  for (let n = 1; n <= 3 && n <= before.length; n++) if (CLEARANCE_WORDS.has(before.slice(-n).join(" "))) return true;
  return false;
}

const LEVEL_AFTER = /^[ \t]+(?:level|levels|niveau|niveaux|stufe|nivel|livello|poziom\p{L}*|seviye\p{L}*|tason|nivå|niveauet)(?![\p{L}])/iu;

/**
 * A memo's head in any case: the candidate is the whole first line of the text and a subject field follows within
 * three lines ("streng geheim" then "betreff: besuchsprogramm"). A lone first line alone could be a title ("Top
 * secret" over a recipe); the subject field says the text is a memo and its first line the banner.
 */
function memoHead(text: string, c: Candidate, openStart: boolean): boolean {
  if (openStart || !/^[\s>*#]*$/.test(text.slice(0, c.start))) return false;
  const le = lineEnd(text, c.end, 8);
  if (le === -1 || !/^[\s.:]*$/.test(text.slice(c.end, le))) return false;
  const next = /^(?:[ \t]*\r?\n){1,3}[ \t>*]*([^\s:]{1,24})[ \t]*:/.exec(text.slice(le, le + 160));
  return next !== null && SUBJECT_LABELS.has(foldWords(next[1]!));
}

/**
 * The same marking as the whole first line and the whole last line of the text, in any case ("très secret" over and
 * under a memo): banners top and bottom, as every member's marking rules place them. One such line alone may be a
 * title ("Top secret" over a recipe); the same words closing the text too are the pair a banner is. A stream sees the
 * pair when both lines are within its window (a short text); a long one shows only its head to the last line's scan.
 */
function bannerPair(text: string, all: readonly Candidate[], i: number, openStart: boolean): boolean {
  const c = all[i]!;
  // The text's first or last line: near its start or end (a few blank lines or markup aside), else no pair.
  if (c.start > PAIR_REACH && text.length - c.end > PAIR_REACH) return false;
  if (!aloneOnLine(text, c)) return false;
  const spelling = wholeLine(text, c);
  if (spelling === null) return false;
  const first = !openStart && /^[\s>*#]*$/.test(text.slice(0, lineStart(text, c.start, MAX_BANNER_SIDE)));
  const last = /^[\s.*_]*$/.test(text.slice(lineEnd(text, c.end, MAX_BANNER_SIDE)));
  if (first === last) return false;
  // The pair's other line is the text's last (or first): only the candidates at that end are read.
  const ks = first ? Array.from({ length: Math.min(all.length, 16) }, (_, n) => all.length - 1 - n) : Array.from({ length: Math.min(all.length, 16) }, (_, n) => n);
  for (const k of ks) {
    const o = all[k]!;
    if (k === i || (first ? o.start < c.end : o.end > c.start) || !aloneOnLine(text, o) || wholeLine(text, o) !== spelling) continue;
    if (first ? /^[\s.*_]*$/.test(text.slice(lineEnd(text, o.end, MAX_BANNER_SIDE))) : !openStart && /^[\s>*#]*$/.test(text.slice(0, lineStart(text, o.start, MAX_BANNER_SIDE)))) return true;
  }
  return false;
}

const PAIR_REACH = 200;

/** Nothing but blanks and markup beside the candidate on its line: the cheap test before folding the line's words. */
function aloneOnLine(text: string, c: Candidate): boolean {
  const ls = lineStart(text, c.start, MAX_BANNER_SIDE);
  const le = lineEnd(text, c.end, MAX_BANNER_SIDE);
  return ls !== -1 && le !== -1 && /^[\s>*#_"'\[(]*$/.test(text.slice(ls, c.start)) && /^[\s.*#_"':\])]*$/.test(text.slice(c.end, le));
}

/** The candidate's words, folded, when they are all its line holds (markup and stars aside); else null. */
function wholeLine(text: string, c: Candidate): string | null {
  const ls = lineStart(text, c.start, MAX_BANNER_SIDE);
  const le = lineEnd(text, c.end, MAX_BANNER_SIDE);
  if (ls === -1 || le === -1) return null;
  const spelling = foldWords(text.slice(c.start, c.end));
  return foldWords(text.slice(ls, le).replace(MARKUP, " ").replace(/[*_#>]/g, " ")) === spelling ? spelling : null;
}

/**
 * A marking of two or more words in Title Case that is the whole last line of a document of several lines: its
 * footer ("... 7. Een eerste evaluatie ...\n\nDepartementaal Vertrouwelijk"). One word alone ("Confidential") or a
 * phrase in sentence case closes many a letter or list; every word capitalised on a line of its own is a stamp.
 */
function titledFooter(text: string, c: Candidate): boolean {
  const words = text.slice(c.start, c.end).split(/[\s.\-–]+/u).filter((w) => w !== "");
  if (words.length < 2 || !words.every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return false;
  const ls = lineStart(text, c.start, 8);
  if (ls === -1 || !/^[\s*_>#]*$/.test(text.slice(ls, c.start)) || !/^[\s.*_]*$/.test(text.slice(c.end))) return false;
  let lines = 0;
  for (const line of text.slice(0, ls).split("\n")) if (line.trim() !== "" && ++lines >= 3) return true;
  return false;
}

/** The candidate i with each nearby candidate that does not overlap it, as [first, second in the text, the other]. */
function* pairsWith(all: readonly Candidate[], i: number): Generator<[Candidate, Candidate, Candidate]> {
  const c = all[i]!;
  for (let k = Math.max(0, i - NEAR); k < Math.min(all.length, i + NEAR + 1); k++) {
    const o = all[k]!;
    if (o.start >= c.end) yield [c, o, o];
    else if (o.end <= c.start) yield [o, c, o];
  }
}

/**
 * Two levels compared in one sentence ("the difference between the OFFICIAL-SENSITIVE caveat and the SECRET tier",
 * "wie verhält sich VS-NUR FÜR DEN DIENSTGEBRAUCH zu NATO RESTRICTED"): a text about the marking systems. A
 * comparison word before the pair or between them, the two close and on one line.
 */
function comparedLevels(text: string, all: readonly Candidate[], i: number): boolean {
  for (const [a, b] of pairsWith(all, i)) {
    if (b.start - a.end > 80) continue;
    const gap = text.slice(a.end, b.start);
    if (/[\n.!?;]/.test(gap.replace(/\.(?=\S)/g, ""))) continue;
    const from = lineStart(text, a.start, 120);
    const before = text.slice(from === -1 ? Math.max(0, a.start - 120) : from, a.start);
    if (COMPARISON.test(`${before} ${gap}`)) return true;
  }
  return false;
}

const COMPARISON = new RegExp(String.raw`(?:^|[^\p{L}])(?:differen\p{L}*|differ|compar\p{L}*|versus|vs\.?|equivalen\p{L}*|[ée]quivalen\p{L}*|correspond\p{L}*|corrispond\p{L}*|maps? (?:to|onto)|mapping|relates? to|relationship between|unterschied\p{L}*|vergleich\p{L}*|verh[äa]lt sich|verhalten sich|entspricht|entsprechen|gegen[üu]ber|diferencia\p{L}*|diferen[çc]a|differenza|differenze|r[óo][żz]ni\p{L}*|odpowiad\p{L}*|por[óo]wn\p{L}*|fark\p{L}*|kar[şs][ıi]l[ıi]k\p{L}*|verschil\p{L}*|vergelijk\p{L}*|komt overeen|overeenkom\p{L}*|gelijkwaardig\p{L}*|highest|lowest|h[öo]chste\p{L}*|niedrigste\p{L}*|plus (?:haut|bas|[ée]lev[ée])|m[áa]s (?:alto|bajo)|pi[uù] (?:alto|basso)|najwy[żz]sz\p{L}*|najni[żz]sz\p{L}*|en (?:y[üu]ksek|d[üu][şs][üu]k)|hoogste|laagste|korkein|alin|h[öo]gsta|l[äa]gsta|h[øo]yeste|h[øo]jeste|laveste)(?![\p{L}])`, "iu");

/** What may join the items of a list of levels: a comma, a slash or a semicolon, an "and" or "or" of a member language. */
const LIST_GAP = /^\s*(?:[,;/]\s*)?(?:(?:and|or|et|ou|und|oder|y|o|e|i|lub|albo|ve|veya|ya da|en|of|og|eller|och|ja|tai|si|sau|a|nebo|es|vagy|ir|arba|un|vai|ka|ali|и|или|και|ή)\s+)?$/i;

/**
 * One of three or more different levels listed in running text ("the levels are NATO RESTRICTED, NATO CONFIDENTIAL,
 * NATO SECRET and COSMIC TOP SECRET"): a text about the marking system, since no text is marked at three levels.
 */
function enumerated(text: string, all: readonly Candidate[], i: number): boolean {
  const levels = new Set<number>();
  const add = (c: Candidate): void => {
    const r = rankOf(c.rows);
    if (r !== null) levels.add(r);
  };
  add(all[i]!);
  for (const step of [-1, 1]) {
    let cur = all[i]!;
    for (;;) {
      // The nearest candidate on that side that does not overlap the current one; the longest where several end there.
      let next: Candidate | undefined;
      for (let k = Math.max(0, i - NEAR); k < Math.min(all.length, i + NEAR + 1); k++) {
        const o = all[k]!;
        if (step < 0 ? o.end > cur.start : o.start < cur.end) continue;
        if (next === undefined) next = o;
        else if (step < 0 ? o.end > next.end || (o.end === next.end && o.start < next.start) : o.start < next.start || (o.start === next.start && o.end > next.end)) next = o;
      }
      if (next === undefined) break;
      const gap = step < 0 ? text.slice(next.end, cur.start) : text.slice(cur.end, next.start);
      if (!LIST_GAP.test(gap)) break;
      add(next);
      cur = next;
    }
  }
  if (levels.size >= 3) return true;
  return levelRange(text, all, i);
}

/** Up to three words may qualify the first level before the connector ("von X als niedrigstem bis Y"). */
const RANGE_GAP = /^\s*(?:[^\s.;:!?]+\s+){0,3}?(?:up to|to|through|until|and|bis(?: zu)?|und|jusqu'(?:à|a|au)|à|a|et|hasta|y|fino (?:a|al)|e|do|i|tot(?: en met)?|en|-|–|—)\s*$/i;
const REGRADED = /(?:downgrad|regrad|upgrad|declassif|reclassif|herabgestuf|herabstuf|hochgestuf|heraufgestuf|d[ée]classifi|reclass[ée]|r[ée]trograd|desclasific|rebajad|declassificat|declassat|odtajn|zdegradowan|obni[zż]on|gederubriceerd|afgeschaald|lowered|raised)\w*(?:\s+\S+){0,3}\s*$/iu;
const RANGE_OPEN = /(?:^|[^\p{L}])(?:from|between|von|zwischen|de|des|entre|da|dal|tra|fra|od|van|tussen)\s+$/iu;

/**
 * Two different levels given as a range in running text ("from NATO RESTRICTED up to COSMIC TOP SECRET", "zwischen
 * VS-VERTRAULICH und STRENG GEHEIM"): a text about the levels, not one marked with either.
 */
function levelRange(text: string, all: readonly Candidate[], i: number): boolean {
  const level = rankOf(all[i]!.rows);
  for (const [a, b, o] of pairsWith(all, i)) {
    const other = rankOf(o.rows);
    if (other === null || level === null || other === level) continue;
    if (!RANGE_GAP.test(text.slice(a.end, b.start))) continue;
    // "Downgraded from NATO SECRET to NATO RESTRICTED" marks the text with the second: not a mention.
    if (RANGE_OPEN.test(text.slice(Math.max(0, a.start - 12), a.start)) && !REGRADED.test(text.slice(Math.max(0, a.start - 48), a.start))) return true;
  }
  return false;
}

function inColumn(text: string, c: Candidate, columns: Columns): boolean {
  return inLabelColumn(text, columns(), c.start, c.end);
}

// ---- the scan ---------------------------------------------------------------------------------------------

interface Hit {
  readonly rows: readonly MarkingRow[];
  readonly start: number;
  readonly end: number;
  readonly kind: MarkingKind;
  readonly evasions: readonly Evasion[];
}

/**
 * All markings in the text (any level), longest first where they overlap, in text order. `exhaustive` folds
 * every character through the automaton instead of walking from the starts regex: the same result, slower;
 * kept as the reference the fast path is tested against.
 */
export function markingHits(text: string, openStart = false, exhaustive = false): Hit[] {
  const candidates: Candidate[] = [];
  const letters = exhaustive ? findRawMatches(text, AUTOMATON) : findRawMatchesFrom(text, TRIE);
  for (const raw of letters.matches) {
    const c = toCandidate(text, letters, raw);
    if (c !== null) candidates.push(c);
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const hits: Hit[] = [];
  let found: LabelColumns | undefined;
  const columns: Columns = () => (found ??= new LabelColumns(text, isLabel));
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    // Evidence comes from the same line (or, for a table cell, its column's header).
    if (!accept(text, candidates, i, openStart, columns)) continue;
    const kind = c.rows.find((r) => r.kind !== "control")?.kind ?? "control";
    hits.push({ rows: c.rows, start: c.start, end: c.end, kind, evasions: evasionList(c.evasions) });
  }
  for (const p of findPortionMarks(text, PORTIONS)) hits.push({ rows: p.rows, start: p.start, end: p.end, kind: "portion", evasions: [] });
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  // Keep the longest of overlapping hits: COSMIC TOP SECRET, not also TOP SECRET and SECRET inside it.
  const kept: Hit[] = [];
  for (const h of hits) {
    const last = kept.at(-1);
    if (last !== undefined && h.start < last.end) {
      if (h.end - h.start > last.end - last.start) kept[kept.length - 1] = h;
      continue;
    }
    kept.push(h);
  }
  return kept;
}

function rankOf(rows: readonly MarkingRow[]): number | null {
  let best: number | null = null;
  for (const r of rows) if (r.level !== null && (best === null || r.level > best)) best = r.level;
  return best;
}

/** Findings above the ceiling, located in the text (offset, 1-based line and column). */
export function scanWindow(text: string, opts: WindowOptions): Finding[] {
  const above = markingHits(text, opts.openStart ?? false).filter((h) => (rankOf(h.rows) ?? -1) > opts.ceiling);
  const where = locate(text, above.map((h) => h.start));
  return above.map((h, i) => {
    const rank = rankOf(h.rows)!;
    const top = h.rows.filter((r) => r.level === rank);
    const first = top[0]!;
    const nations = [...new Set(top.map((r) => r.nation))];
    return {
      marking: first.marking, level: levelName(rank), nation: first.nation, nations, language: first.language,
      kind: h.kind, location: { ...where[i]!, offset: h.start, length: h.end - h.start }, evasions: h.evasions,
    };
  });
}

