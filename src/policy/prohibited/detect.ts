/**
 * Prohibited-use detection: rules as data (rules.yaml), compiled once per language, run sentence by sentence
 * over normalised text. One keyword pass over the whole text (keywords.ts, read from the lexicons by shape.ts)
 * tells which concepts each sentence may hold; a rule's regexes run only on sentences that can satisfy it.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { groupAlternatives } from "./alternation.ts";
import { classify, features, parseModel, type ClassifierModel } from "./classifier.ts";
import { buildKeywords, type KeywordAutomaton } from "./keywords.ts";
import { foldSource, prepare, type Prepared } from "./prepare.ts";
import { withoutPastedMaterial } from "./material.ts";
import { withoutQuotedMaterial } from "./quoted.ts";
import { buildGate, languagesIn, type LanguageGate } from "./gate.ts";
import { literalSet, templateClauses } from "./shape.ts";

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
      all: z.array(z.string()),
      any: z.array(z.string()).optional(),
      none: z.array(z.string()).optional(),
      /** Concepts counted rather than all required: at least `min` of the `of` patterns must match. */
      some: z.object({ min: z.number().int().min(1), of: z.array(z.string()).min(1) }).strict().optional(),
    }).strict().refine((r) => r.all.length > 0 || r.some !== undefined, { message: "a rule needs `all` or `some`" }),
  ),
  languages: z.record(z.string(), z.record(z.string(), z.string())),
}).strict();
type RuleFile = z.infer<typeof RuleFile>;

interface CompiledRule {
  readonly reason: ProhibitedReason;
  readonly rule: string;
  /** Concepts the rule cannot match without, read from its patterns and anchor: in each clause, one of these. */
  readonly clauses: readonly (readonly number[])[];
  /** Patterns as ids into RuleSet.patterns, where rules of a language sharing a pattern share its id. */
  readonly all: readonly number[];
  readonly any: readonly number[];
  readonly none: readonly number[];
  /** At least someMin of the `some` patterns must match (0: no count). */
  readonly some: readonly number[];
  readonly someMin: number;
  /** Per `some` pattern, the concepts one of which it needs (null: the keyword pass cannot tell, so counted). */
  readonly someGroups: readonly (readonly number[] | null)[];
  /** The language's bit in the gate (gate.ts) when its lexicon has markers, else 0. */
  readonly langBit: number;
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Every distinct pattern once: a passage tests each at most once, whichever rules share it. */
  readonly patterns: readonly RegExp[];
  /** Which passages the rules of the languages with markers run on (gate.ts), or null when none has markers. */
  readonly gate: LanguageGate | null;
  /** The keyword pass: every keyword of every concept whose lexicon entry gives keywords. */
  readonly keywords: KeywordAutomaton;
  readonly keywordLength: Int32Array;
  /** Keyword id to the concepts (language x lexicon name) it may signal. */
  readonly keywordConcepts: readonly (readonly number[])[];
  /** Per automaton state: the concepts of all keywords ending there, and the longest of those keywords. */
  readonly stateConcepts: readonly (readonly number[] | null)[];
  readonly stateLongest: Int32Array;
  /** Concept to the rules keyed on it (one clause of each rule is its key), in rule order. */
  readonly conceptRules: readonly (readonly number[])[];
  /** Per concept: 1 when it keys some rule (conceptRules non-empty). */
  readonly keyed: Uint8Array;
  /** Per concept: its language's bit in the gate, or 0 (a language without markers). */
  readonly conceptLanguage: Int32Array;
  /** Rules with no clause the keyword pass can check: tried on every sentence. */
  readonly unkeyed: readonly number[];
  readonly conceptCount: number;
  /** The classifier consulted when no rule fires (classifier.ts), or none. */
  readonly classifier?: ClassifierModel;
  /**
   * Every language's `wildlife` and `relief` lexicons as one pattern, or null: a passage about animals (collared
   * wolves, tagged seals) or about the Red Cross's family tracing is not refused as surveillance on the classifier's
   * word, as the rules' own exclusions already say.
   */
  readonly wildlife: RegExp | null;
  /**
   * Every language's `simulator` lexicon, and its `realdata` one, or null: a training simulator's targets are not
   * refused as weapons or targeting work on the classifier's word, unless the passage says the data is real.
   */
  readonly simulator: RegExp | null;
  readonly realdata: RegExp | null;

}

