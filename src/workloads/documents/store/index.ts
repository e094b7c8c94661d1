import { parseStoreUrl } from "../../../store/index.ts";
import { openSqliteDocumentStore } from "./sqlite.ts";
import type { DocumentStore } from "./types.ts";

export type { DocumentStore, SearchFilters, PassageHit } from "./types.ts";

/** `sqlite:PATH` (the default, embedded) or `postgres://...` (shared by replicas). */
export async function openDocumentStore(url: string): Promise<DocumentStore> {
  const parsed = parseStoreUrl(url);
  if (parsed.kind === "sqlite") return openSqliteDocumentStore(parsed.path);
  const { openPostgresDocumentStore } = await import("./postgres.ts");
  return openPostgresDocumentStore(parsed.url);
}
