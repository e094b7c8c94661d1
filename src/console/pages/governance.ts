import { html, type Html } from "../html.ts";
import { apiError } from "../api.ts";
import { csrfField, errorBox } from "../layout.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Governance: the bundle in force with its signatures and adoptions (GET /admin/policy), proposals (GET
 * /admin/proposals) each with its diff against the bundle it would replace, approve or object.
 */

interface Proposal {
  id: string; status: string; status_reason?: string; bundle_sha256: string; parent_sha256: string; proposer: { nation: string; subject: string };
  summary: string; created_at: string; deadline?: string; quorum: unknown; approved_by: string[]; objections: Array<{ nation: string; comment: string; at: string }>;
}
interface PolicyRecord { version: string; bundle: unknown; signatures: string[]; history: Array<{ version: string; bundle: unknown; proposal_id: string | null; adopted_at: string }> }

/** Every leaf of a JSON value by its path, for a line-by-line diff a reader can follow. */
export function leaves(v: unknown, path = "", out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === "object" && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
    for (const [k, x] of Object.entries(v)) leaves(x, Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out);
  } else {
    out.set(path || "(root)", JSON.stringify(v));
  }
  return out;
}

export interface DiffRow { readonly path: string; readonly before?: string; readonly after?: string }

export function jsonDiff(before: unknown, after: unknown): DiffRow[] {
  const a = leaves(before);
  const b = leaves(after);
  const rows: DiffRow[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (x !== y) rows.push({ path, ...(x === undefined ? {} : { before: x }), ...(y === undefined ? {} : { after: y }) });
  }
  return rows.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}

function diffTable(ctx: UserContext, rows: DiffRow[]): Html {
  const { tr } = ctx;
  if (!rows.length) return html`<p>${tr.t("governance.noDiff")}</p>`;
  return html`<table class="diff"><caption>${tr.t("governance.diff")}</caption>
<thead><tr><th scope="col">${tr.t("governance.path")}</th><th scope="col">${tr.t("governance.inForce")}</th><th scope="col">${tr.t("governance.proposed")}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row"><code>${r.path}</code></th><td>${r.before === undefined ? "" : html`<del>${r.before}</del>`}</td><td>${r.after === undefined ? "" : html`<ins>${r.after}</ins>`}</td></tr>`)}</tbody></table>`;
}

async function proposalCard(ctx: UserContext, p: Proposal, bundles: Map<string, unknown>): Promise<Html> {
  const { tr } = ctx;
  const full = ctx.api.ok(await ctx.api.get<{ bundle: unknown }>(`/admin/proposals/${encodeURIComponent(p.id)}`)).json;
  const parent = bundles.get(p.parent_sha256);
  const cid = `gc-${p.id}`;
  return html`<article class="proposal" aria-labelledby="h-${p.id}">
<h3 id="h-${p.id}">${p.id} · ${p.status}</h3>
${p.summary ? html`<p>${p.summary}</p>` : ""}
<dl class="grid">
  <dt>${tr.t("governance.proposer")}</dt><dd>${p.proposer.subject} (${p.proposer.nation}), ${tr.date(p.created_at)}</dd>
  <dt>${tr.t("governance.quorum")}</dt><dd>${typeof p.quorum === "string" || typeof p.quorum === "number" ? String(p.quorum) : JSON.stringify(p.quorum)}</dd>
  <dt>${tr.t("governance.deadline")}</dt><dd>${p.deadline ? tr.date(p.deadline) : tr.t("governance.noDeadline")}</dd>
  <dt>${tr.t("governance.approvedBy")}</dt><dd>${p.approved_by.join(", ") || "-"}</dd>
  <dt>${tr.t("governance.objections")}</dt><dd>${p.objections.length ? html`<ul class="plain">${p.objections.map((o) => html`<li>${o.nation}: ${o.comment} (${tr.date(o.at)})</li>`)}</ul>` : "-"}</dd>
  <dt>${tr.t("governance.version")}</dt><dd><code>${p.bundle_sha256}</code></dd>
</dl>
${diffTable(ctx, jsonDiff(parent, full.bundle))}
${p.status === "pending" ? html`<form method="post" action="/console/governance/${p.id}/decide" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="${cid}">${tr.t("governance.comment")}</label><textarea id="${cid}" name="comment" rows="2" maxlength="2000"></textarea></div>
  <div class="field"><label for="sig-${p.id}">${tr.t("governance.signature")}</label><input id="sig-${p.id}" name="signature" maxlength="1000" size="60" spellcheck="false" aria-describedby="sig-hint-${p.id}">
  <p id="sig-hint-${p.id}" class="hint">${tr.t("governance.signatureHint", { id: p.id })}</p></div>
  <div class="actions"><button type="submit" name="verb" value="approve">${tr.t("governance.approve")}</button>
  <button type="submit" name="verb" value="object">${tr.t("governance.object")}</button></div>
</form>` : ""}
</article>`;
}

/** A new proposal: the bundle in force as JSON to edit, and a summary; the API checks it and who may propose. */
function proposeForm(ctx: UserContext, bundle: string, summary: string): Html {
  const { tr } = ctx;
  return html`<section aria-labelledby="new-h"><h2 id="new-h">${tr.t("governance.propose")}</h2>
