/**
 * Portion marks: a classification in parentheses opening a paragraph or sentence, "(NS) The convoy ...",
 * "(S//NF) ...". Position matters: "(NC)" after a town is North Carolina, not NATO CONFIDENTIAL.
 */
import type { MarkingRow } from "./table.ts";

export interface PortionHit {
  readonly rows: readonly MarkingRow[];
  readonly start: number;
  readonly end: number;
}

const PORTION = /[(\uFF08] ?([A-Z]{1,4}(?:-[A-Z]{1,2})?|VS-NfD)((?:\/\/?[A-Z][A-Z0-9 ,/-]{0,40})?) ?[)\uFF09]/g;
// What may precede a portion mark on its line: indentation, a quote (raw JSON), a bullet, a paragraph number.
const LINE_OPENING = /(?:^|\n|\\n|\r)[\s"'>*•·\-–]*(?:\d+(?:\.\d+)*\.?|[a-zA-Z][.)])?\s*$/;
const SENTENCE_END = /[.!?:;]["')\]]?\s+$/;

/** A cell of a delimited row of its own: "2,(NS),Fill device load script,1" (a column of portion marks). */
function wholeCell(before: string, after: string): boolean {
  return /[,;|\t]["' ]*$/.test(before) && /^["' ]*(?:[,;|\t]|$)/.test(after);
}

export function findPortionMarks(text: string, portions: ReadonlyMap<string, readonly MarkingRow[]>): PortionHit[] {
  const hits: PortionHit[] = [];
  PORTION.lastIndex = 0;
  for (let m = PORTION.exec(text); m !== null; m = PORTION.exec(text)) {
    const token = m[1]!.toUpperCase();
    const controls = m[2]!.replace(/\s+/g, "");
    const rows = portions.get(token + controls) ?? portions.get(token);
    if (rows === undefined) continue;
    const start = m.index;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 24), start);
    const after = text.slice(end, end + 24);
    const atLineStart = LINE_OPENING.test(start < 24 ? "\n" + before : before);
    const nextIsText = /^(?:\s+[\p{Lu}\d"'(]|\s*$|\\n)/u.test(after);
    let ok: boolean;
    if (controls.startsWith("/")) ok = true; // "(S//NF)" reads as nothing else
    else if (token.length === 1) ok = atLineStart && /^\s+\p{Lu}/u.test(after) && !(token === "C" && /^\s+(?:copyright|crown)/i.test(after));
    else ok = ((atLineStart || SENTENCE_END.test(before)) && nextIsText) || wholeCell(before, after);
    if (ok) hits.push({ rows, start, end });
  }
  return hits;
}