/** Keywords are cut to this many characters (see compileRules). */
const KEYWORD_PREFIX = 1000;

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

function foldLexiconEntry(lang: string, name: string, value: string): string {
  try {
    return foldSource(value);
  } catch (err) {
    throw new Error(`prohibited-use lexicon ${lang}/${name}: ${(err as Error).message}`);
  }
}

/** `groupAlternatives: false` compiles the patterns as written, to compare the grouped ones with (alternation.ts). */
export interface CompileOptions {
  groupAlternatives?: boolean;
}

export function compileRules(source: RuleFile, options: CompileOptions = {}): RuleSet {
  const compiled = options.groupAlternatives === false ? (s: string) => s : groupAlternatives;
  // Lexicons are written in their languages' own letters; the text they run on is folded (prepare.ts), so are they.
  const file: RuleFile = {
    ...source,
    rules: source.rules,
    languages: Object.fromEntries(Object.entries(source.languages).map(([lang, lexicon]) => [lang, Object.fromEntries(Object.entries(lexicon).map(([name, value]) => [name, foldLexiconEntry(lang, name, value)]))])),
  };
  const rules: CompiledRule[] = [];
  const patterns: RegExp[] = [];
  const patternIds = new Map<string, number>();
  const keywordIds = new Map<string, number>();
  const keywordConcepts: number[][] = [];
  // Concept id per "lang:name", or -1 when its lexicon entry gives no keyword (always taken as present).
  const conceptIds = new Map<string, number>();
  let conceptCount = 0;
  const concept = (lang: string, name: string, value: string): number => {
    const key = `${lang}:${name}`;
    let id = conceptIds.get(key);
    if (id === undefined) {
      const set = literalSet(value);
      id = set === null ? -1 : conceptCount++;
      conceptIds.set(key, id);
      for (const literal of set ?? []) {
        // A prefix of a string every match holds is held by every match too: shorter keywords make a smaller
        // automaton (its table stays in cache) for a few more sentences to judge.
        const k = literal.slice(0, KEYWORD_PREFIX);
        let kid = keywordIds.get(k);
        if (kid === undefined) {
          kid = keywordIds.size;
          keywordIds.set(k, kid);
          keywordConcepts.push([]);
        }
        keywordConcepts[kid]!.push(id);
      }
    }
    return id;
  };
  const markers = new Map(Object.entries(file.languages).flatMap(([lang, l]) => (l.marker === undefined ? [] : [[lang, l.marker] as const])));
  const gate = markers.size === 0 ? null : buildGate(markers);
  const templateShape = new Map<string, string[][]>();
  const shapeOf = (t: string) => templateShape.get(t) ?? templateShape.set(t, templateClauses(t)).get(t)!;
  for (const [lang, lexicon] of Object.entries(file.languages)) {
    // Rules share templates ("\\b(?:{topic})\\b" in most): each is filled once per language.
    const filled = new Map<string, string | null>();
    for (const r of file.rules) {
      if (r.langs !== undefined && !r.langs.includes(lang)) continue;
      const compile = (list: readonly string[] | undefined): number[] | null => {
        const out: number[] = [];
        for (const p of list ?? []) {
          let source = filled.get(p);
          if (source === undefined) filled.set(p, (source = fill(p, lexicon)));
          if (source === null) return null;
          let id = patternIds.get(source);
          if (id === undefined) {
            try {
              patterns.push(new RegExp(compiled(source)));
            } catch (err) {
              throw new Error(`prohibited-use rule ${r.id}/${lang}: ${(err as Error).message}`);
            }
            id = patterns.length - 1;
            patternIds.set(source, id);
          }
          out.push(id);
        }
        return out;
      };
      const all = compile(r.all);
      const any = compile(r.any);
      const none = compile(r.none);
      const some = compile(r.some?.of);
      if (all === null || any === null || none === null || some === null || r.anchor.some((a) => lexicon[a] === undefined)) continue;
      // The anchor first: it is the rule author's choice of the rarest concept, so the best key.
      // A marker language's rules also need one of its markers, which the keyword pass sees too (gate.ts).
      const named: string[][] = [r.anchor, ...(lexicon.marker === undefined ? [] : [["marker"]]), ...r.all.flatMap(shapeOf)];
      if (r.any !== undefined && r.any.length > 0) {
        const each = r.any.map(shapeOf);
        if (each.every((c) => c.length > 0)) named.push([...new Set(each.flatMap((c) => c[0]!))]);
      }
      const clauses = named
        .map((names) => names.map((n) => concept(lang, n, lexicon[n]!)))
        .filter((ids) => !ids.includes(-1))
        .map((ids) => [...new Set(ids)]);
      const someGroups = (r.some?.of ?? []).map((p) => {
        const shape = shapeOf(p);
        if (shape.length === 0) return null;
        const ids = shape[0]!.map((n) => concept(lang, n, lexicon[n]!));
        return ids.includes(-1) ? null : [...new Set(ids)];
      });
      rules.push({ reason: r.reason, rule: `${r.id}/${lang}`, clauses, all, any, none, some, someMin: r.some?.min ?? 0, someGroups, langBit: gate?.bits.get(lang) ?? 0 });
    }
  }
  const conceptLanguage = new Int32Array(conceptCount);
  for (const [key, id] of conceptIds) if (id >= 0) conceptLanguage[id] = gate?.bits.get(key.slice(0, key.indexOf(":"))) ?? 0;
  const conceptRules: number[][] = Array.from({ length: conceptCount }, () => []);
  const unkeyed: number[] = [];
  rules.forEach((r, i) => {
    if (r.clauses.length === 0) unkeyed.push(i);
    else for (const c of r.clauses[0]!) conceptRules[c]!.push(i);
  });
  const words = [...keywordIds.keys()];
  const keywords = buildKeywords(words);
  const stateConcepts = keywords.out.map((ks) => (ks === null ? null : [...new Set(ks.flatMap((k) => keywordConcepts[k]!))]));
  const stateLongest = Int32Array.from(keywords.out, (ks) => Math.max(0, ...(ks ?? []).map((k) => words[k]!.length)));
  // The classifier learnt from the first eight languages, so only their lexicons veto it: a marker language's animal
  // or simulator words, read in text of another language, would overrule it where nothing was said.
  const vetoing = Object.values(file.languages).filter((l) => l.marker === undefined);
  const wildlife = vetoing.flatMap((l) => [l.wildlife, l.relief]).filter((w): w is string => w !== undefined);
  const simulator = vetoing.map((l) => l.simulator).filter((w): w is string => w !== undefined);
  const realdata = vetoing.map((l) => l.realdata).filter((w): w is string => w !== undefined);
  return {
    rules,
    patterns,
    gate,
    wildlife: wildlife.length === 0 ? null : new RegExp(compiled(`\\b(?:${wildlife.join("|")})\\b`)),
    simulator: simulator.length === 0 ? null : new RegExp(compiled(`\\b(?:${simulator.join("|")})\\b`)),
    realdata: realdata.length === 0 ? null : new RegExp(compiled(`\\b(?:${realdata.join("|")})\\b`)),
    keywords,
    keywordLength: Int32Array.from(words, (w) => w.length),
    keywordConcepts,
    stateConcepts,
    stateLongest,
    conceptRules,
    keyed: Uint8Array.from(conceptRules, (rs) => (rs.length > 0 ? 1 : 0)),
    conceptLanguage,
    unkeyed,
    conceptCount,
  };
}

