import { ClassificationExceeded, ProhibitedUse } from "../errors/index.ts";
import { createOutputGuard, detectProhibitedUse, redactPersonalData, scanMarkings, shouldRedact, type Finding, type GuardStep } from "../policy/index.ts";
import { StreamBroken } from "../backends/index.ts";
import type { RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";

/**
 * The guard stages: classification of what comes in and what goes out, and redaction of personal data before
 * it leaves. Decisions are the policy folder's pure functions; this file only applies them to a request.
 */

function refuseMarking(ctx: RequestContext, gw: Gateway, f: Finding, where: string, direction: "input" | "output"): never {
  ctx.decisions.push({ stage: direction === "input" ? "classify" : "classify_out", decision: "deny", reason: "classification_exceeded" });
  ctx.auditExtra = { ...ctx.auditExtra, marking: f.marking, marking_level: f.level };
  const at = `line ${f.location.line}, column ${f.location.column}`;
  const msg = direction === "input"
    ? `${where} carries the marking "${f.marking}" (${f.level}) at ${at}, above this network's ceiling ${gw.ceiling()}; remove classified material before sending it here`
    : `the model's output carried the marking "${f.marking}" (${f.level}), above this network's ceiling ${gw.ceiling()}; the output was withheld`;
  throw new ClassificationExceeded(msg, { details: { marking: f.marking, level: f.level, where: direction === "input" ? where : "output", line: f.location.line, column: f.location.column } });
}

/** Refuses input carrying a marking above the ceiling, naming the marking and where, never echoing content. */
export function classifyInput(ctx: RequestContext, gw: Gateway, text: string, where: string): void {
  const [f] = scanMarkings(text, { ceiling: gw.ceiling() });
  if (f) refuseMarking(ctx, gw, f, where, "input");
  ctx.decisions.push({ stage: "classify", decision: "allow", reason: "no_marking" });
}

/**
 * Refuses a request that seeks a prohibited use (mass surveillance, autonomous weapons, targeting). The refusal
 * names the reason code and the rule, never the text.
 */
export function checkProhibitedUse(ctx: RequestContext, text: string): void {
  const hit = detectProhibitedUse(text);
  if (!hit) {
    ctx.decisions.push({ stage: "prohibit", decision: "allow", reason: "none" });
    return;
  }
  ctx.decisions.push({ stage: "prohibit", decision: "deny", reason: hit.reason });
  ctx.auditExtra = { ...ctx.auditExtra, prohibited_rule: hit.rule };
  const what = { mass_surveillance: "mass surveillance (bulk identification, tracking or profiling of people)", autonomous_weapons: "autonomous weapons (weapon guidance or engagement without a human)", targeting: "targeting (selecting or locating targets to strike)" }[hit.reason];
  throw new ProhibitedUse(`this request falls under a use the alliance prohibits: ${what}; rule ${hit.rule}. Concord cannot be used for it`, { details: { reason: hit.reason, rule: hit.rule } });
}

/** Withholds a complete output that carries a marking above the ceiling. */
export function classifyOutput(ctx: RequestContext, gw: Gateway, text: string): void {
  const [f] = scanMarkings(text, { ceiling: gw.ceiling() });
  if (f) refuseMarking(ctx, gw, f, "output", "output");
}

/** The model text inside a chat completion (or chunk): message content, deltas, and reasoning text. */
export function completionText(json: unknown): string {
  const choices = (json as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return "";
  let text = "";
  for (const c of choices) {
    const m = (c as { message?: Record<string, unknown>; delta?: Record<string, unknown> }).message ?? (c as { delta?: Record<string, unknown> }).delta;
    if (!m) continue;
    for (const k of ["content", "reasoning_content", "refusal"]) if (typeof m[k] === "string") text += m[k] as string;
  }
  return text;
}

/** Text the output guard judges inside a choice besides `completionText`'s: tool-call arguments, streamed in pieces. */
function toolCallText(json: unknown): string {
  const choices = (json as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return "";
  let text = "";
  for (const c of choices) {
    const m = (c as { message?: { tool_calls?: unknown }; delta?: { tool_calls?: unknown } }).message ?? (c as { delta?: { tool_calls?: unknown } }).delta;
    if (!Array.isArray(m?.tool_calls)) continue;
    for (const t of m.tool_calls) {
      const args = (t as { function?: { arguments?: unknown } } | null)?.function?.arguments;
      if (typeof args === "string") text += args;
    }
  }
  return text;
}

const GUARDED_TEXT = new Set(["content", "reasoning_content", "refusal"]);
/** Deeper than any OpenAI reply nests: refused rather than left unread. */
const MAX_DEPTH = 32;

/** Where a value sits, as far as the model's text is concerned (completionText and toolCallText read it). */
const At = { Any: 0, Top: 1, Choices: 2, Choice: 3, Message: 4, ToolCalls: 5, ToolCall: 6, Function: 7 } as const;
type At = (typeof At)[keyof typeof At];

function walk(v: unknown, out: string[], depth: number, at: At): void {
  if (typeof v === "string") { out.push(v); return; }
  if (v === null || typeof v !== "object") return;
  if (depth > MAX_DEPTH) throw new StreamBroken("malformed_stream", "upstream reply is nested deeper than any OpenAI reply");
  if (Array.isArray(v)) {
    const inner = at === At.Choices ? At.Choice : at === At.ToolCalls ? At.ToolCall : At.Any;
    for (const x of v) walk(x, out, depth + 1, inner);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    out.push(k);
    const x = o[k];
    let next: At = At.Any;
    if (at === At.Top) { if (k === "choices") next = At.Choices; }
    // completionText reads `message ?? delta`: a delta beside a message is not model text it judged.
    else if (at === At.Choice) { if (k === "message" || (k === "delta" && o["message"] == null)) next = At.Message; }
    else if (at === At.Message) {
      if (typeof x === "string" && GUARDED_TEXT.has(k)) continue;
      if (k === "tool_calls") next = At.ToolCalls;
    } else if (at === At.ToolCall) { if (k === "function") next = At.Function; }
    else if (at === At.Function && k === "arguments" && typeof x === "string") continue;
    walk(x, out, depth + 1, next);
  }
}

/**
 * Every other string in an upstream reply (ids, model names, keys, fields a server adds), one per line: all but
 * the model's text that completionText and toolCallText give the guard. A client may show any field, so no
 * byte leaves unjudged.
 */
export function otherStrings(json: unknown): string {
  const out: string[] = [];
  walk(json, out, 0, At.Top);
  return out.join("\n");
}

/** Withholds a complete JSON reply (a chat completion or embeddings) carrying a marking anywhere in it. */
export function classifyReply(ctx: RequestContext, gw: Gateway, json: unknown): void {
  classifyOutput(ctx, gw, completionText(json) + toolCallText(json));
  classifyOutput(ctx, gw, otherStrings(json));
}

/** One streamed event as a JSON object; anything else is broken framing, an error object is the upstream failing. */
function parseEvent(data: string): Record<string, unknown> {
  let json: unknown;
  try { json = JSON.parse(data); } catch { json = undefined; }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new StreamBroken("malformed_stream", "upstream sent a stream event that is not a JSON object");
  if ("error" in json) throw new StreamBroken("upstream_error_event", "upstream reported an error in its stream");
  return json as Record<string, unknown>;
}

/** Events held while the guard decides, at most this many bytes: text-less events cannot pile up without end. */
const MAX_HELD_BYTES = 4 << 20;

/**
 * Guards a stream of SSE payloads: an event is released only once the output guard has judged all of its text,
 * so a marking split across chunks is caught before any part of it reaches the client. A marking ends the
 * stream with an error instead of the withheld events. Each event is parsed, judged and sent re-serialised, so
 * the client gets exactly what the guard read (no unparseable bytes, no duplicate keys a client could read
 * differently); an event that is not JSON ends the stream with an upstream error, never reaches the client.
 * When the upstream fails, events still held are dropped, not flushed.
 */
export async function* guardStream(ctx: RequestContext, gw: Gateway, events: AsyncIterable<string>): AsyncIterable<string> {
  const guard = createOutputGuard({ ceiling: gw.ceiling() });
  const held: Array<{ data: string; end: number }> = [];
  let heldBytes = 0;
  let lastOther = "";
  let total = 0;
  let released = 0;
  const step = (s: GuardStep) => {
    if (s.findings[0]) refuseMarking(ctx, gw, s.findings[0], "output", "output");
    released += s.release.length;
  };
  for await (const data of events) {
    const json = parseEvent(data);
    const text = completionText(json) + toolCallText(json);
    if (text) {
      step(guard.push(text));
      total += text.length;
    }
    // Ids, object and model names repeat in every chunk: judge them again only when they change.
    const other = otherStrings(json);
    if (other !== lastOther) classifyOutput(ctx, gw, other);
    lastOther = other;
    const out = JSON.stringify(json);
    held.push({ data: out, end: total });
    heldBytes += out.length;
    while (held.length > 0 && held[0]!.end <= released) {
      const h = held.shift()!;
      heldBytes -= h.data.length;
      yield h.data;
    }
    if (heldBytes > MAX_HELD_BYTES) throw new StreamBroken("oversized", `upstream sent more than ${MAX_HELD_BYTES} bytes of events the guard could not yet judge`);
  }
  step(guard.end());
  for (const h of held) yield h.data;
}

/** The request body to send to an endpoint: personal data redacted when the nation's setting asks for it. */
export function bodyFor(ctx: RequestContext, gw: Gateway, body: Record<string, unknown>, endpointJurisdiction: string, textFields: (b: Record<string, unknown>, map: (s: string) => string) => Record<string, unknown>): Record<string, unknown> {
  const nation = ctx.principal ? gw.cfg.nations[ctx.principal.nation] : undefined;
  if (!nation || !shouldRedact(nation.redact_personal_data, ctx.allowed?.has(endpointJurisdiction) ?? false)) return body;
  let redacted = 0;
  const out = textFields(body, (s) => {
    const r = redactPersonalData(s);
    for (const n of Object.values(r.counts)) redacted += n ?? 0;
    return r.text;
  });
  if (redacted > 0) {
    ctx.decisions.push({ stage: "redact", decision: "allow", reason: "personal_data_redacted" });
    ctx.auditExtra = { ...ctx.auditExtra, redacted };
  }
  return out;
}
