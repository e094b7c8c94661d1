import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { html, type Html } from "../html.ts";
import type { MessageKey } from "../i18n/index.ts";
import { csrfField, errorBox } from "../layout.ts";
import { field, one, type ConsolePage, type Form, type UploadedFile, type UserContext } from "../page.ts";

/**
 * Alerts: run detection over pasted or uploaded JSON lines (POST /v1/workloads/detect, which keeps each
 * detection as an alert), then triage: list and search with server-side paging and filters (GET /v1/alerts),
 * every shown value a "filter for this value" link, and an alert's page with its rule, event excerpt, notes and
 * history, and forms to acknowledge, assign, annotate, close with a reason or reopen (POST /v1/alerts/{id}/...).
 */

const PAGE = 25;
/** The list filters the API takes, in the order they are shown as active filters. */
const FILTERS = ["status", "level", "rule", "tag", "assignee", "host", "field", "value", "q"] as const;
type Filter = (typeof FILTERS)[number];
const STATUSES = ["open", "acknowledged", "closed"] as const;
const REASONS = ["true_positive", "false_positive", "benign", "duplicate"] as const;
const example = (name: string) => {
  try { return readFileSync(fileURLToPath(new URL(`../../../examples/cyber/${name}`, import.meta.url)), "utf8"); } catch { return ""; }
};

interface AlertRow {
  id: string; nation: string; status: string; created_at: string; updated_at: string;
  rule: { id: string; title: string; level: string; tags: string[]; description?: string };
  attack: string[]; host: string | null; assignee: string | null; close_reason: string | null; close_comment: string | null;
  source: { file: string; line: number }; matched: Record<string, unknown>;
}
interface AlertDetail extends AlertRow {
  event: unknown; event_truncated: boolean;
  notes: Array<{ at: string; by: string; text: string }>;
  history: Array<{ at: string; by: string; action: string; from?: string | null; to?: string | null; detail?: string }>;
}

type Query = Partial<Record<Filter | "offset", string>>;

function queryOf(ctx: UserContext): Query {
  const raw = ctx.req.query as Record<string, string | string[] | undefined>;
  const q: Query = {};
  for (const k of [...FILTERS, "offset"] as const) {
    const v = one(raw[k]).trim();
    if (v) q[k] = v.slice(0, 1024);
  }
  return q;
}

const listUrl = (q: Query) => {
  const p = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== "") as Array<[string, string]>);
  const s = p.toString();
  return `/console/alerts${s ? `?${s}` : ""}`;
};
/** The current query with `more` added (a new filter starts from the first page). */
const withFilter = (q: Query, more: Query) => listUrl({ ...q, offset: undefined, ...more });
const alertUrl = (id: string) => `/console/alerts/${encodeURIComponent(id)}`;

const statusName = (ctx: UserContext, s: string) => (STATUSES as readonly string[]).includes(s) ? ctx.tr.t(`alerts.status.${s}` as MessageKey) : s;
const reasonName = (ctx: UserContext, s: string) => (REASONS as readonly string[]).includes(s) ? ctx.tr.t(`alerts.reason.${s}` as MessageKey) : s;

/** A value shown as a link that adds `name=value` to the list's query; the name says what it filters. */
function filterLink(ctx: UserContext, q: Query, name: Filter, value: string, shown = value, extra: Query = {}, fieldName = ctx.tr.t(`alerts.f.${name}` as MessageKey)): Html {
  return html`<a class="filter" href="${withFilter(q, { [name]: value, ...extra })}" aria-label="${ctx.tr.t("alerts.filterFor", { field: fieldName, value: shown })}">${shown}</a>`;
}

