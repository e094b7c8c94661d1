import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import postgres from "postgres";
import { Role } from "../config/index.ts";
import { InvalidRequest, NotFound, Unauthenticated } from "../errors/index.ts";
import { migrateSqlite, openSqlite, parseStoreUrl, type SqliteDatabase } from "../store/index.ts";
import type { Principal } from "./principal.ts";

/**
 * Nation-scoped API keys: `ck_<id>.<secret>`. Only the SHA-256 of the 256-bit secret is stored, so a stolen
 * database yields no usable key; the id lets a lookup find the row without scanning.
 */
export const API_KEY_PREFIX = "ck_";
const KEY_RE = /^ck_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  readonly id: string;
  readonly nation: string;
  readonly roles: Role[];
  readonly name: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

interface Row { id: string; nation: string; roles: string; name: string; secret_sha256: string; created_at: string; revoked_at: string | null }

export interface ApiKeyStore {
  insert(row: Row): Promise<void>;
  get(id: string): Promise<Row | undefined>;
  list(nation?: string): Promise<Row[]>;
  revoke(id: string, at: string): Promise<boolean>;
  close(): Promise<void>;
}

const SQL = `CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, nation TEXT NOT NULL, roles TEXT NOT NULL, name TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)`;

class SqliteApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: SqliteDatabase) {
    migrateSqlite(db, [{ id: "identity/001-api-keys", sql: SQL }]);
  }
  async insert(r: Row) {
    this.db.prepare("INSERT INTO api_keys VALUES (@id,@nation,@roles,@name,@secret_sha256,@created_at,@revoked_at)").run(r);
  }
  async get(id: string) {
    return this.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as Row | undefined;
  }
  async list(nation?: string) {
    return (nation
      ? this.db.prepare("SELECT * FROM api_keys WHERE nation = ? ORDER BY created_at").all(nation)
      : this.db.prepare("SELECT * FROM api_keys ORDER BY created_at").all()) as Row[];
  }
  async revoke(id: string, at: string) {
    return this.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id).changes > 0;
  }
  async close() { this.db.close(); }
}

class PostgresApiKeyStore implements ApiKeyStore {
  private ready: Promise<unknown>;
  constructor(private readonly sql: postgres.Sql) {
    this.ready = sql.unsafe(SQL);
  }
  async insert(r: Row) {
    await this.ready;
    await this.sql`INSERT INTO api_keys ${this.sql(r)}`;
  }
  async get(id: string) {
    await this.ready;
    const rows = await this.sql<Row[]>`SELECT * FROM api_keys WHERE id = ${id}`;
    return rows[0];
  }
  async list(nation?: string) {
    await this.ready;
    return nation
      ? [...(await this.sql<Row[]>`SELECT * FROM api_keys WHERE nation = ${nation} ORDER BY created_at`)]
      : [...(await this.sql<Row[]>`SELECT * FROM api_keys ORDER BY created_at`)];
  }
  async revoke(id: string, at: string) {
    await this.ready;
    const r = await this.sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`;
    return r.count > 0;
  }
  async close() { await this.sql.end({ timeout: 1 }); }
}

export function openApiKeyStore(storeUrl: string): ApiKeyStore {
  const url = parseStoreUrl(storeUrl);
  return url.kind === "sqlite"
    ? new SqliteApiKeyStore(openSqlite(url.path))
    : new PostgresApiKeyStore(postgres(url.url, { max: 4, onnotice: () => {} }));
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id, nation: r.nation, roles: JSON.parse(r.roles) as Role[], name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at,
});

export class ApiKeys {
  constructor(private readonly store: ApiKeyStore, private readonly nations: ReadonlySet<string>) {}

  /** Creates a key and returns its secret form, which is shown once and never stored. */
  async create(input: { nation: string; roles: string[]; name?: string }): Promise<{ key: string; record: ApiKeyRecord }> {
    if (!this.nations.has(input.nation)) throw new InvalidRequest(`nation ${input.nation} is not a member of this network`);
    if (input.roles.length === 0) throw new InvalidRequest("an API key needs at least one role");
    const roles = input.roles.map((r) => {
      const parsed = Role.safeParse(r);
      if (!parsed.success) throw new InvalidRequest(`unknown role "${r}"; roles are ${Role.options.join(", ")}`);
      return parsed.data;
    });
    const id = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const row: Row = {
      id, nation: input.nation, roles: JSON.stringify(roles), name: input.name ?? "", secret_sha256: sha256(secret),
      created_at: new Date().toISOString(), revoked_at: null,
    };
    await this.store.insert(row);
    return { key: `${API_KEY_PREFIX}${id}.${secret}`, record: toRecord(row) };
  }

  async verify(key: string): Promise<Principal> {
    const m = KEY_RE.exec(key);
    if (!m) throw new Unauthenticated("API key is malformed; keys look like ck_<16 hex>.<43 chars>");
    const row = await this.store.get(m[1] as string);
    const expected = Buffer.from(row?.secret_sha256 ?? sha256("absent"), "hex");
    const given = Buffer.from(sha256(m[2] as string), "hex");
    if (!row || !timingSafeEqual(expected, given) || row.revoked_at) throw new Unauthenticated("API key is unknown or revoked");
    return { nation: row.nation, subject: `apikey:${row.id}`, roles: JSON.parse(row.roles) as Role[], via: "api_key", keyId: row.id };
  }

  async list(nation?: string): Promise<ApiKeyRecord[]> {
    return (await this.store.list(nation)).map(toRecord);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.store.revoke(id, new Date().toISOString()))) throw new NotFound(`no active API key with id ${id}`);
  }

  close(): Promise<void> { return this.store.close(); }
}
