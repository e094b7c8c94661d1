// A model server that answers at once: the fixed cost floor for the gateway benchmark. `echo` mode returns the
// request body instead (the raw Node http baseline); `mixed` mode also streams (SSE) when the body asks for it.
// Prints its port on stdout.
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
    if (mode === "mixed" && Buffer.concat(chunks).includes('"stream":true')) return stream(res);
    const body = mode === "echo" ? Buffer.concat(chunks) : answer;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
const words = ["Convoy ", "leaves ", "at ", "dawn ", "via ", "the ", "northern ", "route."];
const frame = (delta, finish) => `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
function stream(res) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  words.forEach((w, i) => res.write(frame(i === 0 ? { role: "assistant", content: w } : { content: w }, null)));
  res.write(frame({}, "stop"));
  res.end("data: [DONE]\n\n");
}
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
