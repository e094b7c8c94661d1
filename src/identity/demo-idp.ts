import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { Forbidden, InvalidRequest } from "../errors/index.ts";
import { parseDuration, type Role } from "../config/index.ts";

/**
 * The built-in demo identity provider: one Ed25519 key per demo nation, generated on first use under
 * `<data_dir>/keys/demo-idp/`, so the gateway and `concord token` (same data dir) agree without a server.
 * Real nations never use it: `concord token` is refused for a nation with its own IdP.
 */
export const DEMO_AUDIENCE = "concord";
export const demoIssuer = (nation: string) => `urn:concord:demo-idp:${nation}`;

export interface DemoKey {
  readonly nation: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function loadOrCreateDemoKey(dataDir: string, nation: string): Promise<DemoKey> {
  const dir = join(dataDir, "keys", "demo-idp");
  const file = join(dir, `${nation}.jwk.json`);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `demo-${nation}-${Date.now().toString(36)}`, alg: "EdDSA", use: "sig" };
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // wx: two processes starting at once must not overwrite each other's key.
    try {
      writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600, flag: "wx" });
    } catch {
      privateJwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
    }
  }
  const { d: _d, ...publicJwk } = privateJwk;
  return { nation, privateJwk, publicJwk };
}

export interface DemoTokenRequest {
  readonly nation: string;
  readonly role: Role;
  readonly subject?: string;
  readonly ttl?: string;
}

export async function mintDemoToken(key: DemoKey, req: DemoTokenRequest): Promise<string> {
  const ttlMs = parseDuration(req.ttl ?? "1h");
  if (ttlMs === null || ttlMs <= 0 || ttlMs > 30 * 86_400_000) throw new InvalidRequest(`--ttl "${req.ttl}" must be a duration up to 30d, e.g. 1h`);
  if (key.nation !== req.nation) throw new Forbidden(`the demo key of ${key.nation} cannot mint a token for ${req.nation}`);
  const pk = await importJWK(key.privateJwk, "EdDSA");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [req.role], nation: req.nation })
    .setProtectedHeader({ alg: "EdDSA", kid: key.privateJwk.kid ?? "demo", typ: "JWT" })
    .setIssuer(demoIssuer(req.nation))
    .setAudience(DEMO_AUDIENCE)
    .setSubject(req.subject ?? `${req.role}@${req.nation.toLowerCase()}.demo`)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + Math.floor(ttlMs / 1000))
    .sign(pk);
}
