import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import { fileDocument, summarize, type SummarizableDocument } from "../../workloads/documents/index.ts";
import { markingGuard, progress } from "./ingest.ts";

export function register(program: Command): void {
  program
    .command("summarize")
    .description("summarize files directly (no ingest): extractive, every sentence cited to file, page and paragraph")
    .argument("<files...>", "PDF, DOCX, HTML, Markdown or text files; several are summarized together")
    .option("--mode <m>", "lexrank (centrality with redundancy removal) or lead (first sentences)", "lexrank")
    .option("--sentences <n>", "sentences in the summary (default 3 per file, at most 10)")
    .option("--format <f>", "json or text", "json")
    .option("--config <file>", "configuration file (YAML): its network ceiling is checked")
    .action(async (files: string[], opts: { mode: string; sentences?: string; format: string; config?: string }) => {
      if (opts.mode !== "lexrank" && opts.mode !== "lead") throw new InvalidRequest(`--mode ${opts.mode} is neither lexrank nor lead (abstractive summaries run through the gateway's model endpoints)`);
      if (opts.format !== "json" && opts.format !== "text") throw new InvalidRequest(`--format ${opts.format} is neither json nor text`);
      const sentences = opts.sentences === undefined ? undefined : Number(opts.sentences);
      if (sentences !== undefined && (!Number.isInteger(sentences) || sentences < 1 || sentences > 30)) throw new InvalidRequest(`--sentences ${opts.sentences} is not a number from 1 to 30`);
      const cfg = loadConfig(opts.config);
      const guard = markingGuard(cfg.network.ceiling);
      const bar = progress(files.length, "read");
      const docs: SummarizableDocument[] = [];
      try {
        for (const file of files) {
          const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
            throw new InvalidRequest(`cannot read ${file}: ${err.code ?? err.message}`);
          });
          try {
            docs.push(await fileDocument({ filename: file, bytes }, guard));
          } catch (err) {
            if (err instanceof Error) err.message = `${file}: ${err.message}`;
            throw err;
          }
          bar.tick();
        }
      } finally {
        bar.stop();
      }
      const s = await summarize(docs, { mode: opts.mode === "lead" ? "lead" : "extractive", ...(sentences ? { sentences } : {}) });
      if (opts.format === "json") {
        process.stdout.write(`${JSON.stringify({ ...s, files: docs.map((d, i) => ({ document_id: d.document_id, file: files[i] })) })}\n`);
        return;
      }
      const fileOf = new Map(docs.map((d, i) => [d.document_id, files[i]]));
      process.stdout.write(`${s.label.notice}\n\n`);
      s.sentences.forEach((x, i) => process.stdout.write(`${x.text} [${i + 1}]\n`));
      process.stdout.write("\n");
      s.sentences.forEach((x, i) => {
        const c = x.citations[0]!;
        process.stdout.write(`[${i + 1}] ${fileOf.get(c.document_id)}${c.page === null ? "" : `, page ${c.page}`}, paragraph ${c.paragraph}\n`);
      });
    });
}
