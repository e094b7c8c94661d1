/**
 * The policy guard: pure decisions over request and response content.
 *   classify   scanMarkings / createMarkingStream: classification markings above the network's ceiling
 *   prohibit   detectProhibitedUse: the alliance's red lines (mass surveillance, autonomous weapons, targeting)
 *   redact     findPersonalData / redactPersonalData / shouldRedact: personal data and residency
 *   authorize  createAuthorizer: Cedar policies over principal x capability x resource x context
 *   second     consultSecondOpinion: an operator-configured language model asked about what the rules allowed
 */
import { levelRank, type Level } from "./levels.ts";
import { warmUp } from "./warm.ts";
import { detectProhibitedUse } from "./prohibited/detect.ts";
import { findPersonalData } from "./personal/detect.ts";
import { scanWindow, type Finding } from "./markings/scan.ts";
import { createWindowedStream, type MarkingStream } from "./markings/stream.ts";
import { createGuard, type OutputGuard } from "./markings/guard.ts";

export { LEVELS, compareLevels, levelRank, levelName, type Level } from "./levels.ts";
export type { Finding, Evasion } from "./markings/scan.ts";
export type { MarkingStream } from "./markings/stream.ts";
export type { OutputGuard, GuardStep } from "./markings/guard.ts";
export { MARKINGS, type MarkingRow } from "./markings/table.ts";

export interface MarkingOptions {
  /** The network's ceiling, e.g. "NATO UNCLASSIFIED" (the default). */
  readonly ceiling?: Level | string;
}

/** Markings above the ceiling in a text, in order. Findings name the marking and where, never the content. */
export function scanMarkings(text: string, opts: MarkingOptions = {}): Finding[] {
  return scanWindow(text, { ceiling: levelRank(opts.ceiling ?? "NATO UNCLASSIFIED") });
}

/**
 * Guards a streamed model output: push each delta, send `release` to the client; once `withheld`, stop and end
 * the stream with a classification_exceeded error event. Text is released only after it has been judged.
 */
export function createOutputGuard(opts: MarkingOptions = {}): OutputGuard {
  return createGuard(levelRank(opts.ceiling ?? "NATO UNCLASSIFIED"));
}

/** The same scan over a stream of chunks, catching markings split between chunks, with bounded buffering. */
export function createMarkingStream(opts: MarkingOptions = {}): MarkingStream {
  return createWindowedStream(levelRank(opts.ceiling ?? "NATO UNCLASSIFIED"));
}

export { findPersonalData, redactPersonalData, shouldRedact, type PersonalDataKind, type PersonalDataMatch, type Redaction, type RedactionSetting } from "./personal/detect.ts";
export { detectProhibitedUse, type ProhibitedReason, type ProhibitedUse } from "./prohibited/detect.ts";
export {
  createAuthorizer, type Authorizer, type AuthorizerOptions, type AuthorizationRequest, type AuthorizationDecision,
  type AuthorizationPrincipal, type AuthorizationResource, type AuthorizationContext,
} from "./cedar/authorize.ts";
export { compileBundle, DEFAULT_POLICIES, DEFAULT_SCHEMA, PolicyError, type PolicyBundle } from "./cedar/bundle.ts";
export { checkPolicyFile, type FileCheck } from "./cedar/check.ts";
export { consultSecondOpinion, type AskModel, type OnError, type SecondOpinion } from "./second-opinion/consult.ts";

// The detectors' own regexes are compiled at load, before the rules' patterns use up V8's budget for optimised regex
// code (warm.ts): the prohibited-use detector's material and quotation checks on a short request first (they run on
// every request), then the marking scanner and the personal-data detector on the sample of their forms.
warmUp(detectProhibitedUse, "request");
warmUp((text) => scanWindow(text, { ceiling: 0 }));
warmUp(findPersonalData);

