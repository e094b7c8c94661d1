import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

// The official OpenAI client, pointed at the gateway with a nation's token as its API key, works unchanged.
describe("the openai npm client against the gateway", () => {
  let upstream: StubUpstream, gw: RunningServer, client: OpenAI;

  before(async () => {
    upstream = await startStubUpstream({ answer: "Convoy Alpha reached the depot at 0600 without incident." });
    gw = await startGateway({
      network: { name: "t", jurisdiction: "BEL" },
      nations: { DEU: { residency: ["DEU"], identity: "demo" } },
      endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["gpt-oss-120b", "bge-m3"] }],
    });
    const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: token, maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  test("a plain chat completion comes back in the OpenAI shape", async () => {
    const r = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [{ role: "user", content: "Report?" }] });
    assert.equal(r.object, "chat.completion");
    assert.equal(r.choices[0]?.message.content, upstream.answer);
    assert.equal(r.usage?.total_tokens, 10);
  });

  test("a streamed chat completion arrives chunk by chunk and reassembles the answer", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [{ role: "user", content: "Report?" }], stream: true });
    let text = "";
    let chunks = 0;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, upstream.answer);
    assert.ok(chunks > 3, `expected several chunks, got ${chunks}`);
    assert.equal(finish, "stop");
  });

  test("embeddings and the model list work through the client", async () => {
    const e = await client.embeddings.create({ model: "bge-m3", input: "fuel" });
    assert.deepEqual(e.data[0]?.embedding.map((x) => Math.round(x * 10) / 10), [0.1, 0.2, 0.3]);
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    assert.deepEqual(models, ["bge-m3", "gpt-oss-120b"]);
  });

  test("errors reach the client as OpenAI API errors with the gateway's code", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: "gpt-oss-120b", messages: [] }),
      (err: unknown) => err instanceof OpenAI.APIError && err.status === 400 && (err.error as { code?: string }).code === "invalid_request",
    );
  });

  test("a client that stops reading a stream cancels the upstream request", async () => {
    upstream.mode = "slow-stream";
    upstream.answer = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const before = upstream.cancelled;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "gpt-oss-120b", messages: [{ role: "user", content: "long" }], stream: true },
      { signal: controller.signal },
    );
    let n = 0;
    try {
      for await (const _ of stream) if (++n === 3) controller.abort();
    } catch {
      // the client's own abort surfaces here
    }
    for (let i = 0; i < 50 && upstream.cancelled === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(upstream.cancelled, before + 1, "the upstream saw its connection closed before it finished");
    upstream.mode = "ok";
  });
});
