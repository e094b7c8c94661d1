import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { SignJWT, generateKeyPair, type JWK } from "jose";
import { stringify as toYaml } from "yaml";
import { DEMO_ALLIANCE, loadConfig, parseConfig } from "../../src/config/index.ts";
import { ApiKeys, createAuthenticator, JwtVerifier, loadOrCreateDemoKey, mintDemoToken, openApiKeyStore, type Authenticator, type DemoKey } from "../../src/identity/index.ts";
import { ChatCompletionRequest, EmbeddingsRequest, chatText, embeddingsText, mapChatText, mapEmbeddingsText } from "../../src/server/openai-schema.ts";
import { parse as parseStage } from "../../src/server/stages.ts";
import { newContext } from "../../src/server/context.ts";
import { SseParser } from "../../src/backends/sse.ts";
import { UpstreamBackend } from "../../src/backends/index.ts";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Unauthenticated } from "../../src/errors/index.ts";
import { mutatedText, onlyCodes, params } from "./fc.ts";

const VALID_CHAT = { model: "m", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: [{ type: "text", text: "Hello" }] }], stream: true, temperature: 0.5, metadata: { purpose: "intelligence_summary" } };

/** JSON values biased towards the shapes the schema reads: objects with its field names and near-miss values. */
const chatLike = fc.oneof(
  fc.jsonValue(),
  fc.record({
    model: fc.oneof(fc.string(), fc.constant("m"), fc.jsonValue()),
    messages: fc.oneof(
      fc.array(fc.record({ role: fc.constantFrom("system", "developer", "user", "assistant", "tool", "bogus"), content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.record({ type: fc.constantFrom("text", "image_url"), text: fc.string() })), fc.jsonValue()), tool_calls: fc.array(fc.record({ id: fc.string(), type: fc.constant("function"), function: fc.record({ name: fc.string(), arguments: fc.oneof(fc.string(), fc.json()) }) }), { maxLength: 2 }) }, { requiredKeys: ["role"] }), { maxLength: 5 }),
      fc.jsonValue(),
    ),
    stream: fc.oneof(fc.boolean(), fc.jsonValue()),
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    temperature: fc.oneof(fc.double(), fc.jsonValue()),
  }, { requiredKeys: [] }),
  mutatedText(JSON.stringify(VALID_CHAT)).map((s) => { try { return JSON.parse(s) as unknown; } catch { return s; } }),
);

