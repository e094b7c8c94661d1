import { ConfigError } from "../errors/index.ts";

export type StoreUrl = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/** `sqlite:/abs/path.db`, `sqlite::memory:`, or `postgres://...` / `postgresql://...`. */
export function parseStoreUrl(url: string): StoreUrl {
  if (url.startsWith("sqlite:")) return { kind: "sqlite", path: url.slice("sqlite:".length) };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { kind: "postgres", url };
  throw new ConfigError(`store "${url}" is neither sqlite:PATH nor postgres://...`);
}
