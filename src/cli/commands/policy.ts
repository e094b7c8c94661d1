import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { InvalidRequest } from "../../errors/index.ts";
import { checkPolicyFile } from "../../policy/index.ts";

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new InvalidRequest(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}; give a path to a .cedar or .cedarschema file`);
  }
}

export function register(program: Command): void {
  const policy = program.command("policy").description("Cedar authorization policies");
  policy
    .command("check")
    .description("validate Cedar policy files against Concord's schema (a file named like DEU.cedar is a nation's: forbid only)")
    .argument("<files...>", ".cedar policy files or a .cedarschema schema")
    .option("--schema <file>", "validate against this schema instead of the one shipped with Concord")
    .option("--nation <code>", "treat every policy file as this nation's own policies (forbid only)")
    .action((files: string[], opts: { schema?: string; nation?: string }) => {
      if (opts.nation !== undefined && !/^[A-Z]{3}$/.test(opts.nation)) {
        throw new InvalidRequest(`--nation "${opts.nation}" is not an ISO 3166-1 alpha-3 code such as DEU`);
      }
      const schema = opts.schema === undefined ? undefined : read(opts.schema);
      let failed = 0;
      for (const file of files) {
        const result = checkPolicyFile(file, read(file), { ...(schema === undefined ? {} : { schema }), ...(opts.nation === undefined ? {} : { nation: opts.nation }) });
        if (result.ok) {
          process.stdout.write(`ok ${file}: ${result.kind}${result.kind === "schema" ? "" : `, ${result.policies} ${result.policies === 1 ? "policy" : "policies"}`}\n`);
        } else {
          failed++;
          for (const problem of result.problems) process.stderr.write(`${file}: ${problem}\n`);
        }
      }
      if (failed > 0) throw new InvalidRequest(`${failed} of ${files.length} policy files failed the check`);
    });
}
