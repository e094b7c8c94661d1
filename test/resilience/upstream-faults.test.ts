import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { DONE, chunk, chunked, completion, head, healthy, respond, startFaultyUpstream, type FaultyUpstream, type Script } from "../helpers/faulty-upstream.ts";
import { deadPort, startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import type { UpstreamBackend } from "../../src/backends/index.ts";

/**
 * Every way an OpenAI-compatible upstream can fail, through the real gateway. For each fault the client gets a
 * well-formed OpenAI error (or, once streaming began, an SSE error event and the end of the stream); another
 * allowed endpoint is tried only while nothing was sent to the client; the audit log records the outcome; and no
 * socket, timer, pooled request or buffer is left behind. Small timeouts keep the file fast; no test asserts a
 * duration, the test-level timeouts only stop a hang.
 *
 * Layout: nation DEU allows DEU only. Model `m` is served by `faulty` (scripted, tried first) and `good` (a
 * healthy stub), both in DEU; model `solo` only by `faulty` in DEU. `abroad` (USA) serves every model and must
 * never be reached by a DEU request, whatever fails. `faulty-short` (the same scripted server, a short total
 * timeout) and `dead` (DEU, nothing listening) serve `<id>-m` and `<id>-solo` the same way.
 */

// A long total, so a deadline timer left behind would still be running when a test checks for leftovers; the
// faults that only the total deadline can stop go through `faulty-short`, the same server with a short one.
const TIMEOUTS = { connect: "500ms", first_byte: "400ms", total: "60s" };
const SHORT = { ...TIMEOUTS, total: "1500ms" };

/** What the client must see. `before`: nothing was sent, so the next allowed endpoint answers `m`;
 * `refused`: the upstream refused the request itself (same everywhere), not retried; `mid`: the stream had begun. */
type Expect = "before" | "refused" | "mid";

interface Fault {
  readonly name: string;
  readonly stream: boolean;
  readonly script: Script;
  readonly expect: Expect;
  /** The `FaultKind` the audit entry names. */
  readonly fault: string;
  /** Endpoint under test: `faulty` unless named (`faulty-short`: the same server, a short total timeout). */
  readonly via?: "dead" | "faulty-short";
}

const SSE = "text/event-stream";
// The guard releases a line once the next text arrives, so two lines put the first on the wire.
const line = chunk("Line one.\n") + chunk("Line two.\n");
const big = (n: number) => "x".repeat(n);

const FAULTS: Fault[] = [
  { name: "connection refused", stream: false, via: "dead", script: healthy, expect: "before", fault: "connect_failed" },
  { name: "connection refused (stream)", stream: true, via: "dead", script: healthy, expect: "before", fault: "connect_failed" },
  { name: "reset before the response", stream: false, script: (x) => x.reset(), expect: "before", fault: "connection_reset" },
  { name: "closed before the response", stream: true, script: (x) => x.end(), expect: "before", fault: "connection_reset" },
  { name: "reset after the stream's headers, before any event", stream: true, script: (x) => { x.write(head(200, SSE, { chunked: true })); x.later(20, () => x.reset()); }, expect: "before", fault: "connection_reset" },
  {
    name: "reset while the guard still holds the only events (nothing sent yet)", stream: true, expect: "before", fault: "connection_reset",
    script: (x) => { x.write(head(200, SSE, { chunked: true }) + chunked(chunk("A line without its end "))); x.later(50, () => x.reset()); },
  },
  { name: "reset during a stream", stream: true, script: (x) => { x.write(head(200, SSE, { chunked: true }) + chunked(line)); x.later(50, () => x.reset()); }, expect: "mid", fault: "connection_reset" },
  // Delimited by the connection's close, a reset looks like the end of the body to the HTTP client: only the
  // missing [DONE] shows it.
  { name: "reset during a stream delimited by close", stream: true, script: (x) => { x.write(head(200, SSE) + line); x.later(50, () => x.reset()); }, expect: "mid", fault: "incomplete_stream" },
  { name: "slow first byte", stream: false, script: (x) => x.later(1200, () => healthy(x)), expect: "before", fault: "timeout" },
  { name: "slow first event", stream: true, script: (x) => { x.write(head(200, SSE)); x.later(1200, () => x.write(line + DONE)); }, expect: "before", fault: "timeout" },
  {
    name: "slow drip of a JSON body (each byte within the idle timeout)", via: "faulty-short", stream: false, expect: "before", fault: "timeout",
    script: (x) => { const body = completion("drip"); let i = 0; x.write(head(200, "application/json", { length: body.length })); x.every(100, () => { x.write(body[i++]!); return i < body.length; }); },
  },
  {
    name: "slow drip of the first event", via: "faulty-short", stream: true, expect: "before", fault: "timeout",
    script: (x) => { let i = 0; x.write(head(200, SSE)); x.every(100, () => { x.write(line[i++]!); return i < line.length; }); },
  },
  {
    name: "an endless stream (events keep coming past the total timeout)", via: "faulty-short", stream: true, expect: "mid", fault: "timeout",
    script: (x) => { x.write(head(200, SSE) + line); x.every(100, () => { x.write(chunk("more\n")); }); },
  },
  { name: "silence mid-stream", stream: true, script: (x) => x.write(head(200, SSE) + line), expect: "mid", fault: "timeout" },
  { name: "a stream that ends without [DONE]", stream: true, script: (x) => x.end(head(200, SSE) + line), expect: "mid", fault: "incomplete_stream" },
  { name: "a stream that ends at once, without events or [DONE]", stream: true, script: (x) => x.end(head(200, SSE)), expect: "before", fault: "incomplete_stream" },
  { name: "malformed SSE framing: JSON lines without data:", stream: true, script: (x) => x.end(head(200, SSE) + completion("raw") + "\n\n" + DONE), expect: "before", fault: "malformed_stream" },
  {
    name: "malformed SSE framing after an event", stream: true, expect: "mid", fault: "malformed_stream",
    // Written after a pause: framing broken within the same read refuses the whole read, so nothing would be sent.
    script: (x) => { x.write(head(200, SSE) + line); x.later(30, () => x.end("garbage in the stream\n\n" + DONE)); },
  },
  { name: "an SSE error event", stream: true, script: (x) => x.end(head(200, SSE) + 'event: error\ndata: {"message":"overloaded"}\n\n'), expect: "before", fault: "upstream_error_event" },
  { name: "an error object mid-stream", stream: true, script: (x) => x.end(head(200, SSE) + line + 'data: {"error":{"message":"CUDA out of memory at /srv/model"}}\n\n' + DONE), expect: "mid", fault: "upstream_error_event" },
  { name: "malformed JSON body", stream: false, script: (x) => respond(x, 200, '{"id":"x","choices":['), expect: "before", fault: "invalid_response" },
  { name: "a JSON body that is not an object", stream: false, script: (x) => respond(x, 200, "[1,2,3]"), expect: "before", fault: "invalid_response" },
  { name: "malformed JSON in the first chunk", stream: true, script: (x) => x.end(head(200, SSE) + 'data: {"choices":[{"delta":{"content":"x"}}\n\n' + DONE), expect: "before", fault: "malformed_stream" },
  { name: "malformed JSON in a later chunk", stream: true, script: (x) => x.end(head(200, SSE) + line + 'data: {"choices":[{"delta":\n\n' + DONE), expect: "mid", fault: "malformed_stream" },
  { name: "non-HTTP bytes", stream: false, script: (x) => x.write("SSH-2.0-OpenSSH_9.2\r\n"), expect: "before", fault: "protocol_error" },
  { name: "non-HTTP bytes (stream)", stream: true, script: (x) => x.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1])), expect: "before", fault: "protocol_error" },
  { name: "a stream asked for, JSON answered", stream: true, script: (x) => respond(x, 200, completion("not a stream")), expect: "before", fault: "invalid_response" },
  { name: "HTTP 500", stream: false, script: (x) => x.write(head(500, "application/json", { length: 2, close: true }) + "{}"), expect: "before", fault: "http_status" },
  { name: "HTTP 503 (stream)", stream: true, script: (x) => x.write(head(503, "text/html", { length: 4, close: true }) + "busy"), expect: "before", fault: "http_status" },
  { name: "HTTP 429 from the endpoint", stream: false, script: (x) => x.write(head(429, "application/json", { length: 2, close: true }) + "{}"), expect: "before", fault: "http_status" },
  { name: "HTTP 401: the gateway's key for this endpoint is wrong", stream: false, script: (x) => x.write(head(401, "application/json", { length: 2, close: true }) + "{}"), expect: "before", fault: "http_status" },
  { name: "HTTP 302", stream: false, script: (x) => x.write(head(302, "text/html", { length: 0, close: true })), expect: "before", fault: "http_status" },
  {
    name: "HTTP 400: the upstream refuses the request itself", stream: false, expect: "refused", fault: "",
    script: (x) => { const b = '{"error":{"message":"max_tokens is too large"}}'; x.write(head(400, "application/json", { length: b.length, close: true }) + b); },
  },
  {
    name: "an oversized JSON body", stream: false, expect: "before", fault: "oversized",
    script: (x) => { const b = `{"pad":"${big(17 << 20)}"}`; x.write(head(200, "application/json", { length: b.length }) + b); },
  },
  {
    name: "an endless JSON body", stream: false, expect: "before", fault: "oversized",
    script: (x) => { const piece = Buffer.from(`40000\r\n${big(0x40000)}\r\n`); x.write(head(200, "application/json") + '4\r\n{"a"\r\n'); x.every(5, () => { x.write(piece); }); },
  },
  {
    name: "events the guard cannot release yet pile up (an undecided line, then text-less events)", stream: true, expect: "before", fault: "oversized",
    script: (x) => {
      const empty = `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: {} }] })}\n\n`.repeat(2048);
      x.write(head(200, SSE) + chunk("An undecided line "));
      x.every(2, () => { x.write(empty); });
    },
  },
  { name: "an oversized stream event (a line that never ends)", stream: true, script: (x) => x.write(head(200, SSE) + "data: " + big(2 << 20)), expect: "before", fault: "oversized" },
  { name: "Content-Length shorter than the body", stream: false, script: (x) => { const b = completion("cut"); x.write(head(200, "application/json", { length: 20 }) + b); }, expect: "before", fault: "invalid_response" },
  { name: "Content-Length shorter than the stream", stream: true, script: (x) => { const b = line + DONE; x.write(head(200, SSE, { length: 30 }) + b); }, expect: "before", fault: "incomplete_stream" },
  { name: "Content-Length longer than the body, then silence", stream: false, script: (x) => { const b = completion("short"); x.write(head(200, "application/json", { length: b.length + 100 }) + b); }, expect: "before", fault: "timeout" },
  { name: "Content-Length longer than the body, then close", stream: false, script: (x) => { const b = completion("short"); x.end(head(200, "application/json", { length: b.length + 100 }) + b); }, expect: "before", fault: "connection_reset" },
];

