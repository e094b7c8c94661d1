import { decodeJwt } from "jose";
import { Role } from "../../config/index.ts";
import { mintDemoToken } from "../../identity/index.ts";
import { injectApi } from "../api.ts";
import { html } from "../html.ts";
import { csrfField, errorBox } from "../layout.ts";
import { finishOidc, startOidc } from "../oidc.ts";
import { nationLabel, one, type Answer, type ConsolePage, type PageContext } from "../page.ts";
import { clearSessionCookie, setSessionCookie } from "../security.ts";
import type { SessionStore, SignedIn } from "../session.ts";

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const DEMO_TTL = "8h";

/** Only a path inside the console: an open redirect would let a link send a signed-in user anywhere. */
export function safeBack(v: string): string {
  const path = v.split("?")[0] ?? "";
  return /^\/console(\/[A-Za-z0-9._~\/-]*)?(\?[A-Za-z0-9._~=&%+-]*)?$/.test(v) && !/\/\.\.?(\/|$)/.test(path) ? v : "/console";
}

function signInPage(ctx: PageContext, problem?: string): Answer {
  const { tr, deps } = ctx;
  const back = safeBack(one((ctx.req.query as Record<string, string>)["back"]));
  const idps = deps.nations.filter((n) => n.oidc);
  const demo = deps.nations.filter((n) => n.demo);
  const out = one((ctx.req.query as Record<string, string>)["out"]) === "1";
  return {
    title: tr.t("signIn.title"),
    status: problem ? 401 : 200,
    body: html`
${out ? html`<p class="flash" role="status">${tr.t("signedOut")}</p>` : ""}
${problem ? errorBox(tr.t("signIn.failed", { message: problem })) : ""}
${idps.length ? html`<section aria-labelledby="idp-h"><h2 id="idp-h">${tr.t("signIn.intro")}</h2>
<ul class="plain">${idps.map((n) => html`<li><a class="button" href="/console/sign-in/oidc?nation=${n.code}">${tr.t("signIn.nationIdp", { nation: n.name })}</a></li>`)}</ul></section>` : ""}
${demo.length ? html`<section aria-labelledby="demo-h"><h2 id="demo-h">${tr.t("signIn.demoTitle")}</h2>
<p>${tr.t("signIn.demoIntro")}</p>
<form method="post" action="/console/sign-in/demo" class="stack">
  ${csrfField(ctx)}
  <input type="hidden" name="back" value="${back}">
  <div class="field"><label for="nation">${tr.t("signIn.nation")}</label>
  <select id="nation" name="nation" required>${demo.map((n) => html`<option value="${n.code}">${nationLabel(n)}</option>`)}</select></div>
  <div class="field"><label for="role">${tr.t("signIn.role")}</label>
  <select id="role" name="role" required>${Role.options.map((r) => html`<option value="${r}">${r}</option>`)}</select></div>
  <div class="field"><label for="name">${tr.t("signIn.name")}</label>
  <input id="name" name="name" required maxlength="64" pattern="[A-Za-z0-9._@\\-]{1,64}" autocomplete="username" aria-describedby="name-hint">
  <p id="name-hint" class="hint">${tr.t("signIn.nameHint")}</p></div>
  <button type="submit">${tr.t("signIn.submit")}</button>
</form></section>` : ""}`,
  };
}

export function signInPages(sessions: SessionStore): ConsolePage {
  return (r) => {
    r.publicGet("/sign-in", (ctx) => signInPage(ctx));

    // The demo IdP: a token minted with the nation's demo key, exactly as `concord token` would, then checked by
    // the gateway's own API before the session starts.
    r.publicPost("/sign-in/demo", async (ctx, form) => {
      const nation = one(form["nation"]);
      const role = Role.safeParse(one(form["role"]));
      const name = one(form["name"]).trim();
      const key = ctx.deps.demoKeys.get(nation);
      const n = ctx.deps.nations.find((x) => x.code === nation);
      if (!key || !n?.demo) return signInPage(ctx, ctx.tr.t("signIn.noDemo", { nation: nation || "?" }));
      if (!role.success) return signInPage(ctx, ctx.tr.t("signIn.badRole"));
      if (!NAME.test(name)) return signInPage(ctx, ctx.tr.t("signIn.nameHint"));
      const token = await mintDemoToken(key, { nation, role: role.data, subject: name, ttl: DEMO_TTL });
      const check = await injectApi(ctx.app, token).get("/v1/models");
      if (check.status === 401) return signInPage(ctx, ctx.tr.t("signIn.refused"));
      const user: SignedIn = { token, nation, subject: name, roles: [role.data], tokenExpiresAt: (decodeJwt(token).exp ?? 0) * 1000 };
      const s = sessions.rotate(ctx.session, user);
      setSessionCookie(ctx.req, ctx.reply, s.id);
      return { redirect: safeBack(one(form["back"])) };
    });

    // A link, not a form: CSP form-action 'self' also governs where a form's redirect may lead, and this one
    // leads to the nation's IdP. Starting a sign-in changes nothing but this browser's pending state and nonce.
    r.publicGet("/sign-in/oidc", async (ctx) => {
      const n = ctx.deps.nations.find((x) => x.code === one((ctx.req.query as Record<string, string>)["nation"]));
      if (!n?.oidc) return signInPage(ctx, ctx.tr.t("signIn.noOidc"));
      const start = await startOidc(n.oidc, callbackUrl(ctx));
      ctx.session.pendingOidc = { nation: n.code, verifier: start.verifier, state: start.state, nonce: start.nonce, startedAt: Date.now() };
      return { redirect: start.url };
    });

    r.publicGet("/sign-in/callback", async (ctx) => {
      const pending = ctx.session.pendingOidc;
      ctx.session.pendingOidc = undefined;
      const n = pending && ctx.deps.nations.find((x) => x.code === pending.nation);
      if (!pending || !n?.oidc || Date.now() - pending.startedAt > 10 * 60_000) return signInPage(ctx, ctx.tr.t("signIn.noPending"));
      let got: { token: string; expiresAt: number };
      try {
        got = await finishOidc(n.oidc, new URL(ctx.req.url, callbackUrl(ctx)), pending);
      } catch (err) {
        return signInPage(ctx, (err as Error).message);
      }
      const check = await injectApi(ctx.app, got.token).get("/v1/models");
      if (check.status === 401) return signInPage(ctx, ctx.tr.t("signIn.refused"));
      // For display only: every API call is decided by the gateway's own verification of the token.
      const claims = decodeJwt(got.token);
      const at = (path: string) => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), claims);
      const rolesValue = at(n.oidc.rolesClaim);
      const roles = (typeof rolesValue === "string" ? rolesValue.split(/[\s,]+/) : [rolesValue].flat()).filter((x): x is string => typeof x === "string" && x.length > 0);
      const s = sessions.rotate(ctx.session, { token: got.token, nation: n.code, subject: String(at(n.oidc.subjectClaim) ?? "?"), roles, tokenExpiresAt: got.expiresAt });
      setSessionCookie(ctx.req, ctx.reply, s.id);
      return { redirect: "/console" };
    });

    r.publicPost("/sign-out", (ctx) => {
      sessions.destroy(ctx.session.id);
      clearSessionCookie(ctx.req, ctx.reply);
      return { redirect: "/console/sign-in?out=1" };
    });
  };
}

function callbackUrl(ctx: PageContext): string {
  return `${ctx.req.protocol}://${ctx.req.host}/console/sign-in/callback`;
}
