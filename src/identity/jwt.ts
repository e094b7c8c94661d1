import { readFileSync } from "node:fs";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWK,
} from "jose";
import { Role, type LoadedConfig } from "../config/index.ts";
import { ConfigError, Unauthenticated } from "../errors/index.ts";
import { DEMO_AUDIENCE, demoIssuer } from "./demo-idp.ts";
import type { Principal } from "./principal.ts";

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

interface Issuer {
  readonly nation: string;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: string[];
  readonly rolesClaim: string;
  readonly subjectClaim: string;
  readonly clockToleranceSec: number;
  readonly keys: KeySet;
}

const KNOWN_ROLES = new Set<string>(Role.options);
/** Verified tokens kept (16 KiB at most each, the authenticator's limit; a few hundred bytes as issued). */
const CACHE_MAX = 10_000;

function claimAt(payload: JWTPayload, path: string): unknown {
  let cur: unknown = payload;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function rolesFrom(value: unknown): Role[] {
  const list = typeof value === "string" ? value.split(/[\s,]+/) : Array.isArray(value) ? value : [];
  return list.filter((r): r is Role => typeof r === "string" && KNOWN_ROLES.has(r));
}

function explain(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "token expired";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${err.claim}" is invalid (${err.reason})`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "token algorithm is not allowed for this issuer";
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "no key of the issuer matches the token's kid";
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "token signature does not verify";
  if (err instanceof joseErrors.JWKSTimeout) return "the issuer's JWKS did not answer in time";
  if (err instanceof joseErrors.JOSEError) return `token rejected (${err.code})`;
  return "token rejected";
}

/**
 * Verifies bearer JWTs against the issuer of each nation. The issuer decides the nation: a token is checked only
 * against the keys of the nation whose issuer it names, and a `nation` claim that disagrees is refused.
 */
export class JwtVerifier {
  private readonly byIssuer = new Map<string, Issuer>();
  // Verified tokens for a short while: signature checks dominate the hot path, and the answer cannot change
  // before the token's own expiry except by key revocation, which the 60 s bound covers. Keyed by the token
  // itself (a lookup costs less than hashing it); at most CACHE_MAX entries, the oldest dropped first.
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  private constructor() {}

  static async create(cfg: LoadedConfig, demoKeys: ReadonlyMap<string, JWK>): Promise<JwtVerifier> {
    const v = new JwtVerifier();
    for (const [nation, n] of Object.entries(cfg.nations)) {
      let issuer: Issuer;
      if (n.identity === "demo") {
        const jwk = demoKeys.get(nation);
        if (!jwk) throw new ConfigError(`demo nation ${nation} has no demo IdP key`);
        issuer = {
          nation, issuer: demoIssuer(nation), audience: DEMO_AUDIENCE, algorithms: ["EdDSA"], rolesClaim: "roles",
          subjectClaim: "sub", clockToleranceSec: 30, keys: createLocalJWKSet({ keys: [jwk] }),
        };
      } else {
        const id = n.identity;
        let keys: KeySet;
        if (id.jwks_file) {
          let jwks: { keys: JWK[] };
          try {
            jwks = JSON.parse(readFileSync(id.jwks_file, "utf8")) as { keys: JWK[] };
          } catch (err) {
            throw new ConfigError(`nations.${nation}.identity.jwks_file ${id.jwks_file}: cannot read a JWKS (${(err as Error).message})`);
          }
          keys = createLocalJWKSet(jwks);
        } else {
          keys = createRemoteJWKSet(new URL(id.jwks_uri as string), { cacheMaxAge: 600_000, cooldownDuration: id.jwks_cooldown, timeoutDuration: 5_000 });
        }
        issuer = {
          nation, issuer: id.issuer, audience: id.audience, algorithms: id.algorithms, rolesClaim: id.roles_claim,
          subjectClaim: id.subject_claim, clockToleranceSec: Math.round(id.clock_skew / 1000), keys,
        };
      }
      if (v.byIssuer.has(issuer.issuer)) throw new ConfigError(`nations ${v.byIssuer.get(issuer.issuer)?.nation} and ${nation} name the same issuer ${issuer.issuer}; each nation needs its own`);
      v.byIssuer.set(issuer.issuer, issuer);
    }
    return v;
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.cache.get(token);
    const now = Date.now();
    if (hit) {
      if (hit.until > now) return hit.principal;
      this.cache.delete(token);
    }

    let iss: string | undefined;
    try {
      decodeProtectedHeader(token);
      iss = decodeJwt(token).iss;
    } catch {
      throw new Unauthenticated("bearer token is not a well-formed JWT or API key");
    }
    const issuer = iss === undefined ? undefined : this.byIssuer.get(iss);
    if (!issuer) throw new Unauthenticated("token issuer is not trusted by this gateway");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: issuer.algorithms,
        clockTolerance: issuer.clockToleranceSec,
        requiredClaims: ["exp"],
      }));
    } catch (err) {
      throw new Unauthenticated(`${explain(err)}; obtain a new token from your nation's identity provider`);
    }
    const claimed = payload["nation"];
    if (claimed !== undefined && claimed !== issuer.nation) {
      throw new Unauthenticated(`token was issued by ${issuer.nation}'s identity provider but claims nation ${String(claimed)}`);
    }
    const subject = claimAt(payload, issuer.subjectClaim);
    if (typeof subject !== "string" || subject.length === 0) throw new Unauthenticated(`token has no "${issuer.subjectClaim}" claim`);
    const principal: Principal = { nation: issuer.nation, subject, roles: rolesFrom(claimAt(payload, issuer.rolesClaim)), via: "jwt" };

    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    const exp = typeof payload.exp === "number" ? payload.exp * 1000 : now;
    this.cache.set(token, { principal, until: Math.min(exp, now + 60_000) });
    return principal;
  }
}
