import type { FastifyReply } from "fastify";
import { apiError, streamChat, type ApiResult } from "../api.ts";
import { html, type Html } from "../html.ts";
import { csrfField, errorBox } from "../layout.ts";
import { renderMarkdown } from "../markdown.ts";
import { one, type ConsolePage, type Form, type UserContext } from "../page.ts";
import { SECURITY_HEADERS } from "../security.ts";
import { answerHtml, findSources, groundingMessage, type Source } from "./chat-sources.ts";

/**
 * Chat: a model from those the nation may reach (GET /v1/models), a purpose (which may send the answer to human
 * review), and the answer streamed by the `chat` island, or, before script loads, posted and rendered whole.
 */

/** Purposes offered beside those the policy in force holds for review. */
const PURPOSES = ["drafting", "translation", "analysis"];

interface Completion {
  choices?: Array<{ message?: { content?: unknown } }>;
  concord?: { model?: string; endpoint?: string; jurisdiction?: string };
}

interface ReviewView { id: string; status: string; approvals: number; approvals_required: number; result?: Completion }

async function options(ctx: UserContext): Promise<{ models: string[]; held: string[] }> {
  const [models, policy] = await Promise.all([
    ctx.api.get<{ data?: Array<{ id: string }> }>("/v1/models"),
    ctx.api.get<{ bundle?: { oversight?: { review?: string[] } } }>("/admin/policy"),
  ]);
  ctx.api.ok(models);
  const held = (policy.status === 200 ? policy.json.bundle?.oversight?.review ?? [] : []).filter((c) => c.startsWith("chat.")).map((c) => c.slice(5));
  return { models: (models.json.data ?? []).map((m) => m.id), held };
}

function form(ctx: UserContext, o: { models: string[]; held: string[] }, values: Form = {}): Html {
  const { tr } = ctx;
  const purposes = [...new Set([...o.held, ...PURPOSES])].filter((p) => p !== "*");
  const chosen = one(values["purpose"]);
  return html`
<form id="chat-form" method="post" action="/console/chat" data-stream="/console/chat/stream" class="stack">
  ${csrfField(ctx)}
  <div class="row">
    <div class="field"><label for="model">${tr.t("chat.model")}</label>
    <select id="model" name="model" required>${o.models.map((m) => html`<option value="${m}"${m === one(values["model"]) ? " selected" : ""}>${m}</option>`)}</select></div>
    <div class="field"><label for="purpose">${tr.t("chat.purpose")}</label>
    <select id="purpose" name="purpose"><option value="">${tr.t("chat.purpose.general")}</option>${purposes.map((p) =>
      html`<option value="${p}"${o.held.includes(p) ? html` data-held="1"` : ""}${p === chosen ? " selected" : ""}>${o.held.includes(p) ? tr.t("chat.purpose.held", { purpose: p }) : p}</option>`)}</select></div>
  </div>
  <div class="check"><input type="checkbox" id="ground" name="ground" value="1"${one(values["ground"]) === "1" ? " checked" : ""}> <label for="ground">${tr.t("chat.ground")}</label></div>
  <div class="field"><label for="message">${tr.t("chat.message")}</label>
  <textarea id="message" name="message" rows="5" required maxlength="20000">${one(values["message"])}</textarea></div>
  <div class="actions"><button type="submit" id="send">${tr.t("chat.send")}</button>
  <button type="button" id="stop" disabled>${tr.t("chat.stop")}</button></div>
</form>`;
}

function answerSection(ctx: UserContext, content: Html | null, label: string): Html {
  const { tr } = ctx;
  return html`
<section id="answer-section" aria-labelledby="answer-h"${content ? "" : html` hidden`}
  data-complete="${tr.t("chat.complete")}" data-stopped="${tr.t("chat.stopped")}" data-streaming="${tr.t("chat.streaming")}" data-failed="${tr.t("chat.failed", { message: "{message}" })}">
  <h2 id="answer-h">${tr.t("chat.answer")}</h2>
  <p class="ai-label" id="ai-label">${label}</p>
  <div id="answer" class="answer${content ? " rendered" : ""}">${content ?? ""}</div>
</section>`;
}

function page(ctx: UserContext, body: Html): { title: string; body: Html; islands: string[] } {
  return { title: ctx.tr.t("chat.title"), body, islands: ["chat"] };
}

/** The sources of a grounded question (none unless asked for). */
const sourcesFor = (ctx: UserContext, f: Form): Promise<Source[]> => (one(f["ground"]) === "1" ? findSources(ctx, one(f["message"])) : Promise.resolve([]));

function requestBody(f: Form, stream: boolean, sources: readonly Source[]): Record<string, unknown> {
  const purpose = one(f["purpose"]);
  return {
    model: one(f["model"]),
    messages: [...(sources.length ? [{ role: "system", content: groundingMessage(sources) }] : []), { role: "user", content: one(f["message"]) }],
    stream,
    ...(purpose ? { metadata: { purpose } } : {}),
  };
}