function detectForm(ctx: UserContext): Html {
  const { tr } = ctx;
  return html`<details class="panel"><summary>${tr.t("alerts.detect")}</summary>
<form method="post" action="/console/alerts/detect" enctype="multipart/form-data" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="events">${tr.t("alerts.events")}</label>
  <textarea id="events" name="events" rows="6" spellcheck="false" aria-describedby="events-hint">${example("process-events.jsonl")}</textarea>
  <p id="events-hint" class="hint">${tr.t("alerts.eventsHint")}</p></div>
  <div class="field"><label for="logfile">${tr.t("alerts.logfile")}</label><input id="logfile" name="logfile" type="file" accept=".jsonl,.json,.ndjson,.log,.txt"></div>
  <div class="field"><label for="rules">${tr.t("alerts.rules")}</label>
  <textarea id="rules" name="rules" rows="8" spellcheck="false" aria-describedby="rules-hint">${example("encoded-powershell.yml")}</textarea>
  <p id="rules-hint" class="hint">${tr.t("alerts.rulesHint")}</p></div>
  <button type="submit">${tr.t("alerts.detectSubmit")}</button>
</form></details>`;
}

function searchForm(ctx: UserContext, q: Query): Html {
  const { tr } = ctx;
  const hidden = FILTERS.filter((k) => k !== "q" && k !== "status" && q[k]);
  return html`<form method="get" action="/console/alerts" class="row" role="search">
  ${hidden.map((k) => html`<input type="hidden" name="${k}" value="${q[k] ?? ""}">`)}
  <div class="field"><label for="q">${tr.t("alerts.search")}</label><input id="q" name="q" type="search" value="${q.q ?? ""}" maxlength="256"></div>
  <div class="field"><label for="status">${tr.t("alerts.f.status")}</label>
  <select id="status" name="status"><option value="">${tr.t("alerts.anyStatus")}</option>${STATUSES.map((s) => html`<option value="${s}"${s === q.status ? " selected" : ""}>${statusName(ctx, s)}</option>`)}</select></div>
  <button type="submit">${tr.t("alerts.searchSubmit")}</button>
</form>`;
}

function activeFilters(ctx: UserContext, q: Query): Html {
  const active = FILTERS.filter((k) => q[k] && k !== "value");
  if (!active.length) return html``;
  const { tr } = ctx;
  const label = (k: Filter) => (k === "field" ? `${q.field} = ${q.value ?? ""}` : `${tr.t(`alerts.f.${k}` as MessageKey)} = ${k === "status" ? statusName(ctx, q[k] ?? "") : q[k]}`);
  const without = (k: Filter) => listUrl({ ...q, offset: undefined, [k]: undefined, ...(k === "field" ? { value: undefined } : {}) });
  return html`<ul class="filters" aria-label="${tr.t("alerts.activeFilters")}">${active.map((k) => html`<li>${label(k)} <a href="${without(k)}" aria-label="${tr.t("alerts.removeFilter", { filter: label(k) })}">${tr.t("alerts.remove")}</a></li>`)}
<li><a href="/console/alerts">${tr.t("alerts.clearFilters")}</a></li></ul>`;
}

function table(ctx: UserContext, q: Query, rows: AlertRow[], total: number, offset: number): Html {
  const { tr } = ctx;
  if (!rows.length) return html`<p role="status">${tr.t("alerts.none")}</p>`;
  const pages = [
    ...(offset > 0 ? [html`<a href="${listUrl({ ...q, offset: String(Math.max(0, offset - PAGE)) })}">${tr.t("alerts.previous")}</a>`] : []),
    ...(offset + PAGE < total ? [html`<a href="${listUrl({ ...q, offset: String(offset + PAGE) })}">${tr.t("alerts.next")}</a>`] : []),
  ];
  return html`<p role="status">${tr.t("alerts.count", { from: tr.number(offset + 1), to: tr.number(offset + rows.length), total: tr.number(total) })}</p>
<table><caption>${tr.t("alerts.caption")}</caption>
<thead><tr><th scope="col">${tr.t("alerts.f.title")}</th><th scope="col">${tr.t("alerts.f.status")}</th><th scope="col">${tr.t("alerts.f.level")}</th><th scope="col">${tr.t("alerts.f.rule")}</th><th scope="col">${tr.t("alerts.f.tag")}</th><th scope="col">${tr.t("alerts.f.host")}</th><th scope="col">${tr.t("alerts.f.assignee")}</th><th scope="col">${tr.t("alerts.created")}</th></tr></thead>
<tbody>${rows.map((a) => html`<tr>
<td><a href="${alertUrl(a.id)}">${a.rule.title}</a></td>
<td>${filterLink(ctx, q, "status", a.status, statusName(ctx, a.status))}</td>
<td>${filterLink(ctx, q, "level", a.rule.level)}</td>
<td><code>${filterLink(ctx, q, "rule", a.rule.id)}</code></td>
<td><ul class="tags">${a.attack.map((t) => html`<li>${filterLink(ctx, q, "tag", t)}</li>`)}</ul></td>
<td>${a.host ? filterLink(ctx, q, "host", a.host) : "—"}</td>
<td>${a.assignee ? filterLink(ctx, q, "assignee", a.assignee) : tr.t("alerts.unassigned")}</td>
<td>${tr.date(a.created_at)}</td></tr>`)}</tbody></table>
${pages.length ? html`<nav aria-label="${tr.t("alerts.pages")}" class="row">${pages}</nav>` : ""}`;
}

