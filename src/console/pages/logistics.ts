import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { html, type Html } from "../html.ts";
import { csrfField, errorBox } from "../layout.ts";
import { apiError } from "../api.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Logistics: a scenario (YAML or JSON) edited in a textbox or loaded from the examples shipped with Concord,
 * solved by POST /v1/workloads/logistics/plan; the plan as tables, bars (<meter>, no script, no style
 * attribute), the binding constraints and, for an infeasible scenario, why each shortfall happens.
 */

const EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/logistics/", import.meta.url));

function examples(): string[] {
  try { return readdirSync(EXAMPLES_DIR).filter((f) => /^[a-z0-9-]+\.yaml$/.test(f)).sort(); } catch { return []; }
}

interface Plan {
  status: string; objective: number | null; demands_met: boolean | null; scenario: string; unit: string;
  solver: { engine: string; model: string; seconds: number; gap: number | null };
  totals: { cost: number; required: number; delivered: number; on_time: number; shortfall: number };
  shipments: Array<{ link: string; route: string; mode: string; period: number; arrival_period: number; quantity: number; vehicles: number | null; cost: number }>;
  deliveries: Array<{ demand: string; location: string; commodity: string; required: number; delivered: number; on_time: number; shortfall: number; latest_arrival: number }>;
  nations: Array<{ nation: string; contribution: number; fraction: number | null; band: [number, number] | null; within_band: boolean | null }>;
  explanation: { summary: string[]; binding: Array<{ constraint: string; text: string; value: number }>; shortfalls: Array<{ demand: string; commodity: string; location: string; quantity: number; reasons: string[] }> };
}

function form(ctx: UserContext, text: string, chosen = ""): Html {
  const { tr } = ctx;
  return html`<form method="get" action="/console/logistics" class="row">
  <div class="field"><label for="example">${tr.t("logistics.example")}</label>
  <select id="example" name="example">${examples().map((e) => html`<option value="${e}"${e === chosen ? " selected" : ""}>${e}</option>`)}</select></div>
  <button type="submit">${tr.t("logistics.load")}</button></form>
<form method="post" action="/console/logistics" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="scenario">${tr.t("logistics.scenario")}</label>
  <textarea id="scenario" name="scenario" rows="16" spellcheck="false" required aria-describedby="scenario-hint">${text}</textarea>
  <p id="scenario-hint" class="hint">${tr.t("logistics.scenarioHint")}</p></div>
  <button type="submit">${tr.t("logistics.solve")}</button>
</form>`;
}