/**
 * Judges each sentence, then each pair of neighbours ("Which users wrote these posts? List their names."), the
 * first rule that fires deciding. The keyword pass says which concepts each sentence may hold; a rule's regexes
 * run only where every clause of its concepts is met. (A keyword that would only appear across the join of a
 * pair is not seen; rules are written within sentences.)
 */
export function detectWith(set: RuleSet, text: string): ProhibitedUse | null {
  const prepared = prepare(text, set.keywords);
  const { buf, hits } = prepared;
  // Quoted material an opening instruction asks only to transform (summarise, translate, proofread) is not judged,
  // nor pasted material beside such an instruction, but for its sentences that speak to the reader (material.ts).
  const ranges = withoutPastedMaterial(buf, withoutQuotedMaterial(buf, prepared.ranges));
  const n = ranges.length / 2;
  if (n === 0) return null;
  const scratch = scratchFor(set);
  // Concepts of each sentence: ids in concepts.ids, sentence s owning ids[conceptFrom[s] .. conceptFrom[s + 1]);
  // the same for the concepts that key some rule (keys, keyFrom), which alone make candidates.
  const concepts = new ConceptList(Math.max(64, hits.count * 2));
  const conceptFrom = new Int32Array(n + 1);
  const keyFrom = new Int32Array(n + 1);
  // Per sentence: the marker languages it may be in (gate.ts), and its first keyword hit.
  const languagesOf = new Int32Array(n);
  const hitFrom = new Int32Array(n);
  const { gate } = set;
  let h = 0;
  for (let s = 0; s < n; s++) {
    const start = ranges[2 * s]!;
    const end = ranges[2 * s + 1]!;
    conceptFrom[s] = concepts.count;
    keyFrom[s] = concepts.keyCount;
    // A marker language's concepts count in a passage that holds one of its markers, so text in other languages
    // never weighs its rules.
    languagesOf[s] = gate === null ? 0 : languagesIn(gate, buf, start, end);
    while (h < hits.count && hits.ends[h]! <= start) h++;
    hitFrom[s] = h;
    collectConcepts(set, hits, h, start, end, languagesOf[s]!, scratch, scratch.next(), concepts);
    conceptFrom[s + 1] = concepts.count;
    keyFrom[s + 1] = concepts.keyCount;
    const c0 = ranges[2 * contextFirst(buf, ranges, s)]!;
    const c1 = ranges[2 * contextLast(buf, ranges, s) + 1]!;
    const found = scratch.judge(concepts.keys, keyFrom[s]!, concepts.keyCount, languagesOf[s]!, buf, start, end, -1, -1, c0, c1);
    if (found !== null) return found;
  }
  let pair: ConceptList | null = null;
  for (let s = 1; s < n; s++) {
    // Neighbours across a paragraph break (a blank line) are not one request: joining them refused pairs of
    // legitimate paragraphs, each allowed alone (e.g. two texts of the legitimate corpus set one after another).
    if (paragraphBreak(buf, ranges[2 * s - 1]!, ranges[2 * s]!)) continue;
    const stamp = scratch.next();
    const c0 = ranges[2 * contextFirst(buf, ranges, s - 1)]!;
    const c1 = ranges[2 * contextLast(buf, ranges, s) + 1]!;
    let keys = concepts.keys;
    let keysFrom = keyFrom[s - 1]!;
    let keysTo = keyFrom[s + 1]!;
    if (languagesOf[s - 1] === languagesOf[s]) {
      for (let j = conceptFrom[s - 1]!; j < conceptFrom[s + 1]!; j++) scratch.present[concepts.ids[j]!] = stamp;
    } else {
      // A marker language of one sentence counts in the other too: the pair's concepts are read again for both.
      pair ??= new ConceptList(64);
      pair.count = 0;
      pair.keyCount = 0;
      collectConcepts(set, hits, hitFrom[s - 1]!, ranges[2 * s - 2]!, ranges[2 * s + 1]!, languagesOf[s - 1]! | languagesOf[s]!, scratch, stamp, pair);
      keys = pair.keys;
      keysFrom = 0;
      keysTo = pair.keyCount;
    }
    const found = scratch.judge(keys, keysFrom, keysTo, languagesOf[s - 1]! | languagesOf[s]!, buf, ranges[2 * s - 2]!, ranges[2 * s - 1]!, ranges[2 * s]!, ranges[2 * s + 1]!, c0, c1);
    if (found !== null) return found;
  }
  return set.classifier === undefined || text.length > CLASSIFIER_MAX_TEXT ? null : classifyPassages(set.classifier, set, buf, ranges);
}