async function listPage(ctx: UserContext, problem?: string) {
  const q = queryOf(ctx);
  const offset = /^\d{1,7}$/.test(q.offset ?? "") ? Number(q.offset) : 0;
  const params = new URLSearchParams(FILTERS.filter((k) => q[k]).map((k): [string, string] => [k, q[k] as string]));
  // A field filter needs its value (and the reverse): a half pair is dropped rather than refused.
  if (!q.field || !q.value) { params.delete("field"); params.delete("value"); }
  params.set("limit", String(PAGE));
  params.set("offset", String(offset));
  const res = ctx.api.ok(await ctx.api.get<{ data: AlertRow[]; total: number }>(`/v1/alerts?${params}`));
  return {
    title: ctx.tr.t("alerts.title"),
    body: html`${problem ? errorBox(problem) : ""}${detectForm(ctx)}
<section aria-labelledby="list-h"><h2 id="list-h">${ctx.tr.t("alerts.list")}</h2>
${searchForm(ctx, q)}${activeFilters(ctx, q)}${table(ctx, q, res.json.data, res.json.total, offset)}</section>`,
  };
}

/** JSON lines into events; the first line that is not a JSON object is named in the problem. */
export function parseEventLines(text: string): { events: Record<string, unknown>[] } | { badLine: number } {
  const events: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let v: unknown;
    try { v = JSON.parse(line); } catch { return { badLine: i + 1 }; }
    if (v === null || typeof v !== "object" || Array.isArray(v)) return { badLine: i + 1 };
    events.push(v as Record<string, unknown>);
  }
  return { events };
}

/** Rules pasted as YAML, several separated by a line holding only `---`. */
export const splitRules = (text: string): string[] => text.split(/^---[ \t]*$/m).map((r) => r.trim()).filter(Boolean);

async function detect(ctx: UserContext, form: Form, files: UploadedFile[]) {
  const { tr } = ctx;
  const file = files.find((f) => f.field === "logfile");
  const parsed = parseEventLines(file ? file.bytes.toString("utf8") : one(form["events"]));
  if ("badLine" in parsed) return listPage(ctx, tr.t("alerts.badLine", { line: parsed.badLine }));
  if (!parsed.events.length) return listPage(ctx, tr.t("alerts.noEvents"));
  const rules = splitRules(one(form["rules"]));
  const res = ctx.api.ok(await ctx.api.post<{ alert_ids: string[]; unsupported_rules: Array<{ id: string; reason: string }> }>("/v1/workloads/detect", { events: parsed.events, ...(rules.length ? { rules } : {}) }));
  const unsupported = res.json.unsupported_rules.length;
  ctx.session.flash = tr.t("alerts.detected", { events: tr.number(parsed.events.length), alerts: tr.number(res.json.alert_ids.length) }) + (unsupported ? ` ${tr.t("alerts.unsupported", { count: tr.number(unsupported) })}` : "");
  return { redirect: "/console/alerts" };
}

