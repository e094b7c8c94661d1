/**
 * Writes a tiny random-weight GGUF v3 model (llama architecture, one block) that llama.cpp loads and generates
 * from. No real weights can be downloaded on the build machines, so tests of the embedded engine bring their own.
 *
 * Layout per ggml's docs/gguf.md (v3): header (magic, version, tensor count, KV count), typed metadata KV pairs,
 * tensor infos, zero padding to `general.alignment`, then each tensor's data at an aligned offset. Every length
 * and count is a little-endian uint64; enums are uint32. Tensor dimensions are in ggml order (`ne[0]` first, the
 * length of a row), so `token_embd` is [n_embd, n_vocab].
 */
import { writeFile } from "node:fs/promises";
import { mulberry32 } from "./prng.ts";

export interface TinyGgufOptions {
  /** Seed of the weight generator: the same seed writes byte-identical files. */
  seed?: number;
  /**
   * Jinja chat template stored as `tokenizer.chat_template`. `null` leaves the key out, the way many converted
   * models ship, so a test can check that chat still works without one.
   */
  chatTemplate?: string | null;
  /** `llama.context_length`, the longest context the model declares. */
  contextLength?: number;
}

/** The shape of the model, exported so tests can check what they loaded. */
export const TINY_GGUF = {
  embedding: 64,
  heads: 4,
  feedForward: 128,
  blocks: 1,
  vocabulary: 3 + 256 + 1,
  bos: 1,
  eos: 2,
  unk: 0,
} as const;

/**
 * A role-prefixed transcript whose turns end with `</s>`: the end of a reply is the EOS token, as in most real
 * templates, rather than a newline the random model would emit by chance.
 */
export const TINY_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ message['role'] + ': ' + message['content'] + eos_token }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}";

export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<void> {
  await writeFile(path, tinyGguf(options));
}

export function tinyGguf(options: TinyGgufOptions = {}): Buffer {
  const { embedding: d, heads, feedForward: ff, vocabulary } = TINY_GGUF;
  const chatTemplate = options.chatTemplate === undefined ? TINY_CHAT_TEMPLATE : options.chatTemplate;
  const random = gaussian(mulberry32(options.seed ?? 1));

  // SentencePiece writes every space as U+2581; without a token for it, the space would round-trip as the three
  // bytes of "▁" instead of decoding back to " ". Real llama vocabularies carry it too (id 29871).
  const tokens = ["<unk>", "<s>", "</s>", ...Array.from({ length: 256 }, (_, b) => `<0x${hex2(b)}>`), SPACE];
  const metadata: [string, Value][] = [
    ["general.architecture", str("llama")],
    ["general.name", str("concord-tiny-random")],
    ["general.alignment", u32(ALIGNMENT)],
    ["general.file_type", u32(0)], // all F32
    ["llama.context_length", u32(options.contextLength ?? 2048)],
    ["llama.embedding_length", u32(d)],
    ["llama.block_count", u32(TINY_GGUF.blocks)],
    ["llama.feed_forward_length", u32(ff)],
    ["llama.attention.head_count", u32(heads)],
    ["llama.attention.head_count_kv", u32(heads)],
    ["llama.rope.dimension_count", u32(d / heads)],
    ["llama.rope.freq_base", f32(10000)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.vocab_size", u32(vocabulary)],
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", arr(TYPE.STRING, tokens.map(str))],
    // SentencePiece scores rank merges; with no merges to rank they only need to exist.
    ["tokenizer.ggml.scores", arr(TYPE.FLOAT32, tokens.map(() => f32(0)))],
    ["tokenizer.ggml.token_type", arr(TYPE.INT32, tokens.map((t, i) => i32(tokenType(t, i))))],
    ["tokenizer.ggml.unknown_token_id", u32(TINY_GGUF.unk)],
    ["tokenizer.ggml.bos_token_id", u32(TINY_GGUF.bos)],
    ["tokenizer.ggml.eos_token_id", u32(TINY_GGUF.eos)],
    ["tokenizer.ggml.add_bos_token", bool(true)],
    ["tokenizer.ggml.add_eos_token", bool(false)],
  ];
  if (chatTemplate !== null) metadata.push(["tokenizer.chat_template", str(chatTemplate)]);

  // Small weights keep activations in range through the one block; norms start at 1 as in a fresh model.
  const matrix = (rows: number, cols: number) => Float32Array.from({ length: rows * cols }, () => random() * 0.1);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [d, vocabulary], data: matrix(vocabulary, d) },
    { name: "output_norm.weight", dims: [d], data: ones(d) },
    { name: "output.weight", dims: [d, vocabulary], data: silenceControlTokens(matrix(vocabulary, d), d) },
    { name: "blk.0.attn_norm.weight", dims: [d], data: ones(d) },
    { name: "blk.0.attn_q.weight", dims: [d, d], data: matrix(d, d) },
    { name: "blk.0.attn_k.weight", dims: [d, d], data: matrix(d, d) },
    { name: "blk.0.attn_v.weight", dims: [d, d], data: matrix(d, d) },
    { name: "blk.0.attn_output.weight", dims: [d, d], data: matrix(d, d) },
    { name: "blk.0.ffn_norm.weight", dims: [d], data: ones(d) },
    { name: "blk.0.ffn_gate.weight", dims: [d, ff], data: matrix(ff, d) },
    { name: "blk.0.ffn_up.weight", dims: [d, ff], data: matrix(ff, d) },
    { name: "blk.0.ffn_down.weight", dims: [ff, d], data: matrix(d, ff) },
  ];
  return encode(metadata, tensors);
}