/**
 * Adds to `list` the concepts of the keywords lying within buf[start, end), reading hits from index `h` on, each once
 * (marked present with `stamp`), a marker language's only when `languages` holds its bit.
 */
function collectConcepts(set: RuleSet, hits: Prepared["hits"], h: number, start: number, end: number, languages: number, scratch: Scratch, stamp: number, list: ConceptList): void {
  const { keywordLength, keywordConcepts, stateConcepts, stateLongest, keyed, conceptLanguage } = set;
  const { out } = set.keywords;
  for (let j = h; j < hits.count && hits.ends[j]! <= end; j++) {
    const e = hits.ends[j]!;
    const state = hits.states[j]!;
    if (e - stateLongest[state]! >= start) {
      // Every keyword ending here lies within the range: take the state's concepts at once.
      list.addNew(stateConcepts[state]!, scratch.present, stamp, keyed, conceptLanguage, languages);
      continue;
    }
    const ks = out[state]!;
    for (let x = 0; x < ks.length; x++) {
      const k = ks[x]!;
      if (e - keywordLength[k]! >= start) list.addNew(keywordConcepts[k]!, scratch.present, stamp, keyed, conceptLanguage, languages);
    }
  }
}

/**
 * The classifier reads texts up to this long (about 600 words: a request, a message), where its false refusals were
 * measured (about 1% of legitimate nearby requests, cross-validated). A long document is many passages, and each
 * is a chance of a false refusal (about 1 in 2,000 passages of technical prose scored above the threshold), so
 * longer texts get the rules alone.
 */
