// Fresh, migrated databases for suites that need a real one: a SQLite temp file, or a new database on
// the PostgreSQL server at TEST_POSTGRES_URL (dropped again on close).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { migrate } from "../../prisma/migrate";

export interface Opened {
  url: string;
  close(): Promise<void>;
}
export interface Backend {
  name: string;
  open(): Promise<Opened>;
}

export async function openSqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), "parcelwise-data-"));
  const url = `file:${join(dir, "data.sqlite")}`;
  await migrate(url);
  return { url, close: async () => rmSync(dir, { recursive: true, force: true }) };
}
async function adminClient(baseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: baseUrl });
  try {
    await client.connect();
    return client;
  } catch (error) {
    // The named database may not exist yet: any database of the server will do for CREATE DATABASE.
    if ((error as { code?: string }).code !== "3D000") throw error;
    const fallback = new URL(baseUrl);
    fallback.pathname = "/postgres";
    const other = new pg.Client({ connectionString: fallback.toString() });
    await other.connect();
    return other;
  }
}

export async function openPostgres(baseUrl: string): Promise<Opened> {
  const name = `parcelwise_test_${randomBytes(6).toString("hex")}`;
  const admin = await adminClient(baseUrl);
  await admin.query(`CREATE DATABASE "${name}"`);
  const target = new URL(baseUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  await migrate(url);
  return {
    url,
    async close() {
      try {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await admin.end();
      }
    },
  };
}
