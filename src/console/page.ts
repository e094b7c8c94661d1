import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { JWK } from "jose";
import { InvalidRequest } from "../errors/index.ts";
import { ApiError, injectApi, type Api } from "./api.ts";
import type { AssetSet } from "./assets.ts";
import { html, type Html } from "./html.ts";
import { isLocale, negotiate, translator, type Translator } from "./i18n/index.ts";
import { errorBox, layout, type PageView } from "./layout.ts";
import { readCookie, sameOrigin, setSessionCookie, cookieName } from "./security.ts";
import { sameSecret, type Session, type SessionStore, type SignedIn } from "./session.ts";

/**
 * The console's page framework: every page file registers its routes through a `Router`, which finds the
 * session, sends anonymous visitors to sign-in, checks Origin and the CSRF token on every POST, and renders
 * the page in the layout (or a refusal from the API as an error on the page).
 */

/** What the console needs from the gateway; no store, only configuration facts and the demo IdP's keys. */
export interface ConsoleDeps {
  readonly networkName: string;
  readonly nations: ReadonlyArray<{ code: string; name: string; demo: boolean; oidc?: { issuer: string; clientId: string; clientSecret?: string; scope: string; resource?: string; rolesClaim: string; subjectClaim: string } }>;
  readonly demoKeys: ReadonlyMap<string, { nation: string; privateJwk: JWK; publicJwk: JWK }>;
  readonly uploadLimit: number;
  readonly sessionIdleMs: number;
}

export interface PageContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly session: Session;
  readonly tr: Translator;
  readonly assets: AssetSet;
  readonly deps: ConsoleDeps;
  readonly app: FastifyInstance;
}

export interface UserContext extends PageContext {
  readonly user: SignedIn;
  /** The gateway's API as this principal. */
  readonly api: Api;
}

export type Form = Record<string, string | string[] | undefined>;
export interface UploadedFile { readonly field: string; readonly filename: string; readonly bytes: Buffer }

/** A handler answers a page, or a redirect (POST-redirect-GET keeps reloads from resubmitting). */
export type Answer = PageView | { readonly redirect: string };

export interface Router {
  /** A page for anyone (sign-in). */
  publicGet(path: string, handler: (ctx: PageContext) => Promise<Answer> | Answer): void;
  publicPost(path: string, handler: (ctx: PageContext, form: Form) => Promise<Answer> | Answer): void;
  get(path: string, handler: (ctx: UserContext) => Promise<Answer> | Answer): void;
  post(path: string, handler: (ctx: UserContext, form: Form, files: UploadedFile[]) => Promise<Answer> | Answer): void;
  /** JSON for an island (GET, no state change): the API's answer as is, its status kept. */
  json(path: string, handler: (ctx: UserContext) => Promise<{ status: number; json: unknown }>): void;
  /** A raw route that needs the user and a checked CSRF token but writes its own response (streaming). */
  stream(path: string, handler: (ctx: UserContext, form: Form) => Promise<void>): void;
}

export type ConsolePage = (r: Router) => void;

