import { parseStoreUrl } from "../../store/index.ts";
import type { OversightStore } from "../records.ts";
import { openPostgresOversightStore } from "./postgres.ts";
import { openSqliteOversightStore } from "./sqlite.ts";

/** SQLite for one process, PostgreSQL when replicas share the queue (the store URL decides). */
export async function openOversightStore(url: string, prefix?: string): Promise<OversightStore> {
  const parsed = parseStoreUrl(url);
  return parsed.kind === "sqlite" ? openSqliteOversightStore(parsed.path) : openPostgresOversightStore(parsed.url, prefix);
}
