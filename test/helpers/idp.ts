import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) for one nation, over HTTP on loopback. Clients
 * get JWT access tokens for the audience `urn:concord` through the client-credentials grant; roles come from
 * the client's name (`<role>-<anything>`).
 */
export interface NationIdp {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The signing key, so tests can forge tokens that are validly signed but wrong in one respect. */
  readonly privateJwk: JWK;
  token(clientId: string, extraClaims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const AUDIENCE = "urn:concord";

export async function startNationIdp(nation: string, clients: string[] = ["analyst-1", "nation-admin-1"]): Promise<NationIdp> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: `${nation}-k1`, alg: "RS256", use: "sig" };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let pendingExtra: Record<string, unknown> = {};
  const provider = new Provider(issuer, {
    clients: clients.map((id) => ({
      client_id: id, client_secret: `${id}-secret`, grant_types: ["client_credentials"], redirect_uris: [], response_types: [],
    })),
    jwks: { keys: [privateJwk] },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: "api", audience: AUDIENCE, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }),
      },
    },
    extraTokenClaims: (_ctx: unknown, token: { clientId?: string }) => {
      const role = (token.clientId ?? "").replace(/-[^-]*$/, "");
      return { roles: [role], ...pendingExtra };
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    privateJwk,
    async token(clientId, extraClaims = {}) {
      pendingExtra = extraClaims;
      const res = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { authorization: "Basic " + Buffer.from(`${clientId}:${clientId}-secret`).toString("base64"), "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials&scope=api",
      });
      const j = (await res.json()) as { access_token?: string; error?: string };
      pendingExtra = {};
      if (!j.access_token) throw new Error(`IdP refused: ${j.error}`);
      return j.access_token;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