function detailView(ctx: UserContext, a: AlertDetail): Html {
  const { tr } = ctx;
  const q: Query = {};
  const me = `${ctx.user.nation}/${ctx.user.subject}`;
  const action = (name: string) => `${alertUrl(a.id)}/${name}`;
  const matched = Object.entries(a.matched).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, typeof x === "object" ? JSON.stringify(x) : String(x)] as const));
  return html`<section aria-labelledby="rule-h"><h2 id="rule-h">${tr.t("alerts.rule")}</h2><dl>
${field(tr.t("alerts.f.title"), a.rule.title)}
${field(tr.t("alerts.f.rule"), html`<code>${filterLink(ctx, q, "rule", a.rule.id)}</code>`)}
${field(tr.t("alerts.f.level"), filterLink(ctx, q, "level", a.rule.level))}
${field(tr.t("alerts.f.tag"), html`<ul class="tags">${a.rule.tags.map((t) => html`<li>${filterLink(ctx, q, "tag", t)}</li>`)}</ul>`)}
${a.rule.description ? field(tr.t("alerts.description"), a.rule.description) : ""}
</dl></section>
<section aria-labelledby="state-h"><h2 id="state-h">${tr.t("alerts.triage")}</h2><dl>
${field(tr.t("alerts.f.status"), html`${filterLink(ctx, q, "status", a.status, statusName(ctx, a.status))}${a.close_reason ? html` (${reasonName(ctx, a.close_reason)}${a.close_comment ? `: ${a.close_comment}` : ""})` : ""}`)}
${field(tr.t("alerts.f.assignee"), a.assignee ? filterLink(ctx, q, "assignee", a.assignee) : tr.t("alerts.unassigned"))}
${field(tr.t("alerts.f.host"), a.host ? filterLink(ctx, q, "host", a.host) : "—")}
${field(tr.t("alerts.nation"), a.nation)}
${field(tr.t("alerts.created"), tr.date(a.created_at))}
${field(tr.t("alerts.source"), `${a.source.file}:${a.source.line}`)}
</dl>
<div class="actions">
${a.status === "open" ? html`<form method="post" action="${action("acknowledge")}">${csrfField(ctx)}<button type="submit">${tr.t("alerts.acknowledge")}</button></form>` : ""}
${a.status === "closed" ? html`<form method="post" action="${action("reopen")}">${csrfField(ctx)}<button type="submit">${tr.t("alerts.reopen")}</button></form>` : ""}
</div>
${a.status !== "closed" ? html`<form method="post" action="${action("assign")}" class="row">${csrfField(ctx)}
  <div class="field"><label for="assignee">${tr.t("alerts.f.assignee")}</label><input id="assignee" name="assignee" value="${a.assignee ?? me}" maxlength="128" aria-describedby="assignee-hint"></div>
  <p id="assignee-hint" class="hint">${tr.t("alerts.assigneeHint")}</p>
  <button type="submit">${tr.t("alerts.assign")}</button></form>
