/**
 * Prohibited-use detection: rules as data (rules.yaml), compiled once per language, run sentence by sentence
 * over normalised text. Only sentences holding an anchor word of some rule are examined, so long documents
 * cost little.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { classOf, IGN, MULTI, multiLetters, WORD } from "../markings/fold.ts";

export type ProhibitedReason = "mass_surveillance" | "autonomous_weapons" | "targeting";

export interface ProhibitedUse {
  readonly reason: ProhibitedReason;
  /** Which rule fired, as "<rule id>/<language>", e.g. "choose-what-to-strike/en". */
  readonly rule: string;
}

const RuleFile = z.object({
  rules: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      reason: z.enum(["mass_surveillance", "autonomous_weapons", "targeting"]),
      langs: z.array(z.string()).optional(),
      anchor: z.array(z.string()).min(1),
      all: z.array(z.string()).min(1),
      any: z.array(z.string()).optional(),
      none: z.array(z.string()).optional(),
    }).strict(),
  ),
  languages: z.record(z.string(), z.record(z.string(), z.string())),
}).strict();
type RuleFile = z.infer<typeof RuleFile>;

interface CompiledRule {
  readonly reason: ProhibitedReason;
  readonly rule: string;
  /** Index into RuleSet.anchors: the cheap test that must pass before the rule's own patterns run. */
  readonly anchor: number;
  readonly all: readonly RegExp[];
  readonly any: readonly RegExp[];
  readonly none: readonly RegExp[];
}

/**
 * A cheap first test for a rule: the sentence must hold a word starting with one of `prefixes` (3 or 4 letters
 * of an alternative of the anchor's lexicon entries), or match `rest` (the alternatives too short or too
 * irregular to give a prefix). Large regex alternations are slow to try at every position; a Set is not.
 */