const CLASSIFIER_MAX_TEXT = 4000;

/** Longest passage the classifier reads at once, in characters: about the length of the requests it learnt from. */
const PASSAGE = 600;

/**
 * The classifier's verdict on each passage: neighbouring sentences of one paragraph, up to PASSAGE characters
 * (a sentence longer than that is a passage alone). The first passage it refuses decides.
 */
function classifyPassages(model: ClassifierModel, vetoes: Pick<RuleSet, "wildlife" | "simulator" | "realdata">, buf: Uint16Array, ranges: Int32Array): ProhibitedUse | null {
  const n = ranges.length / 2;
  for (let s = 0; s < n; ) {
    const start = ranges[2 * s]!;
    let end = ranges[2 * s + 1]!;
    let t = s + 1;
    while (t < n && !paragraphBreak(buf, end, ranges[2 * t]!) && ranges[2 * t + 1]! - start <= PASSAGE) end = ranges[2 * t++ + 1]!;
    const verdict = classify(model, features(buf, start, end));
    if (verdict !== null && !vetoed(verdict.reason, vetoes, UTF16.decode(buf.subarray(start, end)))) return { reason: verdict.reason, rule: `classifier/${verdict.reason}` };
    s = t;
  }
  return null;
}

/** Whether the rules' own exclusions overrule a classifier verdict on this passage: animals or family tracing for surveillance, a training simulator (not said to be fed real data) for weapons and targeting. */
function vetoed(reason: ProhibitedReason, vetoes: Pick<RuleSet, "wildlife" | "simulator" | "realdata">, passage: string): boolean {
  if (reason === "mass_surveillance") return vetoes.wildlife !== null && vetoes.wildlife.test(passage);
  return vetoes.simulator !== null && vetoes.simulator.test(passage) && !(vetoes.realdata !== null && vetoes.realdata.test(passage));
}

/**
 * Where the exclusions of a rule are read for a passage of sentences: the passage and the sentence on each side of
 * it within its paragraph. A frame said next to the request counts as said in it ("For my school essay: should
 * weapons decide on their own whom to kill?"; "Journalists worry about fake cell towers. How can they tell if...").
 * These give the first and the last sentence of that context.
 */
function contextFirst(buf: Uint16Array, ranges: Int32Array, first: number): number {
  return first > 0 && !paragraphBreak(buf, ranges[2 * first - 1]!, ranges[2 * first]!) && !listItem(buf, ranges[2 * first - 2]!) ? first - 1 : first;
}
function contextLast(buf: Uint16Array, ranges: Int32Array, last: number): number {
  return last + 1 < ranges.length / 2 && !paragraphBreak(buf, ranges[2 * last + 1]!, ranges[2 * last + 2]!) && !listItem(buf, ranges[2 * last + 2]!)
    ? last + 1
    : last;
}

/**
 * Whether the sentence starting at buf[at] is an item of a list ("- ", "* ", "• ", "3. ", "b) "). Items are separate
 * requests: "- summarise the fuel report" frames nothing about the item after it, so a list item lends no context.
 */
function listItem(buf: Uint16Array, at: number): boolean {
  const c = buf[at];
  if (c === 45 || c === 42 || c === 0x2022 || c === 0x2013) return buf[at + 1] === 32;
  let i = at;
  while (i < at + 3 && ((buf[i]! >= 48 && buf[i]! <= 57) || (i === at && buf[i]! >= 97 && buf[i]! <= 122))) i++;
  return i > at && (buf[i] === 46 || buf[i] === 41) && buf[i + 1] === 32;
}