function planView(ctx: UserContext, p: Plan): Html {
  const { tr } = ctx;
  const n = (x: number) => tr.number(x);
  return html`<section aria-labelledby="plan-h" class="panel"><h2 id="plan-h">${tr.t("logistics.plan", { name: p.scenario })}</h2>
<p role="status">${tr.t("logistics.status", { status: p.status, met: p.demands_met === null ? "-" : p.demands_met ? tr.t("logistics.yes") : tr.t("logistics.no") })}</p>
<dl class="grid">
  <dt>${tr.t("logistics.objective")}</dt><dd>${p.objective === null ? "-" : n(p.objective)}</dd>
  <dt>${tr.t("logistics.delivered")}</dt><dd>${n(p.totals.delivered)} / ${n(p.totals.required)} ${p.unit} (${tr.t("logistics.onTime")}: ${n(p.totals.on_time)}, ${tr.t("logistics.shortfall")}: ${n(p.totals.shortfall)})</dd>
  <dt>${tr.t("logistics.cost")}</dt><dd>${n(p.totals.cost)}</dd>
  <dt>${tr.t("logistics.solver")}</dt><dd>${p.solver.engine}, ${p.solver.model}, ${n(p.solver.seconds)} s${p.solver.gap === null ? "" : `, gap ${n(p.solver.gap)}`}</dd>
</dl>
<h3>${tr.t("logistics.explanation")}</h3>
<ul>${p.explanation.summary.map((s) => html`<li>${s}</li>`)}</ul>
${p.explanation.shortfalls.length ? html`<h3>${tr.t("logistics.diagnosis")}</h3><ul>${p.explanation.shortfalls.map((s) => html`<li><strong>${s.demand}</strong> (${s.location}), ${s.commodity}: ${n(s.quantity)} ${p.unit} ${tr.t("logistics.short")}<ul>${s.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`)}</ul>` : ""}
${p.explanation.binding.length ? html`<table><caption>${tr.t("logistics.binding")}</caption><thead><tr><th scope="col">${tr.t("logistics.constraint")}</th><th scope="col">${tr.t("logistics.meaning")}</th><th scope="col">${tr.t("logistics.value")}</th></tr></thead>
<tbody>${p.explanation.binding.map((b) => html`<tr><td><code>${b.constraint}</code></td><td>${b.text}</td><td>${n(b.value)}</td></tr>`)}</tbody></table>` : ""}
<table><caption>${tr.t("logistics.deliveries")}</caption><thead><tr><th scope="col">${tr.t("logistics.demand")}</th><th scope="col">${tr.t("logistics.commodity")}</th><th scope="col">${tr.t("logistics.delivered")}</th><th scope="col">${tr.t("logistics.chart")}</th></tr></thead>
<tbody>${p.deliveries.map((d, i) => html`<tr><td>${d.demand} (${d.location})</td><td>${d.commodity}</td><td id="dl-${i}">${n(d.delivered)} / ${n(d.required)}${d.shortfall > 0 ? html` <strong>(${tr.t("logistics.shortfall")} ${n(d.shortfall)})</strong>` : ""}</td>
<td><meter min="0" max="${String(d.required)}" low="${String(d.required * 0.999)}" optimum="${String(d.required)}" value="${String(d.delivered)}" aria-labelledby="dl-${i}"></meter></td></tr>`)}</tbody></table>
<table><caption>${tr.t("logistics.nations")}</caption><thead><tr><th scope="col">${tr.t("audit.nation")}</th><th scope="col">${tr.t("logistics.contribution")}</th><th scope="col">${tr.t("logistics.chart")}</th></tr></thead>
<tbody>${p.nations.map((c, i) => html`<tr><td>${c.nation}</td><td id="nc-${i}">${n(c.contribution)} ${p.unit}${c.fraction === null ? "" : ` (${tr.number(Math.round(c.fraction * 1000) / 10)} %)`}${c.band ? ` [${c.band.join("–")}]` : ""}</td>
<td><meter min="0" max="1" value="${String(c.fraction ?? 0)}" aria-labelledby="nc-${i}"></meter></td></tr>`)}</tbody></table>
<table><caption>${tr.t("logistics.shipments")}</caption><thead><tr><th scope="col">${tr.t("logistics.link")}</th><th scope="col">${tr.t("logistics.mode")}</th><th scope="col">${tr.t("logistics.periods")}</th><th scope="col">${tr.t("logistics.quantity")}</th><th scope="col">${tr.t("logistics.vehicles")}</th><th scope="col">${tr.t("logistics.cost")}</th></tr></thead>
<tbody>${p.shipments.map((s) => html`<tr><td>${s.route} <code>${s.link}</code></td><td>${s.mode}</td><td>${s.period} → ${s.arrival_period}</td><td>${n(s.quantity)}</td><td>${s.vehicles === null ? "-" : n(s.vehicles)}</td><td>${n(s.cost)}</td></tr>`)}</tbody></table>
</section>`;
}

export const logisticsPage: ConsolePage = (r) => {
  r.get("/logistics", (ctx) => {
    const name = one((ctx.req.query as Record<string, string>)["example"]);
    const list = examples();
    const file = list.includes(name) ? name : list[0];
    const text = file ? readFileSync(`${EXAMPLES_DIR}${file}`, "utf8") : "";
    return { title: ctx.tr.t("logistics.title"), body: form(ctx, text, file) };
  });

  r.post("/logistics", async (ctx, f) => {
    const text = one(f["scenario"]);
    let scenario: unknown;
    try {
      scenario = parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      return { title: ctx.tr.t("logistics.title"), status: 400, body: html`${errorBox(ctx.tr.t("logistics.badYaml", { message: (err as Error).message }))}${form(ctx, text)}` };
    }
    const res = await ctx.api.post<Plan>("/v1/workloads/logistics/plan", scenario);
    if (res.status === 202) {
      const id = (res.json as unknown as { id: string }).id;
      return { title: ctx.tr.t("logistics.title"), body: html`<p class="flash" role="status">${ctx.tr.t("workload.held", { id })}</p>${form(ctx, text)}` };
    }
    if (res.status >= 400) {
      const e = apiError(res);
      return { title: ctx.tr.t("logistics.title"), status: res.status, body: html`${errorBox(ctx.tr.t("error.api", { message: e.message, code: e.code }))}${form(ctx, text)}` };
    }
    return { title: ctx.tr.t("logistics.title"), body: html`${planView(ctx, res.json)}${form(ctx, text)}` };
  });
};
