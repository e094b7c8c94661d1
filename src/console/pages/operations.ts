import { html, type Html } from "../html.ts";
import type { Translator } from "../i18n/index.ts";
import type { ConsolePage, UserContext } from "../page.ts";

/**
 * Operations, for nation and alliance admins, from GET /v1/operations/summary (Cedar: a nation's admin sees
 * their own nation, the alliance admin every nation): endpoints with jurisdiction and health, quota use against
 * each nation's budget, and the last hour's requests and refusals per minute as SVG bar charts, each followed by
 * its data as a table. Drawn on the server with attributes and classes only: the CSP forbids inline styles.
 */

interface Minute { at: string; requests: number; refused: number }
interface Summary {
  endpoints: { id: string; jurisdiction: string; health: string; outstanding: number }[];
  nations: { nation: string; quota: { requests_this_minute: number; requests_per_minute: number; tokens_today: number; tokens_per_day: number }; minutes: Minute[] }[];
}

const W = 10; // viewBox units a minute
const H = 100; // height of the tallest bar

/** The bars of one hour: a rect a minute for requests, a darker one over its foot for the refused part. */
export function rateBars(minutes: readonly Minute[]): { peak: number; svg: Html } {
  const peak = Math.max(0, ...minutes.map((m) => m.requests));
  const scale = (n: number) => (peak === 0 ? 0 : Math.round((n / peak) * H * 10) / 10);
  const rects = minutes.map((m, i) => {
    const req = scale(m.requests);
    const ref = scale(m.refused);
    return html`${req > 0 ? html`<rect class="req" x="${String(i * W + 1)}" y="${String(H - req)}" width="${String(W - 2)}" height="${String(req)}"></rect>` : ""}${ref > 0 ? html`<rect class="ref" x="${String(i * W + 1)}" y="${String(H - ref)}" width="${String(W - 2)}" height="${String(ref)}"></rect>` : ""}`;
  });
  return { peak, svg: html`${rects}<line class="axis" x1="0" y1="${String(H + 0.5)}" x2="${String(minutes.length * W)}" y2="${String(H + 0.5)}"></line>` };
}

const hhmm = (iso: string) => iso.slice(11, 16);
const percent = (tr: Translator, used: number, limit: number) => `${tr.number(limit > 0 ? Math.round((used / limit) * 1000) / 10 : 0)} %`;

function rates(tr: Translator, n: Summary["nations"][number]): Html {
  const { peak, svg } = rateBars(n.minutes);
  const total = (k: "requests" | "refused") => n.minutes.reduce((s, m) => s + m[k], 0);
  const id = `rates-${n.nation}`;
  return html`<figure class="rates" aria-labelledby="${id}">
<figcaption id="${id}">${tr.t("ops.chartSummary", { nation: n.nation, requests: tr.number(total("requests")), refused: tr.number(total("refused")), peak: tr.number(peak) })}</figcaption>
<svg class="chart" role="img" aria-labelledby="${id}" viewBox="0 0 ${String(n.minutes.length * W)} ${String(H + 1)}" preserveAspectRatio="none" focusable="false">${svg}</svg>
<details><summary>${tr.t("ops.data", { nation: n.nation })}</summary>
<table><caption>${tr.t("ops.data", { nation: n.nation })}</caption><thead><tr><th scope="col">${tr.t("ops.minute")}</th><th scope="col">${tr.t("ops.requests")}</th><th scope="col">${tr.t("ops.refused")}</th></tr></thead>
<tbody>${n.minutes.map((m) => html`<tr><th scope="row">${hhmm(m.at)}</th><td>${tr.number(m.requests)}</td><td>${tr.number(m.refused)}</td></tr>`)}</tbody></table>
</details></figure>`;
}

function page(ctx: UserContext, s: Summary): Html {
  const { tr } = ctx;
  return html`<table><caption>${tr.t("ops.endpoints")}</caption>
<thead><tr><th scope="col">${tr.t("ops.endpoint")}</th><th scope="col">${tr.t("ops.jurisdiction")}</th><th scope="col">${tr.t("ops.circuit")}</th><th scope="col">${tr.t("ops.outstanding")}</th></tr></thead>
<tbody>${s.endpoints.map((e) => html`<tr><td><code>${e.id}</code></td><td>${e.jurisdiction}</td><td>${e.health === "healthy" ? tr.t("ops.healthy") : e.health}</td><td>${tr.number(e.outstanding)}</td></tr>`)}</tbody></table>
<table><caption>${tr.t("ops.usage")}</caption>
<thead><tr><th scope="col">${tr.t("audit.nation")}</th><th scope="col">${tr.t("ops.rpm")}</th><th scope="col">${tr.t("ops.tpd")}</th></tr></thead>
<tbody>${s.nations.map(({ nation, quota: q }) => html`<tr><th scope="row">${nation}</th>
<td><span id="rpm-${nation}">${tr.t("ops.of", { used: tr.number(q.requests_this_minute), limit: tr.number(q.requests_per_minute) })} (${percent(tr, q.requests_this_minute, q.requests_per_minute)})</span> <meter min="0" max="${String(q.requests_per_minute)}" value="${String(Math.min(q.requests_this_minute, q.requests_per_minute))}" high="${String(q.requests_per_minute * 0.8)}" optimum="0" aria-labelledby="rpm-${nation}"></meter></td>
<td><span id="tpd-${nation}">${tr.t("ops.of", { used: tr.number(q.tokens_today), limit: tr.number(q.tokens_per_day) })} (${percent(tr, q.tokens_today, q.tokens_per_day)})</span> <meter min="0" max="${String(q.tokens_per_day)}" value="${String(Math.min(q.tokens_today, q.tokens_per_day))}" high="${String(q.tokens_per_day * 0.8)}" optimum="0" aria-labelledby="tpd-${nation}"></meter></td></tr>`)}</tbody></table>
<h2>${tr.t("ops.rates")}</h2>
<p class="hint">${tr.t("ops.legend")}</p>
${s.nations.map((n) => rates(tr, n))}
<p class="hint">${tr.t("ops.since")}</p>`;
}

export const operationsPage: ConsolePage = (r) => {
  r.get("/operations", async (ctx) => {
    const s = ctx.api.ok(await ctx.api.get<Summary>("/v1/operations/summary")).json;
    return { title: ctx.tr.t("ops.title"), body: page(ctx, s) };
  });
};
