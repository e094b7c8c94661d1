import type { Role } from "../config/index.ts";

/**
 * Who is asking. The nation is the one whose issuer signed the token (or whose key was used), never a claim
 * the caller chose.
 */
export interface Principal {
  readonly nation: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly via: "jwt" | "api_key";
  /** For API keys: the key's public id (never the secret). */
  readonly keyId?: string;
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}
