export { openSqlite, migrateSqlite, type SqliteDatabase, type Migration } from "./sqlite.ts";
export { parseStoreUrl, type StoreUrl } from "./url.ts";