const SPACE = "\u2581";

/**
 * Zeroes the output rows of `<unk>`, `<s>` and `</s>`: their logits stay 0 while some of the 257 random ones are
 * always higher, so greedy decoding never ends a response on its own and runs to `max_tokens` or a stop sequence.
 * That makes response lengths predictable for tests; random weights would otherwise end at an arbitrary step.
 */
function silenceControlTokens(output: Float32Array, d: number): Float32Array {
  output.fill(0, 0, 3 * d);
  return output;
}

function tokenType(token: string, id: number): number {
  if (id === TINY_GGUF.unk) return TOKEN.UNKNOWN;
  if (id === TINY_GGUF.bos || id === TINY_GGUF.eos) return TOKEN.CONTROL;
  return token === SPACE ? TOKEN.NORMAL : TOKEN.BYTE;
}

// --- GGUF encoding -------------------------------------------------------------------------------------------

const ALIGNMENT = 32;
const MAGIC = "GGUF";
const VERSION = 3;
const GGML_TYPE_F32 = 0;

/** gguf_type: the type tag written before every metadata value and array. */
const TYPE = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;
/** llama_token_type as llama.cpp reads `tokenizer.ggml.token_type`. */
const TOKEN = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

interface Value {
  type: number;
  bytes: Buffer;
}
interface Tensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

function str(s: string): Value {
  const utf8 = Buffer.from(s, "utf8");
  return { type: TYPE.STRING, bytes: Buffer.concat([u64Bytes(utf8.length), utf8]) };
}
function u32(n: number): Value {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return { type: TYPE.UINT32, bytes: b };
}
function i32(n: number): Value {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return { type: TYPE.INT32, bytes: b };
}
function f32(n: number): Value {
  const b = Buffer.alloc(4);
  b.writeFloatLE(n);
  return { type: TYPE.FLOAT32, bytes: b };
}
function bool(v: boolean): Value {
  return { type: TYPE.BOOL, bytes: Buffer.from([v ? 1 : 0]) };
}
/** Arrays carry their element type once, then the count, then the bare elements (no per-element tag). */
function arr(elementType: number, items: Value[]): Value {
  if (items.some((v) => v.type !== elementType)) throw new Error("GGUF array elements must share one type");
  return { type: TYPE.ARRAY, bytes: Buffer.concat([u32Bytes(elementType), u64Bytes(items.length), ...items.map((v) => v.bytes)]) };
}

function encode(metadata: [string, Value][], tensors: Tensor[]): Buffer {
  const head: Buffer[] = [Buffer.from(MAGIC, "ascii"), u32Bytes(VERSION), u64Bytes(tensors.length), u64Bytes(metadata.length)];
  for (const [key, value] of metadata) head.push(str(key).bytes, u32Bytes(value.type), value.bytes);

  let offset = 0; // relative to the start of the tensor data section
  const data: Buffer[] = [];
  for (const t of tensors) {
    if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${t.name}: data does not match its dimensions`);
    head.push(str(t.name).bytes, u32Bytes(t.dims.length), ...t.dims.map(u64Bytes), u32Bytes(GGML_TYPE_F32), u64Bytes(offset));
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const padded = padTo(bytes, ALIGNMENT);
    data.push(padded);
    offset += padded.length;
  }
  return Buffer.concat([padTo(Buffer.concat(head), ALIGNMENT), ...data]);
}

function padTo(b: Buffer, alignment: number): Buffer {
  const rest = b.length % alignment;
  return rest === 0 ? b : Buffer.concat([b, Buffer.alloc(alignment - rest)]);
}
function u32Bytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u64Bytes(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}



/** Standard normal samples by Box-Muller over a uniform source. */
function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
