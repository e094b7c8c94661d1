import * as client from "openid-client";
import { decodeJwt } from "jose";

/**
 * OpenID Connect sign-in at a nation's own IdP: authorization code flow with PKCE (S256), state and nonce, by
 * `openid-client`. The access token it returns is what the console then sends to the gateway's API, where the
 * gateway verifies it against the same nation's issuer as any other bearer token.
 */
export interface OidcClientConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scope: string;
  /** RFC 8707 resource indicator: IdPs that issue JWT access tokens per audience need it. */
  readonly resource?: string;
}

export interface OidcStart { readonly url: string; readonly verifier: string; readonly state: string; readonly nonce: string }

const discovered = new Map<string, Promise<client.Configuration>>();

const loopback = (u: URL) => u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);

function configurationOf(c: OidcClientConfig): Promise<client.Configuration> {
  const key = `${c.issuer} ${c.clientId}`;
  let p = discovered.get(key);
  if (!p) {
    const issuer = new URL(c.issuer);
    // Plain HTTP only for an IdP on this machine (tests, a local demo); anything else must be HTTPS.
    p = client.discovery(issuer, c.clientId, c.clientSecret, c.clientSecret ? client.ClientSecretPost(c.clientSecret) : client.None(), loopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined);
    p.catch(() => discovered.delete(key));
    discovered.set(key, p);
  }
  return p;
}

export async function startOidc(c: OidcClientConfig, redirectUri: string): Promise<OidcStart> {
  const config = await configurationOf(c);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: c.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(c.resource ? { resource: c.resource } : {}),
  });
  return { url: url.href, verifier, state, nonce };
}

/** Exchanges the callback's code; returns the access token and its expiry. Throws on any failed check. */
export async function finishOidc(c: OidcClientConfig, callbackUrl: URL, pending: { verifier: string; state: string; nonce: string }): Promise<{ token: string; expiresAt: number }> {
  const config = await configurationOf(c);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  }, c.resource ? { resource: c.resource } : undefined);
  let exp: number | undefined;
  try { exp = decodeJwt(tokens.access_token).exp; } catch { /* an opaque token: the gateway will refuse it, expiry from the response */ }
  const expiresIn = tokens.expiresIn();
  return { token: tokens.access_token, expiresAt: exp ? exp * 1000 : Date.now() + (expiresIn ?? 300) * 1000 };
}
