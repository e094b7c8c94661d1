// A model server that answers at once: the fixed cost floor for the gateway benchmark. `echo` mode returns the
// request body instead (the raw Node http baseline). Prints its port on stdout.
import http from "node:http";
const mode = process.argv[2] ?? "chat";
const answer = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "Acknowledged." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = mode === "echo" ? Buffer.concat(chunks) : answer;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
