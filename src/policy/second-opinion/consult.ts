import type { ProhibitedReason } from "../prohibited/detect.ts";
import { secondOpinionMessages } from "./prompt.ts";
import { readVerdict } from "./verdict.ts";

export type ChatMessage = { role: "system" | "user"; content: string };
/** Sends the messages to the configured model and resolves to its answer text; rejects on any failure. */
export type AskModel = (messages: ChatMessage[]) => Promise<string>;

/** What to do when the model cannot be asked or its answer cannot be read. */
export type OnError = "refuse" | "allow";

/**
 * The outcome of one consultation. `failed` says the model gave no usable verdict and the operator's `on_error`
 * decided; `detail` says why, without the request text or the model's answer.
 */
export type SecondOpinion =
  | { readonly decision: "allow"; readonly failed: boolean; readonly detail?: string }
  | { readonly decision: "refuse"; readonly reason: ProhibitedReason; readonly failed: false }
  | { readonly decision: "refuse"; readonly reason: null; readonly failed: true; readonly detail: string };

/** Asks the model whether `text` seeks a prohibited use. Never throws: failures become `on_error`'s decision. */
export async function consultSecondOpinion(text: string, ask: AskModel, onError: OnError): Promise<SecondOpinion> {
  let detail: string;
  try {
    const verdict = readVerdict(await ask(secondOpinionMessages(text)));
    return verdict.prohibited ? { decision: "refuse", reason: verdict.reason, failed: false } : { decision: "allow", failed: false };
  } catch (err) {
    detail = err instanceof Error ? err.message : String(err);
  }
  return onError === "allow" ? { decision: "allow", failed: true, detail } : { decision: "refuse", reason: null, failed: true, detail };
}
