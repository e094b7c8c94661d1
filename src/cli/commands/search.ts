import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { InvalidRequest } from "../../errors/index.ts";
import { openDocumentStore, searchDocuments } from "../../workloads/documents/index.ts";
import { nationOption } from "./ingest.ts";

const list = (v: string) => v.split(",").map((s) => s.trim()).filter(Boolean);

export function register(program: Command): void {
  program
    .command("search")
    .description("search the documents released to a nation (BM25; \"phrases\", title:word, -word, a OR b)")
    .argument("<query>", "what to look for")
    .requiredOption("--nation <XXX>", "the nation searching: only documents released to it are read")
    .option("--owner <list>", "only documents owned by these nations (comma-separated)")
    .option("--language <list>", "only documents in these languages (ISO 639-1 or 639-3, comma-separated)")
    .option("--tag <list>", "only documents with one of these tags")
    .option("--from <YYYY-MM-DD>", "documents dated on or after")
    .option("--to <YYYY-MM-DD>", "documents dated on or before")
    .option("--limit <n>", "results (1-100)", "10")
    .option("--format <f>", "json or text", "json")
    .option("--config <file>", "configuration file (YAML)")
    .option("--store <url>", "document store (default: the config's store.url)")
    .action(async (q: string, opts: { nation: string; owner?: string; language?: string; tag?: string; from?: string; to?: string; limit: string; format: string; config?: string; store?: string }) => {
      if (opts.format !== "json" && opts.format !== "text") throw new InvalidRequest(`--format ${opts.format} is neither json nor text`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit)) throw new InvalidRequest(`--limit ${opts.limit} is not a whole number`);
      const cfg = loadConfig(opts.config);
      const store = await openDocumentStore(opts.store ?? cfg.store.url);
      try {
        const r = await searchDocuments(store, {
          q, nation: nationOption(cfg, opts.nation), limit,
          ...(opts.owner ? { owners: list(opts.owner).map((s) => s.toUpperCase()) } : {}),
          ...(opts.language ? { languages: list(opts.language) } : {}),
          ...(opts.tag ? { tags: list(opts.tag) } : {}),
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
        });
        if (opts.format === "json") {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const bold = process.stdout.isTTY ? ["\x1b[1m", "\x1b[0m"] : ["*", "*"];
        process.stdout.write(`${r.total} document(s)\n`);
        r.data.forEach((h, i) => {
          const where = `${h.page === null ? "" : `p.${h.page} `}¶${h.paragraph}`;
          const snippet = h.snippet.replace(/<mark>/g, bold[0]!).replace(/<\/mark>/g, bold[1]!).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
          process.stdout.write(`${i + 1}. ${h.title}  [${h.document_id}, ${h.owner_nation}, ${h.language}, ${where}, score ${h.score.toFixed(3)}]\n   ${snippet}\n`);
        });
      } finally {
        await store.close();
      }
    });
}
