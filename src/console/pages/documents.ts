import { html, type Html } from "../html.ts";
import { csrfField } from "../layout.ts";
import { many, nationLabel, one, type ConsolePage, type UserContext } from "../page.ts";

/**
 * Documents: upload with releasability (POST /v1/workloads/documents), search (GET .../search), open and
 * summarize with citations (POST /v1/workloads/summarize). The gateway has no "read a document" route, so
 * opening one shows its opening passages through a lead summary, each passage anchored by page and paragraph.
 */

interface Hit { document_id: string; title: string; snippet: string; score: number; language: string; owner_nation: string; date: string; page: number | null; paragraph: number }
interface Citation { document_id: string; page: number | null; paragraph: number }
interface Summary { documents: Array<{ document_id: string; title: string }>; sentences: Array<{ text: string; citations: Citation[] }>; label?: { generator?: string; generated_at?: string; notice?: string } }

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

/**
 * The search API returns snippets as escaped text with <mark> around matches. Rebuilt here from its text, so
 * nothing but <mark> can ever reach the page even if that contract were broken.
 */
export function snippetHtml(snippet: string): Html {
  const parts = snippet.split(/<\/?mark>/);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<mark>${unescape(p)}</mark>` : unescape(p)))}`;
}

const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m);

/** A search snippet as plain text (the excerpt a grounded chat quotes). */
export function snippetText(snippet: string): string {
  return unescape(snippet.replace(/<\/?mark>/g, ""));
}

export const documentAnchor = (id: string, c: { page: number | null; paragraph: number }) => `${docUrl(id)}#${anchor(c)}`;

/** Search results per page; the API pages with limit and offset. */
const PAGE = 20;
const anchor = (c: { page: number | null; paragraph: number }) => `p${c.page ?? 0}-${c.paragraph}`;
const docUrl = (id: string) => `/console/documents/${encodeURIComponent(id)}`;

function uploadForm(ctx: UserContext): Html {
  const { tr } = ctx;
  return html`<section aria-labelledby="up-h"><h2 id="up-h">${tr.t("documents.upload")}</h2>
<form method="post" action="/console/documents" enctype="multipart/form-data" class="stack">
  ${csrfField(ctx)}
  <div class="field"><label for="file">${tr.t("documents.file")}</label><input id="file" name="file" type="file" required></div>
  <fieldset><legend>${tr.t("documents.releasable")}</legend>
  <p class="hint" id="rel-hint">${tr.t("documents.releasableHint")}</p>
  <ul class="checks">${ctx.deps.nations.map((n) => html`<li><input type="checkbox" id="rel-${n.code}" name="releasable_to" value="${n.code}" aria-describedby="rel-hint"> <label for="rel-${n.code}">${nationLabel(n)}</label></li>`)}</ul>
  </fieldset>
  <button type="submit">${tr.t("documents.uploadSubmit")}</button>
</form></section>`;
}

function searchForm(ctx: UserContext, q: string): Html {
  const { tr } = ctx;
  return html`<section aria-labelledby="search-h"><h2 id="search-h">${tr.t("documents.search")}</h2>
<form method="get" action="/console/documents" class="row" role="search">
  <div class="field"><label for="q">${tr.t("documents.query")}</label><input id="q" name="q" type="search" value="${q}" maxlength="1000"></div>
  <button type="submit">${tr.t("documents.searchSubmit")}</button>
</form></section>`;
}

function results(ctx: UserContext, hits: Hit[], total: number): Html {
  const { tr } = ctx;
  if (!hits.length) return html`<p role="status">${tr.t("documents.noResults")}</p>`;
  return html`<p role="status">${tr.t("documents.results", { count: tr.number(total) })}</p>
<table><caption>${tr.t("table.caption.results")}</caption>
<thead><tr><th scope="col">${tr.t("documents.open")}</th><th scope="col">${tr.t("documents.owner")}</th><th scope="col">${tr.t("documents.date")}</th><th scope="col">${tr.t("documents.language")}</th><th scope="col">${tr.t("documents.score")}</th></tr></thead>
<tbody>${hits.map((h) => html`<tr><td><a href="${docUrl(h.document_id)}#${anchor(h)}">${h.title}</a><br><span class="snippet">${snippetHtml(h.snippet)}</span></td>
<td>${h.owner_nation}</td><td>${h.date}</td><td>${h.language}</td><td>${tr.number(h.score)}</td></tr>`)}</tbody></table>`;
}

/** A summary's sentences, each followed by its stable [n] markers; the numbered citations below link to the excerpt. */
export function summaryHtml(ctx: UserContext, s: Summary): Html {
  const { tr } = ctx;
  const titles = new Map(s.documents.map((d) => [d.document_id, d.title]));
  const cites: Citation[] = [];
  const key = (c: Citation) => `${c.document_id}#${anchor(c)}`;
  const numberOf = (c: Citation) => {
    const i = cites.findIndex((x) => key(x) === key(c));
    if (i >= 0) return i + 1;
    cites.push(c);
    return cites.length;
  };
  const body = s.sentences.map((x) => html`${x.text} ${x.citations.map((c) => { const n = numberOf(c); return html`<a class="cite" href="#cite-${n}">[${n}]</a>`; })} `);
  return html`${s.label ? html`<p class="ai-label">${s.label.notice ?? ""} (${s.label.generator ?? "?"}, ${s.label.generated_at ? tr.date(s.label.generated_at) : ""})</p>` : ""}
<p class="summary">${body}</p>
<h3>${tr.t("documents.citations")}</h3>
<ol class="citations">${cites.map((c, i) => html`<li id="cite-${i + 1}"><a href="${docUrl(c.document_id)}#${anchor(c)}">${c.page === null
    ? tr.t("documents.citationNoPage", { title: titles.get(c.document_id) ?? c.document_id, paragraph: c.paragraph })
    : tr.t("documents.citation", { title: titles.get(c.document_id) ?? c.document_id, page: c.page, paragraph: c.paragraph })}</a></li>`)}</ol>`;
}

