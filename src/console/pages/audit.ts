import { html, type Html } from "../html.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Audit: a search of the whole log by index, time, nation, decision and hash (GET /admin/audit/search, the
 * gateway's indexes, keyset pages by index; a nation's auditor searches its own nation's entries), an entry's
 * detail, and the `audit` island that verifies in the browser, with a key the auditor pins, the checkpoint
 * signature, the entry's inclusion and the consistency of a checkpoint kept earlier with the current one.
 */

interface Entry { time: string; nation: string | null; subject: string | null; action: string; decision: string; reason: string; policy_version: string; endpoint: string | null; jurisdiction: string | null; request_sha256: string; response_sha256: string | null; [k: string]: unknown }
interface Row { index: number; leaf_hash: string; entry?: Entry }
interface Entries { from: number; to: number; tree_size: number; data: Row[] }
interface Found { tree_size: number; data: Required<Row>[]; next: number | null; previous: number | null }

const PAGE = 50;
const DECISIONS = ["allow", "deny", "review"];
const q = (ctx: UserContext, k: string) => one((ctx.req.query as Record<string, string>)[k]).trim();
const int = (s: string) => (/^\d{1,15}$/.test(s) ? Number(s) : undefined);
/** A `datetime-local` value (the form's fields are UTC) as the API's ISO 8601 time; anything else as typed, for the API to refuse. */
const utc = (s: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?$/.test(s) ? `${s.length === 16 ? `${s}:00` : s}Z` : s);

interface Filters { index: string; nation: string; decision: string; since: string; until: string; hash: string }

function form(ctx: UserContext, v: Filters): Html {
  const { tr } = ctx;
  return html`<form method="get" action="/console/audit" class="row" role="search">
  <div class="field"><label for="f-index">${tr.t("audit.index")}</label><input id="f-index" name="index" inputmode="numeric" pattern="[0-9]*" value="${v.index}" size="8"></div>
  <div class="field"><label for="f-since">${tr.t("audit.since")}</label><input id="f-since" name="since" type="datetime-local" step="1" value="${v.since}"></div>
  <div class="field"><label for="f-until">${tr.t("audit.until")}</label><input id="f-until" name="until" type="datetime-local" step="1" value="${v.until}"></div>
  <div class="field"><label for="f-nation">${tr.t("audit.nation")}</label><input id="f-nation" name="nation" value="${v.nation}" size="4" maxlength="3" pattern="[A-Za-z]{3}"></div>
  <div class="field"><label for="f-decision">${tr.t("audit.decision")}</label><select id="f-decision" name="decision"><option value="">${tr.t("audit.any")}</option>${DECISIONS.map((d) => html`<option value="${d}"${d === v.decision ? " selected" : ""}>${d}</option>`)}</select></div>
  <div class="field"><label for="f-hash">${tr.t("audit.hash")}</label><input id="f-hash" name="hash" value="${v.hash}" size="24" maxlength="64" spellcheck="false"></div>
  <button type="submit">${tr.t("audit.show")}</button>
</form><p class="hint">${tr.t("audit.filterNote", { count: PAGE })}</p>`;
}

export const auditPage: ConsolePage = (r) => {
  r.get("/audit", async (ctx) => {
    const { tr } = ctx;
    const v: Filters = {
      index: q(ctx, "index"),
      nation: q(ctx, "nation").toUpperCase(),
      decision: DECISIONS.includes(q(ctx, "decision")) ? q(ctx, "decision") : "",
      since: q(ctx, "since"),
      until: q(ctx, "until"),
      hash: q(ctx, "hash"),
    };
    // The filters as the console's own query string (paging links keep them) and as the API's.
    const own = new URLSearchParams(Object.entries(v).filter(([, x]) => x !== ""));
    const api = new URLSearchParams({ limit: String(PAGE) });
    for (const [k, x] of own) api.set(k, k === "since" || k === "until" ? utc(x) : x);
    const cursor = int(q(ctx, "after")) ?? int(q(ctx, "before"));
    if (cursor !== undefined) api.set(int(q(ctx, "after")) !== undefined ? "after" : "before", String(cursor));
    const found = ctx.api.ok(await ctx.api.get<Found>(`/admin/audit/search?${api}`)).json;
    const link = (k: "after" | "before", at: number) => `/console/audit?${new URLSearchParams([...own, [k, String(at)]])}`;
    const first = found.data[0]?.index;
    const last = found.data.at(-1)?.index;
    return {
      title: tr.t("audit.title"),
      body: html`<p>${tr.t("audit.size", { size: tr.number(found.tree_size) })}</p>
${form(ctx, v)}
${first === undefined || last === undefined ? html`<p role="status">${tr.t("audit.none")}</p>` : html`<table><caption>${tr.t("audit.caption", { from: first, to: last })}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${tr.t("audit.time")}</th><th scope="col">${tr.t("audit.nation")}</th><th scope="col">${tr.t("audit.action")}</th><th scope="col">${tr.t("audit.decision")}</th><th scope="col">${tr.t("audit.reason")}</th></tr></thead>
<tbody>${found.data.map((x) => html`<tr><td><a href="/console/audit/${x.index}">${x.index}</a></td><td>${tr.date(x.entry.time)}</td><td>${x.entry.nation ?? "-"}</td><td>${x.entry.action}</td><td>${x.entry.decision}</td><td>${x.entry.reason}</td></tr>`)}</tbody></table>`}
<nav aria-label="${tr.t("audit.pages")}" class="row">${found.previous !== null ? html`<a href="${link("before", found.previous)}">${tr.t("audit.previous")}</a>` : ""}
${found.next !== null ? html`<a href="${link("after", found.next)}">${tr.t("audit.next")}</a>` : ""}</nav>`,
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
