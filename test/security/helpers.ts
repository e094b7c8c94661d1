import http from "node:http";
import type { AddressInfo } from "node:net";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { ConfigInput } from "../../src/config/index.ts";
import type { Logger, RunningServer } from "../../src/server/index.ts";
import { jsonLogger } from "../../src/server/log.ts";
import { startGateway } from "../helpers/gateway.ts";

/**
 * An OpenAI-compatible upstream for the security checks that records everything it receives (headers too), and
 * answers with a text the test sets: the model is the untrusted party here, so its answers are scripted.
 */
export interface RecordingUpstream {
  readonly url: string;
  readonly seen: Array<{ path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  /** The assistant text of the next answers; streamed one chunk per element when an array. */
  answer: string | string[];
  usage: number;
  close(): Promise<void>;
}

export async function recordingUpstream(): Promise<RecordingUpstream> {
  const state = { seen: [] as RecordingUpstream["seen"], answer: "All quiet." as string | string[], usage: 10 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      state.seen.push({ path: (req.url ?? "").replace(/^\/v1/, ""), headers: req.headers, body });
      const parts = Array.isArray(state.answer) ? state.answer : [state.answer];
      if (body["stream"] === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const p of parts) res.write(`data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: p } }] })}\n\n`);
        res.end(`data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [], usage: { total_tokens: state.usage } })}\n\ndata: [DONE]\n\n`);
        return;
      }
      if ((req.url ?? "").endsWith("/embeddings")) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ index: 0, embedding: [0.1] }], usage: { total_tokens: state.usage } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
        object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: parts.join("") }, finish_reason: "stop" }], usage: { total_tokens: state.usage },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  }) as RecordingUpstream;
}

export interface SecurityGateway {
  gw: RunningServer & { dataDir: string };
  upstream: RecordingUpstream;
  /** Every log line the gateway wrote, as written. */
  logs: string[];
  token(nation: "DEU" | "FRA", ...roles: Array<"analyst" | "reviewer" | "nation-admin" | "auditor" | "alliance-auditor" | "alliance-admin">): Promise<string>;
  close(): Promise<void>;
}

/**
 * The alliance the checks run against: DEU (residency DEU, where the upstream runs, personal data redacted) and
 * FRA (residency FRA, where nothing runs), both on the demo IdP; the upstream's API key comes from the env.
 */
export async function securityGateway(extra: Partial<Omit<ConfigInput, "data_dir">> = {}): Promise<SecurityGateway> {
  const upstream = await recordingUpstream();
  const logs: string[] = [];
  const log: Logger = jsonLogger((l) => logs.push(l), "info");
  process.env["CONCORD_SECURITY_TEST_UPSTREAM_KEY"] = "sk-upstream-secret-0123456789";
  const gw = await startGateway({
    network: { name: "t", jurisdiction: "BEL" },
    nations: {
      DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 1000, tokens_per_day: 1_000_000 } },
      FRA: { residency: ["FRA"], identity: "demo" },
    },
    endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"], api_key_env: "CONCORD_SECURITY_TEST_UPSTREAM_KEY" }],
    ...extra,
  } as Omit<ConfigInput, "data_dir">, log);
  return {
    gw, upstream, logs,
    async token(nation, ...roles) {
      const key = gw.gateway.demoKeys.get(nation)!;
      const token = await mintDemoToken(key, { nation, role: roles[0] ?? "analyst" });
      if (roles.length <= 1) return token;
      // Several roles: the demo IdP mints one role per token, so sign a second claim set with the same key.
      const { SignJWT, importJWK } = await import("jose");
      const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
      return new SignJWT({ ...claims, roles }).setProtectedHeader({ alg: "EdDSA", kid: key.privateJwk.kid ?? "demo", typ: "JWT" }).sign(await importJWK(key.privateJwk, "EdDSA"));
    },
    async close() { await gw.close(); await upstream.close(); },
  };
}

/** The audit entries appended since `from` (the gateway's own log, read directly). */
export async function auditSince(gw: RunningServer, from: number) {
  return (await gw.gateway.audit.entries({ from })).map((e) => e.entry as unknown as Record<string, unknown>);
}