describe("property: OpenAI request bodies (src/server/openai-schema.ts)", { timeout: 180_000 }, () => {
  test("any JSON value is either a valid chat request (whose text helpers work) or invalid_request from the parse stage", async (t) => {
    await fc.assert(
      fc.asyncProperty(chatLike, async (body) => {
        const ctx = newContext({ route: "/v1/chat/completions", authorization: undefined, rawBody: undefined, body, signal: new AbortController().signal, capability: "chat" });
        const err = await onlyCodes(() => parseStage(ctx, ChatCompletionRequest), ["invalid_request"]);
        const direct = ChatCompletionRequest.safeParse(body);
        assert.equal(err === undefined, direct.success && body !== null && typeof body === "object", "the stage agrees with the schema");
        if (!direct.success) return;
        const text = chatText(direct.data);
        assert.equal(typeof text, "string");
        // Redaction maps every text the guard read and nothing else: the identity map changes nothing.
        assert.deepEqual(ChatCompletionRequest.parse(mapChatText(direct.data as Record<string, unknown>, (s) => s)), direct.data);
        // Redaction reaches every text a client wrote for the model: message contents and tool-call argument values.
        const mapped = ChatCompletionRequest.parse(mapChatText(direct.data as Record<string, unknown>, () => "X"));
        assert.equal(chatText({ ...mapped, messages: mapped.messages.map(({ tool_calls: _t, ...m }) => m) }).replaceAll("X", "").replaceAll("\n", ""), "");
        for (const m of mapped.messages) for (const c of (m.tool_calls ?? []) as Array<{ function?: { arguments?: unknown } }>) {
          const args = c?.function?.arguments;
          if (typeof args !== "string") continue;
          const leaves: string[] = [];
          const walk = (v: unknown): void => { if (typeof v === "string") leaves.push(v); else if (v && typeof v === "object") Object.values(v).forEach(walk); };
          let parsed: unknown = args;
          try { parsed = JSON.parse(args); } catch { /* mapped whole */ }
          walk(parsed);
          assert.ok(leaves.every((x) => x === "X"), `tool-call arguments left unmapped: ${args}`);
        }
      }),
      params(t, 400, 4000),
    );
  });

  test("any JSON value is either a valid embeddings request or invalid_request", async (t) => {
    const embLike = fc.oneof(fc.jsonValue(), fc.record({ model: fc.string(), input: fc.oneof(fc.string(), fc.array(fc.string()), fc.array(fc.integer()), fc.array(fc.array(fc.integer())), fc.jsonValue()) }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(embLike, async (body) => {
        const ctx = newContext({ route: "/v1/embeddings", authorization: undefined, rawBody: undefined, body, signal: new AbortController().signal, capability: "embeddings" });
        const err = await onlyCodes(() => parseStage(ctx, EmbeddingsRequest), ["invalid_request"]);
        if (err) return;
        const req = EmbeddingsRequest.parse(body);
        assert.equal(typeof embeddingsText(req), "string");
        assert.deepEqual(EmbeddingsRequest.parse(mapEmbeddingsText(req as Record<string, unknown>, (s) => s)), req);
      }),
      params(t, 300, 3000),
    );
  });
});

describe("property: JWTs (src/identity)", { timeout: 180_000 }, () => {
  let dir: string, key: DemoKey, verifier: JwtVerifier, auth: Authenticator, valid: string, keys: ApiKeys;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "concord-prop-jwt-"));
    const cfg = parseConfig({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, endpoints: [], data_dir: dir }, "test");
    key = await loadOrCreateDemoKey(dir, "DEU");
    verifier = await JwtVerifier.create(cfg, new Map<string, JWK>([["DEU", key.publicJwk]]));
    keys = new ApiKeys(openApiKeyStore(`sqlite:${join(dir, "keys.db")}`), new Set(["DEU"]));
    auth = createAuthenticator(verifier, keys);
    valid = await mintDemoToken(key, { nation: "DEU", role: "analyst" });
  });
  after(async () => { await keys.close(); rmSync(dir, { recursive: true, force: true }); });

  const segmentBytes = (tok: string) => tok.split(".").map((s) => Buffer.from(s, "base64url").toString("hex")).join(".");

  test("a mutated token is refused with Unauthenticated, unless it decodes to the very same bytes", async (t) => {
    await fc.assert(
      fc.asyncProperty(mutatedText(valid), async (tok) => {
        const err = await onlyCodes(() => verifier.verify(tok), ["unauthenticated"]);
        if (err === undefined) assert.equal(segmentBytes(tok), segmentBytes(valid), `accepted a token that differs from the signed one: ${tok}`);
      }),
      params(t, 300, 4000),
    );
  });

  test("arbitrary strings, JWT-shaped junk and re-signed or alg-swapped tokens are refused with Unauthenticated", async (t) => {
    const { privateKey: attacker } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
    const [h, p] = valid.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const junk = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.string()).map(([a, b, c]) => `${b64(a)}.${b64(b)}.${c}`),
      // alg "none", and HS256 "signed" with the public key as the HMAC secret (algorithm confusion).
      fc.constantFrom("none", "HS256", "RS256", "ES256", "").map((alg) => `${b64({ alg, typ: "JWT", kid: key.publicJwk.kid })}.${p}.`),
      // The right header and issuer, claims changed, the original signature kept.
      fc.record({ sub: fc.string(), nation: fc.constantFrom("FRA", "USA", "DEU"), roles: fc.array(fc.constantFrom("admin", "analyst")), exp: fc.integer() }, { requiredKeys: [] })
        .filter((c) => Object.entries(c).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(claims[k])))
        .map((c) => `${h}.${b64({ ...claims, ...c })}.${valid.split(".")[2]}`),
      // Signed properly, but by a key the issuer never published.
      fc.constant(null).map(() => "attacker"),
    );
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid: key.publicJwk.kid ?? "x" }).sign(attacker);
    await fc.assert(
      fc.asyncProperty(junk, async (tok0) => {
        const tok = tok0 === "attacker" ? forged : tok0;
        await onlyCodes(() => verifier.verify(tok), ["unauthenticated"]).then((e) => assert.ok(e instanceof Unauthenticated, `accepted ${tok}`));
      }),
      params(t, 300, 4000),
    );
  });

  test("any Authorization header is a principal only for the real token; everything else is Unauthenticated", async (t) => {
    const header = fc.oneof(
      fc.string(),
      fc.string().map((s) => `Bearer ${s}`),
      fc.string().map((s) => `Bearer ck_${s}`),
      fc.tuple(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 16, maxLength: 16 }), fc.base64String({ minLength: 43, maxLength: 44 })).map(([id, s]) => `Bearer ck_${id}.${s.slice(0, 43).replace(/[+/=]/g, "_")}`),
      mutatedText(`Bearer ${valid}`),
      fc.constant(`Bearer ${"a".repeat(20_000)}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (h) => {
        const err = await onlyCodes(() => auth.authenticate(h), ["unauthenticated"]);
        if (err === undefined) assert.equal(segmentBytes(/^Bearer\s+(\S+)/i.exec(h)![1]!), segmentBytes(valid));
      }),
      params(t, 300, 4000),
    );
  });
});

describe("property: the YAML configuration (src/config loader)", { timeout: 180_000 }, () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "concord-prop-config-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const demoYaml = toYaml(DEMO_ALLIANCE);
  const yamlish = fc.array(fc.constantFrom("a", ":", " ", "\n", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!binary ", "!!str ", "? ", "|", ">", "#", "'", '"', "\t", "nations", "endpoints", "1e999", "0x1F", "~", "null", "<<: *x\n", "%YAML 1.2\n", "---\n", "...\n", "\\u0000", "__proto__: ", "constructor: "), { maxLength: 60 }).map((a) => a.join(""));

  test("any YAML text loads as a valid configuration or fails with ConfigError, never another exception", async (t) => {
    let i = 0;
    const text = fc.oneof(fc.string(), yamlish, mutatedText(demoYaml), fc.jsonValue().map((v) => toYaml(v)), fc.jsonValue().map((v) => toYaml({ ...DEMO_ALLIANCE, nations: v })));
    await fc.assert(
      fc.asyncProperty(text, async (yaml) => {
        const file = join(dir, `c${i++}.yaml`);
        writeFileSync(file, yaml);
        const err = await onlyCodes(() => loadConfig(file), ["invalid_config"]);
        if (err === undefined) {
          const cfg = loadConfig(file);
          assert.equal(typeof cfg.network.ceiling, "string");
          assert.ok(Object.keys(cfg.nations).every((n) => /^[A-Z]{3}$/.test(n)));
        }
      }),
      params(t, 300, 5000),
    );
  });
});

/** An SSE stream as the spec frames it: data lines (one per line of the payload), comments, LF or CRLF ends. */
const sseEvent = fc.record({
  data: fc.array(fc.string({ unit: "grapheme" }).filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 3 }),
  comment: fc.option(fc.string({ unit: "grapheme" }).filter((s) => !/[\r\n]/.test(s))),
  field: fc.option(fc.constantFrom("event: x", "id: 7", "retry: 10", "data", "data:")),
  eol: fc.constantFrom("\n", "\r\n"),
  space: fc.boolean(),
});
type SseEvent = typeof sseEvent extends fc.Arbitrary<infer T> ? T : never;

function frame(e: SseEvent): string {
  const lines = [...(e.comment === null ? [] : [`:${e.comment}`]), ...(e.field === null ? [] : [e.field]), ...e.data.map((d) => `data:${e.space ? " " : ""}${d}`)];
  return lines.map((l) => l + e.eol).join("") + e.eol;
}
function expected(e: SseEvent): string {
  const extra = e.field === "data" || e.field === "data:" ? [""] : [];
  // A bare "data" line is a data line with an empty value; a value's one leading space is not part of it.
  return [...extra, ...e.data.map((d) => (e.space ? d : d.startsWith(" ") ? d.slice(1) : d))].join("\n");
}

describe("property: SSE framing (src/backends/sse.ts)", { timeout: 180_000 }, () => {
  test("any chunking of the same byte stream yields the same events, and they are the ones framed", async (t) => {
    const input = fc.array(sseEvent, { minLength: 1, maxLength: 8 }).chain((events) => {
      const bytes = new TextEncoder().encode(events.map(frame).join(""));
      return fc.tuple(fc.constant(events), fc.constant(bytes), fc.uniqueArray(fc.nat(Math.max(0, bytes.length - 1)), { maxLength: 12 }));
    });
    await fc.assert(
      fc.property(input, ([events, bytes, cuts]) => {
        // The same decoding the upstream client does: UTF-8 with `stream: true` across chunk boundaries.
        const run = (points: number[]) => {
          const parser = new SseParser();
          const decoder = new TextDecoder();
          const out: string[] = [];
          const sorted = [...points].sort((a, b) => a - b);
          let from = 0;
          for (const at of [...sorted, bytes.length]) {
            out.push(...parser.push(decoder.decode(bytes.subarray(from, at), { stream: true })));
            from = at;
          }
          return { out, pending: parser.pending };
        };
        const whole = run([]);
        const split = run(cuts);
        assert.deepEqual(split, whole);
        assert.deepEqual(whole.out, events.map(expected));
        assert.equal(whole.pending, false);
      }),
      params(t, 500, 3000),
    );
  });

  test("arbitrary bytes in any chunking never throw anything but upstream_error, and never grow past the event bound", async (t) => {
    const input = fc.tuple(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.nat(4096), { maxLength: 10 }), fc.integer({ min: 16, max: 512 }));
    await fc.assert(
      fc.asyncProperty(input, async ([bytes, cuts, bound]) => {
        const parser = new SseParser(bound);
        const decoder = new TextDecoder();
        let from = 0;
        await onlyCodes(() => {
          for (const at of [...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length]) {
            for (const ev of parser.push(decoder.decode(bytes.subarray(from, at), { stream: true }))) assert.ok(ev.length <= bound, "an event larger than the bound was emitted");
            from = at;
          }
        }, ["upstream_error"]);
      }),
      params(t, 300, 3000),
    );
  });
});

describe("property: SSE framing through the upstream client (src/backends/upstream.ts)", { timeout: 180_000 }, () => {
  let server: http.Server, backend: UpstreamBackend, dir: string;
  let plan: { bytes: Uint8Array; cuts: number[] } = { bytes: new Uint8Array(), cuts: [] };
  before(async () => {
    // Writes the planned bytes in the planned pieces, each flushed on its own, so TCP sees the same cuts.
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", async () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.flushHeaders();
        let from = 0;
        for (const at of [...plan.cuts, plan.bytes.length]) {
          res.write(plan.bytes.subarray(from, at));
          from = at;
          await new Promise((r) => setImmediate(r));
        }
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    dir = mkdtempSync(join(tmpdir(), "concord-prop-sse-"));
    const cfg = parseConfig({ network: { name: "t", jurisdiction: "BEL" }, nations: { DEU: { residency: ["DEU"], identity: "demo" } }, endpoints: [{ id: "e", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, jurisdiction: "DEU", models: ["m"] }], data_dir: dir }, "test");
    backend = new UpstreamBackend(cfg.endpoints[0] as ConstructorParameters<typeof UpstreamBackend>[0]);
  });
  after(async () => { await backend?.close(); server.closeAllConnections(); await new Promise((r) => server.close(r)); rmSync(dir, { recursive: true, force: true }); });

  test("the events a client receives are the framed ones, however the bytes are cut on the wire (UTF-8 split included)", async (t) => {
    const input = fc.array(sseEvent, { minLength: 1, maxLength: 6 }).chain((events) => {
      const bytes = new TextEncoder().encode(events.map(frame).join("") + "data: [DONE]\n\n");
      return fc.tuple(fc.constant(events), fc.constant(bytes), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 8 }));
    });
    await fc.assert(
      fc.asyncProperty(input, async ([events, bytes, cuts]) => {
        plan = { bytes, cuts: [...cuts].sort((a, b) => a - b) };
        const reply = await backend.call("/chat/completions", { model: "m", messages: [], stream: true }, true, new AbortController().signal);
        assert.equal(reply.kind, "stream");
        const got: string[] = [];
        if (reply.kind === "stream") for await (const e of reply.events) got.push(e);
        assert.deepEqual(got, events.map(expected));
      }),
      params(t, 60, 6000),
    );
  });
});
