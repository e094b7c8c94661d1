import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import multipart from "@fastify/multipart";
import type { LoadedConfig } from "../config/index.ts";
import type { DemoKey } from "../identity/index.ts";
import { ConcordError } from "../errors/index.ts";
import { buildAssets, type AssetSet } from "./assets.ts";
import { html } from "./html.ts";
import { isLocale, negotiate, translator } from "./i18n/index.ts";
import { errorBox, layout } from "./layout.ts";
import { createRouter, one, type ConsoleDeps, type ConsolePage } from "./page.ts";
import { alertsPage } from "./pages/alerts.ts";
import { auditPage } from "./pages/audit.ts";
import { chatPage } from "./pages/chat.ts";
import { commsPage } from "./pages/comms.ts";
import { logisticsPage } from "./pages/logistics.ts";
import { operationsPage } from "./pages/operations.ts";
import { documentsPage } from "./pages/documents.ts";
import { governancePage } from "./pages/governance.ts";
import { homePage } from "./pages/home.ts";
import { reviewsPage } from "./pages/reviews.ts";
import { safeBack, signInPages } from "./pages/sign-in.ts";
import { cookieName, readCookie, SECURITY_HEADERS } from "./security.ts";
import { SessionStore } from "./session.ts";

/**
 * The web console (issue 11), served by the gateway at /console: server-rendered pages over the gateway's own
 * APIs, small script islands from web/, one stylesheet. Register with `app.register(consolePlugin(...), {
 * prefix: "/console" })`.
 */
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./security.ts";
export { buildAssets, type AssetSet } from "./assets.ts";
export { SessionStore } from "./session.ts";

export interface ConsoleOptions {
  /** Sign a session out after this long without a request (default 15 minutes). */
  readonly idleMs?: number;
  /** Clock, for tests of the idle timeout. */
  readonly now?: () => number;
  /** Where console failures are reported (the gateway's log); never given request content. */
  readonly log?: { error(fields: Record<string, unknown>, msg: string): void };
}

export function consoleDeps(cfg: LoadedConfig, demoKeys: ReadonlyMap<string, DemoKey>, idleMs: number, env: NodeJS.ProcessEnv = process.env): ConsoleDeps {
  return {
    networkName: cfg.network.name,
    nations: Object.entries(cfg.nations).map(([code, n]) => {
      const id = n.identity;
      const c = id === "demo" ? undefined : id.console;
      const secret = c?.client_secret_env ? env[c.client_secret_env] : undefined;
      return {
        code, name: n.name ?? code, demo: id === "demo",
        ...(id !== "demo" && c ? { oidc: { issuer: id.issuer, clientId: c.client_id, scope: c.scope, rolesClaim: id.roles_claim, subjectClaim: id.subject_claim, ...(secret ? { clientSecret: secret } : {}), ...(c.resource ? { resource: c.resource } : {}) } } : {}),
      };
    }),
    demoKeys,
    uploadLimit: cfg.workloads.upload_limit,
    sessionIdleMs: idleMs,
  };
}

/** The pages, in navigation order; a new page is one file under pages/ and one line here. */
const PAGES: readonly ConsolePage[] = [homePage, chatPage, documentsPage, alertsPage, logisticsPage, commsPage, reviewsPage, governancePage, auditPage, operationsPage];

export function consolePlugin(app: FastifyInstance, cfg: LoadedConfig, demoKeys: ReadonlyMap<string, DemoKey>, opts: ConsoleOptions = {}): FastifyPluginAsync {
  const idleMs = opts.idleMs ?? 15 * 60_000;
  const deps = consoleDeps(cfg, demoKeys, idleMs);
  const sessions = new SessionStore(idleMs, opts.now);
  // Built on first use, so a gateway that never serves the console never runs esbuild.
  let built: Promise<AssetSet> | undefined;
  const assets = () => (built ??= buildAssets());

  return async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.uploadLimit } });
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 256 * 1024 }, (_req, body, done) => {
      const form: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prev = form[k];
        form[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
      }
      done(null, form);
    });

    // Every console response, pages, assets, errors and redirects alike, carries the security headers.
    scope.addHook("onSend", async (req, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      if (!req.url.startsWith("/console/assets/")) reply.header("cache-control", "no-store");
      return payload;
    });

    scope.get<{ Params: { name: string } }>("/assets/:name", async (req, reply) => {
      const a = (await assets()).byName(req.params.name);
      if (!a) return reply.code(404).header("content-type", "text/plain; charset=utf-8").send("no such asset");
      reply.header("content-type", a.type).header("cache-control", "public, max-age=31536000, immutable").header("vary", "accept-encoding");
      if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) return reply.header("content-encoding", "gzip").send(a.gzip);
      return reply.send(a.body);
    });

    const router = createRouter(app, scope, sessions, assets, deps);
    signInPages(sessions)(router);
    for (const page of PAGES) page(router);

    router.publicPost("/locale", (ctx, form) => {
      const l = one(form["locale"]);
      if (isLocale(l)) ctx.session.locale = l;
      return { redirect: safeBack(one(form["back"])) };
    });

    scope.setNotFoundHandler(async (req, reply) => {
      // No session is created for a missing page: scanners would fill the store.
      const session = sessions.get(readCookie(req, cookieName(req))) ?? { id: "", csrf: "", lastSeen: 0 };
      const tr = translator(session.locale ?? negotiate(req.headers["accept-language"]));
      const page = layout({ req, reply, session, tr, assets: await assets(), deps, app }, { title: tr.t("error.title"), body: errorBox(tr.t("error.notFound")) });
      return reply.code(404).header("content-type", "text/html; charset=utf-8").send(page.text);
    });

    scope.setErrorHandler(async (err, _req, reply) => {
      // Concord's own refusals (e.g. the app's JSON parser refusing a body) carry `status`, Fastify's `statusCode`.
      const status = (err as { statusCode?: number }).statusCode ?? (err instanceof ConcordError ? err.status : 500);
      if (status >= 500) opts.log?.error({ event: "console_error", err: String((err as Error).stack ?? err) }, "console page failed");
      const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><main><h1>Error</h1><p>${status >= 500 ? "The console failed; the error is logged." : (err as Error).message}</p></main></body></html>`;
      return reply.code(status).header("content-type", "text/html; charset=utf-8").send(body.text);
    });
  };
}
