import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The console's HTTP security: headers on every response, the session cookie, and the checks every POST passes.
 */

/** No inline script or style anywhere, so the policy needs neither 'unsafe-inline' nor 'unsafe-eval'. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // Not no-referrer: under it browsers send `Origin: null` on same-origin POSTs, which the origin check refuses.
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

export const isTls = (req: FastifyRequest): boolean => req.protocol === "https";

/** `__Host-` binds the cookie to this origin and path `/`; browsers accept that prefix only with Secure. */
export const cookieName = (req: FastifyRequest): string => (isTls(req) ? "__Host-concord_session" : "concord_session");

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, id: string): void {
  const attrs = ["Path=/", "HttpOnly", "SameSite=Strict", ...(isTls(req) ? ["Secure"] : [])];
  reply.header("set-cookie", `${cookieName(req)}=${id}; ${attrs.join("; ")}`);
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header("set-cookie", `${cookieName(req)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${isTls(req) ? "; Secure" : ""}`);
}

/**
 * A state-changing request must come from a page of this console: the browser's Origin (or, failing it, its
 * fetch metadata) names this host. The CSRF token is checked separately, so both must pass.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `${req.protocol}://${req.host}`;
}
