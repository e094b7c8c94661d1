import type { Command } from "commander";
import { loadConfig, Role } from "../../config/index.ts";
import { Forbidden, InvalidRequest } from "../../errors/index.ts";
import { loadOrCreateDemoKey, mintDemoToken } from "../../identity/index.ts";

export function register(program: Command): void {
  program
    .command("token")
    .description("mint a token from the built-in demo IdP of a demo nation")
    .option("--config <file>", "configuration file (YAML)")
    .requiredOption("--nation <code>", "nation (ISO 3166-1 alpha-3), e.g. DEU")
    .requiredOption("--role <role>", `role: ${Role.options.join(", ")}`)
    .option("--sub <name>", "subject (user name) in the token")
    .option("--ttl <duration>", "lifetime, e.g. 1h", "1h")
    .action(async (opts: { config?: string; nation: string; role: string; sub?: string; ttl: string }) => {
      const cfg = loadConfig(opts.config);
      const nation = cfg.nations[opts.nation];
      if (!nation) throw new InvalidRequest(`nation ${opts.nation} is not in ${cfg.source}; members are ${Object.keys(cfg.nations).join(", ")}`);
      if (nation.identity !== "demo") throw new Forbidden(`${opts.nation} signs in through its own identity provider (${nation.identity.issuer}); get a token there`);
      const role = Role.safeParse(opts.role);
      if (!role.success) throw new InvalidRequest(`unknown role "${opts.role}"; roles are ${Role.options.join(", ")}`);
      const key = await loadOrCreateDemoKey(cfg.data_dir, opts.nation);
      process.stdout.write((await mintDemoToken(key, { nation: opts.nation, role: role.data, ...(opts.sub ? { subject: opts.sub } : {}), ttl: opts.ttl })) + "\n");
    });
}
