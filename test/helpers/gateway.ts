import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, type ConfigInput } from "../../src/config/index.ts";
import { silentLogger, startServer, type Logger, type RunningServer } from "../../src/server/index.ts";

/** Starts a gateway on a free loopback port with a configuration built by the test, data in a temp dir. */
export async function startGateway(input: Omit<ConfigInput, "data_dir"> & { data_dir?: string }, log: Logger = silentLogger): Promise<RunningServer & { dataDir: string }> {
  const dataDir = input.data_dir ?? mkdtempSync(join(tmpdir(), "concord-test-"));
  const cfg = parseConfig({ store: { url: `sqlite:${join(dataDir, "concord.db")}` }, audit: { store: `sqlite:${join(dataDir, "audit.db")}` }, ...input, data_dir: dataDir }, "test");
  const server = await startServer(cfg, log, { port: 0, host: "127.0.0.1" });
  return Object.assign(server, { dataDir });
}

export async function call(url: string, path: string, opts: { token?: string; body?: unknown; method?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(url + path, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      ...opts.headers,
    },
    ...(opts.body === undefined ? {} : { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are inspected ad hoc
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}
