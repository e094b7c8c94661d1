import postgres from "postgres";
import { InvalidRequest } from "../../errors/index.ts";
import type { AlertRecord } from "../model.ts";
import { fieldPairs, searchText, whereClause, type AlertStore } from "./query.ts";

/**
 * The replicated store: replicas share one set of alert tables. `schema` (default `public`) keeps a test's
 * tables apart from another's. Updates lock the alert's row (FOR UPDATE), so two analysts' changes serialise.
 */
export async function openPostgresAlertStore(url: string, schema = "public"): Promise<AlertStore> {
  if (!/^[a-z][a-z0-9_]*$/.test(schema)) throw new InvalidRequest(`alert store schema "${schema}" must be lowercase letters, digits and _`);
  const sql = postgres(url, { max: 4, onnotice: () => {}, connect_timeout: 5, connection: { search_path: schema } });
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`;
  await sql.unsafe(`
    CREATE TABLE IF NOT EXISTS alerts (
      seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, nation TEXT NOT NULL, status TEXT NOT NULL,
      level TEXT NOT NULL, rule_id TEXT NOT NULL, assignee TEXT, host TEXT, created_at TEXT NOT NULL,
      search TEXT NOT NULL, doc TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS alerts_nation ON alerts (nation, seq);
    CREATE INDEX IF NOT EXISTS alerts_status ON alerts (nation, status, seq);
    CREATE INDEX IF NOT EXISTS alerts_level ON alerts (nation, level, seq);
    CREATE INDEX IF NOT EXISTS alerts_rule ON alerts (nation, rule_id, seq);
    CREATE INDEX IF NOT EXISTS alerts_assignee ON alerts (nation, assignee, seq);
    CREATE INDEX IF NOT EXISTS alerts_host ON alerts (nation, host, seq);
    CREATE TABLE IF NOT EXISTS alert_tags (seq BIGINT NOT NULL REFERENCES alerts (seq), tag TEXT NOT NULL, PRIMARY KEY (tag, seq));
    CREATE TABLE IF NOT EXISTS alert_fields (seq BIGINT NOT NULL REFERENCES alerts (seq), field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value, seq));
  `);
  // Text search: a trigram GIN index lets LIKE '%word%' use an index. pg_trgm ships with PostgreSQL but creating
  // an extension needs the privilege; without it searches still work, as scans.
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`;
    await sql`CREATE INDEX IF NOT EXISTS alerts_search ON alerts USING gin (search public.gin_trgm_ops)`;
  } catch {
    /* no pg_trgm: LIKE scans */
  }
  const parse = (rows: Array<{ doc: string }>) => rows.map((r) => JSON.parse(r.doc) as AlertRecord);

  return {
    async insert(alerts) {
      await sql.begin(async (tx) => {
        for (const a of alerts) {
          const [row] = await tx<{ seq: string }[]>`INSERT INTO alerts (id, nation, status, level, rule_id, assignee, host, created_at, search, doc)
            VALUES (${a.id}, ${a.nation}, ${a.status}, ${a.rule.level}, ${a.rule.id}, ${a.assignee}, ${a.host}, ${a.created_at}, ${searchText(a)}, ${JSON.stringify(a)}) RETURNING seq`;
          const seq = row!.seq;
          for (const t of new Set(a.rule.tags)) await tx`INSERT INTO alert_tags (seq, tag) VALUES (${seq}, ${t}) ON CONFLICT DO NOTHING`;
          for (const [k, v] of fieldPairs(a.matched)) await tx`INSERT INTO alert_fields (seq, field, value) VALUES (${seq}, ${k}, ${v}) ON CONFLICT DO NOTHING`;
        }
      });
    },
    async get(id, nation) {
      return parse(await sql<{ doc: string }[]>`SELECT doc FROM alerts WHERE id = ${id} AND nation = ${nation}`)[0] ?? null;
    },
    async update(id, nation, change) {
      return sql.begin(async (tx) => {
        const [cur] = parse(await tx<{ doc: string }[]>`SELECT doc FROM alerts WHERE id = ${id} AND nation = ${nation} FOR UPDATE`);
        if (!cur) return null;
        const next = change(cur);
        if (next !== cur) await tx`UPDATE alerts SET status = ${next.status}, assignee = ${next.assignee}, search = ${searchText(next)}, doc = ${JSON.stringify(next)} WHERE id = ${id} AND nation = ${nation}`;
        return next;
      }) as Promise<AlertRecord | null>;
    },
    async list(nation, filter, page) {
      const w = whereClause(nation, filter, (i) => `$${i}`);
      const [count] = await sql.unsafe<{ n: string }[]>(`SELECT count(*) AS n FROM alerts a WHERE ${w.sql}`, w.params);
      const n = w.params.length;
      const rows = await sql.unsafe<{ doc: string }[]>(`SELECT a.doc FROM alerts a WHERE ${w.sql} ORDER BY a.seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [...w.params, page.limit, page.offset]);
      return { data: parse(rows), total: Number(count?.n ?? 0) };
    },
    async close() { await sql.end({ timeout: 5 }); },
  };
}