/** Whether buf[from, to), the gap between two sentences, holds a blank line (normalised text keeps line breaks). */
function paragraphBreak(buf: Uint16Array, from: number, to: number): boolean {
  let lines = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10 && ++lines === 2) return true;
  return false;
}

/**
 * The concept ids of every sentence, one after another. A typed array grown by hand: pushing some 100,000 ids a
 * megabyte onto a plain array cost more than the rest of the loop filling it.
 */
class ConceptList {
  ids: Int32Array;
  count = 0;
  /** The ids that key some rule, in a list of their own. */
  keys: Int32Array;
  keyCount = 0;
  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.keys = new Int32Array(capacity);
  }
  /**
   * Appends each of `cs` not yet marked present with `stamp` in this sentence, and marks it; a concept of a marker
   * language only when `languages` (the sentence's) holds its bit.
   */
  addNew(cs: readonly number[], present: Int32Array, stamp: number, keyed: Uint8Array, conceptLanguage: Int32Array, languages: number): void {
    for (let y = 0; y < cs.length; y++) {
      const c = cs[y]!;
      if (present[c] === stamp) continue;
      const language = conceptLanguage[c]!;
      if (language !== 0 && (language & languages) === 0) continue;
      present[c] = stamp;
      if (this.count === this.ids.length) this.ids = grow(this.ids);
      this.ids[this.count++] = c;
      if (keyed[c] === 1) {
        if (this.keyCount === this.keys.length) this.keys = grow(this.keys);
        this.keys[this.keyCount++] = c;
      }
    }
  }
}

