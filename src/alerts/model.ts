import { InvalidRequest, InvalidTransition } from "../errors/index.ts";

/**
 * An alert: one detection kept for triage. Its life is open → acknowledged → closed (with a reason), and a
 * closed alert can be reopened. Every change appends to `history`, which is never rewritten. The functions
 * here decide and return a new record; storing it is the store's job.
 */

export const ALERT_STATUSES = ["open", "acknowledged", "closed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const CLOSE_REASONS = ["true_positive", "false_positive", "benign", "duplicate"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export type AlertAction = "acknowledge" | "close" | "reopen";

/** The largest event kept with an alert, as JSON characters; a larger event is kept as a truncated excerpt. */
export const EVENT_EXCERPT_CHARS = 8192;
/** Notes and close comments are triage text, not documents. */
export const NOTE_MAX_CHARS = 4000;

export interface AlertRule {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  readonly description?: string;
}

export interface HistoryEntry {
  readonly at: string;
  /** The subject who made the change, as `NATION/subject`. */
  readonly by: string;
  readonly action: "created" | AlertAction | "assign" | "note";
  readonly from?: string | null;
  readonly to?: string | null;
  readonly detail?: string;
}

export interface Note {
  readonly at: string;
  readonly by: string;
  readonly text: string;
}

export interface AlertRecord {
  readonly id: string;
  /** The nation whose principal submitted the logs; only that nation's principals see the alert. */
  readonly nation: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly status: AlertStatus;
  readonly rule: AlertRule;
  /** MITRE ATT&CK tags of the rule (`attack.*`). */
  readonly attack: readonly string[];
  /** The host the event names, when it names one. */
  readonly host: string | null;
  readonly source: { readonly file: string; readonly line: number };
  /** Fields of the matching selections and their values. */
  readonly matched: Readonly<Record<string, unknown>>;
  /** The event as read, or a truncated JSON excerpt of it (then `event_truncated`). */
  readonly event: unknown;
  readonly event_truncated: boolean;
  readonly assignee: string | null;
  readonly close_reason: CloseReason | null;
  readonly close_comment: string | null;
  readonly notes: readonly Note[];
  readonly history: readonly HistoryEntry[];
}

/** A detection as the Sigma engine reports it (src/workloads/cyber's Alert), the fields an alert keeps. */
export interface Detection {
  readonly rule: { readonly id: string; readonly title: string; readonly level: string; readonly tags: readonly string[] };
  readonly source: { readonly file: string; readonly line: number };
  readonly matched: Readonly<Record<string, unknown>>;
  readonly event: unknown;
}

export interface Change {
  readonly by: string;
  readonly at: Date;
}

/** Field names that name the host in the log formats the engine reads (Windows, ECS, syslog, Zeek, CEF). */
const HOST_PATHS = [["Event", "System", "Computer"], ["Computer"], ["host", "name"], ["host", "hostname"], ["hostname"], ["Hostname"], ["host"], ["dvchost"], ["shost"]];

export function hostOf(event: unknown): string | null {
  for (const path of HOST_PATHS) {
    let v: unknown = event;
    for (const k of path) v = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
    if (typeof v === "string" && v.trim()) return v.trim().slice(0, 255);
  }
  return null;
}

/** The event, or a bounded excerpt of its JSON when it is larger than EVENT_EXCERPT_CHARS. */
export function eventExcerpt(event: unknown): { event: unknown; truncated: boolean } {
  const json = JSON.stringify(event ?? null);
  return json.length <= EVENT_EXCERPT_CHARS ? { event: event ?? null, truncated: false } : { event: json.slice(0, EVENT_EXCERPT_CHARS), truncated: true };
}

export function newAlert(d: Detection, init: { id: string; nation: string; description?: string } & Change): AlertRecord {
  const at = init.at.toISOString();
  const ex = eventExcerpt(d.event);
  const tags = d.rule.tags.map(String);
  return {
    id: init.id,
    nation: init.nation,
    created_at: at,
    updated_at: at,
    status: "open",
    rule: { id: d.rule.id, title: d.rule.title, level: d.rule.level, tags, ...(init.description ? { description: init.description } : {}) },
    attack: tags.filter((t) => t.toLowerCase().startsWith("attack.")),
    host: hostOf(d.event),
    source: { file: d.source.file, line: d.source.line },
    matched: d.matched,
    event: ex.event,
    event_truncated: ex.truncated,
    assignee: null,
    close_reason: null,
    close_comment: null,
    notes: [],
    history: [{ at, by: init.by, action: "created", to: "open", detail: `rule ${d.rule.id}` }],
  };
}

/** Which status each action leads to, from which statuses. */
const TRANSITIONS: Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus }> = {
  acknowledge: { from: ["open"], to: "acknowledged" },
  close: { from: ["open", "acknowledged"], to: "closed" },
  reopen: { from: ["closed"], to: "open" },
};

