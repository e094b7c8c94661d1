/**
 * Markings in table cells: a register (CSV, TSV, Markdown, a fixed-width printout) lists each document's
 * classification under a column headed by a label ("gradering", "Einstufung", "STOPNJA"). A cell under such a
 * header is a labelled field, as "Classification: SECRET" is, even though no label sits beside it on its line.
 */
import { foldWords } from "./fold.ts";

/** A header line holding a label column, and the column's place in it. */
interface LabelColumn {
  /** Offsets of the header line and of the end of its table: the first blank line after it, or the text's end. */
  readonly headerStart: number;
  readonly tableEnd: number;
  /** The cell separator of the table, or "" for a fixed-width printout (cells apart by two or more spaces). */
  readonly separator: string;
  /** For separated tables: the column's index. For fixed-width ones: its character span in the line. */
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

const SEPARATORS = ["|", "\t", ";", ","];

interface Cell {
  readonly start: number;
  readonly end: number;
}

/** Cells of one line (offsets into the text), trimmed of blanks and enclosing quotes. */
function cells(text: string, from: number, to: number, separator: string): Cell[] {
  const out: Cell[] = [];
  if (separator === "") {
    // Fixed width: runs of text apart from each other by two or more blanks.
    const re = /\S+(?: \S+)*/g;
    re.lastIndex = 0;
    const line = text.slice(from, to);
    for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push({ start: from + m.index, end: from + m.index + m[0].length });
    return out;
  }
  let start = from;
  let quoted = false;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text[i] : separator;
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      out.push(trim(text, start, i));
      start = i + 1;
    }
  }
  return out;
}

function trim(text: string, start: number, end: number): Cell {
  let a = start;
  let b = end;
  while (a < b && /[\s"'*`]/.test(text[a]!)) a++;
  while (b > a && /[\s"'*`]/.test(text[b - 1]!)) b--;
  return { start: a, end: b };
}

/** The separator a header line uses: the first of | tab ; , that splits it into two or more cells, else fixed width. */
function separatorOf(line: string): string | null {
  for (const s of SEPARATORS) if (line.includes(s)) return s;
  return /\S {2,}\S/.test(line) ? "" : null;
}

/** How many lines at the top of a table may precede its header row (a title, a date line). */
const HEADER_LINES = 4;

/**
 * The label columns of the text's tables, found lazily: a table is a block of lines between blank lines, and its
 * header is among its first lines. Blocks are read once each, and only those holding a candidate cell.
 */
export class LabelColumns {
  private blockStarts: number[] | undefined;
  private readonly byBlock = new Map<number, LabelColumn[]>();
  constructor(private readonly text: string, private readonly isLabel: (folded: string, raw: string) => boolean) {}

  /** The label columns of the table holding offset `at`. */
  at(at: number): readonly LabelColumn[] {
    const starts = (this.blockStarts ??= blockStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    const block = starts[lo]!;
    let found = this.byBlock.get(block);
    if (found === undefined) this.byBlock.set(block, (found = this.read(block, starts[lo + 1] ?? this.text.length)));
    return found;
  }

  private read(block: number, next: number): LabelColumn[] {
    const { text } = this;
    const out: LabelColumn[] = [];
    let from = block;
    for (let k = 0; k < HEADER_LINES && from < next; k++) {
      let to = text.indexOf("\n", from);
      if (to === -1 || to > next) to = next;
      const separator = to - from > 2000 ? null : separatorOf(text.slice(from, to));
      const row = separator === null ? [] : cells(text, from, to, separator);
      if (row.length >= 2) {
        row.forEach((cell, index) => {
          const raw = text.slice(cell.start, cell.end);
          const folded = foldWords(raw);
          if (folded !== "" && this.isLabel(folded, raw)) out.push({ headerStart: from, tableEnd: next, separator: separator!, index, from: cell.start - from, to: cell.end - from });
        });
      }
      from = to + 1;
    }
    return out;
  }
}

/** Where each block of lines starts: the text's start and every line after a blank one. */
function blockStarts(text: string): number[] {
  const out = [0];
  const blank = /\n[ \t\r]*\n/g;
  for (let m = blank.exec(text); m !== null; m = blank.exec(text)) {
    out.push(m.index + m[0].length);
    blank.lastIndex = m.index + m[0].length - 1;
  }
  return out;
}

/**
 * Whether [start, end) could be a whole table cell: between separators, line ends or runs of two or more blanks
 * (blanks, quotes and Markdown emphasis aside). A cheap test that spares prose the reading of its tables.
 */
export function mayBeCell(text: string, start: number, end: number): boolean {
  return bounded(text, start, -1) && bounded(text, end, 1);
}

function bounded(text: string, at: number, step: -1 | 1): boolean {
  let blanks = 0;
  for (let i = step < 0 ? at - 1 : at; i >= 0 && i < text.length; i += step) {
    const c = text[i]!;
    if (c === "\n" || c === "\r" || c === "|" || c === "\t" || c === ";" || c === ",") return true;
    if (c === " ") blanks++;
    else if (c !== '"' && c !== "'" && c !== "*" && c !== "`") return blanks >= 2;
  }
  return true;
}

/**
 * Whether [start, end) is the whole of a cell under a label column of its table: same separator, same column
 * (by index, or by overlapping character span for fixed-width printouts), below the header and before the table ends.
 */
export function inLabelColumn(text: string, columns: LabelColumns, start: number, markingEnd: number): boolean {
  // The marking is the cell, or opens it before a parenthesised level code: "SALAINEN (TL II)".
  const code = /^\s*\([^()\n]{1,24}\)/.exec(text.slice(markingEnd, markingEnd + 32));
  return labelColumnOf(text, columns, start, markingEnd + (code === null ? 0 : code[0].length)) !== undefined;
}

/**
 * The header (as written) of the label column whose cell [start, end) is, whole: same separator, same column (by
 * index, or by overlapping character span for fixed-width printouts), below the header and before the table ends.
 */
export function labelColumnOf(text: string, columns: LabelColumns, start: number, end: number): string | undefined {
  if (!mayBeCell(text, start, end)) return undefined;
  const lineFrom = text.lastIndexOf("\n", start - 1) + 1;
  let lineTo = text.indexOf("\n", end);
  if (lineTo === -1) lineTo = text.length;
  for (const col of columns.at(start)) {
    if (col.headerStart >= lineFrom || start >= col.tableEnd) continue;
    const row = cells(text, lineFrom, lineTo, col.separator);
    const at = row.findIndex((c) => c.start <= start && end <= c.end);
    if (at === -1) continue;
    const cell = row[at]!;
    if (cell.start !== start || cell.end !== end) continue;
    if (col.separator !== "" ? at === col.index : start - lineFrom < col.to && end - lineFrom > col.from) {
      return text.slice(col.headerStart + col.from, col.headerStart + col.to);
    }
  }
  return undefined;
}
