/**
 * The soak's load generator, a child process of bench/soak.ts so its own memory stays out of the gateway's
 * figures. Sends a fixed mix of requests at a capped rate on keep-alive connections, each body unique (a
 * counter in the text) so its SHA-256 names exactly one audit entry, and writes one line per answer to a file:
 * `<body sha256> <kind> <status> <code>`, where code is `ok`, `stream_done`, `stream_error:<code>` or the
 * error code. On SIGTERM it stops sending, waits for what is in flight and prints its totals as JSON.
 *
 * Input: one JSON argument {url, tokens: {DEU, FRA}, rate, connections, out}.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Pool } from "undici";

interface Input { url: string; tokens: { DEU: string; FRA: string }; rate: number; connections: number; out: string }
const input = JSON.parse(process.argv[2] as string) as Input;
const origin = new URL(input.url).origin;
const pool = new Pool(origin, { connections: input.connections, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
const out = createWriteStream(input.out);

type Kind = "chat" | "stream" | "classified" | "prohibited" | "fra";
// Out of every 20 requests: plain chat 9, streamed chat 5, a classified marking 2, a prohibited use 2, and 2 from a
// nation with a small budget (some answered 429 quota_exceeded).
const MIX: Kind[] = ["chat", "stream", "chat", "classified", "chat", "stream", "prohibited", "chat", "fra", "stream", "chat", "chat", "stream", "classified", "chat", "prohibited", "stream", "chat", "fra", "chat"];

function bodyFor(kind: Kind, n: number): string {
  const text = {
    chat: `Status report for sector ${n}, please.`,
    stream: `Summarise the logistics situation for depot ${n}.`,
    classified: `NATO SECRET\n\nMovement order ${n} for the northern group.`,
    prohibited: `Which of the enemy convoys should we strike first? Give me the coordinates. Reference ${n}.`,
    fra: `Bulletin météo numéro ${n} pour la côte.`,
  }[kind];
  return JSON.stringify({ model: "m", messages: [{ role: "user", content: text }], ...(kind === "stream" ? { stream: true } : {}) });
}

const totals: Record<string, number> = {};
const count = (key: string) => { totals[key] = (totals[key] ?? 0) + 1; };
let sent = 0;
let inFlight = 0;
let stopping = false;

async function one(n: number): Promise<void> {
  const kind = MIX[n % MIX.length] as Kind;
  const body = bodyFor(kind, n);
  const sha = createHash("sha256").update(body).digest("hex");
  const token = kind === "fra" ? input.tokens.FRA : input.tokens.DEU;
  let status = 0;
  let code: string;
  try {
    const r = await pool.request({ path: "/v1/chat/completions", method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body });
    status = r.statusCode;
    const text = await r.body.text();
    if (status >= 200 && status < 300 && kind === "stream") {
      const err = /"code":"([a-z_]+)"/.exec(text);
      code = text.endsWith("data: [DONE]\n\n") ? "stream_done" : `stream_error:${err?.[1] ?? "truncated"}`;
    } else if (status >= 200 && status < 300) {
      code = "ok";
    } else {
      code = /"code":"([a-z_]+)"/.exec(text)?.[1] ?? "unknown";
    }
  } catch (err) {
    code = `client_error:${(err as { code?: string }).code ?? "unknown"}`;
  }
  count(`${kind} ${status} ${code}`);
  out.write(`${sha} ${kind} ${status} ${code}\n`);
}

// A token bucket refilled every 10 ms; at most `connections` requests in flight.
const perTick = input.rate / 100;
let credit = 0;
const timer = setInterval(() => {
  if (stopping) return;
  credit = Math.min(credit + perTick, input.rate);
  while (credit >= 1 && inFlight < input.connections) {
    credit -= 1;
    inFlight++;
    void one(sent++).finally(() => { inFlight--; });
  }
}, 10);

process.on("SIGTERM", async () => {
  stopping = true;
  clearInterval(timer);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  await new Promise<void>((r) => out.end(r));
  await pool.close();
  process.stdout.write(JSON.stringify({ sent, totals }) + "\n");
  process.exit(0);
});
