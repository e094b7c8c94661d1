// The floor under any gateway here: Fastify receives the request, undici (keep-alive Pool) forwards its body to the
// upstream, and the upstream's JSON goes back. No authentication, policy, quota, audit or metrics. Prints its port.
//   node bench/lib/bare-proxy.mjs UPSTREAM_ORIGIN
import Fastify from "fastify";
import { Pool } from "undici";

const pool = new Pool(process.argv[2], { connections: 128, pipelining: 1 });
const app = Fastify({ logger: false });
app.removeContentTypeParser(["application/json"]);
app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
app.post("/v1/chat/completions", async (req, reply) => {
  const res = await pool.request({ path: "/v1/chat/completions", method: "POST", headers: { "content-type": "application/json" }, body: req.body });
  const json = await res.body.json();
  return reply.code(res.statusCode).send(json);
});
const address = await app.listen({ port: 0, host: "127.0.0.1" });
console.log(new URL(address).port);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
