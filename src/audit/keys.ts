/**
 * The log's signing key lives in a file under the key directory, never in the database: whoever can rewrite the
 * database still cannot sign a checkpoint. Created on first start; the verifier key sits beside it for publishing.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors/index.ts";
import { generateNoteKey, parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifier } from "./note.ts";

export const SIGNER_FILE = "audit-log.key";
export const VERIFIER_FILE = "audit-log.pub";

/** Key names may not hold spaces or plus signs; origins may, so the key takes a sanitised copy. */
export function keyNameFor(origin: string): string {
  return origin.replace(/[\s+]/gu, "_").replace(/\p{Cc}/gu, "") || "concord-audit";
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

export function loadOrCreateLogKey(keyDir: string, origin: string): NoteSigner {
  const path = join(keyDir, SIGNER_FILE);
  const name = keyNameFor(origin);
  let text = readIfExists(path);
  if (text === null) {
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const fresh = generateNoteKey(name);
    try {
      // `wx`: when two processes start at once, one creates the key and the other reads it.
      writeFileSync(path, `${fresh.signerKey}\n`, { flag: "wx", mode: 0o600 });
      writeFileSync(join(keyDir, VERIFIER_FILE), `${fresh.verifierKey}\n`, { mode: 0o644 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    text = readFileSync(path, "utf8");
  }
  const signer = parseSignerKey(text.trim());
  if (signer.name !== name) {
    throw new ConfigError(`the audit log key in ${path} is named "${signer.name}" but the log origin "${origin}" needs "${name}"; keep the origin the log was started with`);
  }
  return signer;
}

/** The published verifier key, for verifying without the signing key. */
export function readLogVerifier(keyDir: string): NoteVerifier {
  const path = join(keyDir, VERIFIER_FILE);
  const text = readIfExists(path);
  if (text === null) throw new ConfigError(`no audit log verifier key at ${path}; give one with --key or start the gateway once`);
  return parseVerifierKey(text.trim());
}
