/**
 * The options an analysis accepts. The schema is the construction that keeps this workload about messages:
 * it has no way to ask for grouping, ranking or filtering by author, and a request that tries (any key or
 * value naming authors, senders, users or persons) is refused as prohibited use (mass surveillance) before
 * anything is read. Free-text purposes are the policy guard's to judge (detectProhibitedUse).
 */
import { z } from "zod";
import { InvalidRequest, ProhibitedUse } from "../../errors/index.ts";
import { Glossary } from "./terminology.ts";
import { findLanguage } from "./languages.ts";

// Stems of every way to ask for people rather than messages (author, sender, per_user, profiling, tracking...).
const PERSONAL = /author|sender|user|person|people|individual|employee|profil|track|identif/iu;
const personal = (s: string) => PERSONAL.test(s);

export const GroupBy = z.enum(["channel", "language", "day", "official_account"]);

export const AnalysisOptions = z
  .object({
    /** Translate every message into this member language. */
    to: z.string().refine((c) => findLanguage(c) !== undefined, "not a member language code").optional(),
    /** Why the analysis runs; audited with the analysis size. */
    purpose: z.string().min(1).max(500).prefault("unspecified"),
    /** Dimensions of the report. Authors are not one; official accounts are, by their configured names. */
    group_by: z.array(GroupBy).max(4).prefault(["channel", "day"]),
    /** How many most positive / most negative messages the report quotes. */
    top_messages: z.number().int().min(0).max(50).prefault(5),
    glossary: Glossary.prefault([]),
    /** Second sentiment method through the LLM endpoint, when the caller provides one. */
    llm_sentiment: z.boolean().prefault(false),
  })
  .strict();
export type AnalysisOptions = z.infer<typeof AnalysisOptions>;
export type AnalysisOptionsInput = z.input<typeof AnalysisOptions>;

function refuse(): never {
  throw new ProhibitedUse(
    "comms analysis works on messages, not people: grouping, ranking or profiling by author is a prohibited use (mass surveillance)",
    { details: { reason: "mass_surveillance" } },
  );
}

/** Keys and values that ask for per-person output, anywhere in the request. */
function asksForPersons(value: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  if (typeof value === "string") return personal(value);
  if (Array.isArray(value)) return value.some((v) => asksForPersons(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => (k !== "glossary" && k !== "purpose" && personal(k)) || (k !== "glossary" && k !== "purpose" && asksForPersons(v, depth + 1)));
  }
  return false;
}

/** Throws ProhibitedUse (mass_surveillance) when a request body asks for per-person output anywhere. */
export function assertNotPerPerson(value: unknown): void {
  if (asksForPersons(value)) refuse();
}

/** Validates analysis options; per-person requests are ProhibitedUse, other bad input InvalidRequest. */
export function parseAnalysisOptions(input: unknown): AnalysisOptions {
  assertNotPerPerson(input);
  const r = AnalysisOptions.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidRequest(`analysis options: ${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}`, { param: issue?.path.join(".") ?? null });
  }
  return r.data;
}
