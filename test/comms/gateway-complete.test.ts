import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gatewayComplete } from "../../src/cli/commands/translate.ts";
import { LlmTranslator, translate } from "../../src/workloads/comms/index.ts";

async function stub(answer: (body: Record<string, unknown>, req: IncomingMessage) => [number, unknown]) {
  const seen: { body: Record<string, unknown>; auth?: string }[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => { raw += c; });
    req.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ body, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      const [status, out] = answer(body, req);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

test("the CLI's LLM engine posts a chat completion to the gateway with the purpose and the caller's token", async () => {
  const s = await stub((body) => {
    const user = (body.messages as { content: string }[])[1]?.content ?? "";
    return [200, { choices: [{ message: { role: "assistant", content: user.replace("convoy", "convoi") } }] }];
  });
  process.env.CONCORD_TOKEN = "tok-123";
  try {
    const llm = new LlmTranslator({ complete: gatewayComplete(s.url, "m1", "translation") });
    const r = await translate("The convoy reached NATO.", { from: "en", to: "fr", engines: [llm] });
    assert.equal(r.text, "The convoi reached NATO.");
    assert.equal(s.seen[0]?.auth, "Bearer tok-123");
    assert.equal(s.seen[0]?.body.model, "m1");
    assert.deepEqual(s.seen[0]?.body.metadata, { purpose: "translation" });
    assert.ok(!JSON.stringify(s.seen[0]?.body).includes("NATO"), "protected terms leave as placeholders");
  } finally {
    delete process.env.CONCORD_TOKEN;
    await s.close();
  }
});

test("a gateway refusal becomes an upstream error carrying the gateway's message", async () => {
  const s = await stub(() => [403, { error: { code: "residency_unavailable", message: "no endpoint in an allowed jurisdiction" } }]);
  try {
    const complete = gatewayComplete(s.url, "m1", "translation");
    await assert.rejects(complete([{ role: "user", content: "x" }]), (e: Error & { code?: string }) => e.code === "upstream_error" && /403.*allowed jurisdiction/.test(e.message));
  } finally {
    await s.close();
  }
});