function grow(a: Int32Array): Int32Array {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

const UTF16 = new TextDecoder("utf-16le");

function anyPresent(clause: readonly number[], present: Int32Array, stamp: number): boolean {
  for (let j = 0; j < clause.length; j++) if (present[clause[j]!] === stamp) return true;
  return false;
}

/** Every clause has a concept present, and enough of the counted groups do. */
function meets(rule: CompiledRule, present: Int32Array, stamp: number): boolean {
  const { clauses, someGroups, someMin } = rule;
  for (let i = 0; i < clauses.length; i++) if (!anyPresent(clauses[i]!, present, stamp)) return false;
  if (someMin === 0) return true;
  let count = 0;
  for (let i = 0; i < someGroups.length && count < someMin; i++) {
    const g = someGroups[i]!;
    if (g === null || anyPresent(g, present, stamp)) count++;
  }
  return count >= someMin;
}

/**
 * Working memory per rule set, kept between calls (detection is synchronous, so one call at a time uses it): a
 * request-sized text costs less than allocating it afresh. Marks are stamped per passage, so old ones never count.
 */
const scratches = new WeakMap<RuleSet, Scratch>();
function scratchFor(set: RuleSet): Scratch {
  let s = scratches.get(set);
  if (s === undefined) scratches.set(set, (s = new Scratch(set)));
  return s;
}

const STAMP_LIMIT = 0x7ffffff0;

/** Which concepts the current passage may hold, which rules were already tried, which patterns matched. */
class Scratch {
  readonly present: Int32Array;
  private readonly tried: Int32Array;
  /** Per pattern: the stamp of the passage it was last tested on, and whether it matched there. */
  private readonly testedAt: Int32Array;
  private readonly matched: Uint8Array;
  private passage = "";
  private stamp = 0;
  private readonly candidates: number[] = [];
  constructor(private readonly set: RuleSet) {
    this.present = new Int32Array(set.conceptCount);
    this.tried = new Int32Array(set.rules.length);
    this.testedAt = new Int32Array(set.patterns.length);
    this.matched = new Uint8Array(set.patterns.length);
  }
  /** Whether pattern `id` matches the current passage; each pattern is run at most once per passage. */
  test(id: number): boolean {
    if (this.testedAt[id] === this.stamp) return this.matched[id] === 1;
    const hit = this.set.patterns[id]!.test(this.passage);
    this.testedAt[id] = this.stamp;
    this.matched[id] = hit ? 1 : 0;
    return hit;
  }
  /** A new passage: marks left by earlier ones no longer count. */
  next(): number {
    if (this.stamp === STAMP_LIMIT) {
      // Stamps are never reused while a mark of theirs may remain: start the marks afresh.
      this.present.fill(0);
      this.tried.fill(0);
      this.testedAt.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
  /**
   * The first rule, in file order, whose clauses the passage's concepts (concepts[from..to)) meet and whose
   * patterns hold. The passage is buf[a0, a1), joined by a space to buf[b0, b1) for a pair (b0 = -1 alone), and
   * `languages` the marker languages its words may be in (gate.ts); its text is only decoded when some rule gets that far.
   */
  judge(concepts: Int32Array, from: number, to: number, languages: number, buf: Uint16Array, a0: number, a1: number, b0: number, b1: number, c0: number, c1: number): ProhibitedUse | null {
    const { set, present, tried, stamp, candidates } = this;
    candidates.length = 0;
    for (const r of set.unkeyed) candidates.push(r);
    const { conceptRules } = set;
    for (let j = from; j < to; j++) {
      for (const r of conceptRules[concepts[j]!]!) {
        if (tried[r] === stamp) continue;
        tried[r] = stamp;
        if (meets(set.rules[r]!, present, stamp)) candidates.push(r);
      }
    }
    if (candidates.length === 0) return null;
    candidates.sort((a, b) => a - b);
    const first = UTF16.decode(buf.subarray(a0, a1));
    this.passage = b0 < 0 ? first : `${first} ${UTF16.decode(buf.subarray(b0, b1))}`;
    let context: string | null = null;
    for (const i of candidates) {
      const r = set.rules[i]!;
      // First, whether the passage holds one of the rule's language's markers (gate.ts): cheaper than its patterns.
      if (r.langBit !== 0 && (r.langBit & languages) === 0) continue;
      if (!this.all(r.all)) continue;
      if (r.any.length > 0 && !this.any(r.any)) continue;
      if (this.any(r.none)) continue;
      if (r.someMin > 0 && !this.countAtLeast(r)) continue;
      // Exclusions also hold from the sentences around the passage (contextFirst): decoded only when a rule gets here.
      if (r.none.length > 0 && (c0 < a0 || c1 > (b0 < 0 ? a1 : b1))) {
        context ??= UTF16.decode(buf.subarray(c0, c1));
        if (r.none.some((id) => set.patterns[id]!.test(context!))) continue;
      }
      return { reason: r.reason, rule: r.rule };
    }
    return null;
  }
  private all(ids: readonly number[]): boolean {
    for (let j = 0; j < ids.length; j++) if (!this.test(ids[j]!)) return false;
    return true;
  }
  private any(ids: readonly number[]): boolean {
    for (let j = 0; j < ids.length; j++) if (this.test(ids[j]!)) return true;
    return false;
  }
  /** At least someMin of the rule's `some` patterns match; one whose concepts the keyword pass did not see cannot. */
  private countAtLeast(rule: CompiledRule): boolean {
    const { some, someGroups, someMin } = rule;
    let count = 0;
    for (let i = 0; i < some.length && count < someMin; i++) {
      if (count + (some.length - i) < someMin) return false;
      const g = someGroups[i]!;
      if (g !== null && !anyPresent(g, this.present, this.stamp)) continue;
      if (this.test(some[i]!)) count++;
    }
    return count >= someMin;
  }
}


/** Rules from YAML text; with `classifier` (a model file's text), the classifier is consulted when no rule fires. */
export function loadRules(yamlText: string, classifier?: string, options: CompileOptions = {}): RuleSet {
  const set = compileRules(RuleFile.parse(parse(yamlText)), options);
  return classifier === undefined ? set : { ...set, classifier: parseModel(classifier) };
}

const DEFAULT_RULES = loadRules(
  readFileSync(new URL("./rules.yaml", import.meta.url), "utf8"),
  readFileSync(new URL("./classifier-model.txt", import.meta.url), "utf8"),
);

/** The first prohibited use the text asks for, or null. Pure: the same text always gives the same answer. */
export function detectProhibitedUse(text: string): ProhibitedUse | null {
  return detectWith(DEFAULT_RULES, text);
}

export { normalise, normaliseReference } from "./prepare.ts";
