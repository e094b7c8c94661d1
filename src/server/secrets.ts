import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A random secret of the gateway, generated on first use under `<data_dir>/keys/` (mode 0600) and kept out of the
 * database, like the log and provenance keys. Replicas share it by sharing the key folder.
 */
export function loadOrCreateSecret(dataDir: string, name: string, bytes = 32): Buffer {
  const dir = join(dataDir, "keys");
  const file = join(dir, `${name}.key`);
  try {
    const hex = readFileSync(file, "utf8").trim();
    if (/^[0-9a-f]+$/.test(hex) && hex.length >= bytes * 2) return Buffer.from(hex, "hex");
  } catch {
    // absent: create below
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(bytes).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch {
    // another process created it first; read theirs
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
}