// A full collection before reading buffer memory, so what is left is what something still holds.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
/** Off-heap bytes (Buffers) held after a full collection. */
const heldBuffers = () => { gc(); return process.memoryUsage().arrayBuffers; };
/**
 * Buffers held beyond `before`, after letting the sockets of the last request finish closing: a body aborted at
 * its limit is released only once its socket's close has run, which can take a few turns of the event loop.
 */
async function grownBuffers(before: number): Promise<number> {
  let grown = heldBuffers() - before;
  for (let i = 0; i < 50 && grown >= BUFFER_SLACK; i++) {
    await new Promise((r) => setTimeout(r, 30));
    grown = heldBuffers() - before;
  }
  return grown;
}
/** Below the 16 MiB a JSON body may fill before it is refused: a body kept after its request would exceed it. */
const BUFFER_SLACK = 8 << 20;

interface Reply { status: number; type: string; text: string }

/** One request on a fresh connection closed afterwards, so the test's own client leaves no socket behind. */
function post(url: string, token: string, body: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(url + "/v1/chat/completions", {
      method: "POST", agent: false,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** The OpenAI error shape, with the four fields every client reads. */
function assertErrorShape(e: unknown, code: string): void {
  const err = (e as { error?: Record<string, unknown> }).error;
  assert.ok(err, "an error object");
  assert.equal(err["code"], code);
  assert.equal(typeof err["type"], "string");
  assert.ok(typeof err["message"] === "string" && err["message"].length > 0, "a message");
  assert.equal(err["param"], null);
}

/** SSE frames as sent: every one a `data:` line; chunks, then the error event, then the end (no [DONE]). */
function assertBrokenStream(r: Reply): { content: string } {
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/event-stream/);
  assert.ok(r.text.endsWith("\n\n"), "the stream ends on a whole frame");
  const frames = r.text.slice(0, -2).split("\n\n");
  for (const f of frames) assert.ok(f.startsWith("data: ") && !f.includes("\n"), `a well-formed frame: ${JSON.stringify(f.slice(0, 80))}`);
  assert.ok(!frames.includes("data: [DONE]"), "a broken stream is not marked complete");
  const last = JSON.parse(frames.at(-1)!.slice(6)) as unknown;
  assertErrorShape(last, "upstream_error");
  const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as { object: string; choices: Array<{ delta: { content?: string } }> });
  assert.ok(chunks.length > 0, "some of the answer was streamed before the fault");
  for (const c of chunks) assert.equal(c.object, "chat.completion.chunk");
  return { content: chunks.map((c) => c.choices[0]?.delta.content ?? "").join("") };
}

function assertCompleteStream(r: Reply): string {
  assert.equal(r.status, 200, r.text);
  assert.ok(r.text.endsWith("data: [DONE]\n\n"), "the stream is complete");
  return r.text.split("\n\n").filter((f) => f.startsWith("data: {")).map((f) => (JSON.parse(f.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "").join("");
}

/** Active (referenced) sockets of this process connected to a port: the gateway's busy upstream connections. */
function socketsTo(port: number): number {
  // process._getActiveHandles is undocumented but stable since Node 0.x; getActiveResourcesInfo only names types.
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => h instanceof net.Socket && h.remotePort === port && !h.destroyed).length;
}

function resourceCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  // Sockets are counted per upstream by socketsTo; client and keep-alive sockets to healthy servers come and go,
  // and so do the write and shutdown requests of sockets being closed.
  for (const transient of ["TCPSocketWrap", "WriteWrap", "ShutdownWrap", "SimpleShutdownWrap"]) delete out[transient];
  return out;
}

describe("upstream faults through the gateway", { timeout: 120_000 }, () => {
  let faulty: FaultyUpstream, good: StubUpstream, abroad: StubUpstream, gw: RunningServer, token: string;
  let faultyPort: number, baseline: Record<string, number>;

  before(async () => {
    [faulty, good, abroad] = await Promise.all([startFaultyUpstream(), startStubUpstream({ answer: "Answer from the good endpoint." }), startStubUpstream()]);
    faultyPort = Number(new URL(faulty.url).port);
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [
        { id: "faulty", url: faulty.url, jurisdiction: "DEU", models: ["m", "solo"], timeouts: TIMEOUTS },
        { id: "faulty-short", url: faulty.url, jurisdiction: "DEU", models: ["faulty-short-m", "faulty-short-solo"], timeouts: SHORT },
        { id: "dead", url: `http://127.0.0.1:${await deadPort()}/v1`, jurisdiction: "DEU", models: ["dead-m", "dead-solo"], timeouts: TIMEOUTS },
        { id: "good", url: good.url, jurisdiction: "DEU", models: ["m", "faulty-short-m", "dead-m"] },
        { id: "abroad", url: abroad.url, jurisdiction: "USA", models: ["m", "solo", "faulty-short-m", "faulty-short-solo", "dead-m", "dead-solo"] },
      ],
      // Every fault must reach the scripted endpoint: the breaker would otherwise take it out of rotation.
      server: { retries: 2, breaker: { failures: 10_000, cooldown: "1s" } },
    });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
    // Warm-up through both paths, so lazily created timers and pools are part of the baseline.
    faulty.script = healthy;
    for (const stream of [false, true]) {
      await post(gw.url, token, { model: "solo", stream, messages: [{ role: "user", content: "warm-up" }] });
      await post(gw.url, token, { model: "faulty-short-solo", stream, messages: [{ role: "user", content: "warm-up" }] });
      await post(gw.url, token, { model: "dead-m", stream, messages: [{ role: "user", content: "warm-up" }] });
    }
    await settle();
    baseline = resourceCounts();
  });
  after(async () => {
    await gw.close();
    await Promise.all([faulty.close(), good.close(), abroad.close()]);
  });

  const backend = (id: string) => gw.gateway.backends.get(id) as UpstreamBackend;

  /**
   * Sockets to the faulty upstream that may remain: idle keep-alive connections in the pool after a complete,
   * well-framed response. Anything else (a request still running, a socket stuck mid-answer) is a leak.
   */
  const leftovers = () => {
    const [a, b] = [backend("faulty").stats, backend("faulty-short").stats];
    return { serverSide: faulty.stats().open, busyGatewaySide: socketsTo(faultyPort), idleInPool: a.free + b.free, running: a.running + b.running, pending: a.pending + b.pending, queued: a.queued + b.queued };
  };
  // undici unrefs idle keep-alive sockets, so the gateway side's active handles are the busy ones only.
  const clean = (l: ReturnType<typeof leftovers>) => l.serverSide === l.idleInPool && l.busyGatewaySide === 0 && l.running === 0 && l.pending === 0 && l.queued === 0;

  /** Waits (bounded; the test's timeout stops a hang) until the faulty endpoint's connections settle. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 100 && !clean(leftovers()); i++) await new Promise((r) => setTimeout(r, 30));
  }

  /** No socket, timer or pooled request is left behind by a fault. */
  async function assertNothingLeft(): Promise<void> {
    await settle();
    const l = leftovers();
    assert.ok(clean(l), `only idle pooled connections remain to the faulty upstream: ${JSON.stringify(l)}`);
    assert.equal(faulty.stats().timers, 0, "the script's own timers ended with its connection");
    const dead = backend("dead").stats;
    assert.deepEqual({ running: dead.running, pending: dead.pending, connected: dead.connected }, { running: 0, pending: 0, connected: 0 }, "nothing waits on the endpoint that is down");
    let now = resourceCounts();
    for (let i = 0; i < 50 && JSON.stringify(now) !== JSON.stringify(baseline); i++) {
      await new Promise((r) => setTimeout(r, 30));
      now = resourceCounts();
    }
    assert.deepEqual(now, baseline, "active timers and handles are back to the baseline");
  }

  /** The audit entries a call appended (a stream has two: when it starts and when it ends). */
  async function audited<T>(fn: () => Promise<T>): Promise<{ result: T; entries: Array<Record<string, unknown>> }> {
    const from = await gw.gateway.audit.size();
    const result = await fn();
    const to = await gw.gateway.audit.size();
    const entries = (await gw.gateway.audit.entries({ from, to })).map((e) => e.entry as unknown as Record<string, unknown>);
    assert.ok(entries.length > 0, "the request was audited");
    assert.equal(new Set(entries.map((e) => e["request_id"])).size, 1, "entries of one request");
    return { result, entries };
  }

  const ask = (model: string, stream: boolean) => audited(() => post(gw.url, token, { model, stream, messages: [{ role: "user", content: "Status of depot 7?" }] }));

  for (const f of FAULTS) {
    test(`${f.name}: ${f.expect === "before" ? "error or the next allowed endpoint" : f.expect === "mid" ? "an SSE error event, no retry" : "the refusal, no retry"}`, { timeout: 20_000 }, async () => {
      faulty.script = f.script;
      const via = f.via ?? "faulty";
      const [solo, shared] = via === "faulty" ? ["solo", "m"] : [`${via}-solo`, `${via}-m`];
      const seen = faulty.requests.length;
      const goodHits = good.hits.length;
      const buffers = heldBuffers();

      // 1. No other allowed endpoint serves the model: the client gets the failure itself.
      const alone = await ask(solo, f.stream);
      const last = alone.entries.at(-1)!;
      if (f.expect === "mid") {
        assertBrokenStream(alone.result);
        assert.deepEqual(alone.entries.map((e) => [e["decision"], e["reason"]]), [["allow", "stream_started"], ["deny", "upstream_error"]]);
        assert.equal(last["upstream_fault"], f.fault);
      } else if (f.expect === "refused") {
        assert.equal(alone.result.status, 400);
        assertErrorShape(JSON.parse(alone.result.text), "invalid_request");
        assert.match(alone.result.text, /max_tokens is too large/, "the upstream's reason reaches the client");
        assert.deepEqual([last["decision"], last["reason"]], ["deny", "invalid_request"]);
      } else {
        assert.equal(alone.result.status, 502, alone.result.text);
        assert.match(alone.result.type, /^application\/json/);
        assertErrorShape(JSON.parse(alone.result.text), "upstream_error");
        assert.deepEqual([last["decision"], last["reason"], last["upstream_attempts"]], ["deny", "upstream_error", `${via}:${f.fault}`]);
      }

      // 2. Another allowed endpoint serves it: tried only if nothing was sent to the client yet.
      const both = await ask(shared, f.stream);
      const end = both.entries.at(-1)!;
      if (f.expect === "before") {
        const text = f.stream ? assertCompleteStream(both.result) : (JSON.parse(both.result.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
        assert.equal(text.trim(), "Answer from the good endpoint.");
        assert.equal(good.hits.length, goodHits + 1, "the next allowed endpoint answered");
        assert.deepEqual([end["decision"], end["reason"], end["endpoint"], end["upstream_attempts"]], ["allow", "ok", "good", `${via}:${f.fault},good:ok`]);
      } else {
        if (f.expect === "mid") {
          assertBrokenStream(both.result);
          assert.equal(end["upstream_fault"], f.fault);
        } else assert.equal(both.result.status, 400);
        assert.equal(good.hits.length, goodHits, "never retried once the client had bytes, nor after a refusal");
        assert.equal(end["decision"], "deny");
      }
      if (via !== "dead") assert.equal(faulty.requests.length, seen + 2, "each request reached the faulty endpoint once");
      assert.equal(abroad.hits.length, 0, "no fault ever moves a DEU request out of its jurisdictions");
      await assertNothingLeft();
      const grown = await grownBuffers(buffers);
      assert.ok(grown < BUFFER_SLACK, `no response buffer outlives its request (${grown} bytes more held)`);
    });
  }

  /** Sends a request and closes the connection once `leaveWhen` holds for what arrived, or once `arrived` settles. */
  function leave(body: unknown, leaveWhen: ((text: string) => boolean) | Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const payload = JSON.stringify(body);
      const req = http.request(gw.url + "/v1/chat/completions", {
        method: "POST", agent: false,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => { text += c.toString("utf8"); if (typeof leaveWhen === "function" && leaveWhen(text)) req.destroy(); });
      });
      req.on("error", () => {});
      req.on("close", () => resolve());
      req.end(payload);
      if (typeof leaveWhen !== "function") void leaveWhen.then(() => req.destroy());
    });
  }

  /** Waits (bounded by the test's timeout) until `n` more audit entries exist, and returns them. */
  async function entriesAfter(from: number, n: number): Promise<Array<Record<string, unknown>>> {
    while ((await gw.gateway.audit.size()) < from + n) await new Promise((r) => setTimeout(r, 20));
    return (await gw.gateway.audit.entries({ from, to: from + n })).map((e) => e.entry as unknown as Record<string, unknown>);
  }

  test("a client that leaves during a silent stream frees the upstream connection, audited as client_closed", { timeout: 10_000 }, async () => {
    faulty.script = (x) => x.write(head(200, SSE, { chunked: true }) + chunked(line));
    const from = await gw.gateway.audit.size();
    await leave({ model: "solo", stream: true, messages: [{ role: "user", content: "go" }] }, (t) => t.includes("Line one"));
    const entries = await entriesAfter(from, 2);
    assert.deepEqual(entries.map((e) => [e["decision"], e["reason"]]), [["allow", "stream_started"], ["deny", "client_closed"]]);
    assert.equal(entries[1]!["upstream_fault"], undefined, "not counted as the upstream's fault");
    await assertNothingLeft();
  });

  test("a client that leaves while a plain answer is awaited frees the upstream connection, audited as client_closed", { timeout: 10_000 }, async () => {
    let arrived!: () => void;
    const upstreamHasIt = new Promise<void>((r) => { arrived = r; });
    faulty.script = () => arrived(); // and never answers
    const from = await gw.gateway.audit.size();
    await leave({ model: "solo", messages: [{ role: "user", content: "go" }] }, upstreamHasIt);
    const [e] = await entriesAfter(from, 1);
    assert.deepEqual([e!["decision"], e!["reason"]], ["deny", "client_closed"]);
    await assertNothingLeft();
  });

  test("the bytes past a short Content-Length never answer the next request on that endpoint", { timeout: 10_000 }, async () => {
    const smuggled = completion("SMUGGLED");
    faulty.script = (x) => { const b = completion("first"); x.write(head(200, "application/json", { length: b.length }) + b + head(200, "application/json", { length: smuggled.length }) + smuggled); };
    const r1 = await post(gw.url, token, { model: "solo", messages: [{ role: "user", content: "one" }] });
    assert.equal(r1.status, 200, r1.text);
    faulty.script = healthy;
    const r2 = await post(gw.url, token, { model: "solo", messages: [{ role: "user", content: "two" }] });
    assert.equal(r2.status, 200, r2.text);
    assert.ok(!r2.text.includes("SMUGGLED"), "the unrequested response was not taken as the answer");
    assert.match(r2.text, /All clear\./);
    faulty.script = (x) => { healthy(x); x.end(); };
    await post(gw.url, token, { model: "solo", messages: [{ role: "user", content: "close" }] });
    await assertNothingLeft();
  });
});

