import { availableParallelism } from "node:os";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { parse as parseYaml } from "yaml";
import { InvalidRequest } from "../../errors/index.ts";
import {
  compileRules, detectStream, INPUT_FORMATS, readRuleSources, type Alert, type EventLogsource, type InputFormat,
} from "../../workloads/cyber/index.ts";

interface DetectOptions {
  rules: string[];
  format: "json" | "text";
  inputFormat: InputFormat;
  product?: string;
  category?: string;
  service?: string;
  threads?: number;
  placeholders?: string;
  event: boolean;
  showUnsupported?: boolean;
}

/** Below this much input, starting workers (each compiles the rules) costs more than it saves. */
const THREADS_FROM_BYTES = 64 * 1024 * 1024;

export function register(program: Command): void {
  program
    .command("detect")
    .description("run Sigma rules over log files and print alerts (JSON lines by default)")
    .requiredOption("--rules <paths...>", "rule files or directories of .yml rules")
    .argument("[logfiles...]", "log files (gzip allowed); '-' reads stdin")
    .option("--format <format>", "json (one alert per line) or text", oneOf(["json", "text"] as const), "json")
    .option("--input-format <format>", `log format: ${INPUT_FORMATS.join(", ")}`, oneOf(INPUT_FORMATS), "auto")
    .option("--product <name>", "log source product of events whose format does not say (e.g. linux)")
    .option("--category <name>", "log source category of such events")
    .option("--service <name>", "log source service of such events (e.g. auth)")
    .option("--threads <n>", "worker threads (default: every core for inputs over 64 MiB, else 1)", positiveInt)
    .option("--placeholders <file>", "YAML map of placeholder name to values, for rules using |expand")
    .option("--no-event", "leave the event out of each alert (source file and line still locate it)")
    .option("--show-unsupported", "list every rule that could not be loaded, with the reason, on stderr")
    .addHelpText("after", "\nAlert lines: {\"rule\":{\"id\",\"title\",\"level\",\"status\",\"tags\"},\"source\":{\"file\",\"line\"},\"matched\":{...},\"event\":{...}}\n" +
      "Exit status: 0 when the input was read (alerts or none), 2 on bad input: a log path that is missing, unreadable or a\n" +
      "directory is refused before anything is read; a damaged file (gzip cut short or corrupt) is read up to the damage,\n" +
      "reported by name, and the other files are still read and their alerts printed before the exit with 2.")
    .action(async (positional: string[], opts: DetectOptions) => {
      const { rules, logs } = splitPaths(opts.rules);
      const logfiles = [...logs, ...positional];
      if (logfiles.length === 0) throw new InvalidRequest("name at least one log file after the rules ('-' reads stdin)");
      checkLogFiles(logfiles);
      opts.rules = rules;
      const ruleSet = compileRules(await readRuleSources(opts.rules), { placeholders: readPlaceholders(opts.placeholders) });
      const loaded = ruleSet.detections.length + ruleSet.correlations.length;
      const listUnsupported = (): void => {
        for (const u of ruleSet.unsupported) process.stderr.write(`  unsupported ${u.id}${u.file ? ` (${u.file})` : ""}: ${u.reason}\n`);
      };
      if (loaded === 0) {
        // Nothing to run: say why for every rule, whatever --show-unsupported says.
        process.stderr.write(`concord detect: 0 rules loaded, ${ruleSet.unsupported.length} unsupported\n`);
        listUnsupported();
        throw new InvalidRequest(`no rule could be loaded from ${opts.rules.join(", ")}`);
      }
      process.stderr.write(`concord detect: ${loaded} rules loaded, ${ruleSet.unsupported.length} unsupported${ruleSet.unsupported.length > 0 && !opts.showUnsupported ? " (--show-unsupported lists them)" : ""}\n`);
      if (opts.showUnsupported) listUnsupported();

      const progress = process.stderr.isTTY ? progressLine(logfiles) : undefined;
      const write = opts.format === "text" ? (a: Alert) => textLine(a) : (a: Alert) => JSON.stringify(opts.event ? a : { ...a, event: undefined });
      const summary = await detectStream(ruleSet, logfiles, {
        format: opts.inputFormat,
        threads: opts.threads ?? defaultThreads(logfiles),
        ...(logsourceOf(opts) ? { logsource: logsourceOf(opts)! } : {}),
        onAlert: (a) => { process.stdout.write(`${write(a)}\n`); },
        ...(progress ? { onProgress: progress.update } : {}),
      }).finally(() => progress?.done());
      process.stderr.write(`concord detect: ${summary.events} events in ${summary.files} file(s), ${summary.alerts} alerts` +
        `${summary.damaged.length > 0 ? `, ${summary.damaged.length} damaged file(s)` : ""}` +
        `${summary.undecodable.length > 0 ? `, ${summary.undecodable.length} undecodable records (first: ${summary.undecodable[0]!.file}:${summary.undecodable[0]!.line} ${summary.undecodable[0]!.reason})` : ""}\n`);
      // Every alert is out and the other files were read; the exit status still says some input was bad.
      if (summary.damaged.length > 0) {
        // A failed command ends with process.exit(), which would drop alerts still queued for a pipe: flush first.
        await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
        throw new InvalidRequest(`${summary.damaged.map((d) => `${d.file}: ${d.reason}`).join("; ")}; the lines before the damage were read`);
      }
    });
}

