import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import sjson from "secure-json-parse";
import { asConcordError, InvalidRequest, NotFound, PayloadTooLarge } from "../errors/index.ts";
import { demoIssuer } from "../identity/index.ts";
import type { Gateway } from "./gateway.ts";
import { registerModelRoutes } from "./model-routes.ts";
import { registerOversightRoutes } from "./oversight-routes.ts";
import { registerAuditRoutes } from "./audit-routes.ts";
import { registerDocumentRoutes } from "./document-routes.ts";
import { registerWorkloadRoutes } from "./workload-routes.ts";
import { registerCommsRoutes } from "./comms-routes.ts";
import { registerAlertRoutes } from "./alert-routes.ts";
import { registerOperationsRoutes } from "./operations-routes.ts";
import { jsonDepthExceeds } from "./json-depth.ts";

/** Deeper than any OpenAI request or workload body needs (tool schemas nest a few levels); see json-depth.ts. */
const MAX_JSON_DEPTH = 128;
import { consolePlugin } from "../console/index.ts";

/**
 * The HTTP app: JSON parsing with a size limit, the routes, and one error mapping into the OpenAI error shape.
 */
export function buildApp(gw: Gateway): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: gw.cfg.server.body_limit,
    trustProxy: gw.cfg.server.trust_proxy,
    // Request ids are ours (context.ts); Fastify's would only be logged, and we log nothing per request by default.
    genReqId: () => "",
    return503OnClosing: true,
    // A URL Fastify cannot decode (e.g. "/%") is the client's error, answered in the same shape as every other.
    frameworkErrors: (err, _req, reply) => void (reply as FastifyReply).code(400).send(new InvalidRequest(`malformed request (${err.code})`).toBody()),
    // A request too malformed to route (bad framing, header overflow, timeout) still gets the OpenAI error shape.
    clientErrorHandler: (err, socket) => {
      const code = (err as { code?: string }).code;
      if (code === "ECONNRESET" || !socket.writable) return void socket.destroy();
      const [status, reason] = code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "Request Timeout"] : [400, "Bad Request"];
      const body = JSON.stringify(new InvalidRequest(`malformed HTTP request (${code ?? "bad request"})`).toBody());
      socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
  });

  // Bodies are never decompressed (so no gzip bomb can expand here): a compressed body is refused by name
  // instead of failing later as "not valid JSON".
  // An async hook, although a callback one would save a promise per request: with the callback form, an OPTIONS
  // request with a body to an unknown path got bytes written after its `Connection: close` answer (found by
  // test/property/http.test.ts at its default seed).
  app.addHook("onRequest", async (req) => {
    const enc = req.headers["content-encoding"];
    if (enc !== undefined && enc.trim().toLowerCase() !== "identity") throw new InvalidRequest(`Content-Encoding "${enc.slice(0, 40)}" is not accepted; send the request body uncompressed`);
  });

  // Keep the raw bytes: the audit log records the SHA-256 of exactly what the client sent.
  app.removeContentTypeParser(["application/json"]);
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => {
    (req as typeof req & { rawBody?: Buffer }).rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, undefined);
    if (jsonDepthExceeds(body as Buffer, MAX_JSON_DEPTH)) return done(new InvalidRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    try {
      done(null, sjson.parse(body as Buffer, { protoAction: "error", constructorAction: "error" }));
    } catch {
      done(new InvalidRequest("request body is not valid JSON"), undefined);
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    const fe = err as { code?: string; statusCode?: number };
    const e =
      fe.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? new PayloadTooLarge(`request body exceeds ${gw.cfg.server.body_limit} bytes`)
      : fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? new InvalidRequest("unsupported Content-Type; send application/json")
      : fe.code?.startsWith("FST_ERR_CTP") || fe.statusCode === 400 ? new InvalidRequest(`malformed request (${fe.code ?? "bad request"})`)
      : asConcordError(err);
    if (e.status >= 500) gw.log.error({ err: String((err as Error).stack ?? err) }, "unhandled error");
    return reply.code(e.status).headers(e.headers).send(e.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new NotFound(`no route ${req.method} ${req.url.split("?")[0]}`);
    return reply.code(404).send(e.toBody());
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const endpoints = gw.registry.states.map((s) => ({ id: s.endpoint.id, jurisdiction: s.endpoint.jurisdiction, circuit: s.breaker.state, outstanding: s.outstanding }));
    return reply.code(200).send({ status: "ready", endpoints });
  });
  app.get("/metrics", async (_req, reply) => {
    for (const s of gw.registry.states) gw.metrics.outstanding.set({ endpoint: s.endpoint.id }, s.outstanding);
    reply.header("content-type", gw.metrics.registry.contentType);
    return gw.metrics.registry.metrics();
  });

  // The demo IdP's public keys, as a real IdP would publish them (for relying parties other than this gateway).
  app.get<{ Params: { nation: string } }>("/demo-idp/:nation/jwks.json", async (req) => {
    const key = gw.demoKeys.get(req.params.nation);
    if (!key) throw new NotFound(`${req.params.nation} has no demo identity provider`);
    return { issuer: demoIssuer(key.nation), keys: [key.publicJwk] };
  });

  registerModelRoutes(app, gw);
  registerOversightRoutes(app, gw);
  registerAuditRoutes(app, gw);
  registerDocumentRoutes(app, gw);
  registerWorkloadRoutes(app, gw);
  registerCommsRoutes(app, gw);
  registerAlertRoutes(app, gw);
  registerOperationsRoutes(app, gw);
  // The web console: its own scope (parsers, headers, HTML errors), calling the routes above like any client.
  void app.register(consolePlugin(app, gw.cfg, gw.demoKeys, { log: gw.log }), { prefix: "/console" });
  return app;
}
