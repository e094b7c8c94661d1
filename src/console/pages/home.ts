import { html } from "../html.ts";
import { NAV } from "../layout.ts";
import type { ConsolePage } from "../page.ts";

/** The landing page: the sections this principal's roles use. */
export const homePage: ConsolePage = (r) => {
  r.get("/", (ctx) => {
    const { tr, user } = ctx;
    const mine = NAV.filter((n) => n.roles.some((x) => user.roles.includes(x)));
    return {
      title: tr.t("home.title"),
      body: html`<p>${tr.t("home.intro")}</p><ul>${mine.map((n) => html`<li><a href="${n.path}">${tr.t(n.key)}</a></li>`)}</ul>`,
    };
  });
};
