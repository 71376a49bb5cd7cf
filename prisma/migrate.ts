// Applies the migrations that Prisma's tooling created (prisma/migrations for SQLite,
// prisma/postgres/migrations for PostgreSQL) and records them in Prisma's own _prisma_migrations table.
// `prisma migrate deploy` works offline for SQLite, but its WebAssembly engine cannot yet read
// PostgreSQL's catalog through @prisma/adapter-pg (prisma/prisma#27403), so one runner serves both.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import pg from "pg";

const here = dirname(fileURLToPath(import.meta.url));

interface Applied {
  migration_name: string;
  checksum: string;
}

interface Driver {
  exec(sql: string): Promise<void>;
  applied(): Promise<Applied[]>;
  /** Runs one migration and records it, atomically. */
  apply(name: string, sql: string, checksum: string): Promise<void>;
  close(): Promise<void>;
}

const TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

async function sqliteDriver(url: string): Promise<Driver> {
  const client = createClient({ url });
  await client.execute("PRAGMA journal_mode = WAL");
  return {
    exec: async (sql) => void (await client.executeMultiple(sql)),
    applied: async () =>
      (await client.execute(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`))
        .rows as unknown as Applied[],
    apply: async (name, sql, checksum) => {
      // A batch is one transaction; Prisma's generated SQL ends every statement with ";" and a newline.
      const statements = sql.split(/;\s*\n/).map((part) => part.trim()).filter((part) => part && !/^(--[^\n]*\n?)+$/.test(part));
      await client.batch(
        [
          ...statements,
          {
            sql: `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at) VALUES (?, ?, datetime('now'), ?, 1, datetime('now'))`,
            args: [randomUUID(), checksum, name],
          },
        ],
        "write",
      );
    },
    close: async () => client.close(),
  };
}

async function postgresDriver(url: string): Promise<Driver> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Serialises concurrent deploys (several app instances starting at once).
  await client.query("SELECT pg_advisory_lock(727274)");
  return {
    exec: async (sql) => void (await client.query(sql)),
    applied: async () =>
      (await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`))
        .rows,
    apply: async (name, sql, checksum) => {
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at) VALUES ($1, $2, now(), $3, 1, now())`,
          [randomUUID(), checksum, name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    close: async () => client.end(),
  };
}

export async function migrate(url: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const postgres = /^postgres(ql)?:\/\//.test(url);
  const folder = postgres ? join(here, "postgres", "migrations") : join(here, "migrations");
  const driver = postgres ? await postgresDriver(url) : await sqliteDriver(url);
  const appliedNow: string[] = [];
  try {
    await driver.exec(TABLE);
    const applied = new Map((await driver.applied()).map((row) => [row.migration_name, row.checksum]));
    const names = readdirSync(folder)
      .filter((name) => existsSync(join(folder, name, "migration.sql")))
      .sort();
    for (const name of names) {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const known = applied.get(name);
      if (known) {
        if (known !== checksum) throw new Error(`migration ${name} was changed after it was applied`);
        continue;
      }
      await driver.apply(name, sql, checksum);
      appliedNow.push(name);
      log(`applied ${name}`);
    }
  } finally {
    await driver.close();
  }
  return appliedNow;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
  migrate(url, (line) => console.log(`[migrate] ${line}`))
    .then((applied) => console.log(`[migrate] ${applied.length ? "done" : "database is up to date"}`))
    .catch((error: unknown) => {
      console.error(`[migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
