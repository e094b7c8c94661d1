import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import { AuditLog, auditLogOptions, openLogStore, parseVerifierKey, readLogVerifier, verifyLogStore } from "../../audit/index.ts";

function nonNegative(name: string) {
  return (text: string): number => {
    if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text))) throw new InvalidRequest(`--${name} must be a non-negative integer, got "${text}"`);
    return Number(text);
  };
}

export function register(program: Command): void {
  const audit = program.command("audit").description("verify the tamper-evident audit log and print its proofs");

  audit
    .command("verify")
    .description("recompute every entry and subtree hash and check every signed checkpoint; exit 1 naming the first bad index")
    .option("--config <file>", "configuration file (YAML)")
    .option("--key <verifier-key>", "the log's published verifier key (default: <data_dir>/keys/audit/audit-log.pub)")
    .action(async (opts: { config?: string; key?: string }) => {
      const cfg = loadConfig(opts.config);
      const options = auditLogOptions(cfg);
      const logKey = opts.key ? parseVerifierKey(opts.key) : readLogVerifier(options.keyDir);
      const store = await openLogStore(options.store);
      const tty = process.stderr.isTTY;
      try {
        const report = await verifyLogStore(store, logKey, {
          origin: options.origin,
          location: { url: options.store, prefix: "audit" }, // worker threads read ranges through their own connections
          ...(tty ? { onProgress: (n: number) => process.stderr.write(`\rverified ${n.toLocaleString("en-US")} entries`) } : {}),
        });
        if (tty) process.stderr.write("\n");
        if (report.ok) {
          process.stdout.write(`audit log intact: ${report.size} entries, ${report.checkpoints} signed checkpoints verified, root ${report.rootHash}\n`);
        } else {
          process.stdout.write(`audit log broken at index ${report.index}: ${report.reason}\n`);
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });

  audit
    .command("proof")
    .description("print an inclusion proof (--index N [--size S]) or a consistency proof (--from M --to S) as JSON")
    .option("--config <file>", "configuration file (YAML)")
    .option("--index <n>", "entry index to prove", nonNegative("index"))
    .option("--size <s>", "tree size to prove it in (default: the latest checkpoint)", nonNegative("size"))
    .option("--from <m>", "older tree size of a consistency proof", nonNegative("from"))
    .option("--to <s>", "newer tree size of a consistency proof", nonNegative("to"))
    .action(async (opts: { config?: string; index?: number; size?: number; from?: number; to?: number }) => {
      const inclusion = opts.index !== undefined;
      const consistency = opts.from !== undefined || opts.to !== undefined;
      if (inclusion === consistency) throw new InvalidRequest("give either --index N [--size S] or --from M --to S");
      if (consistency && (opts.from === undefined || opts.to === undefined)) throw new InvalidRequest("a consistency proof needs both --from and --to");
      const log = await AuditLog.open({ ...auditLogOptions(loadConfig(opts.config)), checkpointIntervalMs: 0 });
      try {
        const proof = inclusion ? await log.inclusionProof(opts.index as number, opts.size) : await log.consistencyProof(opts.from as number, opts.to as number);
        process.stdout.write(`${JSON.stringify(proof)}\n`);
      } finally {
        await log.close();
      }
    });

  audit
    .command("checkpoint")
    .description("sign a checkpoint of the log as it stands and print the signed note")
    .option("--config <file>", "configuration file (YAML)")
    .action(async (opts: { config?: string }) => {
      const log = await AuditLog.open({ ...auditLogOptions(loadConfig(opts.config)), checkpointIntervalMs: 0 });
      try {
        process.stdout.write((await log.checkpoint()).note);
      } finally {
        await log.close();
      }
    });

  audit
    .command("key")
    .description("print the log's verifier key (C2SP name+keyid+base64), for nations to pin")
    .option("--config <file>", "configuration file (YAML)")
    .action((opts: { config?: string }) => {
      process.stdout.write(`${readLogVerifier(auditLogOptions(loadConfig(opts.config)).keyDir).verifierKey}\n`);
    });
}
