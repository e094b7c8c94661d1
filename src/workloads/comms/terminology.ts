/**
 * Alliance terminology survives translation: acronyms, unit and headquarters names and glossary terms are
 * swapped for placeholders (⟦1⟧, ⟦2⟧...) before the text reaches an engine and restored afterwards, either as
 * they were (do-not-translate) or as the glossary's fixed translation for the target language. Apertium passes
 * the placeholders through as unknown tokens; the LLM prompt asks the model to keep them.
 */
import { z } from "zod";
import { UpstreamError } from "../../errors/index.ts";
import { findLanguage } from "./languages.ts";

export const GlossaryEntry = z
  .object({
    term: z.string().min(1).max(200),
    /** Fixed translations by language (639-1 or 639-3 keys); a target without one keeps the term as written. */
    translations: z.record(z.string(), z.string().min(1)).prefault({}),
    /** Match regardless of case (default: exact case, since "Rapid Reaction Corps" is a name, "rapid" is not). */
    ignore_case: z.boolean().prefault(false),
  })
  .strict();
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;
export const Glossary = z.array(GlossaryEntry);
export type Glossary = z.infer<typeof Glossary>;

/** What is protected; `acronyms` on by default. */
export interface ProtectionOptions {
  glossary?: Glossary;
  acronyms?: boolean;
}

export interface ProtectedText {
  /** The text with placeholders, for the engine. */
  text: string;
  /** Number of placeholders. */
  count: number;
  /** Puts the terms back into the engine's output for the target language (ISO 639-3). */
  restore(translated: string, to: string): string;
}

// Two or more capitals (digits and hyphens allowed inside): NATO, HQ, ARRC, JFC-NP, 1GNC. Roman numerals such
// as "II" are acronyms too as far as translation is concerned: they must not change.
const ACRONYM = /(?<![\p{L}\p{N}])\p{N}*\p{Lu}[\p{Lu}\p{N}]*\p{Lu}[\p{Lu}\p{N}]*(?:-[\p{Lu}\p{N}]+)*(?![\p{L}\p{N}])/gu;
// Placeholders: mathematical brackets, which no member language writes and every engine tried passes through.
const PLACEHOLDER = /⟦(\d+)⟧/gu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

function fixedTranslation(entry: GlossaryEntry, to: string): string | undefined {
  for (const [lang, text] of Object.entries(entry.translations)) if (findLanguage(lang)?.iso3 === to) return text;
  return undefined;
}

/** Replaces protected terms by placeholders. Glossary terms first, longest first, then acronyms. */
export function protectTerms(text: string, opts: ProtectionOptions = {}): ProtectedText {
  const originals: { surface: string; entry?: GlossaryEntry }[] = [];
  const place = (surface: string, entry?: GlossaryEntry) => {
    originals.push(entry ? { surface, entry } : { surface });
    return `⟦${originals.length}⟧`;
  };
  let out = text.replace(PLACEHOLDER, "⟦ $1⟧"); // a literal placeholder in the input must not be restored
  const entries = [...(opts.glossary ?? [])].sort((a, b) => b.term.length - a.term.length);
  for (const entry of entries) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(entry.term)}(?![\\p{L}\\p{N}])`, entry.ignore_case ? "giu" : "gu");
    out = out.replace(re, (m) => place(m, entry));
  }
  if (opts.acronyms !== false) out = out.replace(ACRONYM, (m) => place(m));
  return {
    text: out,
    count: originals.length,
    restore(translated, to) {
      const seen = new Set<number>();
      const restored = translated.replace(PLACEHOLDER, (m, n: string) => {
        const i = Number(n) - 1;
        const o = originals[i];
        if (!o) return m;
        seen.add(i);
        return (o.entry && fixedTranslation(o.entry, to)) ?? o.surface;
      });
      if (seen.size < originals.length) {
        throw new UpstreamError(`the translation engine dropped ${originals.length - seen.size} of ${originals.length} protected terms; the output was discarded`);
      }
      return restored.replace(/⟦ (\d+)⟧/gu, "⟦$1⟧");
    },
  };
}
