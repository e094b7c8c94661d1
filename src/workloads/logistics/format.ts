/** A Plan as a plain-text report for a terminal: summary, shipments, deliveries, nations, explanation. */
import type { Plan } from "./plan.ts";
import { fmt } from "./explain.ts";

export function formatPlanText(plan: Plan): string {
  const u = plan.unit;
  const out: string[] = [];
  out.push(`Plan: ${plan.scenario}`);
  out.push(`Status: ${plan.status}   objective: ${plan.objective === null ? "none" : fmt(plan.objective)}   ` +
    `${plan.solver.model}, ${plan.solver.columns} variables, ${plan.solver.rows} constraints, ${plan.solver.seconds} s` +
    (plan.solver.gap === null ? "" : `, gap ${(plan.solver.gap * 100).toFixed(3)}%`));
  out.push("", ...plan.explanation.summary);
  if (plan.shipments.length > 0) {
    out.push("", "Shipments");
    out.push(...table(
      ["period", "arrives", "mode", "route", u, "commodities", "vehicles", "cost", "goods of"],
      plan.shipments.map((s) => [
        String(s.period), String(s.arrival_period), s.mode, s.route, fmt(s.quantity),
        Object.entries(s.commodities).map(([c, q]) => `${c} ${fmt(q ?? 0)}`).join(", "),
        s.vehicles === null ? "" : fmt(s.vehicles), fmt(s.cost), s.goods_of.join(" "),
      ]),
    ));
  }
  out.push("", "Deliveries");
  out.push(...table(
    ["demand", "location", "commodity", "required", "on time", "late", "short", "by period"],
    plan.deliveries.map((d) => [
      d.demand, d.location, d.commodity, fmt(d.required), fmt(d.on_time),
      d.late.map((l) => `${fmt(l.quantity)}@${l.period}`).join(" "), d.shortfall > 0 ? fmt(d.shortfall) : "", String(d.latest_arrival),
    ]),
  ));
  out.push("", "Nations");
  out.push(...table(
    ["nation", `given (${u})`, "share of total", "agreed", "band", "within", "cap"],
    plan.nations.map((n) => [
      n.nation, fmt(n.contribution), n.fraction === null ? "" : pct(n.fraction), n.agreed_share === null ? "" : pct(n.agreed_share),
      n.band === null ? "" : `${pct(n.band[0])}–${pct(n.band[1])}`, n.within_band === null ? "" : n.within_band ? "yes" : "NO",
      n.cap === null ? "" : fmt(n.cap),
    ]),
  ));
  const e = plan.explanation;
  if (e.shortfalls.length > 0) {
    out.push("", "Why demands go short");
    for (const s of e.shortfalls) {
      out.push(`- ${s.demand} (${s.location}) ${s.commodity}: ${fmt(s.quantity)} ${u} short`);
      for (const r of s.reasons) out.push(`    ${r}`);
    }
  }
  if (e.binding.length > 0) {
    out.push("", `Binding constraints (marginal values from the ${e.duals === "lp" ? "LP" : "LP relaxation"})`);
    for (const b of e.binding) out.push(`- ${b.text}`);
  }
  if (e.valuable_capacity.length > 0) {
    out.push("", "Most valuable extra capacity");
    for (const b of e.valuable_capacity) out.push(`- ${b.text}`);
  }
  return out.join("\n") + "\n";
}

function table(head: string[], rows: string[][]): string[] {
  const width = head.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ").trimEnd();
  return [line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line)];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
