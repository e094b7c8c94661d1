import { Unauthenticated } from "../errors/index.ts";
import { API_KEY_PREFIX, type ApiKeys } from "./api-keys.ts";
import type { JwtVerifier } from "./jwt.ts";
import type { Principal } from "./principal.ts";

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/** Bearer JWT from a nation's IdP, or a nation-scoped API key (`Authorization: Bearer ck_...`). */
export function createAuthenticator(jwt: JwtVerifier, keys: ApiKeys): Authenticator {
  return {
    async authenticate(authorization) {
      if (!authorization) throw new Unauthenticated("missing Authorization header; send `Authorization: Bearer <token>`");
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m) throw new Unauthenticated("Authorization header must be `Bearer <token>`");
      const credential = m[1] as string;
      if (credential.length > 16_384) throw new Unauthenticated("bearer credential is too long");
      return credential.startsWith(API_KEY_PREFIX) ? keys.verify(credential) : jwt.verify(credential);
    },
  };
}
