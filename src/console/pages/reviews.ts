import { html, type Html } from "../html.ts";
import { csrfField } from "../layout.ts";
import { renderMarkdown } from "../markdown.ts";
import { one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Reviews: the queue as GET /admin/reviews returns it for this principal (content only where the four-eyes
 * rule lets them decide), the held result beside the request (its messages for a chat, its JSON otherwise), approve
 * or reject with a comment.
 */

interface Review {
  id: string; status: string; capability: string; approvals_required: number; approvals: number; created_at: string; expires_at: string;
  reason?: string; requester: { nation: string; subject: string }; held?: unknown; request?: unknown; request_truncated?: boolean; may_decide: boolean;
}

type ChatRequest = { model?: unknown; metadata?: { purpose?: unknown }; messages: Array<{ role?: unknown; content?: unknown }> };

/** A message's text: a string, or the text parts of a content array (other parts are named by their type). */
function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? "");
  return content.map((p: { type?: unknown; text?: unknown }) => (typeof p?.text === "string" ? p.text : `[${String(p?.type ?? "part")}]`)).join("\n");
}

/** A chat request as its model, purpose and messages (role and text); anything else as its JSON text. */
function requestView(ctx: UserContext, r: Review): Html {
  const { tr } = ctx;
  const req = r.request;
  const cut = r.request_truncated ? html`<p class="truncated"><strong>${tr.t("reviews.requestTruncated")}</strong></p>` : "";
  if (req && typeof req === "object" && Array.isArray((req as ChatRequest).messages)) {
    const c = req as ChatRequest;
    return html`<dl>
    ${c.model !== undefined ? html`<dt>${tr.t("reviews.model")}</dt><dd>${String(c.model)}</dd>` : ""}
    ${c.metadata?.purpose !== undefined ? html`<dt>${tr.t("reviews.purpose")}</dt><dd>${String(c.metadata.purpose)}</dd>` : ""}
  </dl>
  <ol class="messages" aria-label="${tr.t("reviews.messages")}">${c.messages.map((m) => html`<li><strong>${String(m?.role ?? "?")}</strong>: <span class="pre-wrap">${messageText(m?.content)}</span></li>`)}</ol>${cut}`;
  }
  return html`<pre class="json">${typeof req === "string" ? req : JSON.stringify(req, null, 2)}</pre>${cut}`;
}

const STATUSES = ["pending", "approved", "rejected", "expired"] as const;

/** A held chat completion shows as its answer; anything else (a workload's JSON) as formatted JSON text. */
function heldView(held: unknown): Html {
  const content = (held as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0]?.message?.content;
  if (typeof content === "string") return html`<div class="answer rendered">${renderMarkdown(content)}</div>`;
  return html`<pre class="json">${JSON.stringify(held, null, 2)}</pre>`;
}

function statusName(ctx: UserContext, s: string): string {
  return (STATUSES as readonly string[]).includes(s) ? ctx.tr.t(`reviews.status.${s as (typeof STATUSES)[number]}`) : s;
}

function card(ctx: UserContext, r: Review): Html {
  const { tr } = ctx;
  const cid = `comment-${r.id}`;
  return html`<article class="review" aria-labelledby="h-${r.id}">
<h2 id="h-${r.id}">${r.id} · ${statusName(ctx, r.status)}</h2>
<div class="side-by-side">
  <section aria-label="${tr.t("reviews.request")}"><h3>${tr.t("reviews.request")}</h3><dl>
    <dt>${tr.t("reviews.capability")}</dt><dd>${r.capability}</dd>
    <dt>${tr.t("reviews.requester")}</dt><dd>${r.requester.subject} (${r.requester.nation})</dd>
    <dt>${tr.t("reviews.created")}</dt><dd>${tr.date(r.created_at)}</dd>
    <dt>${tr.t("reviews.expires")}</dt><dd>${tr.date(r.expires_at)}</dd>
  </dl>
  <p class="four-eyes"><meter min="0" max="${r.approvals_required}" value="${r.approvals}" aria-labelledby="fe-${r.id}"></meter>
  <span id="fe-${r.id}">${tr.t("reviews.fourEyes", { approvals: r.approvals, required: r.approvals_required })}</span></p>
  ${r.reason ? html`<p>${r.reason}</p>` : ""}
  ${r.request === undefined ? (r.held === undefined ? "" : html`<p>${tr.t("reviews.requestAbsent")}</p>`) : requestView(ctx, r)}</section>
  <section aria-label="${tr.t("reviews.held")}"><h3>${tr.t("reviews.held")}</h3>
  ${r.held === undefined ? html`<p>${tr.t("reviews.heldHidden")}</p>` : heldView(r.held)}</section>
</div>
${r.may_decide ? html`<form method="post" action="/console/reviews/${r.id}/decide" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="${cid}">${tr.t("reviews.comment")}</label><textarea id="${cid}" name="comment" rows="2" maxlength="2000"></textarea></div>
  <div class="actions"><button type="submit" name="verb" value="approve">${tr.t("reviews.approve")}</button>
  <button type="submit" name="verb" value="reject">${tr.t("reviews.reject")}</button></div>
</form>` : ""}
</article>`;
}

export const reviewsPage: ConsolePage = (r) => {
  r.get("/reviews", async (ctx) => {
    const { tr } = ctx;
    const q = one((ctx.req.query as Record<string, string>)["status"]);
    const status = (STATUSES as readonly string[]).includes(q) ? q : "pending";
    const list = ctx.api.ok(await ctx.api.get<{ data: Review[] }>(`/admin/reviews?status=${status}`)).json.data;
    return {
      title: tr.t("reviews.title"),
      body: html`<form method="get" action="/console/reviews" class="row">
  <div class="field"><label for="status">${tr.t("reviews.filter")}</label>
  <select id="status" name="status">${STATUSES.map((s) => html`<option value="${s}"${s === status ? " selected" : ""}>${statusName(ctx, s)}</option>`)}</select></div>
  <button type="submit">${tr.t("reviews.filterSubmit")}</button></form>
${list.length ? list.map((x) => card(ctx, x)) : html`<p role="status">${tr.t("reviews.none")}</p>`}`,
    };
  });

  r.post("/reviews/:id/decide", async (ctx, form) => {
    const id = (ctx.req.params as { id: string }).id;
    const verb = one(form["verb"]) === "reject" ? "reject" : "approve";
    const comment = one(form["comment"]).trim();
    const res = ctx.api.ok(await ctx.api.post<{ status: string }>(`/admin/reviews/${encodeURIComponent(id)}/${verb}`, comment ? { comment } : {}));
    ctx.session.flash = ctx.tr.t("reviews.decided", { id, status: statusName(ctx, res.json.status) });
    return { redirect: "/console/reviews" };
  });
};
