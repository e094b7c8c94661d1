import { z } from "zod";
import type { ProhibitedReason } from "../prohibited/detect.ts";

/** What the second-opinion model said about one request. */
export type Verdict =
  | { readonly prohibited: false }
  | { readonly prohibited: true; readonly reason: ProhibitedReason };

/** The model's answer could not be read as a verdict; the guard then applies the operator's `on_error`. */
export class UnreadableVerdict extends Error {
  readonly code = "unreadable_verdict";
}

const Answer = z
  .object({
    prohibited: z.boolean(),
    reason: z.enum(["mass_surveillance", "targeting", "autonomous_weapons"]).nullable().optional(),
  })
  .strip();

/**
 * Reads the model's answer: one JSON object, possibly inside a Markdown code fence (small models add one). A
 * verdict that says prohibited without a valid reason is unreadable rather than guessed, and so is any answer
 * holding more than one object: the guard never picks between two contradicting verdicts.
 */
export function readVerdict(content: string): Verdict {
  const body = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "").trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnreadableVerdict(`the second opinion was not one JSON object (${body.length} characters)`);
  }
  const parsed = Answer.safeParse(json);
  if (!parsed.success) throw new UnreadableVerdict(`the second opinion had the wrong shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const { prohibited, reason } = parsed.data;
  if (!prohibited) return { prohibited: false };
  if (!reason) throw new UnreadableVerdict("the second opinion said prohibited without naming a reason");
  return { prohibited: true, reason };
}
