import { Command, CommanderError } from "commander";
import { ConcordError } from "../errors/index.ts";
type Register = (program: Command) => void;

/**
 * Every command and the module(s) that register it. A run loads only the modules of the command it names, so
 * `concord audit verify` never pays for pdf.js or the Sigma engine; help and unknown commands load them all.
 * Each module lives in ./commands/<name>.ts and exports register(program).
 */
const COMMANDS: Record<string, Array<() => Promise<{ register: Register }>>> = {
  serve: [() => import("./commands/serve.ts")],
  token: [() => import("./commands/token.ts")],
  keys: [() => import("./commands/keys.ts")],
  detect: [() => import("./commands/detect.ts")],
  // policy-governance adds propose/approve/... to the `policy` command that policy.ts creates: keep the order.
  policy: [() => import("./commands/policy.ts"), () => import("./commands/policy-governance.ts")],
  translate: [() => import("./commands/translate.ts")],
  "analyze-comms": [() => import("./commands/analyze-comms.ts")],
  ingest: [() => import("./commands/ingest.ts")],
  search: [() => import("./commands/search.ts")],
  summarize: [() => import("./commands/summarize.ts")],
  audit: [() => import("./commands/audit.ts")],
  plan: [() => import("./commands/plan.ts")],
  provenance: [() => import("./commands/provenance.ts")],
  docs: [() => import("./commands/docs.ts")],
};

export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command("concord")
    .description("Concord: the alliance's self-hosted AI gateway and analyst workbench")
    .showHelpAfterError()
    .exitOverride();
  const names = only !== undefined && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  for (const name of names) for (const load of COMMANDS[name] ?? []) (await load()).register(program);
  return program;
}

/** Runs the CLI; errors print one line on stderr and set a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv[2]);
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
