import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { parseConfig } from "../../src/config/index.ts";
import { DEMO_AUDIENCE, demoIssuer, JwtVerifier, loadOrCreateDemoKey, mintDemoToken, type DemoKey } from "../../src/identity/index.ts";

/**
 * OWASP ASVS 5.0.0 chapter V9, self-contained tokens: the bearer JWTs each nation's IdP issues. Every case here
 * is a token a hostile client can build; each must be refused with `unauthenticated`.
 */

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("ASVS V9 self-contained tokens", { timeout: 180_000 }, () => {
  let dir: string, deu: DemoKey, fra: DemoKey, verifier: JwtVerifier;
  const claims = () => ({ iss: demoIssuer("DEU"), aud: DEMO_AUDIENCE, sub: "analyst@deu", roles: ["analyst"], iat: now(), nbf: now() - 5, exp: now() + 600 });
  const sign = async (c: Record<string, unknown>, key: DemoKey = deu, header: Record<string, unknown> = {}) =>
    new SignJWT(c).setProtectedHeader({ alg: "EdDSA", kid: key.privateJwk.kid ?? "demo", typ: "JWT", ...header }).sign(await importJWK(key.privateJwk, "EdDSA"));
  const refused = async (token: string) => assert.rejects(verifier.verify(token), (e: Error & { code?: string }) => e.code === "unauthenticated");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "concord-sec-v9-"));
    const cfg = parseConfig({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" }, FRA: { residency: ["FRA"], identity: "demo" } }, endpoints: [], data_dir: dir }, "test");
    [deu, fra] = await Promise.all([loadOrCreateDemoKey(dir, "DEU"), loadOrCreateDemoKey(dir, "FRA")]);
    verifier = await JwtVerifier.create(cfg, new Map<string, JWK>([["DEU", deu.publicJwk], ["FRA", fra.publicJwk]]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("ASVS V9.1.1: a token's contents are trusted only after its signature verifies; a changed claim is refused", async () => {
    const good = await sign(claims());
    assert.equal((await verifier.verify(good)).nation, "DEU", "the control: the untouched token is accepted");
    const [h, , s] = good.split(".");
    await refused(`${h}.${b64({ ...claims(), roles: ["alliance-admin"] })}.${s}`);
    await refused(`${h}.${b64({ ...claims(), sub: "someone-else" })}.${s}`);
    await refused(`${good.slice(0, -4)}${good.endsWith("AAAA") ? "BBBB" : "AAAA"}`);
  });

  test("ASVS V9.1.2: only the issuer's allow-listed algorithm verifies: alg none, HS256 with the public key as secret, and another curve are refused", async () => {
    const body = b64(claims());
    await refused(`${b64({ alg: "none", typ: "JWT" })}.${body}.`);
    // Algorithm confusion: HMAC keyed with the issuer's public key, which any client can read from the JWKS.
    const secret = new TextEncoder().encode(JSON.stringify(deu.publicJwk));
    await refused(await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: deu.privateJwk.kid ?? "demo" }).sign(secret));
    const { privateKey } = await generateKeyPair("ES256");
    await refused(await new SignJWT(claims()).setProtectedHeader({ alg: "ES256", kid: deu.privateJwk.kid ?? "demo" }).sign(privateKey));
  });

  test("ASVS V9.1.3: keys come only from the issuer's configured source; an embedded jwk, jku or x5u header is not trusted", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const attackerJwk = await exportJWK(publicKey);
    const attacker = (header: Record<string, unknown>) => new SignJWT(claims()).setProtectedHeader({ alg: "EdDSA", ...header }).sign(privateKey);
    await refused(await attacker({ jwk: attackerJwk }));
    await refused(await attacker({ jku: "http://127.0.0.1:1/jwks.json", kid: "attacker" }));
    await refused(await attacker({ x5u: "http://127.0.0.1:1/cert.pem", kid: deu.privateJwk.kid ?? "demo" }));
    // The other nation's key is a trusted key, but not for this issuer: FRA's IdP cannot mint DEU tokens.
    await refused(await sign(claims(), fra));
  });

  test("ASVS V9.2.1: a token is accepted only inside its validity span: expired, not yet valid, or without exp is refused", async () => {
    await refused(await sign({ ...claims(), exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }));
    await refused(await sign({ ...claims(), nbf: now() + 3600 }));
    const { exp: _exp, ...noExp } = claims();
    await refused(await sign(noExp));
  });

  test("ASVS V9.2.3: a token for another audience (another service of the same IdP) is refused", async () => {
    await refused(await sign({ ...claims(), aud: "some-other-service" }));
    await refused(await sign({ ...claims(), aud: ["some-other-service"] }));
    assert.equal((await verifier.verify(await sign({ ...claims(), aud: ["some-other-service", DEMO_AUDIENCE] }))).nation, "DEU", "a token listing this gateway among its audiences is for it");
  });

  test("ASVS V9.2.4: tokens the built-in demo IdP issues carry an audience that names this gateway alone", async () => {
    const token = await mintDemoToken(deu, { nation: "DEU", role: "analyst" });
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { aud: unknown; iss: unknown };
    assert.equal(payload.aud, DEMO_AUDIENCE);
    assert.equal(payload.iss, demoIssuer("DEU"));
  });
});
