import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { apiError } from "../api.ts";
import { html, type Html } from "../html.ts";
import { csrfField, errorBox } from "../layout.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Comms: run an analysis (POST /v1/workloads/comms/analyze) over messages given as JSON lines, and read its
 * report: languages, sentiment counts, daily series, the most positive and negative messages, moving terms,
 * each message's result. Authors arrive pseudonymised; the analysis is of messages, never of people. Where the
 * policy holds comms.analyze for review, the report is read once reviewers released it.
 */

const SAMPLE = fileURLToPath(new URL("../../../examples/comms/winter-bridge.jsonl", import.meta.url));
const TARGETS = ["", "eng", "fra", "deu", "spa", "ita", "pol"];

interface Analysis {
  data: Array<{ id: string; language: string; confidence: number; sentiment: { label: string; score: number }; translation?: string; author?: string; channel?: string; time?: string }>;
  summary: {
    purpose: string; messages: number; malformed: number; languages: Array<{ language: string; count: number }>; labels: Record<string, number>;
    series: Array<{ channel: string; points: Array<{ day: string; mean: number; n: number }> }>;
    mostPositive: Array<{ id: string; text: string; score: number }>; mostNegative: Array<{ id: string; text: string; score: number }>;
    rising: Array<{ term: string; change: number }>; falling: Array<{ term: string; change: number }>;
  };
}
interface ReviewView { id: string; status: string; approvals: number; approvals_required: number; result?: Analysis }

function sample(): string {
  try { return readFileSync(SAMPLE, "utf8"); } catch { return ""; }
}

function form(ctx: UserContext, v: { messages: string; purpose: string; to: string }): Html {
  const { tr } = ctx;
  return html`<form method="post" action="/console/comms" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="messages">${tr.t("comms.messages")}</label>
  <textarea id="messages" name="messages" rows="10" spellcheck="false" required aria-describedby="messages-hint">${v.messages}</textarea>
  <p id="messages-hint" class="hint">${tr.t("comms.messagesHint")}</p></div>
  <div class="row">
  <div class="field"><label for="purpose">${tr.t("comms.purpose")}</label><input id="purpose" name="purpose" value="${v.purpose}" maxlength="500" size="40"></div>
  <div class="field"><label for="to">${tr.t("comms.to")}</label><select id="to" name="to">${TARGETS.map((t) => html`<option value="${t}"${t === v.to ? " selected" : ""}>${t || tr.t("comms.noTranslation")}</option>`)}</select></div>
  </div>
  <button type="submit">${tr.t("comms.run")}</button>
</form>`;
}

