/**
 * The embedded translator: Debian's Apertium through its command line. Installed pairs are read from the modes
 * directory; a pair with no direct mode is served through pivot languages (French to English via Spanish).
 * Texts go through one `apertium` process per hop, separated by marker lines, because each process costs about
 * a second to start.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpstreamError } from "../../errors/index.ts";
import { MEMBER_LANGUAGES } from "./languages.ts";
import type { Route, Translator } from "./translator.ts";

export interface ApertiumPair { from: string; to: string; mode: string }

/** Debian bookworm packages with pairs among member languages (FACTS.md), for naming what to install. */
export const DEBIAN_PAIRS: readonly { pkg: string; pairs: readonly (readonly [string, string])[] }[] = [
  { pkg: "apertium-eng-spa", pairs: [["eng", "spa"], ["spa", "eng"]] },
  { pkg: "apertium-fr-es", pairs: [["fra", "spa"], ["spa", "fra"]] },
  { pkg: "apertium-es-pt", pairs: [["spa", "por"], ["por", "spa"]] },
  { pkg: "apertium-es-ro", pairs: [["spa", "ron"], ["ron", "spa"]] },
  { pkg: "apertium-spa-ita", pairs: [["spa", "ita"], ["ita", "spa"]] },
  { pkg: "apertium-dan-nor", pairs: [["dan", "nob"], ["nob", "dan"]] },
  { pkg: "apertium-swe-dan", pairs: [["swe", "dan"], ["dan", "swe"]] },
  { pkg: "apertium-swe-nor", pairs: [["swe", "nob"], ["nob", "swe"]] },
  { pkg: "apertium-isl-eng", pairs: [["isl", "eng"]] },
  { pkg: "apertium-hbs-eng", pairs: [["hrv", "eng"], ["eng", "hrv"]] },
  { pkg: "apertium-hbs-mkd", pairs: [["hrv", "mkd"], ["mkd", "hrv"]] },
  { pkg: "apertium-hbs-slv", pairs: [["hrv", "slv"], ["slv", "hrv"]] },
  { pkg: "apertium-mkd-bul", pairs: [["mkd", "bul"]] },
  { pkg: "apertium-mkd-eng", pairs: [["mkd", "eng"]] },
];

const MAX_HOPS = 3;
const SEPARATOR = (i: number) => `⟦#${i}⟧`;
const SEPARATOR_LINE = /\s*⟦#\d+⟧\s*/gu;
// Bounded batches keep memory flat on long corpora and one process's input under Apertium's comfort.
const MAX_BATCH_CHARS = 200_000;

function modeLanguage(code: string): string | undefined {
  if (code === "hbs") return "hrv"; // Serbo-Croatian modes write the Croatian standard among others
  if (code === "nob" || code === "nb") return "nob";
  return MEMBER_LANGUAGES.find((l) => l.iso3 === code || l.iso1 === code)?.iso3;
}

/** Parses mode file names ("eng-spa.mode", "fr-es.mode"); variants ("es-pt_BR") and non-members are skipped. */
export function pairsFromModes(files: readonly string[]): ApertiumPair[] {
  const pairs: ApertiumPair[] = [];
  for (const file of files) {
    if (!file.endsWith(".mode")) continue;
    const mode = file.slice(0, -5);
    const parts = mode.split("-");
    if (parts.length !== 2 || mode.includes("_")) continue;
    const from = modeLanguage(parts[0] as string), to = modeLanguage(parts[1] as string);
    if (from && to && from !== to && !pairs.some((p) => p.from === from && p.to === to)) pairs.push({ from, to, mode });
  }
  return pairs;
}

/** Shortest path through the pairs (breadth first), at most MAX_HOPS hops. */
export function findPath(pairs: readonly { from: string; to: string }[], from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>([[from, ""]]);
  let frontier = [from];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const lang of frontier) {
      for (const p of pairs) {
        if (p.from !== lang || previous.has(p.to)) continue;
        previous.set(p.to, lang);
        if (p.to === to) {
          const path = [to];
          for (let at = lang; at !== ""; at = previous.get(at) ?? "") path.unshift(at);
          return path;
        }
        next.push(p.to);
      }
    }
    frontier = next;
  }
  return undefined;
}

export interface ApertiumOptions {
  /** Directory of installed modes (Debian: /usr/share/apertium/modes). */
  modesDir?: string;
  /** The `apertium` executable. */
  binary?: string;
  /** Per-process time limit. */
  timeoutMs?: number;
}

export class ApertiumTranslator implements Translator {
  readonly engine = "apertium" as const;
  private readonly modesDir: string;
  private readonly binary: string;
  private readonly timeoutMs: number;
  private pairsCache: Promise<ApertiumPair[]> | undefined;

