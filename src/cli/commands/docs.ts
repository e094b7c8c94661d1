import { existsSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { AuditLog, auditLogOptions, parseVerifierKey, readLogVerifier } from "../../audit/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import { annexIvDocument, exportNation, openOversightStore, verifyNationExport, type NationExport } from "../../oversight/index.ts";
import { readFileSync } from "node:fs";
import { parseStoreUrl } from "../../store/index.ts";

export function register(program: Command): void {
  const docs = program.command("docs").description("documentation generated from the running configuration");
  docs
    .command("annex-iv")
    .description("technical documentation (EU AI Act Annex IV) of the configuration and the policy bundle in force, as Markdown")
    .option("--config <file>", "configuration file (YAML)")
    .option("--out <file>", "write to a file instead of stdout")
    .action(async (opts: { config?: string; out?: string }) => {
      const cfg = loadConfig(opts.config);
      const url = parseStoreUrl(cfg.store.url);
      // Read the governance record only where it exists: documenting must not create a database.
      const store = url.kind === "postgres" || existsSync(url.path) ? await openOversightStore(cfg.store.url) : null;
      try {
        const md = await annexIvDocument(cfg, store);
        if (opts.out) writeFileSync(opts.out, md);
        else process.stdout.write(md);
      } finally {
        await store?.close();
      }
    });

  docs
    .command("export")
    .description("a nation's own audit entries with their inclusion proofs in one signed checkpoint (JSON), to keep and verify alone")
    .requiredOption("--nation <code>", "the nation (ISO 3166-1 alpha-3)")
    .option("--config <file>", "configuration file (YAML)")
    .option("--out <file>", "write to a file instead of stdout")
    .action(async (opts: { nation: string; config?: string; out?: string }) => {
      const cfg = loadConfig(opts.config);
      if (!cfg.nations[opts.nation]) throw new InvalidRequest(`${opts.nation} is not a member nation of ${cfg.source}`);
      const log = await AuditLog.open({ ...auditLogOptions(cfg), checkpointIntervalMs: 0 });
      try {
        const text = `${JSON.stringify(await exportNation(log, opts.nation))}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      } finally {
        await log.close();
      }
    });

  docs
    .command("verify-export")
    .description("check a nation export offline: checkpoint signature, every entry's hash and inclusion proof")
    .argument("<file>", "the export (JSON)")
    .option("--key <verifier-key>", "the audit log's verifier key (default: <data_dir>/keys/audit-log.pub)")
    .option("--config <file>", "configuration file (YAML), for the default key")
    .action((file: string, opts: { key?: string; config?: string }) => {
      const key = opts.key ? parseVerifierKey(opts.key) : readLogVerifier(auditLogOptions(loadConfig(opts.config)).keyDir);
      const r = verifyNationExport(JSON.parse(readFileSync(file, "utf8")) as NationExport, key);
      if (r.ok) process.stdout.write(`export verified: ${r.entries} entries, each included in the signed checkpoint\n`);
      else {
        process.stdout.write(`export verification failed: ${r.problem}\n`);
        process.exitCode = 1;
      }
    });
}
