import { existsSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { annexIvDocument, openOversightStore } from "../../oversight/index.ts";
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
}
