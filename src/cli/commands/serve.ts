import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import { jsonLogger, startServer } from "../../server/index.ts";

export function register(program: Command): void {
  program
    .command("serve")
    .description("serve the gateway (the demo alliance when no --config is given)")
    .option("--config <file>", "configuration file (YAML)")
    .option("--port <n>", "port to listen on (default: server.port, 8080)")
    .option("--host <h>", "address to bind (default: server.host, 127.0.0.1)")
    .action(async (opts: { config?: string; port?: string; host?: string }) => {
      const cfg = loadConfig(opts.config);
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new InvalidRequest(`--port ${opts.port} is not a port number`);
      const log = jsonLogger();
      // Last resort (ASVS V16.5.4): a library promise nobody awaits (pdf.js rejects one on some damaged PDFs,
      // after the upload was already refused) would otherwise end the process and every request in flight.
      process.on("unhandledRejection", (err) => log.error({ event: "unhandled_rejection", err: String((err as Error)?.stack ?? err) }, "a promise was rejected with no handler; serving on"));
      const server = await startServer(cfg, log, { ...(port === undefined ? {} : { port }), ...(opts.host ? { host: opts.host } : {}) });
      const demo = Object.entries(cfg.nations).find(([, n]) => n.identity === "demo")?.[0];
      process.stdout.write(`Concord serving ${cfg.network.name} at ${server.url} (config: ${cfg.source}, data: ${cfg.data_dir})\n`);
      if (demo) {
        process.stdout.write(`Get a token:  TOKEN=$(npx concord token --nation ${demo} --role analyst${opts.config ? ` --config ${opts.config}` : ""})\n`);
        process.stdout.write(`Then:         curl -H "Authorization: Bearer $TOKEN" ${server.url}/v1/models\n`);
      }
      process.stdout.write(`ready\n`);
      const stop = async (signal: string) => {
        log.info({ signal }, "shutting down");
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", () => void stop("SIGINT"));
      process.once("SIGTERM", () => void stop("SIGTERM"));
    });
}