<form method="post" action="${action("close")}" class="row">${csrfField(ctx)}
  <div class="field"><label for="reason">${tr.t("alerts.reason")}</label><select id="reason" name="reason" required>${REASONS.map((r) => html`<option value="${r}">${reasonName(ctx, r)}</option>`)}</select></div>
  <div class="field"><label for="comment">${tr.t("alerts.comment")}</label><input id="comment" name="comment" maxlength="4000" size="40"></div>
  <button type="submit">${tr.t("alerts.close")}</button></form>` : ""}
</section>
<section aria-labelledby="match-h"><h2 id="match-h">${tr.t("alerts.matched")}</h2>
<table><caption>${tr.t("alerts.matched")}</caption><thead><tr><th scope="col">${tr.t("alerts.field")}</th><th scope="col">${tr.t("alerts.value")}</th></tr></thead>
<tbody>${matched.map(([k, v]) => html`<tr><td><code>${k}</code></td><td><code>${filterLink(ctx, q, "field", k, v, { value: v }, k)}</code></td></tr>`)}</tbody></table>
<h3>${tr.t(a.event_truncated ? "alerts.eventTruncated" : "alerts.event")}</h3>
<pre class="event" tabindex="0">${typeof a.event === "string" ? a.event : JSON.stringify(a.event, null, 2)}</pre></section>
<section aria-labelledby="notes-h"><h2 id="notes-h">${tr.t("alerts.notes")}</h2>
${a.notes.length ? html`<ol class="notes">${a.notes.map((n) => html`<li><p>${n.text}</p><p class="hint">${n.by}, ${tr.date(n.at)}</p></li>`)}</ol>` : html`<p>${tr.t("alerts.noNotes")}</p>`}
<form method="post" action="${action("notes")}" class="stack">${csrfField(ctx)}
  <div class="field"><label for="note">${tr.t("alerts.note")}</label><textarea id="note" name="text" rows="3" maxlength="4000" required></textarea></div>
  <button type="submit">${tr.t("alerts.addNote")}</button></form></section>
<section aria-labelledby="hist-h"><h2 id="hist-h">${tr.t("alerts.history")}</h2>
<table><caption>${tr.t("alerts.history")}</caption><thead><tr><th scope="col">${tr.t("alerts.when")}</th><th scope="col">${tr.t("alerts.who")}</th><th scope="col">${tr.t("alerts.what")}</th><th scope="col">${tr.t("alerts.detail")}</th></tr></thead>
<tbody>${a.history.map((h) => html`<tr><td>${tr.date(h.at)}</td><td>${h.by}</td><td>${tr.t(`alerts.action.${h.action}` as MessageKey)}</td><td>${historyDetail(ctx, h)}</td></tr>`)}</tbody></table></section>
<p><a href="/console/alerts">${tr.t("alerts.back")}</a></p>`;
}

/** "Open → Acknowledged; <detail>": statuses in the page's language, assignees as they are. */
function historyDetail(ctx: UserContext, h: AlertDetail["history"][number]): string {
  const name = (v: string | null | undefined) => (v == null ? "—" : h.action === "assign" ? v : statusName(ctx, v));
  return [h.from !== undefined || h.to !== undefined ? `${name(h.from)} → ${name(h.to)}` : "", h.detail ?? ""].filter(Boolean).join("; ");
}

async function detail(ctx: UserContext, id: string) {
  const a = ctx.api.ok(await ctx.api.get<AlertDetail>(`/v1/alerts/${encodeURIComponent(id)}`)).json;
  return { title: `${ctx.tr.t("alerts.one")}: ${a.rule.title}`, body: detailView(ctx, a) };
}

export const alertsPage: ConsolePage = (r) => {
  r.get("/alerts", (ctx) => listPage(ctx));
  r.post("/alerts/detect", detect);
  r.get("/alerts/:id", (ctx) => detail(ctx, (ctx.req.params as { id: string }).id));

  const post = (name: string, body: (form: Form) => unknown, done: MessageKey) =>
    r.post(`/alerts/:id/${name}`, async (ctx, form) => {
      const id = (ctx.req.params as { id: string }).id;
      ctx.api.ok(await ctx.api.post(`/v1/alerts/${encodeURIComponent(id)}/${name}`, body(form)));
      ctx.session.flash = ctx.tr.t(done);
      return { redirect: alertUrl(id) };
    });
  post("acknowledge", () => ({}), "alerts.done.acknowledge");
  post("reopen", () => ({}), "alerts.done.reopen");
  post("close", (f) => ({ reason: one(f["reason"]), ...(one(f["comment"]).trim() ? { comment: one(f["comment"]).trim() } : {}) }), "alerts.done.close");
  post("assign", (f) => ({ assignee: one(f["assignee"]).trim() || null }), "alerts.done.assign");
  post("notes", (f) => ({ text: one(f["text"]) }), "alerts.done.note");
};
