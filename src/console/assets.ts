import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * The console's client code and stylesheet, built from `web/` by esbuild on first use and kept in memory. Each
 * file is served under a name carrying its content hash, so it can be cached for a year and never goes stale.
 */
export interface Asset {
  readonly name: string;
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
}

export interface AssetSet {
  /** The hashed URL path (under /console/assets/) of a logical asset: "console.css", "chat.js". */
  url(logical: string): string;
  byName(name: string): Asset | undefined;
  /** Every asset by logical name, for the size budget (bench and tests). */
  readonly all: ReadonlyMap<string, Asset>;
}

const WEB_DIR = fileURLToPath(new URL("../../web/", import.meta.url));

/** The islands: one bundle per page that needs script, each a plain-DOM module with no framework. */
export const ISLANDS = ["chat", "audit"] as const;

function asset(logical: string, type: string, body: Buffer): [string, Asset] {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  const dot = logical.lastIndexOf(".");
  const name = `${logical.slice(0, dot)}.${hash}${logical.slice(dot)}`;
  return [logical, { name, type, body, gzip: gzipSync(body, { level: 9 }) }];
}

export async function buildAssets(webDir: string = WEB_DIR): Promise<AssetSet> {
  const out = await build({
    entryPoints: Object.fromEntries(ISLANDS.map((i) => [i, `${webDir}${i}.ts`])),
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    write: false,
    outdir: "/",
    legalComments: "none",
    logLevel: "silent",
  });
  const all = new Map<string, Asset>();
  for (const f of out.outputFiles) {
    const logical = f.path.replace(/^.*\//, "");
    const [k, a] = asset(logical, "text/javascript; charset=utf-8", Buffer.from(f.contents));
    all.set(k, a);
  }
  const [k, a] = asset("console.css", "text/css; charset=utf-8", readFileSync(`${webDir}console.css`));
  all.set(k, a);
  const byName = new Map([...all.values()].map((x) => [x.name, x]));
  return {
    all,
    url: (logical) => {
      const x = all.get(logical);
      if (!x) throw new Error(`no console asset ${logical}`);
      return `/console/assets/${x.name}`;
    },
    byName: (name) => byName.get(name),
  };
}
