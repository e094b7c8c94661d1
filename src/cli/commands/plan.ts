import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { InvalidRequest } from "../../errors/index.ts";
import {
  buildLp, DEFAULT_TIME_LIMIT_SECONDS, formatPlanText, parseScenarioText, solveLpFile, solvePlan, type Progress,
} from "../../workloads/logistics/index.ts";

interface PlanOptions {
  lp?: string;
  format: "json" | "text";
  timeLimit: number;
  gap?: number;
  relax?: boolean;
  emitLp?: boolean;
}

export function register(program: Command): void {
  program
    .command("plan")
    .description("optimize a logistics scenario (YAML or JSON), or solve a CPLEX LP / MPS model with --lp")
    .argument("[scenario]", "scenario file (.yaml, .yml or .json)")
    .option("--lp <file>", "solve a CPLEX LP or MPS model instead (.lp, .mps, optionally .gz)")
    .option("--format <format>", "json or text", oneOf(["json", "text"]), "json")
    .option("--time-limit <seconds>", "stop after this long and report the best plan found", positive, DEFAULT_TIME_LIMIT_SECONDS)
    .option("--gap <fraction>", "relative MIP gap at which to stop (e.g. 0.01)", positive)
    .option("--relax", "treat vehicle counts as continuous (solve the LP relaxation)")
    .option("--emit-lp", "print the scenario's model as CPLEX LP text instead of solving it")
    .addHelpText("after", "\nExit status: 0 when the plan is optimal and meets every demand, 1 when a plan was produced but is not (infeasible demands, time limit), 2 on bad input.")
    .action(async (file: string | undefined, opts: PlanOptions) => {
      if ((file === undefined) === (opts.lp === undefined)) throw new InvalidRequest("give a scenario file, or a model file with --lp (not both)");
      const progress = progressLine();
      const common = {
        timeLimitSeconds: opts.timeLimit,
        ...(opts.gap === undefined ? {} : { mipRelGap: opts.gap }),
        ...(progress === undefined ? {} : { onProgress: progress.update }),
      };
      if (opts.lp !== undefined) {
        const bytes = read(opts.lp);
        const format = /\.mps(\.gz)?$/i.test(opts.lp) ? "mps" : /\.lp(\.gz)?$/i.test(opts.lp) ? "lp" : undefined;
        const solution = await solveLpFile(bytes, format, common).finally(() => progress?.done());
        if (opts.format === "text") {
          process.stdout.write(`${solution.status}  objective ${solution.objective ?? "none"}  (${solution.solver.model}, ${solution.solver.columns} columns, ` +
            `${solution.solver.rows} rows, ${solution.solver.seconds} s${solution.gap === null ? "" : `, gap ${solution.gap}`})\n`);
          for (const [name, v] of Object.entries(solution.variables)) process.stdout.write(`${name}\t${v}\n`);
        } else process.stdout.write(JSON.stringify(solution, null, 2) + "\n");
        process.exitCode = solution.status === "optimal" ? 0 : 1;
        return;
      }
      const scenario = parseScenarioText(new TextDecoder().decode(read(file!)));
      if (opts.emitLp) {
        process.stdout.write(buildLp(scenario, { relaxIntegers: opts.relax ?? false }).lp);
        return;
      }
      const plan = await solvePlan(scenario, { ...common, relaxIntegers: opts.relax ?? false }).finally(() => progress?.done());
      process.stdout.write(opts.format === "text" ? formatPlanText(plan) : JSON.stringify(plan, null, 2) + "\n");
      process.exitCode = plan.status === "optimal" && plan.demands_met === true ? 0 : 1;
    });
}

function read(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidRequest(`cannot read ${path}${code === undefined ? "" : ` (${code})`}`);
  }
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
}

function oneOf<T extends string>(choices: T[]) {
  return (value: string): T => {
    if (!(choices as string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${choices.join(", ")}`);
    return value as T;
  };
}

/** A one-line progress display on stderr, only when a person is watching. */
function progressLine(): { update: (p: Progress) => void; done: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = false;
  return {
    update(p) {
      const parts = [`solving… ${p.seconds.toFixed(1)} s`];
      if (p.gap !== null) parts.push(`gap ${(p.gap * 100).toFixed(2)}%`);
      if (p.incumbent !== null) parts.push(`best ${p.incumbent.toFixed(2)}`);
      if (p.nodes !== null) parts.push(`${p.nodes} nodes`);
      else if (p.iterations !== null) parts.push(`${p.iterations} iterations`);
      process.stderr.write(`\r${parts.join(", ")}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}
