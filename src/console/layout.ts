import { html, type Html } from "./html.ts";
import { CATALOGS, LOCALES, type MessageKey } from "./i18n/index.ts";
import type { PageContext } from "./page.ts";

/** The sections in the navigation; a section is listed for the roles that can use it (the API still decides). */
export const NAV: ReadonlyArray<{ key: MessageKey; path: string; roles: readonly string[] }> = [
  { key: "nav.chat", path: "/console/chat", roles: ["analyst"] },
  { key: "nav.documents", path: "/console/documents", roles: ["analyst"] },
  { key: "nav.alerts", path: "/console/alerts", roles: ["analyst"] },
  { key: "nav.logistics", path: "/console/logistics", roles: ["analyst"] },
  { key: "nav.comms", path: "/console/comms", roles: ["analyst"] },
  { key: "nav.reviews", path: "/console/reviews", roles: ["reviewer", "nation-admin", "alliance-admin", "auditor", "alliance-auditor"] },
  { key: "nav.governance", path: "/console/governance", roles: ["nation-admin", "alliance-admin", "auditor", "alliance-auditor"] },
  { key: "nav.audit", path: "/console/audit", roles: ["auditor", "alliance-auditor"] },
  { key: "nav.operations", path: "/console/operations", roles: ["nation-admin", "alliance-admin"] },
];

const LANGUAGE_NAMES: Record<string, string> = { en: "English", fr: "Français" };

export interface PageView {
  readonly title: string;
  readonly body: Html;
  /** Island bundles this page loads (ISLANDS in assets.ts). */
  readonly islands?: readonly string[];
  readonly status?: number;
}

export function layout(ctx: PageContext, view: PageView): Html {
  const { tr, session, assets } = ctx;
  const user = session.user;
  const path = ctx.req.url.split("?")[0] ?? "";
  const nav = user ? NAV.filter((n) => n.roles.some((r) => user.roles.includes(r))) : [];
  const flash = session.flash;
  session.flash = undefined;
  return html`<!doctype html>
<html lang="${tr.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title} · ${tr.t("app.title")}</title>
<link rel="stylesheet" href="${assets.url("console.css")}">
</head>
<body>
<a class="skip-link" href="#main">${tr.t("skip")}</a>
<header class="top">
  <p class="brand"><a href="/console">${tr.t("app.title")}</a></p>
  ${nav.length ? html`<nav aria-label="${tr.t("nav.label")}"><ul>${nav.map((n) => html`<li><a href="${n.path}"${path.startsWith(n.path) ? html` aria-current="page"` : ""}>${tr.t(n.key)}</a></li>`)}</ul></nav>` : ""}
  ${user ? html`<div class="who"><p>${tr.t("signedInAs", { subject: user.subject, nation: user.nation, roles: user.roles.join(", ") })}</p>
  <form method="post" action="/console/sign-out">${csrfField(ctx)}<button type="submit">${tr.t("signOut")}</button></form></div>` : ""}
</header>
<main id="main" tabindex="-1">
<h1>${view.title}</h1>
${flash ? html`<p class="flash" role="status">${flash in CATALOGS.en ? tr.t(flash as MessageKey) : flash}</p>` : ""}
${view.body}
</main>
<footer class="bottom">
  <form method="post" action="/console/locale" class="inline">
    ${csrfField(ctx)}
    <input type="hidden" name="back" value="${ctx.req.url}">
    <label for="locale">${tr.t("language")}</label>
    <select id="locale" name="locale">${LOCALES.map((l) => html`<option value="${l}" lang="${l}"${l === tr.locale ? " selected" : ""}>${LANGUAGE_NAMES[l]}</option>`)}</select>
    <button type="submit">${tr.t("language.apply")}</button>
  </form>
  <p>${tr.t("footer.network", { network: ctx.deps.networkName })}</p>
</footer>
<div id="live" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
${(view.islands ?? []).map((i) => html`<script type="module" src="${assets.url(`${i}.js`)}"></script>`)}
</body>
</html>`;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="csrf" value="${ctx.session.csrf}">`;
}

/** A refusal or failure as a page section: the API's own message, announced to screen readers. */
export function errorBox(message: string): Html {
  return html`<div class="error" role="alert"><p>${message}</p></div>`;
}
