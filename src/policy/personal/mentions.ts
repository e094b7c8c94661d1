/**
 * Later mentions of a person already found: "Anna Kowalska opened the meeting. Kowalska then said ...", "Tomas
 * Kazlauskas ... su Kazlausko komanda", "Stefan Müller ... Müllers Bericht". Once a text names someone in full, a
 * capitalised word that is one of their names, or that name declined (Polish, Lithuanian, Finnish, Hungarian case
 * endings) or in the possessive, names them too. Only names the text itself gave are followed, so no gazetteer of
 * surnames is needed and a word is never a name because of another text.
 */
import type { PersonalDataMatch } from "./detect.ts";

/** Letters a case ending may add to a name's stem (Polish -iej, Finnish -sen, Hungarian -nak: three at most). */
const MAX_ENDING = 3;

/** Words of a found name that identify the person: letters only, three or more, not a title or particle. */
const NAME_WORD = /\p{L}[\p{L}'’]*/gu;
const TOKEN = /(?<!\p{L})\p{Lu}[\p{L}'’]*/gu;

/** The most letters a mention adds to a name's stem (a two-letter cut and a case ending). */
const LONGEST_ENDING = 2 + MAX_ENDING - 1;

/**
 * The later mentions in `text` of the people named by `names` (NAME matches), as NAME matches; words inside spans
 * `taken` already covers are skipped. `skip` holds words that are never a person's (titles, particles).
 */
export function laterMentions(text: string, names: readonly PersonalDataMatch[], skip: ReadonlySet<string>, taken: (start: number, end: number) => boolean): PersonalDataMatch[] {
  // Stem to the letters a mention may add to it. A word is looked up by its own prefixes, at most LONGEST_ENDING + 1
  // of them, so the work per word stays the same however many people a text names.
  const byStem = new Map<string, number>();
  for (const n of names) {
    if (n.kind !== "NAME") continue;
    for (const m of text.slice(n.start, n.end).matchAll(NAME_WORD)) {
      const word = m[0].replace(/['’]s?$/u, "");
      if (word.length < 3 || skip.has(word) || !/^\p{Lu}/u.test(word)) continue;
      const lower = word.toLowerCase();
      // A long name is declined on its last letters ("Kowalska" -> "Kowalskiej", "Kazlauskas" -> "Kazlausko").
      const cut = lower.length >= 6 ? 2 : lower.length === 5 ? 1 : 0;
      const stem = lower.slice(0, lower.length - cut);
      const ending = cut === 0 ? 0 : cut === 1 ? 2 : cut + MAX_ENDING - 1;
      byStem.set(stem, Math.max(byStem.get(stem) ?? 0, ending));
    }
  }
  if (byStem.size === 0) return [];
  const out: PersonalDataMatch[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0].replace(/['’]s?$/u, "");
    const lower = token.toLowerCase();
    const start = m.index;
    const end = start + token.length;
    for (let length = lower.length; length >= 3 && length >= lower.length - LONGEST_ENDING; length--) {
      const ending = byStem.get(length === lower.length ? lower : lower.slice(0, length));
      if (ending === undefined) continue;
      const extra = lower.length - length;
      // The word itself, with a possessive s ("Müllers", "Jóns"), or its stem with a case ending.
      if (extra === 0 || (extra === 1 && lower.endsWith("s")) || (ending > 0 && extra <= ending)) {
        if (!taken(start, end)) out.push({ kind: "NAME", start, end });
        break;
      }
    }
  }
  return out;
}