export const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
export const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function createRouter(app: FastifyInstance, scope: FastifyInstance, sessions: SessionStore, assets: () => Promise<AssetSet>, deps: ConsoleDeps): Router {
  const contextOf = async (req: FastifyRequest, reply: FastifyReply): Promise<PageContext> => {
    const cookie = readCookie(req, cookieName(req));
    let session = sessions.get(cookie);
    if (!session) {
      session = sessions.create();
      setSessionCookie(req, reply, session.id);
      // A cookie naming no live session: it timed out, its token expired, or the gateway restarted.
      if (cookie) session.flash = "signIn.expired";
    }
    const locale = session.locale ?? negotiate(req.headers["accept-language"]);
    return { req, reply, session, tr: translator(isLocale(locale) ? locale : "en"), assets: await assets(), deps, app };
  };

  const send = (ctx: PageContext, answer: Answer): FastifyReply => {
    if ("redirect" in answer) return ctx.reply.code(303).header("location", answer.redirect).send();
    return ctx.reply.code(answer.status ?? 200).header("content-type", "text/html; charset=utf-8").send(layout(ctx, answer).text);
  };

  const failure = (ctx: PageContext, err: unknown): FastifyReply => {
    if (err instanceof ApiError) {
      const status = err.status === 401 ? 401 : err.status;
      return send(ctx, { title: ctx.tr.t("error.title"), status, body: errorBox(ctx.tr.t(err.status === 403 && err.code === "forbidden" ? "forbidden" : "error.api", { message: err.message, code: err.code })) });
    }
    throw err;
  };

  const userOf = (ctx: PageContext): UserContext | null => {
    const user = ctx.session.user;
    return user ? { ...ctx, user, api: injectApi(app, user.token) } : null;
  };

  const toSignIn = (ctx: PageContext): FastifyReply => {
    const back = ctx.req.method === "GET" ? ctx.req.url : "/console";
    return send(ctx, { redirect: `/console/sign-in?back=${encodeURIComponent(back)}` });
  };

  /** Origin and CSRF: both must pass before any handler runs. */
  const checked = (ctx: PageContext, form: Form): boolean => sameOrigin(ctx.req) && sameSecret(one(form["csrf"]), ctx.session.csrf);

  const refused = (ctx: PageContext): FastifyReply =>
    send(ctx, { title: ctx.tr.t("error.title"), status: 403, body: errorBox(ctx.tr.t("error.csrf")) });

  const readForm = async (req: FastifyRequest): Promise<{ form: Form; files: UploadedFile[] }> => {
    if (!req.isMultipart()) return { form: (req.body as Form | undefined) ?? {}, files: [] };
    const form: Form = {};
    const files: UploadedFile[] = [];
    try {
      for await (const part of req.parts({ limits: { fileSize: deps.uploadLimit, files: 1, fields: 50, fieldSize: 64 * 1024 } })) {
        if (part.type === "file") {
          const bytes = await part.toBuffer();
          if (part.filename) files.push({ field: part.fieldname, filename: part.filename, bytes });
        } else {
          const prev = form[part.fieldname];
          const v = String(part.value);
          form[part.fieldname] = prev === undefined ? v : [...many(prev), v];
        }
      }
    } catch (err) {
      if (((err as { statusCode?: number }).statusCode ?? 500) < 500) throw err;
      // Busboy's parse errors (no boundary, truncated parts) are the sender's: a 400 page, not a console failure.
      throw new InvalidRequest("the form is not a readable multipart body", { cause: err });
    }
    return { form, files };
  };

  return {
    publicGet(path, handler) {
      scope.get(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        try { return send(ctx, await handler(ctx)); } catch (err) { return failure(ctx, err); }
      });
    },
    publicPost(path, handler) {
      scope.post(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        const { form } = await readForm(req);
        if (!checked(ctx, form)) return refused(ctx);
        try { return send(ctx, await handler(ctx, form)); } catch (err) { return failure(ctx, err); }
      });
    },
    get(path, handler) {
      scope.get(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        const u = userOf(ctx);
        if (!u) return toSignIn(ctx);
        try { return send(ctx, await handler(u)); } catch (err) { return failure(ctx, err); }
      });
    },
    post(path, handler) {
      scope.post(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        const { form, files } = await readForm(req);
        if (!checked(ctx, form)) return refused(ctx);
        const u = userOf(ctx);
        if (!u) return toSignIn(ctx);
        try { return send(ctx, await handler(u, form, files)); } catch (err) { return failure(ctx, err); }
      });
    },
    json(path, handler) {
      scope.get(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        const u = userOf(ctx);
        if (!u) return reply.code(401).send({ error: { code: "unauthenticated", message: ctx.tr.t("signIn.expired") } });
        const r = await handler(u);
        return reply.code(r.status).header("content-type", "application/json; charset=utf-8").send(JSON.stringify(r.json));
      });
    },
    stream(path, handler) {
      scope.post(path, async (req, reply) => {
        const ctx = await contextOf(req, reply);
        const form = (req.body as Form | undefined) ?? {};
        if (!checked(ctx, form)) return reply.code(403).send({ error: { code: "csrf", message: ctx.tr.t("error.csrf") } });
        const u = userOf(ctx);
        if (!u) return reply.code(401).send({ error: { code: "unauthenticated", message: ctx.tr.t("signIn.expired") } });
        await handler(u, form);
        return reply;
      });
    },
  };
}

/** A definition list row, the pages' common way to show a record's fields. */
export function field(label: string, value: Html | string): Html {
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

/** "Germany (DEU)", or the bare code for a nation configured without a name. */
export function nationLabel(n: { code: string; name: string }): string {
  return n.name === n.code ? n.code : `${n.name} (${n.code})`;
}