<form method="post" action="/console/governance/propose" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="summary">${tr.t("governance.summary")}</label><input id="summary" name="summary" value="${summary}" maxlength="2000" size="60"></div>
  <div class="field"><label for="bundle">${tr.t("governance.bundle")}</label>
  <textarea id="bundle" name="bundle" rows="16" spellcheck="false" required aria-describedby="bundle-hint">${bundle}</textarea>
  <p id="bundle-hint" class="hint">${tr.t("governance.bundleHint")}</p></div>
  <button type="submit">${tr.t("governance.proposeSubmit")}</button>
</form></section>`;
}

export const governancePage: ConsolePage = (r) => {
  r.get("/governance", async (ctx) => {
    const { tr } = ctx;
    const policy = ctx.api.ok(await ctx.api.get<PolicyRecord>("/admin/policy")).json;
    const proposals = ctx.api.ok(await ctx.api.get<{ data: Proposal[] }>("/admin/proposals")).json.data;
    const bundles = new Map(policy.history.map((h) => [h.version, h.bundle]));
    const cards: Html[] = [];
    for (const p of proposals.slice(0, 20)) cards.push(await proposalCard(ctx, p, bundles));
    return {
      title: tr.t("governance.title"),
      body: html`<section aria-labelledby="force-h"><h2 id="force-h">${tr.t("governance.inForce")}</h2>
<dl class="grid"><dt>${tr.t("governance.version")}</dt><dd><code>${policy.version}</code></dd>
<dt>${tr.t("governance.signatures")}</dt><dd>${policy.signatures.join(", ") || "-"}</dd></dl>
<table><caption>${tr.t("governance.history")}</caption><thead><tr><th scope="col">${tr.t("governance.version")}</th><th scope="col">${tr.t("governance.proposals")}</th><th scope="col">${tr.t("governance.adoptedAt")}</th></tr></thead>
<tbody>${policy.history.map((h) => html`<tr><td><code>${h.version.slice(0, 16)}…</code></td><td>${h.proposal_id ?? "-"}</td><td>${tr.date(h.adopted_at)}</td></tr>`)}</tbody></table></section>
<section aria-labelledby="prop-h"><h2 id="prop-h">${tr.t("governance.proposals")}</h2>
${cards.length ? cards : html`<p>${tr.t("governance.none")}</p>`}</section>
${proposeForm(ctx, JSON.stringify(policy.bundle, null, 2), "")}`,
    };
  });

  r.post("/governance/propose", async (ctx, form) => {
    const text = one(form["bundle"]);
    const summary = one(form["summary"]).trim();
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch (err) {
      return { title: ctx.tr.t("governance.title"), status: 400, body: html`${errorBox(ctx.tr.t("governance.badJson", { message: (err as Error).message }))}${proposeForm(ctx, text, summary)}` };
    }
    const res = await ctx.api.post<{ id: string; status: string }>("/admin/proposals", { bundle, ...(summary ? { summary } : {}) });
    if (res.status >= 400) {
      const e = apiError(res);
      return { title: ctx.tr.t("governance.title"), status: res.status, body: html`${errorBox(ctx.tr.t("error.api", { message: e.message, code: e.code }))}${proposeForm(ctx, text, summary)}` };
    }
    ctx.session.flash = ctx.tr.t("governance.decided", { id: res.json.id, status: res.json.status });
    return { redirect: "/console/governance" };
  });

  r.post("/governance/:id/decide", async (ctx, form) => {
    const id = (ctx.req.params as { id: string }).id;
    const verb = one(form["verb"]) === "object" ? "object" : "approve";
    const comment = one(form["comment"]).trim();
    const signature = verb === "approve" ? one(form["signature"]).trim() : "";
    const res = ctx.api.ok(await ctx.api.post<{ status: string }>(`/admin/proposals/${encodeURIComponent(id)}/${verb}`, { ...(comment ? { comment } : {}), ...(signature ? { signature } : {}) }));
    ctx.session.flash = ctx.tr.t("governance.decided", { id, status: res.json.status });
    return { redirect: "/console/governance" };
  });
};
