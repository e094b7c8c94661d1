/**
 * Each nation's governance key: the Ed25519 key its approvals of policy proposals are signed with. A real nation
 * publishes the public key in the configuration (`nations.X.governance_key`) and keeps the private key offline;
 * a demo nation gets a generated key under `<data_dir>/keys/governance/`, like its demo IdP.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateNoteKey, parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifier } from "../audit/index.ts";
import type { Config } from "../config/index.ts";
import { ConfigError } from "../errors/index.ts";

export interface GovernanceKeys {
  /** Verifier per nation that has a governance key. */
  readonly verifiers: ReadonlyMap<string, NoteVerifier>;
  /** Signers the gateway holds for demo nations only (a real nation signs offline). */
  readonly demoSigners: ReadonlyMap<string, NoteSigner>;
}

/** The key name nations sign with: the nation code, so a signature line reads `— DEU ...`. */
export const governanceKeyName = (nation: string) => nation;

/**
 * Accepts either a C2SP verifier key (`name+keyid+base64`) or the raw Ed25519 public key in base64 (32 bytes),
 * named after the nation.
 */
export function nationVerifier(nation: string, key: string): NoteVerifier {
  const text = key.trim();
  if (text.includes("+") && text.split("+").length === 3 && /^[0-9a-f]{8}$/.test(text.split("+")[1] ?? "")) return parseVerifierKey(text);
  const raw = Buffer.from(text, "base64");
  if (raw.length !== 32 || raw.toString("base64") !== text) throw new ConfigError(`nations.${nation}.governance_key must be a C2SP verifier key or a base64 Ed25519 public key (32 bytes)`);
  const material = Buffer.concat([Buffer.from([0x01]), raw]);
  const name = governanceKeyName(nation);
  const keyId = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), material])).digest().subarray(0, 4);
  return parseVerifierKey(`${name}+${keyId.toString("hex")}+${material.toString("base64")}`);
}

function demoKeyDir(dataDir: string): string {
  return join(dataDir, "keys", "governance");
}

/** Loads (creating on first use) a demo nation's governance signer. */
export function loadOrCreateDemoGovernanceKey(dataDir: string, nation: string): NoteSigner {
  const dir = demoKeyDir(dataDir);
  const file = join(dir, `${nation}.key`);
  try {
    return parseSignerKey(readFileSync(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fresh = generateNoteKey(governanceKeyName(nation));
  try {
    // wx: two processes starting at once keep one key.
    writeFileSync(file, `${fresh.signerKey}\n`, { flag: "wx", mode: 0o600 });
    writeFileSync(join(dir, `${nation}.pub`), `${fresh.verifierKey}\n`, { mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return parseSignerKey(readFileSync(file, "utf8"));
}

/** A demo nation's published verifier key, for verifying offline without the signing key. */
export function readDemoGovernanceVerifier(dataDir: string, nation: string): NoteVerifier | null {
  try {
    return parseVerifierKey(readFileSync(join(demoKeyDir(dataDir), `${nation}.pub`), "utf8"));
  } catch {
    return null;
  }
}

/** The gateway's view: configured keys for real nations, generated ones for demo nations. */
export function loadGovernanceKeys(cfg: Config, opts: { create: boolean } = { create: true }): GovernanceKeys {
  const verifiers = new Map<string, NoteVerifier>();
  const demoSigners = new Map<string, NoteSigner>();
  for (const [nation, n] of Object.entries(cfg.nations)) {
    if (n.governance_key) {
      verifiers.set(nation, nationVerifier(nation, n.governance_key));
    } else if (n.identity === "demo") {
      if (opts.create) {
        const signer = loadOrCreateDemoGovernanceKey(cfg.data_dir, nation);
        demoSigners.set(nation, signer);
        verifiers.set(nation, parseVerifierKey(signer.verifierKey));
      } else {
        const v = readDemoGovernanceVerifier(cfg.data_dir, nation);
        if (v) verifiers.set(nation, v);
      }
    }
  }
  return { verifiers, demoSigners };
}