export function isCloseReason(s: string): s is CloseReason {
  return (CLOSE_REASONS as readonly string[]).includes(s);
}

function boundedText(text: string | undefined, what: string): string | null {
  const t = (text ?? "").trim();
  if (t.length > NOTE_MAX_CHARS) throw new InvalidRequest(`${what} is longer than ${NOTE_MAX_CHARS} characters`);
  return t || null;
}

/** Moves an alert through its life; an action its status does not allow throws InvalidTransition. */
export function transition(a: AlertRecord, action: AlertAction, c: Change & { reason?: string; comment?: string }): AlertRecord {
  const t = TRANSITIONS[action];
  if (!t) throw new InvalidRequest(`unknown action "${String(action)}"`);
  if (!t.from.includes(a.status)) throw new InvalidTransition(`alert ${a.id} is ${a.status}; "${action}" applies only to ${t.from.join(" or ")} alerts`, { details: { status: a.status } });
  const at = c.at.toISOString();
  const comment = boundedText(c.comment, "the comment");
  if (action === "close") {
    if (!c.reason || !isCloseReason(c.reason)) throw new InvalidRequest(`closing needs a reason, one of ${CLOSE_REASONS.join(", ")}`, { param: "reason" });
    return {
      ...a, status: "closed", updated_at: at, close_reason: c.reason, close_comment: comment,
      history: [...a.history, { at, by: c.by, action, from: a.status, to: "closed", detail: comment ? `${c.reason}: ${comment}` : c.reason }],
    };
  }
  return {
    ...a, status: t.to, updated_at: at,
    ...(action === "reopen" ? { close_reason: null, close_comment: null } : {}),
    history: [...a.history, { at, by: c.by, action, from: a.status, to: t.to, ...(comment ? { detail: comment } : {}) }],
  };
}

/** Sets or clears the assignee; a closed alert is reopened first, so its triage record stays as closed. */
export function assign(a: AlertRecord, assignee: string | null, c: Change): AlertRecord {
  if (a.status === "closed") throw new InvalidTransition(`alert ${a.id} is closed; reopen it before assigning it`, { details: { status: a.status } });
  const to = assignee?.trim() || null;
  if (to !== null && !/^[A-Za-z0-9._@\/-]{1,128}$/.test(to)) throw new InvalidRequest("assignee must be 1–128 letters, digits, . _ @ / or -", { param: "assignee" });
  if (to === a.assignee) return a;
  const at = c.at.toISOString();
  return { ...a, assignee: to, updated_at: at, history: [...a.history, { at, by: c.by, action: "assign", from: a.assignee, to }] };
}

/** Adds a note (allowed in every status: a closed alert can still be annotated). */
export function addNote(a: AlertRecord, text: string, c: Change): AlertRecord {
  const t = boundedText(text, "the note");
  if (!t) throw new InvalidRequest("a note needs text", { param: "text" });
  const at = c.at.toISOString();
  return { ...a, updated_at: at, notes: [...a.notes, { at, by: c.by, text: t }], history: [...a.history, { at, by: c.by, action: "note", detail: t.length > 200 ? `${t.slice(0, 200)}…` : t }] };
}
