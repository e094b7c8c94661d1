import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { ApiKeys, openApiKeyStore } from "../../identity/index.ts";

function open(config?: string): ApiKeys {
  const cfg = loadConfig(config);
  return new ApiKeys(openApiKeyStore(cfg.store.url), new Set(Object.keys(cfg.nations)));
}

export function register(program: Command): void {
  const keys = program.command("keys").description("nation-scoped API keys (stored hashed)");
  keys
    .command("create")
    .description("create an API key; the key is printed once")
    .option("--config <file>", "configuration file (YAML)")
    .requiredOption("--nation <code>", "nation the key acts for")
    .requiredOption("--role <roles>", "role(s), comma-separated")
    .option("--name <name>", "what the key is for")
    .action(async (opts: { config?: string; nation: string; role: string; name?: string }) => {
      const k = open(opts.config);
      try {
        const { key, record } = await k.create({ nation: opts.nation, roles: opts.role.split(",").map((r) => r.trim()).filter(Boolean), ...(opts.name ? { name: opts.name } : {}) });
        process.stderr.write(`created key ${record.id} for ${record.nation} (${record.roles.join(", ")}); store it now, it is not shown again\n`);
        process.stdout.write(key + "\n");
      } finally {
        await k.close();
      }
    });
  keys
    .command("list")
    .description("list API keys (ids and metadata, never secrets)")
    .option("--config <file>", "configuration file (YAML)")
    .option("--nation <code>", "only this nation's keys")
    .action(async (opts: { config?: string; nation?: string }) => {
      const k = open(opts.config);
      try {
        for (const r of await k.list(opts.nation)) process.stdout.write(JSON.stringify(r) + "\n");
      } finally {
        await k.close();
      }
    });
  keys
    .command("revoke <id>")
    .description("revoke an API key by id")
    .option("--config <file>", "configuration file (YAML)")
    .action(async (id: string, opts: { config?: string }) => {
      const k = open(opts.config);
      try {
        await k.revoke(id);
        process.stderr.write(`revoked ${id}\n`);
      } finally {
        await k.close();
      }
    });
}
