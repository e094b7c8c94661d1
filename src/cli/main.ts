import { Command, CommanderError } from "commander";
import { ConcordError } from "../errors/index.ts";
import { register as registerServe } from "./commands/serve.ts";
import { register as registerToken } from "./commands/token.ts";
import { register as registerKeys } from "./commands/keys.ts";
// Each command lives in ./commands/<name>.ts and exports register(program). Add new ones below this line.
import { register as registerDetect } from "./commands/detect.ts";
import { register as registerPolicy } from "./commands/policy.ts";
import { register as registerTranslate } from "./commands/translate.ts";
import { register as registerAnalyzeComms } from "./commands/analyze-comms.ts";
import { register as registerIngest } from "./commands/ingest.ts";
import { register as registerSearch } from "./commands/search.ts";
import { register as registerSummarize } from "./commands/summarize.ts";
import { register as registerAudit } from "./commands/audit.ts";
import { register as registerPlan } from "./commands/plan.ts";
import { register as registerPolicyGovernance } from "./commands/policy-governance.ts";
import { register as registerProvenance } from "./commands/provenance.ts";
import { register as registerDocs } from "./commands/docs.ts";

export function buildProgram(): Command {
  const program = new Command("concord")
    .description("Concord: the alliance's self-hosted AI gateway and analyst workbench")
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerToken(program);
  registerKeys(program);
  // Add new register calls below this line.
  registerDetect(program);
  registerPolicy(program);
  registerTranslate(program);
  registerAnalyzeComms(program);
  registerIngest(program);
  registerSearch(program);
  registerSummarize(program);
  registerAudit(program);
  registerPlan(program);
  registerPolicyGovernance(program); // after registerPolicy: adds to its `policy` command
  registerProvenance(program);
  registerDocs(program);
  return program;
}

/** Runs the CLI; errors print one line on stderr and set a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof ConcordError) {
      process.stderr.write(`concord: ${err.message}\n`);
      process.exitCode = err.status >= 500 && err.code !== "invalid_config" ? 1 : 2;
      return;
    }
    process.stderr.write(`concord: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
