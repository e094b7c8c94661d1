import { randomBytes } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { loadConfig } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import {
  analyzeMessages, createPseudonymizer, formatFromName, readCorpusFile, renderReport, type CorpusFormat,
} from "../../workloads/comms/index.ts";
import { enginesFrom, loadGlossary, type EngineFlags } from "./translate.ts";

/**
 * The pseudonymisation key: CONCORD_PSEUDONYM_KEY (hex or base64, at least 16 bytes) when the operator wants
 * pseudonyms stable within a run that spans several commands; otherwise a fresh random key, which no one holds.
 */
function pseudonymKey(): Uint8Array {
  const raw = process.env.CONCORD_PSEUDONYM_KEY;
  if (!raw) return randomBytes(32);
  const key = /^[0-9a-f]+$/iu.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length < 16) throw new InvalidRequest("CONCORD_PSEUDONYM_KEY must hold at least 16 bytes (hex or base64)");
  return key;
}

function progressBar(total: number): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY || total === 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: "analyse [{bar}] {percentage}% | {eta_formatted} left", hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (n) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
}

export function register(program: Command): void {
  program
    .command("analyze-comms")
    .description("language, sentiment and optional translation of every message in a corpus; one JSON line per message, authors pseudonymised")
    .argument("<file>", "JSON lines ({id,text,time?,channel?,author?}), CSV with those columns, .eml or mbox")
    .option("--to <lang>", "also translate every message into this language (ISO 639-1 or 639-3)")
    .option("--report <file.html>", "write a self-contained HTML report (charts, most positive/negative messages, terms that moved)")
    .option("--format <f>", "jsonl, csv, eml or mbox (default: from the file name)")
    .option("--purpose <text>", "why this analysis runs (recorded with it)", "unspecified")
    .option("--glossary <file>", "terms kept or fixed in translation (YAML or JSON)")
    .option("--config <file>", "configuration file (YAML): official accounts are named, not pseudonymised")
    .option("--engine <e>", "translation engine: auto, apertium or llm", "auto")
    .option("--gateway <url>", "Concord gateway for the llm engine (default: $CONCORD_GATEWAY_URL)")
    .option("--model <name>", "model to ask through the gateway", "default")
    .action(async (file: string, opts: EngineFlags & { to?: string; report?: string; format?: string; purpose: string; glossary?: string; config?: string }) => {
      const info = await stat(file).catch((err: NodeJS.ErrnoException) => { throw new InvalidRequest(`cannot read ${file}: ${err.code ?? err.message}`); });
      if (opts.format && !["jsonl", "csv", "eml", "mbox"].includes(opts.format)) throw new InvalidRequest(`--format ${opts.format} is not jsonl, csv, eml or mbox`);
      const format = (opts.format as CorpusFormat | undefined) ?? formatFromName(file);
      const cfg = loadConfig(opts.config);
      const official = cfg.official_accounts;
      const bar = progressBar(info.size);
      const tty = process.stderr.isTTY;
      const analysis = analyzeMessages(
        readCorpusFile(file, { format, onBytes: (n) => bar.update(n) }),
        {
          purpose: opts.purpose,
          glossary: await loadGlossary(opts.glossary),
          group_by: official.length > 0 ? ["channel", "day", "official_account"] : ["channel", "day"],
          ...(opts.to ? { to: opts.to } : {}),
        },
        {
          pseudonymize: createPseudonymizer({ key: pseudonymKey(), officialAccounts: official }),
          ...(opts.to ? { translators: enginesFrom(opts, "comms.translate") } : {}),
          onMalformed: (line, reason) => { if (!tty) process.stderr.write(`concord: ${file} line ${line}: ${reason}; skipped\n`); },
          onUntranslatable: (from, to, reason) => { if (!tty) process.stderr.write(`concord: no translation ${from}→${to}: ${reason}\n`); },
        },
      );
      try {
        for await (const result of analysis.results) {
          if (!process.stdout.write(`${JSON.stringify(result)}\n`)) await once(process.stdout, "drain");
        }
      } finally {
        bar.stop();
      }
      const summary = analysis.summary();
      if (opts.report) await writeFile(opts.report, renderReport(summary, { title: `Communications analysis: ${file.split("/").pop() ?? file}` }));
      const lines = summary.malformedLines.slice(0, 10).map((m) => m.line).join(", ");
      process.stderr.write(`concord: ${summary.messages} messages analysed, ${summary.malformed} malformed${summary.malformed ? ` (lines ${lines}${summary.malformed > 10 ? ", ..." : ""})` : ""}${opts.to ? `, ${summary.translated} translated` : ""}${opts.report ? `; report written to ${opts.report}` : ""}\n`);
    });
}
