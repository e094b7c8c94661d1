import { html, type Html } from "../html.ts";
import type { ConsolePage, UserContext } from "../page.ts";

/**
 * Operations, for nation and alliance admins: endpoints with their jurisdiction and circuit state (GET /readyz)
 * and, per nation, requests, refusals and tokens since the gateway started (GET /metrics). Both routes are
 * public on the gateway, so this page shows nothing the API withholds; a nation admin's table is narrowed to
 * their own nation for readability, not for secrecy.
 */

interface Ready { endpoints: Array<{ id: string; jurisdiction: string; circuit: string; outstanding: number }> }
interface Sample { name: string; labels: Record<string, string>; value: number }

/** The Prometheus text format's samples (comments skipped; label values unescaped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_x, c: string) => (c === "n" ? "\n" : c));
    const value = Number(m[3]);
    if (Number.isFinite(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

export interface NationUse { nation: string; requests: number; refused: number; tokens: number }

/** Per nation: requests answered, those refused (any code but ok), tokens metered. */
export function usageByNation(samples: readonly Sample[]): NationUse[] {
  const by = new Map<string, NationUse>();
  const of = (n: string) => by.get(n) ?? (by.set(n, { nation: n, requests: 0, refused: 0, tokens: 0 }), by.get(n)!);
  for (const s of samples) {
    const n = s.labels["nation"];
    if (!n || !/^[A-Z]{3}$/.test(n)) continue;
    if (s.name === "concord_requests_total") {
      of(n).requests += s.value;
      if (s.labels["code"] !== "ok") of(n).refused += s.value;
    } else if (s.name === "concord_tokens_total") of(n).tokens += s.value;
  }
  return [...by.values()].sort((a, b) => (a.nation < b.nation ? -1 : 1));
}

function tables(ctx: UserContext, ready: Ready, use: NationUse[]): Html {
  const { tr } = ctx;
  const most = Math.max(1, ...use.map((u) => u.requests));
  return html`<table><caption>${tr.t("ops.endpoints")}</caption>
<thead><tr><th scope="col">${tr.t("ops.endpoint")}</th><th scope="col">${tr.t("ops.jurisdiction")}</th><th scope="col">${tr.t("ops.circuit")}</th><th scope="col">${tr.t("ops.outstanding")}</th></tr></thead>
<tbody>${ready.endpoints.map((e) => html`<tr><td><code>${e.id}</code></td><td>${e.jurisdiction}</td><td>${e.circuit === "closed" ? tr.t("ops.healthy") : e.circuit}</td><td>${tr.number(e.outstanding)}</td></tr>`)}</tbody></table>
<table><caption>${tr.t("ops.usage")}</caption>
<thead><tr><th scope="col">${tr.t("audit.nation")}</th><th scope="col">${tr.t("ops.requests")}</th><th scope="col">${tr.t("ops.refused")}</th><th scope="col">${tr.t("ops.tokens")}</th><th scope="col">${tr.t("logistics.chart")}</th></tr></thead>
<tbody>${use.map((u, i) => html`<tr><td>${u.nation}</td><td id="req-${i}">${tr.number(u.requests)}</td><td id="ref-${i}">${tr.number(u.refused)} (${tr.number(u.requests ? Math.round((u.refused / u.requests) * 1000) / 10 : 0)} %)</td><td>${tr.number(u.tokens)}</td>
<td><meter min="0" max="${String(most)}" value="${String(u.requests)}" aria-labelledby="req-${i}"></meter> <meter min="0" max="${String(Math.max(1, u.requests))}" value="${String(u.refused)}" low="${String(Math.max(1, u.requests) * 0.1)}" high="${String(Math.max(1, u.requests) * 0.5)}" optimum="0" aria-labelledby="ref-${i}"></meter></td></tr>`)}</tbody></table>
<p class="hint">${tr.t("ops.since")}</p>`;
}

export const operationsPage: ConsolePage = (r) => {
  r.get("/operations", async (ctx) => {
    const [ready, metrics] = await Promise.all([
      ctx.app.inject({ method: "GET", url: "/readyz" }),
      ctx.app.inject({ method: "GET", url: "/metrics" }),
    ]);
    const all = usageByNation(parseMetrics(metrics.body));
    const use = ctx.user.roles.includes("alliance-admin") ? all : all.filter((u) => u.nation === ctx.user.nation);
    return { title: ctx.tr.t("ops.title"), body: tables(ctx, JSON.parse(ready.body) as Ready, use) };
  });
};
