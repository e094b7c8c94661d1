import { html, type Html } from "../html.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Audit: the log by index, a page at a time (GET /admin/audit/entries: a nation's auditor reads its own nation's
 * entries in full, the others as leaf hashes), an entry's detail, and the `audit` island that verifies in the
 * browser, with a key the auditor pins, the checkpoint signature, the entry's inclusion and the consistency of
 * a checkpoint kept earlier with the current one.
 */

interface Entry { time: string; nation: string | null; subject: string | null; action: string; decision: string; reason: string; policy_version: string; endpoint: string | null; jurisdiction: string | null; request_sha256: string; response_sha256: string | null; [k: string]: unknown }
interface Row { index: number; leaf_hash: string; entry?: Entry }
interface Entries { from: number; to: number; tree_size: number; data: Row[] }

const PAGE = 50;
const DECISIONS = ["allow", "deny", "review"];
const q = (ctx: UserContext, k: string) => one((ctx.req.query as Record<string, string>)[k]).trim();
const int = (s: string) => (/^\d{1,15}$/.test(s) ? Number(s) : undefined);

function filters(ctx: UserContext, v: { from: number; nation: string; decision: string; hash: string }): Html {
  const { tr } = ctx;
  return html`<form method="get" action="/console/audit" class="row" role="search">
  <div class="field"><label for="from">${tr.t("audit.from")}</label><input id="from" name="from" inputmode="numeric" pattern="[0-9]*" value="${String(v.from)}" size="8"></div>
  <div class="field"><label for="f-nation">${tr.t("audit.nation")}</label><input id="f-nation" name="nation" value="${v.nation}" size="4" maxlength="3" pattern="[A-Z]{3}"></div>
  <div class="field"><label for="f-decision">${tr.t("audit.decision")}</label><select id="f-decision" name="decision"><option value="">${tr.t("audit.any")}</option>${DECISIONS.map((d) => html`<option value="${d}"${d === v.decision ? " selected" : ""}>${d}</option>`)}</select></div>
  <div class="field"><label for="f-hash">${tr.t("audit.hash")}</label><input id="f-hash" name="hash" value="${v.hash}" size="16" maxlength="64"></div>
  <button type="submit">${tr.t("audit.show")}</button>
</form><p class="hint">${tr.t("audit.filterNote", { count: PAGE })}</p>`;
}

