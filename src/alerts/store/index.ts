import { parseStoreUrl } from "../../store/index.ts";
import { openPostgresAlertStore } from "./postgres.ts";
import { openSqliteAlertStore } from "./sqlite.ts";
import type { AlertStore } from "./query.ts";

/** SQLite for one process, PostgreSQL when replicas share the alerts (the store URL decides). */
export async function openAlertStore(url: string): Promise<AlertStore> {
  const parsed = parseStoreUrl(url);
  return parsed.kind === "sqlite" ? openSqliteAlertStore(parsed.path) : openPostgresAlertStore(parsed.url);
}