function summarizeForm(ctx: UserContext, id: string, mode: string): Html {
  const { tr } = ctx;
  return html`<form method="post" action="${docUrl(id)}/summary" class="row">
  ${csrfField(ctx)}
  <div class="field"><label for="mode">${tr.t("documents.mode")}</label>
  <select id="mode" name="mode">${(["extractive", "lead", "abstractive"] as const).map((m) => html`<option value="${m}"${m === mode ? " selected" : ""}>${tr.t(`documents.mode.${m}`)}</option>`)}</select></div>
  <button type="submit">${tr.t("documents.summarize")}</button>
</form>`;
}

async function openDocument(ctx: UserContext, id: string, summary?: Html, mode = "extractive") {
  // The opening passages: a lead summary of up to 30 sentences, grouped back into their paragraphs.
  const lead = ctx.api.ok(await ctx.api.post<Summary>("/v1/workloads/summarize", { document_ids: [id], mode: "lead", sentences: 30 })).json;
  const paras = new Map<string, { c: Citation; text: string[] }>();
  for (const s of lead.sentences) {
    const c = s.citations[0];
    if (!c) continue;
    const k = anchor(c);
    if (!paras.has(k)) paras.set(k, { c, text: [] });
    paras.get(k)!.text.push(s.text);
  }
  const title = lead.documents[0]?.title ?? id;
  return {
    title,
    body: html`${summarizeForm(ctx, id, mode)}
${summary ? html`<section aria-labelledby="sum-h" class="panel"><h2 id="sum-h">${ctx.tr.t("documents.summary")}</h2>${summary}</section>` : ""}
<section aria-labelledby="lead-h"><h2 id="lead-h">${ctx.tr.t("documents.lead")}</h2>
${[...paras.values()].map((p) => html`<p id="${anchor(p.c)}" class="passage"><span class="where">${p.c.page === null ? `¶${p.c.paragraph}` : `p. ${p.c.page} ¶${p.c.paragraph}`}</span> ${p.text.join(" ")}</p>`)}
</section>`,
  };
}

export const documentsPage: ConsolePage = (r) => {
  r.get("/documents", async (ctx) => {
    const q = one((ctx.req.query as Record<string, string>)["q"]).trim();
    let list: Html = html``;
    if (q) {
      const raw = one((ctx.req.query as Record<string, string>)["offset"]);
      const offset = /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
      const res = ctx.api.ok(await ctx.api.get<{ data: Hit[]; total: number }>(`/v1/workloads/documents/search?q=${encodeURIComponent(q)}&limit=${PAGE}&offset=${offset}`));
      const at = (o: number) => `/console/documents?q=${encodeURIComponent(q)}&offset=${o}`;
      const links = [
        ...(offset > 0 ? [html`<a href="${at(Math.max(0, offset - PAGE))}">${ctx.tr.t("documents.previous")}</a>`] : []),
        ...(offset + PAGE < res.json.total ? [html`<a href="${at(offset + PAGE)}">${ctx.tr.t("documents.next")}</a>`] : []),
      ];
      list = html`${results(ctx, res.json.data, res.json.total)}${links.length ? html`<nav aria-label="${ctx.tr.t("documents.pages")}" class="row">${links}</nav>` : ""}`;
    }
    return { title: ctx.tr.t("documents.title"), body: html`${uploadForm(ctx)}${searchForm(ctx, q)}${list}` };
  });

  r.post("/documents", async (ctx, form, files) => {
    const file = files.find((f) => f.field === "file");
    if (!file) return { redirect: "/console/documents" };
    const releasable = many(form["releasable_to"]).filter((n) => /^[A-Z]{3}$/.test(n));
    const res = ctx.api.ok(await ctx.api.post<{ document_id: string; title: string; duplicate: boolean }>("/v1/workloads/documents", {
      filename: file.filename, content_base64: file.bytes.toString("base64"), releasable_to: releasable.length ? releasable : "all",
    }));
    ctx.session.flash = res.json.duplicate ? ctx.tr.t("documents.duplicate", { id: res.json.document_id }) : ctx.tr.t("documents.uploaded", { title: res.json.title, id: res.json.document_id });
    return { redirect: `/console/documents` };
  });

  r.get("/documents/:id", (ctx) => openDocument(ctx, (ctx.req.params as { id: string }).id));

  r.post("/documents/:id/summary", async (ctx, form) => {
    const id = (ctx.req.params as { id: string }).id;
    const mode = ["extractive", "lead", "abstractive"].includes(one(form["mode"])) ? one(form["mode"]) : "extractive";
    const s = ctx.api.ok(await ctx.api.post<Summary>("/v1/workloads/summarize", { document_ids: [id], mode })).json;
    return openDocument(ctx, id, summaryHtml(ctx, s), mode);
  });
};