describe("the output guard on broken and malformed streams", { timeout: 60_000 }, () => {
  let faulty: FaultyUpstream, gw: RunningServer, token: string;

  before(async () => {
    faulty = await startFaultyUpstream();
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "faulty", url: faulty.url, jurisdiction: "DEU", models: ["m"], timeouts: TIMEOUTS }],
      server: { breaker: { failures: 10_000, cooldown: "1s" } },
    });
    token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => { await gw.close(); await faulty.close(); });

  const stream = (body: string): Promise<Reply> => {
    faulty.script = (x) => x.end(head(200, SSE) + body);
    return post(gw.url, token, { model: "m", stream: true, messages: [{ role: "user", content: "go" }] });
  };
  /** The error the client got: the HTTP error before the stream began, or the stream's last event after. */
  const lastError = (r: Reply) => {
    const body = r.type.startsWith("application/json") ? r.text : r.text.slice(0, -2).split("\n\n").at(-1)!.slice(6);
    return (JSON.parse(body) as { error: { code: string } }).error.code;
  };

  test("text the guard still held when the upstream broke is dropped, never flushed", { timeout: 10_000 }, async () => {
    faulty.script = (x) => { x.write(head(200, SSE) + chunk("Status report.\n") + chunk("All quiet.\n") + chunk("NATO SEC")); x.later(50, () => x.reset()); };
    const r = await post(gw.url, token, { model: "m", stream: true, messages: [{ role: "user", content: "go" }] });
    const { content } = assertBrokenStream(r);
    assert.equal(content, "Status report.\n");
    assert.ok(!r.text.includes("NATO SEC"));
  });

  test("a chunk that is not JSON never reaches the client, even carrying a marking", { timeout: 10_000 }, async () => {
    const r = await stream(chunk("Fine.\n") + 'data: {"choices":[{"index":0,"delta":{"content":"NATO SECRET\\nGrid 31U"}}]\n\n' + DONE);
    assert.equal(lastError(r), "upstream_error");
    assert.ok(!r.text.includes("NATO SECRET") && !r.text.includes("Grid 31U"));
  });

  test("a marking in a field the guard did not know of is withheld", { timeout: 10_000 }, async () => {
    const r = await stream(chunk("Fine.\n") + chunk("More.\n", { system_fingerprint: "NATO SECRET\nGrid 31U" }) + DONE);
    assert.equal(lastError(r), "classification_exceeded");
    assert.ok(!r.text.includes("Grid 31U"));
    faulty.script = (x) => respond(x, 200, JSON.stringify({ ...JSON.parse(completion("Fine.")), note: "NATO SECRET\nGrid 31U" }));
    const plain = await post(gw.url, token, { model: "m", messages: [{ role: "user", content: "go" }] });
    assert.equal(plain.status, 403);
    assertErrorShape(JSON.parse(plain.text), "classification_exceeded");
    assert.ok(!plain.text.includes("Grid 31U"));
  });

  test("duplicate keys: the client gets the event the guard judged, re-serialised", { timeout: 10_000 }, async () => {
    const r = await stream('data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"NATO SECRET\\nGrid 31U\\n","content":"Nothing to report.\\n"}}]}\n\n' + DONE);
    assert.equal(assertCompleteStream(r), "Nothing to report.\n");
    assert.ok(!r.text.includes("NATO SECRET"));
  });

  test("a marking split across tool-call argument chunks is withheld", { timeout: 10_000 }, async () => {
    const call = (args: string) => `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: args } }] } }] })}\n\n`;
    const r = await stream(call('{"note":"Header: NATO SEC') + call('RET\\nTroops at grid 31U"}') + DONE);
    assert.equal(lastError(r), "classification_exceeded");
    assert.ok(!r.text.includes("Header:") && !r.text.includes("grid 31U"));
  });

  test("an upstream's error object is replaced by Concord's error, its text not passed on", { timeout: 10_000 }, async () => {
    const r = await stream(line + 'data: {"error":{"message":"CUDA out of memory at /srv/model"}}\n\n' + DONE);
    assert.equal(lastError(r), "upstream_error");
    assert.ok(!r.text.includes("/srv/model"));
  });

  test("an upstream refusal whose message carries a marking reaches the client without it", { timeout: 10_000 }, async () => {
    const b = JSON.stringify({ error: { message: "prompt rejected: NATO SECRET banner found" } });
    faulty.script = (x) => x.write(head(400, "application/json", { length: b.length }) + b);
    const r = await post(gw.url, token, { model: "m", messages: [{ role: "user", content: "go" }] });
    assert.equal(r.status, 400);
    assertErrorShape(JSON.parse(r.text), "invalid_request");
    assert.ok(!r.text.includes("NATO SECRET"));
  });
});
