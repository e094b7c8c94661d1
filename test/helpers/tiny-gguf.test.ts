import { strict as assert } from "node:assert";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { TINY_CHAT_TEMPLATE, TINY_GGUF, tinyGguf, writeTinyGguf } from "./tiny-gguf.ts";

describe("tiny GGUF writer", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "concord-gguf-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the same seed writes byte-identical files and another seed other weights", () => {
    const a = tinyGguf({ seed: 3 });
    assert.deepEqual(a, tinyGguf({ seed: 3 }));
    assert.notDeepEqual(a, tinyGguf({ seed: 4 }));
    assert.equal(a.length, tinyGguf({ seed: 4 }).length);
  });

  test("an independent GGUF reader sees a v3 llama model with every tensor and the byte tokenizer", async () => {
    const path = join(dir, "tiny.gguf");
    await writeTinyGguf(path, { seed: 1 });
    assert.equal((await readFile(path)).subarray(0, 4).toString("ascii"), "GGUF");
    const info = await readGgufFileInfo(path);
    assert.equal(info.version, 3);
    assert.equal(info.metadata.general.architecture, "llama");
    const llama = info.architectureMetadata as Record<string, unknown>;
    assert.equal(llama.embedding_length, TINY_GGUF.embedding);
    assert.equal(llama.block_count, TINY_GGUF.blocks);
    assert.equal(llama.feed_forward_length, TINY_GGUF.feedForward);
    assert.deepEqual(
      info.fullTensorInfo?.map((t) => [t.name, t.dimensions.map(Number)]),
      [
        ["token_embd.weight", [64, TINY_GGUF.vocabulary]],
        ["output_norm.weight", [64]],
        ["output.weight", [64, TINY_GGUF.vocabulary]],
        ["blk.0.attn_norm.weight", [64]],
        ["blk.0.attn_q.weight", [64, 64]],
        ["blk.0.attn_k.weight", [64, 64]],
        ["blk.0.attn_v.weight", [64, 64]],
        ["blk.0.attn_output.weight", [64, 64]],
        ["blk.0.ffn_norm.weight", [64]],
        ["blk.0.ffn_gate.weight", [64, 128]],
        ["blk.0.ffn_up.weight", [64, 128]],
        ["blk.0.ffn_down.weight", [128, 64]],
      ],
    );
    const tokenizer = info.metadata.tokenizer;
    assert.equal(tokenizer.ggml.model, "llama");
    assert.equal(tokenizer.ggml.tokens.length, TINY_GGUF.vocabulary);
    assert.deepEqual(tokenizer.ggml.tokens.slice(0, 4), ["<unk>", "<s>", "</s>", "<0x00>"]);
    assert.equal(tokenizer.ggml.tokens[3 + 0xff], "<0xFF>");
    assert.equal(tokenizer.ggml.bos_token_id, TINY_GGUF.bos);
    assert.equal(tokenizer.ggml.eos_token_id, TINY_GGUF.eos);
    assert.equal(tokenizer.chat_template, TINY_CHAT_TEMPLATE);
  });

  test("chatTemplate null leaves tokenizer.chat_template out", async () => {
    const path = join(dir, "no-template.gguf");
    await writeTinyGguf(path, { chatTemplate: null });
    const info = await readGgufFileInfo(path);
    assert.equal(info.metadata.tokenizer.chat_template, undefined);
  });
});
