/**
 * ROUGE-N and ROUGE-L as defined by Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries":
 *   ROUGE-N (§2): clipped n-gram co-occurrence; recall over the reference's n-grams, precision over the candidate's.
 *   ROUGE-L (§3.2): summary-level LCS. For each reference sentence r_i, the union LCS with every candidate
 *     sentence; R = Σ|LCS∪(r_i, C)| / m, P = Σ|LCS∪(r_i, C)| / n (m, n: words in reference and candidate).
 * F is the harmonic mean (β = 1), as ROUGE-1.5.5 reports with `-a` and Google's rouge-score does.
 * Tokens: lower-cased letters and digits; optional Porter stemming (ROUGE-1.5.5's `-m`).
 */
import { stemmer } from "@orama/stemmers/english";

export interface Score { precision: number; recall: number; f: number }
export interface RougeScores { rouge1: Score; rouge2: Score; rougeL: Score }

export function tokenize(text: string, stem = false): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return stem ? words.map((w) => stemmer(w)) : words;
}

function score(overlap: number, candidateTotal: number, referenceTotal: number): Score {
  const precision = candidateTotal === 0 ? 0 : overlap / candidateTotal;
  const recall = referenceTotal === 0 ? 0 : overlap / referenceTotal;
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f };
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(" ");
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): Score {
  const c = ngrams(candidate, n);
  const r = ngrams(reference, n);
  let overlap = 0;
  for (const [g, count] of r) overlap += Math.min(count, c.get(g) ?? 0);
  return score(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Positions in `a` of one longest common subsequence of a and b (dynamic programming, then a backtrace). */
export function lcsPositions(a: readonly string[], b: readonly string[]): number[] {
  const m = a.length, n = b.length;
  const t: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
    }
  }
  const out: number[] = [];
  for (let i = m, j = n; i > 0 && j > 0; ) {
    if (a[i - 1] === b[j - 1]) { out.push(i - 1); i--; j--; }
    else if (t[i - 1]![j]! >= t[i]![j - 1]!) i--;
    else j--;
  }
  return out.reverse();
}

/** Summary-level ROUGE-L over sentence-split texts (each inner array one sentence's tokens). */
export function rougeL(candidate: readonly (readonly string[])[], reference: readonly (readonly string[])[]): Score {
  let hits = 0;
  for (const r of reference) {
    const union = new Set<number>();
    for (const c of candidate) for (const p of lcsPositions(r, c)) union.add(p);
    hits += union.size;
  }
  const n = candidate.reduce((s, c) => s + c.length, 0);
  const m = reference.reduce((s, r) => s + r.length, 0);
  return score(hits, n, m);
}

/** All three scores of a candidate summary against one reference, both given as lists of sentences. */
export function rouge(candidate: readonly string[], reference: readonly string[], opts: { stem?: boolean } = {}): RougeScores {
  const c = candidate.map((s) => tokenize(s, opts.stem));
  const r = reference.map((s) => tokenize(s, opts.stem));
  return { rouge1: rougeN(c.flat(), r.flat(), 1), rouge2: rougeN(c.flat(), r.flat(), 2), rougeL: rougeL(c, r) };
}