export function reportView(ctx: UserContext, a: Analysis): Html {
  const { tr } = ctx;
  const s = a.summary;
  const total = Math.max(1, s.messages);
  return html`<section aria-labelledby="report-h" class="panel"><h2 id="report-h">${tr.t("comms.report")}</h2>
<p>${tr.t("comms.counts", { messages: tr.number(s.messages), malformed: tr.number(s.malformed), purpose: s.purpose })}</p>
<table><caption>${tr.t("comms.sentiment")}</caption><thead><tr><th scope="col">${tr.t("comms.label")}</th><th scope="col">${tr.t("comms.count")}</th><th scope="col">${tr.t("logistics.chart")}</th></tr></thead>
<tbody>${Object.entries(s.labels).map(([label, count]) => html`<tr><td>${label}</td><td id="lab-${label}">${tr.number(count)}</td><td><meter min="0" max="${String(total)}" value="${String(count)}" aria-labelledby="lab-${label}"></meter></td></tr>`)}</tbody></table>
<table><caption>${tr.t("comms.languages")}</caption><thead><tr><th scope="col">${tr.t("documents.language")}</th><th scope="col">${tr.t("comms.count")}</th></tr></thead>
<tbody>${s.languages.map((l) => html`<tr><td>${l.language}</td><td>${tr.number(l.count)}</td></tr>`)}</tbody></table>
${s.series.map((c) => html`<table><caption>${tr.t("comms.series", { channel: c.channel })}</caption><thead><tr><th scope="col">${tr.t("documents.date")}</th><th scope="col">${tr.t("comms.mean")}</th><th scope="col">${tr.t("comms.count")}</th></tr></thead>
<tbody>${c.points.map((p) => html`<tr><td>${p.day}</td><td>${tr.number(p.mean)}</td><td>${tr.number(p.n)}</td></tr>`)}</tbody></table>`)}
<h3>${tr.t("comms.positive")}</h3><ul>${s.mostPositive.map((m) => html`<li><code>${m.id}</code> (${tr.number(m.score)}): ${m.text}</li>`)}</ul>
<h3>${tr.t("comms.negative")}</h3><ul>${s.mostNegative.map((m) => html`<li><code>${m.id}</code> (${tr.number(m.score)}): ${m.text}</li>`)}</ul>
${s.rising.length || s.falling.length ? html`<h3>${tr.t("comms.terms")}</h3><p>${[...s.rising.map((t) => `↑ ${t.term}`), ...s.falling.map((t) => `↓ ${t.term}`)].join(", ")}</p>` : ""}
<table><caption>${tr.t("comms.perMessage")}</caption><thead><tr><th scope="col">id</th><th scope="col">${tr.t("documents.language")}</th><th scope="col">${tr.t("comms.label")}</th><th scope="col">${tr.t("comms.channel")}</th><th scope="col">${tr.t("comms.author")}</th><th scope="col">${tr.t("comms.translation")}</th></tr></thead>
<tbody>${a.data.map((m) => html`<tr><td>${m.id}</td><td>${m.language} (${tr.number(m.confidence)})</td><td>${m.sentiment.label} (${tr.number(m.sentiment.score)})</td><td>${m.channel ?? "-"}</td><td>${m.author ?? "-"}</td><td>${m.translation ?? "-"}</td></tr>`)}</tbody></table>
</section>`;
}

export const commsPage: ConsolePage = (r) => {
  r.get("/comms", (ctx) => ({ title: ctx.tr.t("comms.title"), body: form(ctx, { messages: sample(), purpose: "exercise welfare feedback", to: "eng" }) }));

  r.post("/comms", async (ctx, f) => {
    const v = { messages: one(f["messages"]), purpose: one(f["purpose"]).trim(), to: TARGETS.includes(one(f["to"])) ? one(f["to"]) : "" };
    const title = ctx.tr.t("comms.title");
    const messages: unknown[] = [];
    // A line that is not JSON goes as its text: the API counts it as malformed, with its line, in the report.
    for (const line of v.messages.split("\n")) {
      if (!line.trim()) continue;
      try { messages.push(JSON.parse(line)); } catch { messages.push(line); }
    }
    const res = await ctx.api.post<Analysis & { id: string }>("/v1/workloads/comms/analyze", { messages, options: { ...(v.purpose ? { purpose: v.purpose } : {}), ...(v.to ? { to: v.to } : {}) } });
    if (res.status === 202) {
      return { title, body: html`<p class="flash" role="status">${ctx.tr.t("workload.held", { id: res.json.id })} <a href="/console/comms/reviews/${res.json.id}">${ctx.tr.t("chat.pollReview")}</a></p>${form(ctx, v)}` };
    }
    if (res.status >= 400) {
      const e = apiError(res);
      return { title, status: res.status, body: html`${errorBox(ctx.tr.t("error.api", { message: e.message, code: e.code }))}${form(ctx, v)}` };
    }
    return { title, body: html`${reportView(ctx, res.json)}${form(ctx, v)}` };
  });

  r.get("/comms/reviews/:id", async (ctx) => {
    const id = (ctx.req.params as { id: string }).id;
    const v = ctx.api.ok(await ctx.api.get<ReviewView>(`/v1/reviews/${encodeURIComponent(id)}`)).json;
    const status = html`<p role="status">${ctx.tr.t("chat.reviewStatus", { id: v.id, status: v.status, approvals: v.approvals, required: v.approvals_required })}</p>`;
    return { title: ctx.tr.t("comms.title"), body: v.result ? html`${status}${reportView(ctx, v.result)}` : status };
  });
};
