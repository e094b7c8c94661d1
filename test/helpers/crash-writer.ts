/**
 * The crash tests' writer: a child process that appends audit entries through the real AuditLog as fast as it
 * can and prints `<index> <n> <leaf hash hex>` for each append whose promise resolved (the entry is committed),
 * only after it resolved. The parent SIGKILLs it (or the database under it) at a random moment.
 *
 * Run: node --import tsx crash-writer.ts STORE KEY_DIR TAG [CONCURRENCY]
 * Appends that fail (the database was killed) go to stderr and are retried after a pause; they are never acked.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { AuditLog, encodeEntry, leafHash } from "../../src/audit/index.ts";

export const CRASH_ORIGIN = "crash.test/audit";
const NATIONS = ["DEU", "FRA", "POL", "NOR", "ITA", "TUR", "USA", "GBR"];
const hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** Entry `n` of round `tag`: every field depends on both, so an entry from another slot or round cannot pass for it. */
export function crashEntry(tag: string, n: number) {
  const nation = NATIONS[n % NATIONS.length] as string;
  const deny = n % 5 === 2;
  return {
    time: new Date(Date.UTC(2026, 10, 25, 18, 0, 0) + n).toISOString(),
    nation,
    subject: `${tag}-${n}@${nation.toLowerCase()}`,
    action: n % 3 === 0 ? "chat" : "workloads.detect",
    decision: deny ? "deny" : "allow",
    reason: deny ? "classification_exceeded" : "ok",
    policy_version: "sha256:0123456789abcdef",
    endpoint: deny ? null : "deu-vllm",
    jurisdiction: deny ? null : "DEU",
    request_sha256: hex(`request ${tag} ${n}`),
    response_sha256: deny ? null : hex(`response ${tag} ${n}`),
    round: tag,
  };
}

/** The leaf hash (hex) the log must hold for entry `n` of round `tag`. */
export function crashLeafHex(tag: string, n: number): string {
  return leafHash(encodeEntry(crashEntry(tag, n)).bytes).toString("hex");
}

async function main(argv: string[]): Promise<void> {
  const [store, keyDir, tag, concurrencyText = "64"] = argv;
  if (!store || !keyDir || !tag) throw new Error("usage: crash-writer.ts STORE KEY_DIR TAG [CONCURRENCY]");
  // Checkpoints every 500 entries and every 100 ms, so a kill also lands while checkpoints are being signed.
  const log = await AuditLog.open({ store, keyDir, origin: CRASH_ORIGIN, checkpointEvery: 500, checkpointIntervalMs: 100 });
  let next = 0;
  const worker = async (): Promise<never> => {
    for (;;) {
      const n = next++;
      const leaf = crashLeafHex(tag, n);
      for (;;) {
        try {
          const { index } = await log.append(crashEntry(tag, n));
          // stdout to a pipe is synchronous on Linux: once written, the parent reads it even if we die next.
          process.stdout.write(`${index} ${n} ${leaf}\n`);
          break;
        } catch (err) {
          process.stderr.write(`append ${n} failed: ${(err as Error).message}\n`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Number(concurrencyText) }, worker));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`crash-writer: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  });
}
