import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { loadConfig } from "../../config/index.ts";
import { ClassificationExceeded, ConcordError, InvalidRequest, asConcordError } from "../../errors/index.ts";
import { scanMarkings } from "../../policy/index.ts";
import { ingestDocument, openDocumentStore } from "../../workloads/documents/index.ts";

/** The classification guard as the workload expects it: refuse text carrying a marking above the ceiling. */
export function markingGuard(ceiling: string): (text: string) => void {
  return (text) => {
    const findings = scanMarkings(text, { ceiling });
    if (findings.length > 0) {
      const names = [...new Set(findings.map((f) => f.marking))].join(", ");
      throw new ClassificationExceeded(`the document carries a marking above the network ceiling (${ceiling}): ${names}; the document was refused`);
    }
  };
}

/** A bar on stderr for batches, only when a person is watching (stderr is a terminal). */
export function progress(total: number, label: string): { tick(): void; stop(): void } {
  if (total < 2 || !process.stderr.isTTY) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} files | {eta_formatted} left`, hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

export function nationOption(cfg: { nations: Record<string, unknown> }, nation: string): string {
  const n = nation.toUpperCase();
  if (!(n in cfg.nations)) throw new InvalidRequest(`--nation ${nation} is not a member nation (members: ${Object.keys(cfg.nations).join(", ")})`);
  return n;
}

export function register(program: Command): void {
  program
    .command("ingest")
    .description("ingest documents (PDF, DOCX, HTML, Markdown, text) into the document store; one JSON line per file")
    .argument("<files...>", "files to ingest")
    .requiredOption("--nation <XXX>", "owning nation (ISO 3166-1 alpha-3)")
    .option("--releasable-to <list>", "comma-separated nations it is released to besides the owner (default: all members)")
    .option("--tag <tag>", "tag the documents (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--date <YYYY-MM-DD>", "the date the documents are about (default: today)")
    .option("--config <file>", "configuration file (YAML)")
    .option("--store <url>", "document store (default: the config's store.url)")
    .action(async (files: string[], opts: { nation: string; releasableTo?: string; tag: string[]; date?: string; config?: string; store?: string }) => {
      const cfg = loadConfig(opts.config);
      const nation = nationOption(cfg, opts.nation);
      const releasableTo = opts.releasableTo === undefined ? "all" : opts.releasableTo.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
      const store = await openDocumentStore(opts.store ?? cfg.store.url);
      const guard = markingGuard(cfg.network.ceiling);
      const bar = progress(files.length, "ingest");
      let failed = 0;
      try {
        for (const file of files) {
          try {
            const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
              throw new InvalidRequest(`cannot read ${file}: ${err.code ?? err.message}`);
            });
            const r = await ingestDocument(store, { filename: file, bytes, nation, releasableTo, tags: opts.tag, ...(opts.date ? { date: opts.date } : {}) }, { guard, members: Object.keys(cfg.nations) });
            process.stdout.write(`${JSON.stringify({ file, ...r })}\n`);
          } catch (err) {
            const e = asConcordError(err);
            failed++;
            process.stdout.write(`${JSON.stringify({ file, error: { code: e.code, message: e.message } })}\n`);
            if (files.length === 1) throw e;
          } finally {
            bar.tick();
          }
        }
      } finally {
        bar.stop();
        await store.close();
      }
      if (failed > 0) throw new ConcordError("ingest_failed", 400, "invalid_request_error", `${failed} of ${files.length} files were not ingested (see their lines above)`);
    });
}