/**
 * `--rules A B LOG` cannot tell rules from logs by position (the option takes every path after it), so the
 * rules are the directories and .yml/.yaml files; the first other path and all after it are log files.
 */
function splitPaths(paths: readonly string[]): { rules: string[]; logs: string[] } {
  const isRules = (p: string): boolean => /\.ya?ml$/i.test(p) || (p !== "-" && safeIsDir(p));
  const firstLog = paths.findIndex((p, i) => i > 0 && !isRules(p));
  return firstLog < 0 ? { rules: [...paths], logs: [] } : { rules: paths.slice(0, firstLog), logs: paths.slice(firstLog) };
}

function safeIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function logsourceOf(opts: DetectOptions): EventLogsource | undefined {
  if (opts.product === undefined && opts.category === undefined && opts.service === undefined) return undefined;
  return {
    ...(opts.product !== undefined ? { product: opts.product.toLowerCase() } : {}),
    categories: opts.category !== undefined ? [opts.category.toLowerCase()] : [],
    services: opts.service !== undefined ? [opts.service.toLowerCase()] : [],
  };
}

/**
 * Every log path is checked before anything is read, so a typo or a directory is one clear refusal (exit 2), not a
 * crash halfway through the files with the alerts of the earlier ones already printed.
 */
function checkLogFiles(files: readonly string[]): void {
  for (const f of files) {
    if (f === "-") continue;
    let isDir: boolean;
    try {
      isDir = statSync(f).isDirectory();
      if (!isDir) accessSync(f, constants.R_OK);
    } catch {
      throw new InvalidRequest(`cannot read log file ${f}`);
    }
    if (isDir) throw new InvalidRequest(`log file ${f} is a directory: name the files in it (e.g. ${f}/*.log)`);
  }
}

function defaultThreads(files: readonly string[]): number {
  let bytes = 0;
  for (const f of files) if (f !== "-") bytes += safeSize(f);
  return bytes >= THREADS_FROM_BYTES ? availableParallelism() : 1;
}

function readPlaceholders(file: string | undefined): Record<string, string[]> {
  if (file === undefined) return {};
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch {
    throw new InvalidRequest(`cannot read placeholders file ${file} (a YAML map of name to list of values)`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InvalidRequest(`placeholders file ${file} must be a YAML map of name to list of values`);
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
}

function textLine(a: Alert): string {
  const matched = Object.entries(a.matched).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
  return `${a.rule.level.toUpperCase().padEnd(13)} ${a.rule.title} [${a.rule.id}] ${a.source.file}:${a.source.line}${matched ? `  ${matched}` : ""}`;
}

/** One self-rewriting stderr line per file: bytes read of its size. */
function progressLine(files: readonly string[]) {
  const sizes = new Map(files.map((f) => [f, f === "-" ? 0 : safeSize(f)]));
  let last = 0;
  return {
    update(file: string, bytes: number) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const size = sizes.get(file) ?? 0;
      const pct = size > 0 ? ` ${Math.min(100, Math.floor((100 * bytes) / size))}%` : "";
      process.stderr.write(`\r\x1b[Kreading ${file}: ${(bytes / 1048576).toFixed(1)} MiB${pct}`);
    },
    done() {
      process.stderr.write("\r\x1b[K");
    },
  };
}

function safeSize(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive whole number");
  return n;
}

function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${choices.join(", ")}`);
    return value as T;
  };
}
