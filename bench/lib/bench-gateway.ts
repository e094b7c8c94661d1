/**
 * Shared setup of the HTTP benchmarks: child processes that print a ready line, a stub upstream
 * (bench/lib/upstream.mjs), and a `concord serve` child configured for one nation (DEU, budgets out of the way)
 * routed to that upstream, with a demo token. Children are separate processes so the load generator, the
 * upstream and the gateway do not share an event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { loadOrCreateDemoKey, mintDemoToken } from "../../src/identity/index.ts";

export const root = resolve(import.meta.dirname, "../..");

export interface Child {
  readonly child: ChildProcess;
  readonly match: RegExpExecArray;
}

/** Starts `node ARGS` and resolves once its stdout matches `ready`. */
export function startChild(args: string[], ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((res, rej) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) res({ child, match: m });
    });
    child.once("exit", (c) => rej(new Error(`${args.join(" ")} exited ${c}`)));
  });
}

/** The stub model server in `mode` (`chat`, `echo`, `mixed`); resolves with its port. */
export async function startUpstream(mode: "chat" | "echo" | "mixed"): Promise<Child & { port: number }> {
  const c = await startChild([join(root, "bench/lib/upstream.mjs"), mode], /(\d+)\n/);
  return Object.assign(c, { port: Number(c.match[1]) });
}

/** CPU seconds (user + system, all threads) a child process has used so far, from /proc (Linux). */
export function cpuSeconds(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/**
 * `concord serve` routed to the upstream on `upstreamPort`, with every stage on (JWT authentication, guard,
 * Cedar, quotas, audit); `extra` is merged into the configuration (e.g. another audit store). Resolves with its
 * URL and a DEU analyst token. `dataRoot` is where its data directory (SQLite audit log included) is made: the
 * system temp directory unless given (a tmpfs there takes the disk's fsync out of the figures).
 */
export async function startBenchGateway(upstreamPort: number, opts: { extra?: Record<string, unknown>; nodeArgs?: string[]; dataRoot?: string } = {}): Promise<Child & { url: string; token: string; dir: string }> {
  const dir = mkdtempSync(join(opts.dataRoot ?? tmpdir(), "concord-bench-"));
  // The data directory (audit log, keys) goes when the bench ends, however it ends: the gateway child is killed
  // at the end, so the removal cannot wait for its exit.
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const cfgFile = join(dir, "concord.yaml");
  writeFileSync(cfgFile, stringify({
    network: { name: "bench", jurisdiction: "BEL" },
    data_dir: dir,
    jurisdictions: { EU: ["DEU", "FRA"] },
    nations: { DEU: { residency: ["EU"], identity: "demo", quota: { requests_per_minute: 100_000_000, tokens_per_day: 1_000_000_000_000 } } },
    endpoints: [
      { id: "usa", url: "http://127.0.0.1:9/v1", jurisdiction: "USA", models: ["m"] },
      { id: "deu", url: `http://127.0.0.1:${upstreamPort}/v1`, jurisdiction: "DEU", models: ["m"] },
    ],
    ...opts.extra,
  }));
  const gw = await startChild([...(opts.nodeArgs ?? []), join(root, "bin/concord.js"), "serve", "--config", cfgFile, "--port", "0"], / at (http:\/\/\S+) [\s\S]*ready/);
  const token = await mintDemoToken(await loadOrCreateDemoKey(dir, "DEU"), { nation: "DEU", role: "analyst" });
  return Object.assign(gw, { url: gw.match[1] as string, token, dir });
}
