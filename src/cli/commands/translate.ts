import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { InvalidRequest, UpstreamError } from "../../errors/index.ts";
import {
  ApertiumTranslator, Glossary, LlmTranslator, MEMBER_LANGUAGES, translate, toIso3,
  type ChatMessage, type Complete, type Translator,
} from "../../workloads/comms/index.ts";

/**
 * The LLM engine from the command line goes through a Concord gateway (or any OpenAI-compatible endpoint), so
 * the nation's residency rules and audit apply to the text sent: URL from --gateway or CONCORD_GATEWAY_URL,
 * bearer token from CONCORD_TOKEN.
 */
export function gatewayComplete(url: string, model: string, purpose: string): Complete {
  const token = process.env.CONCORD_TOKEN;
  return async (messages: ChatMessage[]) => {
    const res = await fetch(`${url.replace(/\/+$/u, "")}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ model, messages, temperature: 0, metadata: { purpose } }),
    }).catch((err: Error) => { throw new UpstreamError(`cannot reach the gateway at ${url}: ${err.message}`); });
    const body = (await res.json().catch(() => ({}))) as { choices?: { message?: { content?: string } }[]; error?: { message?: string } };
    if (!res.ok) throw new UpstreamError(`the gateway refused the translation (${res.status}): ${body.error?.message ?? "no message"}`);
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== "string") throw new UpstreamError("the gateway's answer had no message content");
    return content;
  };
}

export interface EngineFlags { engine: string; gateway?: string; model: string }

/** The engines a command may use, in order: the LLM (when a gateway is given) first, Apertium after. */
export function enginesFrom(flags: EngineFlags, purpose: string): Translator[] {
  if (!["auto", "apertium", "llm"].includes(flags.engine)) throw new InvalidRequest(`--engine ${flags.engine} is not auto, apertium or llm`);
  const gateway = flags.gateway ?? process.env.CONCORD_GATEWAY_URL;
  const engines: Translator[] = [];
  if (flags.engine !== "apertium" && gateway) engines.push(new LlmTranslator({ complete: gatewayComplete(gateway, flags.model, purpose) }));
  if (flags.engine === "llm" && !gateway) throw new InvalidRequest("--engine llm needs --gateway URL or CONCORD_GATEWAY_URL");
  if (flags.engine !== "llm") engines.push(new ApertiumTranslator());
  return engines;
}

export async function loadGlossary(file: string | undefined): Promise<Glossary> {
  if (!file) return [];
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new InvalidRequest(`cannot read the glossary ${file}: ${err.code ?? err.message}`);
  });
  const r = Glossary.safeParse(file.endsWith(".json") ? JSON.parse(text) : parseYaml(text));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidRequest(`glossary ${file}: entry ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"} (expected a list of {term, translations?, ignore_case?})`);
  }
  return r.data;
}

async function readInput(file: string | undefined): Promise<string> {
  if (file && file !== "-") {
    return readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new InvalidRequest(`cannot read ${file}: ${err.code ?? err.message}`);
    });
  }
  if (process.stdin.isTTY) throw new InvalidRequest("give a FILE, or pipe the text on standard input (FILE -)");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function listPairs(flags: EngineFlags): Promise<void> {
  const apertium = new ApertiumTranslator();
  const llm = flags.engine !== "apertium" && Boolean(flags.gateway ?? process.env.CONCORD_GATEWAY_URL);
  const rows: string[] = [];
  let apertiumCount = 0;
  for (const a of MEMBER_LANGUAGES) {
    for (const b of MEMBER_LANGUAGES) {
      if (a === b) continue;
      const route = await apertium.route(a.iso3, b.iso3);
      if (!route) continue;
      apertiumCount++;
      const how = route.path.length === 2 ? "direct" : `pivot via ${route.path.slice(1, -1).join(", ")}`;
      rows.push(`${a.iso3}  ${b.iso3}  apertium  ${how}${llm ? "; llm" : ""}`);
    }
  }
  const total = MEMBER_LANGUAGES.length * (MEMBER_LANGUAGES.length - 1);
  process.stdout.write(`from to   engine    route\n${rows.join("\n")}${rows.length ? "\n" : ""}`);
  if (apertiumCount === 0) process.stdout.write("(no Apertium pair installed: apt-get install apertium apertium-eng-spa apertium-fr-es ...)\n");
  process.stdout.write(`the other ${total - apertiumCount} of ${total} ordered member-language pairs: llm only — ${llm ? "served now through the gateway" : "not served now (give --gateway URL or set CONCORD_GATEWAY_URL)"}\n`);
}

export function register(program: Command): void {
  program
    .command("translate")
    .description("translate text between member languages (Apertium offline, or the LLM through the gateway), protecting acronyms and glossary terms")
    .argument("[file]", "text file, or - for standard input")
    .option("--from <lang>", "source language, ISO 639-1 or 639-3")
    .option("--to <lang>", "target language, ISO 639-1 or 639-3")
    .option("--list", "show, per language pair, which engine can serve it now (direct, pivot, llm only)")
    .option("--engine <e>", "auto (llm when a gateway is given, else apertium), apertium or llm", "auto")
    .option("--glossary <file>", "YAML or JSON list of {term, translations: {fr: ...}, ignore_case} kept or fixed in translation")
    .option("--no-acronyms", "translate acronyms (NATO, HQ) instead of keeping them")
    .option("--gateway <url>", "Concord gateway for the llm engine (default: $CONCORD_GATEWAY_URL; token: $CONCORD_TOKEN)")
    .option("--model <name>", "model to ask through the gateway", "default")
    .action(async (file: string | undefined, opts: EngineFlags & { from?: string; to?: string; list?: boolean; glossary?: string; acronyms: boolean }) => {
      if (opts.list) return listPairs(opts);
      if (!opts.from || !opts.to) throw new InvalidRequest("give --from and --to (ISO 639-1 or 639-3), or --list");
      const from = toIso3(opts.from, "from"), to = toIso3(opts.to, "to");
      const engines = enginesFrom(opts, "translation");
      const text = await readInput(file);
      const r = await translate(text, { from, to, engines, glossary: await loadGlossary(opts.glossary), acronyms: opts.acronyms });
      process.stdout.write(r.text.endsWith("\n") ? r.text : `${r.text}\n`);
      if (process.stderr.isTTY) process.stderr.write(`(${r.route.engine}: ${r.route.path.join(" → ")})\n`);
    });
}