function completionView(ctx: UserContext, res: ApiResult<Completion>, sources: readonly Source[] = []): Html {
  const c = res.json;
  const text = String(c.choices?.[0]?.message?.content ?? "");
  const label = ctx.tr.t("chat.aiLabel", { model: c.concord?.model ?? "?", endpoint: c.concord?.endpoint ?? "?", jurisdiction: c.concord?.jurisdiction ?? "?" });
  const provenance = res.headers["concord-provenance"];
  return html`${answerSection(ctx, answerHtml(ctx.tr, text, sources), label)}
${typeof provenance === "string" ? provenanceDetails(ctx.tr, provenance) : ""}`;
}

/** The signed provenance (a compact JWS), folded: from the JSON answer's header or the stream's last chunk. */
function provenanceDetails(tr: UserContext["tr"], jws: string): Html {
  return html`<details class="provenance"><summary>${tr.t("chat.provenance")}</summary><pre>${jws}</pre></details>`;
}

export const chatPage: ConsolePage = (r) => {
  r.get("/chat", async (ctx) => {
    const o = await options(ctx);
    if (!o.models.length) return page(ctx, errorBox(ctx.tr.t("chat.noModels")));
    return page(ctx, html`${form(ctx, o)}${answerSection(ctx, null, "")}`);
  });

  // Without script: the whole answer at once; a purpose under review answers with the review to poll.
  r.post("/chat", async (ctx, f) => {
    const o = await options(ctx);
    const sources = await sourcesFor(ctx, f);
    const res = await ctx.api.post<Completion & ReviewView>("/v1/chat/completions", requestBody(f, false, sources));
    if (res.status === 202) {
      return page(ctx, html`${form(ctx, o, f)}<p class="flash" role="status">${ctx.tr.t("chat.held", { id: res.json.id })}
        <a href="/console/chat/reviews/${res.json.id}">${ctx.tr.t("chat.pollReview")}</a></p>`);
    }
    if (res.status >= 400) {
      const e = apiError(res);
      return page(ctx, html`${form(ctx, o, f)}${errorBox(ctx.tr.t("error.api", { message: e.message, code: e.code }))}`);
    }
    return page(ctx, html`${form(ctx, o, f)}${completionView(ctx, res, sources)}`);
  });

  // The requester's poll of a held answer (GET /v1/reviews/{id}); the released result shows like any answer.
  r.get("/chat/reviews/:id", async (ctx) => {
    const id = (ctx.req.params as { id: string }).id;
    const res = ctx.api.ok(await ctx.api.get<ReviewView>(`/v1/reviews/${encodeURIComponent(id)}`));
    const v = res.json;
    const status = html`<p role="status">${ctx.tr.t("chat.reviewStatus", { id: v.id, status: v.status, approvals: v.approvals, required: v.approvals_required })}</p>`;
    return page(ctx, v.result ? html`${status}${completionView(ctx, { ...res, json: v.result })}` : status);
  });

  r.stream("/chat/stream", (ctx, f) => relay(ctx, f));
};

/**
 * Streams the gateway's own SSE answer to the browser frame by frame, adding three named events the island
 * reads: `label` (the AI-disclosure header), `rendered` (the whole answer as safe HTML, at the end) and
 * `failure`. The browser closing the connection (Stop) aborts the request to the gateway, which cancels the
 * upstream model's work.
 */
async function relay(ctx: UserContext, f: Form): Promise<void> {
  const reply: FastifyReply = ctx.reply;
  const ac = new AbortController();
  reply.raw.on("close", () => { if (!reply.raw.writableFinished) ac.abort(); });
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" });
  const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  let text = "";
  let provenance: string | null = null;
  try {
    const sources = await sourcesFor(ctx, f);
    const res = await streamChat(ctx.app, ctx.user.token, requestBody(f, true, sources), ac.signal);
    if (res.statusCode !== 200) {
      const body = await res.body.text();
      let json: unknown = body;
      try { json = JSON.parse(body); } catch { /* not JSON: the message is the text */ }
      const e = apiError({ status: res.statusCode, json, headers: {} });
      send("failure", { code: e.code, message: e.message });
      raw.end();
      return;
    }
    const disclosure = res.headers["ai-disclosure"];
    if (typeof disclosure === "string") send("label", { text: ctx.tr.t("chat.aiLabelStream", { disclosure }) });
    let buf = "";
    for await (const chunk of res.body) {
      buf += (chunk as Buffer).toString("utf8");
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        raw.write(`${frame}\n\n`);
        const data = frame.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (!data || data === "[DONE]") continue;
        try {
          const j = JSON.parse(data) as { choices?: Array<{ delta?: { content?: unknown } }>; error?: { code?: string; message?: string }; concord_provenance?: unknown };
          if (j.error) send("failure", { code: j.error.code, message: j.error.message });
          if (typeof j.concord_provenance === "string") provenance = j.concord_provenance;
          const delta = j.choices?.[0]?.delta?.content;
          if (typeof delta === "string") text += delta;
        } catch { /* a frame that is not JSON is passed on untouched */ }
      }
    }
    send("rendered", { html: answerHtml(ctx.tr, text, sources).text + (provenance ? provenanceDetails(ctx.tr, provenance).text : "") });
  } catch (err) {
    if (!ac.signal.aborted) send("failure", { code: "console_error", message: (err as Error).message });
  }
  if (!raw.destroyed) raw.end();
}