interface Anchor {
  readonly prefixes: ReadonlySet<string>;
  readonly rest: RegExp | null;
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  readonly anchors: readonly Anchor[];
  /** Word beginning to the anchors it satisfies (the inverse of Anchor.prefixes). */
  readonly byPrefix: ReadonlyMap<string, readonly number[]>;
  /** Anchors that also need their `rest` regex tried. */
  readonly withRest: readonly number[];
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

function fill(pattern: string, lexicon: Record<string, string>): string | null {
  let missing = false;
  const out = pattern.replace(PLACEHOLDER, (_, name: string) => {
    const value = lexicon[name];
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? null : out;
}

export function compileRules(file: RuleFile): RuleSet {
  const rules: CompiledRule[] = [];
  const anchors: Anchor[] = [];
  const anchorIndex = new Map<string, number>();
  for (const [lang, lexicon] of Object.entries(file.languages)) {
    for (const r of file.rules) {
      if (r.langs !== undefined && !r.langs.includes(lang)) continue;
      const compile = (list: readonly string[] | undefined): RegExp[] | null => {
        const out: RegExp[] = [];
        for (const p of list ?? []) {
          const source = fill(p, lexicon);
          if (source === null) return null;
          try {
            out.push(new RegExp(source));
          } catch (err) {
            throw new Error(`prohibited-use rule ${r.id}/${lang}: ${(err as Error).message}`);
          }
        }
        return out;
      };
      const all = compile(r.all);
      const any = compile(r.any);
      const none = compile(r.none);
      const anchorParts = r.anchor.map((k) => lexicon[k]);
      if (all === null || any === null || none === null || anchorParts.some((a) => a === undefined)) continue;
      const anchorSource = anchorParts.join("|");
      let anchor = anchorIndex.get(anchorSource);
      if (anchor === undefined) {
        anchor = anchors.length;
        anchors.push(compileAnchor(anchorSource));
        anchorIndex.set(anchorSource, anchor);
      }
      rules.push({ reason: r.reason, rule: `${r.id}/${lang}`, anchor, all, any, none });
    }
  }
  const byPrefix = new Map<string, number[]>();
  anchors.forEach((a, i) => a.prefixes.forEach((p) => byPrefix.set(p, [...(byPrefix.get(p) ?? []), i])));
  const withRest = anchors.flatMap((a, i) => (a.rest === null ? [] : [i]));
  return { rules, anchors, byPrefix, withRest };
}

/** Splits a regex alternation at its top level ("a|b(?:c|d)|e" -> a, b(?:c|d), e). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "|" && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

function compileAnchor(source: string): Anchor {
  const prefixes = new Set<string>();
  const rest: string[] = [];
  for (const alt of alternatives(source)) {
    // The literal words an alternative starts with must all be in the sentence: test the longest one (the
    // rarest), by its first 3 or 4 letters. A letter made optional by what follows ("abc?") is dropped.
    let literal = /^[a-z0-9' ]*/.exec(alt)![0];
    const next = alt[literal.length];
    if (next === "?" || next === "*" || next === "{") literal = literal.slice(0, -1);
    const words = literal.split(/[ ']/).filter((w) => w.length >= 3);
    const longest = words.sort((a, b) => b.length - a.length)[0];
    if (longest !== undefined) prefixes.add(longest.slice(0, 4));
    else rest.push(alt);
  }
  return { prefixes, rest: rest.length === 0 ? null : new RegExp(`\\b(?:${rest.join("|")})`) };
}

/** Which anchors the sentence satisfies: one Map lookup per word beginning, plus the few rest regexes. */
function anchorsHeld(set: RuleSet, words: ReadonlySet<string>, sentence: string): Uint8Array {
  const held = new Uint8Array(set.anchors.length);
  for (const w of words) for (const i of set.byPrefix.get(w) ?? []) held[i] = 1;
  for (const i of set.withRest) if (held[i] === 0 && set.anchors[i]!.rest!.test(sentence)) held[i] = 1;
  return held;
}

/** The 3- and 4-letter beginnings of every word in the sentence. */
function wordStarts(sentence: string): Set<string> {
  const out = new Set<string>();
  for (const w of sentence.split(/[^a-z0-9]+/)) {
    if (w.length >= 3) {
      out.add(w.slice(0, 3));
      out.add(w.slice(0, 4));
    }
  }
  return out;
}

const FOLDED = new Map<string, string>();

/** One non-ASCII character, folded: look-alike or accented letters to Latin, ignorables dropped. */
function foldChar(ch: string): string {
  let out = FOLDED.get(ch);
  if (out === undefined) {
    const cp = ch.codePointAt(0)!;
    const cls = classOf(cp);
    if (cls === IGN) out = "";
    else if (cls >= 65) out = String.fromCharCode(cls + 32);
    else if (cls === MULTI) out = multiLetters(cp).toLowerCase();
    else if (cls === WORD) out = ch;
    else out = ch === "\u2019" || ch === "\u2018" ? "'" : /\s/u.test(ch) ? " " : ch;
    FOLDED.set(ch, out);
  }
  return out;
}

/** Lowercase, accents and look-alikes folded, whitespace collapsed; punctuation kept for sentence breaks. */
export function normalise(text: string): string {
  // Native passes do the bulk (decomposition, marks, case); the JS fold only sees what is still not ASCII.
  return text
    .normalize("NFKD")
    .replace(/[\p{M}\p{Cf}]/gu, "")
    .toLowerCase()
    .replace(/[^\x00-\x7f]/gu, foldChar)
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n");
}

function sentences(normalised: string): string[] {
  return normalised.split(/(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=\S)/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Each sentence, then each pair of neighbours ("Which users wrote these posts? List their names."). */
function* passages(text: string): Generator<string> {
  const list = sentences(normalise(text));
  yield* list;
  for (let i = 1; i < list.length; i++) yield `${list[i - 1]} ${list[i]}`;
}

export function detectWith(set: RuleSet, text: string): ProhibitedUse | null {
  for (const sentence of passages(text)) {
    const held = anchorsHeld(set, wordStarts(sentence), sentence);
    for (const r of set.rules) {
      if (held[r.anchor] === 0) continue;
      if (!r.all.every((re) => re.test(sentence))) continue;
      if (r.any.length > 0 && !r.any.some((re) => re.test(sentence))) continue;
      if (r.none.some((re) => re.test(sentence))) continue;
      return { reason: r.reason, rule: r.rule };
    }
  }
  return null;
}

export function loadRules(yamlText: string): RuleSet {
  return compileRules(RuleFile.parse(parse(yamlText)));
}

const DEFAULT_RULES = loadRules(readFileSync(new URL("./rules.yaml", import.meta.url), "utf8"));

/** The first prohibited use the text asks for, or null. Pure: the same text always gives the same answer. */
export function detectProhibitedUse(text: string): ProhibitedUse | null {
  return detectWith(DEFAULT_RULES, text);
}
