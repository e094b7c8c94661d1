import { randomBytes } from "node:crypto";
import { createConnection } from "node:net";
import postgres from "postgres";
import { ClassificationExceeded } from "../../src/errors/index.ts";
import { openSqliteDocumentStore, type DocumentStore } from "../../src/workloads/documents/index.ts";
import { openPostgresDocumentStore } from "../../src/workloads/documents/store/postgres.ts";

/**
 * Stands in for the policy guard in tests: refuses text carrying a line that is a marking above the network's
 * ceiling (NATO UNCLASSIFIED). The real guard is policy/'s scanMarkings.
 */
export function testGuard(text: string): void {
  if (/^\s*(?:NATO\s+)?(?:SECRET|CONFIDENTIAL|TOP SECRET|COSMIC TOP SECRET)\b/m.test(text)) {
    throw new ClassificationExceeded("the document carries a marking above the network ceiling (NATO UNCLASSIFIED); it was not stored");
  }
}

export const PG_URL = process.env.CONCORD_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

/** Whether PostgreSQL answers on its port within a short timeout. */
export async function postgresAvailable(): Promise<boolean> {
  const u = new URL(PG_URL);
  return new Promise((resolve) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port || 5432) });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(500, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

export interface StoreFactory {
  name: string;
  /** Why the store cannot be tested here, or null. */
  unavailable(): Promise<string | null>;
  open(): Promise<{ store: DocumentStore; dispose(): Promise<void> }>;
}

export const sqliteFactory: StoreFactory = {
  name: "sqlite",
  unavailable: async () => null,
  open: async () => {
    const store = openSqliteDocumentStore(":memory:");
    return { store, dispose: () => store.close() };
  },
};

export const postgresFactory: StoreFactory = {
  name: "postgres",
  unavailable: async () => ((await postgresAvailable()) ? null : `PostgreSQL not reachable at ${PG_URL}`),
  open: async () => {
    // A schema of its own per test, so parallel runs and leftovers never meet.
    const schema = `doc_test_${randomBytes(6).toString("hex")}`;
    const store = await openPostgresDocumentStore(PG_URL, { schema });
    return {
      store,
      dispose: async () => {
        await store.close();
        const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
        await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await sql.end({ timeout: 1 });
      },
    };
  },
};
