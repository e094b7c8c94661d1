import postgres from "postgres";
import { InvalidRequest } from "../../errors/index.ts";
import type { Adoption, OversightStore, ProposalRecord, ReviewRecord } from "../records.ts";

/**
 * The replicated store: every gateway replica shares the queue and the governance record. Row locks (FOR UPDATE)
 * serialise approvals of one item across replicas; the adoption head is compared and set under a table lock.
 */
export async function openPostgresOversightStore(url: string, prefix = "oversight"): Promise<OversightStore> {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new InvalidRequest(`oversight table prefix "${prefix}" must be lowercase letters, digits and _`);
  const sql = postgres(url, { max: 4, onnotice: () => {}, connect_timeout: 5 });
  const t = {
    reviews: `${prefix}_reviews`,
    bundles: `${prefix}_bundles`,
    proposals: `${prefix}_proposals`,
    adoptions: `${prefix}_adoptions`,
  };
  await sql`CREATE TABLE IF NOT EXISTS ${sql(t.reviews)} (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at BIGINT NOT NULL, doc TEXT NOT NULL)`;
  await sql`CREATE TABLE IF NOT EXISTS ${sql(t.bundles)} (hash TEXT PRIMARY KEY, doc TEXT NOT NULL)`;
  await sql`CREATE TABLE IF NOT EXISTS ${sql(t.proposals)} (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at BIGINT NOT NULL, doc TEXT NOT NULL)`;
  await sql`CREATE TABLE IF NOT EXISTS ${sql(t.adoptions)} (seq BIGSERIAL PRIMARY KEY, version TEXT NOT NULL, parent TEXT, proposal_id TEXT, adopted_at BIGINT NOT NULL)`;

  async function update<T extends { status: string }>(table: string, id: string, change: (r: T) => T | null): Promise<T | null> {
    return sql.begin(async (tx) => {
      const [row] = await tx<{ doc: string }[]>`SELECT doc FROM ${sql(table)} WHERE id = ${id} FOR UPDATE`;
      if (!row) return null;
      const cur = JSON.parse(row.doc) as T;
      const next = change(cur);
      if (!next) return cur;
      await tx`UPDATE ${sql(table)} SET status = ${next.status}, doc = ${JSON.stringify(next)} WHERE id = ${id}`;
      return next;
    }) as Promise<T | null>;
  }
  const list = async <T>(table: string, status?: string): Promise<T[]> => {
    const rows = status
      ? await sql<{ doc: string }[]>`SELECT doc FROM ${sql(table)} WHERE status = ${status} ORDER BY created_at`
      : await sql<{ doc: string }[]>`SELECT doc FROM ${sql(table)} ORDER BY created_at`;
    return rows.map((r) => JSON.parse(r.doc) as T);
  };
  const one = async <T>(table: string, id: string): Promise<T | null> => {
    const [row] = await sql<{ doc: string }[]>`SELECT doc FROM ${sql(table)} WHERE id = ${id}`;
    return row ? (JSON.parse(row.doc) as T) : null;
  };

  return {
    async insertReview(r) { await sql`INSERT INTO ${sql(t.reviews)} (id, status, created_at, doc) VALUES (${r.id}, ${r.status}, ${r.created_at}, ${JSON.stringify(r)})`; },
    getReview: (id) => one<ReviewRecord>(t.reviews, id),
    listReviews: (status) => list<ReviewRecord>(t.reviews, status),
    updateReview: (id, change) => update<ReviewRecord>(t.reviews, id, change),
    async putBundle(hash, json) { await sql`INSERT INTO ${sql(t.bundles)} (hash, doc) VALUES (${hash}, ${json}) ON CONFLICT (hash) DO NOTHING`; },
    async getBundle(hash) {
      const [row] = await sql<{ doc: string }[]>`SELECT doc FROM ${sql(t.bundles)} WHERE hash = ${hash}`;
      return row?.doc ?? null;
    },
    async insertProposal(p) { await sql`INSERT INTO ${sql(t.proposals)} (id, status, created_at, doc) VALUES (${p.id}, ${p.status}, ${p.created_at}, ${JSON.stringify(p)})`; },
    getProposal: (id) => one<ProposalRecord>(t.proposals, id),
    listProposals: (status) => list<ProposalRecord>(t.proposals, status),
    updateProposal: (id, change) => update<ProposalRecord>(t.proposals, id, change),
    async adoptions() {
      const rows = await sql<{ seq: string; version: string; parent: string | null; proposal_id: string | null; adopted_at: string }[]>`SELECT seq, version, parent, proposal_id, adopted_at FROM ${sql(t.adoptions)} ORDER BY seq`;
      return rows.map((r): Adoption => ({ seq: Number(r.seq), version: r.version, parent: r.parent, proposal_id: r.proposal_id, adopted_at: Number(r.adopted_at) }));
    },
    async adopt(a) {
      return sql.begin(async (tx) => {
        await tx`LOCK TABLE ${sql(t.adoptions)} IN EXCLUSIVE MODE`;
        const [head] = await tx<{ version: string }[]>`SELECT version FROM ${sql(t.adoptions)} ORDER BY seq DESC LIMIT 1`;
        if ((head?.version ?? null) !== a.parent) return false;
        await tx`INSERT INTO ${sql(t.adoptions)} (version, parent, proposal_id, adopted_at) VALUES (${a.version}, ${a.parent}, ${a.proposal_id}, ${a.adopted_at})`;
        return true;
      }) as Promise<boolean>;
    },
    async close() { await sql.end({ timeout: 5 }); },
  };
}
