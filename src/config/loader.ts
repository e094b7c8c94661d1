import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
type ZodIssue = z.core.$ZodIssue;
import { ConfigError } from "../errors/index.ts";
import { Config, type ConfigInput } from "./schema.ts";
import { DEMO_ALLIANCE } from "./demo.ts";

export interface LoadedConfig extends Config {
  /** Where the configuration came from: a file path, or "demo" for the built-in alliance. */
  readonly source: string;
}

function describe(issue: ZodIssue): string {
  const path = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") return `${path === "(top level)" ? "" : path + ": "}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_key") return `${path}: invalid key (${issue.issues.map((i) => i.message).join("; ")})`;
  return `${path}: ${issue.message}`;
}

/** Validates a parsed configuration object; `source` names the file in every error. */
export function parseConfig(input: unknown, source: string): LoadedConfig {
  const result = Config.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map(describe);
    throw new ConfigError(`invalid configuration in ${source}: ${lines.join("; ")}`);
  }
  const cfg = result.data;
  // Relative paths in a file are relative to that file, so a config can be used from any working directory.
  const base = source === "demo" ? process.cwd() : dirname(resolve(source));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const fixStore = (url: string) => (url.startsWith("sqlite:") && url !== "sqlite::memory:" ? `sqlite:${abs(url.slice(7))}` : url);
  return {
    ...cfg,
    data_dir: abs(cfg.data_dir),
    store: { url: fixStore(cfg.store.url) },
    audit: { ...cfg.audit, store: fixStore(cfg.audit.store) },
    workloads: { ...cfg.workloads, sigma_rules: cfg.workloads.sigma_rules.map(abs) },
    endpoints: cfg.endpoints.map((e) => ("engine" in e ? { ...e, model_path: abs(e.model_path) } : e)),
    nations: Object.fromEntries(
      Object.entries(cfg.nations).map(([code, n]) => [
        code,
        n.identity !== "demo" && n.identity.jwks_file ? { ...n, identity: { ...n.identity, jwks_file: abs(n.identity.jwks_file) } } : n,
      ]),
    ),
    source,
  };
}

/** Loads a YAML (or JSON) configuration file, or the demo alliance when no file is given. */
export function loadConfig(file?: string): LoadedConfig {
  if (file === undefined) return parseConfig(structuredClone(DEMO_ALLIANCE) satisfies ConfigInput, "demo");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    const msg = err instanceof YAMLParseError ? err.message.split("\n")[0] : String(err);
    throw new ConfigError(`configuration file ${file} is not valid YAML: ${msg}`);
  }
  return parseConfig(doc, file);
}
