// The lowest floor for a Node gateway here: node:http receives the request, undici (keep-alive Pool) forwards its
// bytes to the upstream, and the upstream's bytes go back unparsed. No framework, no JSON parsing, no checks of
// any kind. Prints its port.
//   node bench/lib/raw-proxy.mjs UPSTREAM_ORIGIN
import http from "node:http";
import { Pool } from "undici";

const pool = new Pool(process.argv[2], { connections: 128, pipelining: 1 });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    pool.request({ path: req.url, method: req.method, headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) }).then(
      async (up) => {
        const body = Buffer.from(await up.body.arrayBuffer());
        res.writeHead(up.statusCode, { "content-type": "application/json", "content-length": body.length });
        res.end(body);
      },
      () => { res.writeHead(502); res.end(); },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