export const auditPage: ConsolePage = (r) => {
  r.get("/audit", async (ctx) => {
    const { tr } = ctx;
    const nation = q(ctx, "nation").toUpperCase();
    const decision = DECISIONS.includes(q(ctx, "decision")) ? q(ctx, "decision") : "";
    const hash = q(ctx, "hash").toLowerCase();
    const size = ctx.api.ok(await ctx.api.get<{ tree_size: number }>("/admin/audit/checkpoint")).json.tree_size;
    const from = Math.min(int(q(ctx, "from")) ?? Math.max(0, size - PAGE), Math.max(0, size - 1));
    const page = ctx.api.ok(await ctx.api.get<Entries>(`/admin/audit/entries?from=${from}&to=${Math.min(from + PAGE, size)}`)).json;
    const rows = page.data.filter((x) =>
      (!nation || x.entry?.nation === nation) && (!decision || x.entry?.decision === decision) &&
      (!hash || x.leaf_hash.toLowerCase().includes(hash) || x.entry?.request_sha256.startsWith(hash) || x.entry?.response_sha256?.startsWith(hash)));
    const keep = (f: number) => `/console/audit?from=${f}${nation ? `&nation=${nation}` : ""}${decision ? `&decision=${decision}` : ""}${hash ? `&hash=${encodeURIComponent(hash)}` : ""}`;
    return {
      title: tr.t("audit.title"),
      body: html`<p>${tr.t("audit.size", { size: tr.number(page.tree_size) })}</p>
${filters(ctx, { from, nation, decision, hash })}
<table><caption>${tr.t("audit.caption", { from: page.from, to: Math.max(page.from, page.to - 1) })}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${tr.t("audit.time")}</th><th scope="col">${tr.t("audit.nation")}</th><th scope="col">${tr.t("audit.action")}</th><th scope="col">${tr.t("audit.decision")}</th><th scope="col">${tr.t("audit.reason")}</th></tr></thead>
<tbody>${rows.map((x) => html`<tr><td><a href="/console/audit/${x.index}">${x.index}</a></td>${x.entry
      ? html`<td>${tr.date(x.entry.time)}</td><td>${x.entry.nation ?? "-"}</td><td>${x.entry.action}</td><td>${x.entry.decision}</td><td>${x.entry.reason}</td>`
      : html`<td colspan="5"><code>${x.leaf_hash}</code> ${tr.t("audit.otherNation")}</td>`}</tr>`)}</tbody></table>
<nav aria-label="${tr.t("audit.pages")}" class="row">${from > 0 ? html`<a href="${keep(Math.max(0, from - PAGE))}">${tr.t("audit.previous")}</a>` : ""}
${page.to < page.tree_size ? html`<a href="${keep(page.to)}">${tr.t("audit.next")}</a>` : ""}</nav>`,
    };
  });

  r.get("/audit/:index", async (ctx) => {
    const { tr } = ctx;
    const index = int((ctx.req.params as { index: string }).index);
    if (index === undefined) return { redirect: "/console/audit" };
    const [row, proof, key] = await Promise.all([
      ctx.api.get<Entries>(`/admin/audit/entries?from=${index}&to=${index + 1}`),
      ctx.api.get<{ tree_size: number; leaf_hash: string; hashes: string[]; checkpoint: string }>(`/admin/audit/proof/inclusion?index=${index}`),
      ctx.api.get<{ key: string }>("/.well-known/concord/audit-key"),
    ]);
    const e = ctx.api.ok(row).json.data[0];
    const p = ctx.api.ok(proof).json;
    if (!e) return { redirect: "/console/audit" };
    return {
      title: tr.t("audit.entry", { index }),
      islands: ["audit"],
      body: html`${e.entry ? html`<dl class="grid">${Object.entries(e.entry).map(([k, v]) => html`<dt>${k}</dt><dd><code>${v === null ? "null" : typeof v === "string" ? v : JSON.stringify(v)}</code></dd>`)}</dl>` : html`<p>${tr.t("audit.otherNation")}</p>`}
<section id="verify" aria-labelledby="verify-h" data-index="${String(index)}" data-leaf="${e.leaf_hash}"
  data-ok-inclusion="${tr.t("audit.okInclusion", { index, size: "{size}" })}" data-ok-consistency="${tr.t("audit.okConsistency", { from: "{from}", to: "{to}" })}" data-failed="${tr.t("audit.failed", { message: "{message}" })}">
<h2 id="verify-h">${tr.t("audit.verify")}</h2>
<p>${tr.t("audit.verifyIntro")}</p>
<div class="field"><label for="vkey">${tr.t("audit.key")}</label><input id="vkey" value="${ctx.api.ok(key).json.key}" size="80" aria-describedby="vkey-hint" spellcheck="false"><p id="vkey-hint" class="hint">${tr.t("audit.keyHint")}</p></div>
<h3>${tr.t("audit.checkpoint")}</h3><pre id="checkpoint">${p.checkpoint}</pre>
${e.entry ? html`<h3>${tr.t("audit.entryJson")}</h3><pre id="entry-json">${JSON.stringify(e.entry)}</pre>` : ""}
<h3>${tr.t("audit.path")}</h3><ol id="path" class="hashes">${p.hashes.map((h) => html`<li><code>${h}</code></li>`)}</ol>
<button type="button" id="verify-inclusion" hidden>${tr.t("audit.verifyInclusion")}</button>
<p id="inclusion-result" class="result"></p>
<h3>${tr.t("audit.consistency")}</h3>
<div class="field"><label for="older">${tr.t("audit.older")}</label><textarea id="older" rows="5" spellcheck="false" aria-describedby="older-hint"></textarea><p id="older-hint" class="hint">${tr.t("audit.olderHint")}</p></div>
<button type="button" id="verify-consistency" hidden>${tr.t("audit.verifyConsistency")}</button>
<p id="consistency-result" class="result"></p>
</section>`,
    };
  });

  // The island's one call: a consistency proof between two tree sizes, from the gateway's API as is.
  r.json("/audit-consistency", async (ctx) => {
    const from = int(q(ctx, "from"));
    const to = int(q(ctx, "to"));
    if (from === undefined || to === undefined) return { status: 400, json: { error: { code: "invalid_request", message: "from and to are tree sizes" } } };
    const res = await ctx.api.get(`/admin/audit/proof/consistency?from=${from}&to=${to}`);
    return { status: res.status, json: res.json };
  });
};
