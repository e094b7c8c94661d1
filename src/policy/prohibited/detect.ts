/**
 * Prohibited-use detection: rules as data (rules.yaml), compiled once per language, run sentence by sentence
 * over normalised text. Only sentences holding an anchor word of some rule are examined, so long documents
 * cost little.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { classOf, IGN, MULTI, multiLetters, SEP, WORD } from "../markings/fold.ts";

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
  readonly all: readonly RegExp[];
  readonly any: readonly RegExp[];
  readonly none: readonly RegExp[];
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Sentences without a match of this pattern cannot fire any rule. */
  readonly anchor: RegExp;
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;
// The lexicon entries whose presence every rule needs somewhere: a sentence lacking all of them is skipped.
const ANCHORS = ["sv", "svn", "bio", "reveal", "profile", "auto", "guide", "killdecision", "strike", "coord", "targets", "harm", "commsverb"];

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
  const anchors: string[] = [];
  for (const [lang, lexicon] of Object.entries(file.languages)) {
    for (const name of ANCHORS) if (lexicon[name] !== undefined) anchors.push(lexicon[name]);
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
      if (all === null || any === null || none === null) continue;
      rules.push({ reason: r.reason, rule: `${r.id}/${lang}`, all, any, none });
    }
  }
  return { rules, anchor: new RegExp(`\\b(?:${anchors.join("|")})`) };
}

/** Lowercase, accents and look-alikes folded, whitespace collapsed; punctuation kept for sentence breaks. */
export function normalise(text: string): string {
  let out = "";
  let space = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const cls = classOf(cp);
    if (cls === IGN) continue;
    let piece: string;
    if (cls >= 65) piece = String.fromCharCode(cls + 32);
    else if (cls === MULTI) piece = multiLetters(cp).toLowerCase();
    else if (cls === WORD) piece = ch.toLowerCase();
    else if (cls === SEP && /\s/u.test(ch)) {
      if (ch === "\n" || ch === "\r") {
        out += "\n";
        space = false;
        continue;
      }
      space = true;
      continue;
    } else piece = ch === "’" || ch === "‘" ? "'" : ch;
    if (space && out.length > 0 && !out.endsWith("\n")) out += " ";
    space = false;
    out += piece;
  }
  return out;
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
    if (!set.anchor.test(sentence)) continue;
    for (const r of set.rules) {
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