  constructor(opts: ApertiumOptions = {}) {
    this.modesDir = opts.modesDir ?? "/usr/share/apertium/modes";
    this.binary = opts.binary ?? "apertium";
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  /** Installed direct pairs among member languages (empty when Apertium is not installed). */
  pairs(): Promise<ApertiumPair[]> {
    this.pairsCache ??= readdir(this.modesDir).then(pairsFromModes, () => []);
    return this.pairsCache;
  }

  async route(from: string, to: string): Promise<Route | undefined> {
    const path = findPath(await this.pairs(), from, to);
    return path ? { engine: "apertium", path } : undefined;
  }

  explain(from: string, to: string): Promise<string> {
    return this.installHint(from, to);
  }

  /** What to install for a pair that is not servable now: the packages on the shortest Debian path, or none exists. */
  async installHint(from: string, to: string): Promise<string> {
    const installed = await this.pairs();
    const all = [...installed, ...DEBIAN_PAIRS.flatMap((d) => d.pairs.map(([f, t]) => ({ from: f, to: t })))];
    const path = findPath(all, from, to);
    if (!path) return `Debian's Apertium has no pair or pivot path for ${from}→${to}; configure an LLM endpoint for translation.`;
    const missing = new Set<string>();
    for (let i = 1; i < path.length; i++) {
      const [f, t] = [path[i - 1], path[i]];
      if (installed.some((p) => p.from === f && p.to === t)) continue;
      const pkg = DEBIAN_PAIRS.find((d) => d.pairs.some(([a, b]) => a === f && b === t))?.pkg;
      if (pkg) missing.add(pkg);
    }
    return `install the Debian packages apertium ${[...missing].join(" ")} (route ${path.join("→")}), or configure an LLM endpoint.`;
  }

  async translateBatch(texts: readonly string[], route: Route): Promise<string[]> {
    const pairs = await this.pairs();
    let current = [...texts];
    for (let i = 1; i < route.path.length; i++) {
      const pair = pairs.find((p) => p.from === route.path[i - 1] && p.to === route.path[i]);
      if (!pair) throw new UpstreamError(`the Apertium pair ${route.path[i - 1]}→${route.path[i]} is no longer installed`);
      current = await this.runChunked(pair.mode, current);
    }
    return current;
  }

  private async runChunked(mode: string, texts: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    let chunk: string[] = [];
    let size = 0;
    const flush = async () => {
      if (chunk.length > 0) out.push(...(await this.run(mode, chunk)));
      chunk = [];
      size = 0;
    };
    for (const t of texts) {
      if (size + t.length > MAX_BATCH_CHARS) await flush();
      chunk.push(t);
      size += t.length;
    }
    await flush();
    return out;
  }

  // Input goes through a private temporary file: the apertium script reads /dev/stdin, which cannot be opened
  // when stdin is the socket pair Node gives a child process.
  private async run(mode: string, texts: readonly string[]): Promise<string[]> {
    const dir = await mkdtemp(join(tmpdir(), "concord-apertium-"));
    try {
      const file = join(dir, "input.txt");
      await writeFile(file, texts.map((t, i) => `${SEPARATOR(i)}\n${t}\n`).join(""), { mode: 0o600 });
      const output = await this.exec(mode, file);
      const parts = output.split(SEPARATOR_LINE).slice(1);
      if (parts.length !== texts.length) throw new UpstreamError(`apertium ${mode} returned ${parts.length} texts for ${texts.length}`);
      return parts.map((p) => p.trim());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private exec(mode: string, file: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, ["-u", mode, file], { stdio: ["ignore", "pipe", "pipe"], timeout: this.timeoutMs });
      const stdout: Buffer[] = [];
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => stdout.push(b));
      child.stderr.on("data", (b: Buffer) => { stderr = (stderr + b.toString()).slice(-500); });
      child.on("error", (err: NodeJS.ErrnoException) => {
        reject(err.code === "ENOENT"
          ? new UpstreamError(`Apertium is not installed: apt-get install apertium and the pair's package (for ${mode}: ${DEBIAN_PAIRS.find((d) => d.pairs.some(([a, b]) => mode === `${a}-${b}`))?.pkg ?? `apertium-${mode}`})`)
          : new UpstreamError(`apertium ${mode} could not start: ${err.message}`));
      });
      child.on("close", (code) => {
        if (code !== 0) reject(new UpstreamError(`apertium ${mode} exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
        else resolve(Buffer.concat(stdout).toString("utf8"));
      });
    });
  }
}
