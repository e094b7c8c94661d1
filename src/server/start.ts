import type { FastifyInstance } from "fastify";
import type { LoadedConfig } from "../config/index.ts";
import { buildApp } from "./app.ts";
import { createGateway, type Gateway } from "./gateway.ts";
import type { Logger } from "./log.ts";

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

/** Builds the gateway from a configuration and listens; used by `concord serve` and by tests. */
export async function startServer(cfg: LoadedConfig, log: Logger, opts: { port?: number; host?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningServer> {
  const gateway = await createGateway(cfg, log, opts.env);
  const app = buildApp(gateway);
  const host = opts.host ?? cfg.server.host;
  await app.listen({ port: opts.port ?? cfg.server.port, host });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : cfg.server.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url, app, gateway,
    async close() {
      await app.close();
      await gateway.close();
    },
  };
}
