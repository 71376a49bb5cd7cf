// The one Prisma client. DATABASE_URL chooses the database: file: → SQLite (the default), postgres(ql):// →
// PostgreSQL. Both clients are generated from the same model definition (prisma/schema.prisma).
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { Client, Config } from "@libsql/client";
import { transactionsOnSharedConnection } from "./db/libsql-connection.server";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type Db = PrismaClient;
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function createDb(url: string = databaseUrl()): Db {
  if (isPostgresUrl(url)) {
    // Loaded only when asked for, so a SQLite install never touches the PostgreSQL client.
    // Generated beside @prisma/client's own output (node_modules/.prisma), where npm never prunes it.
    const require = createRequire(import.meta.url);
    const generated = join(dirname(require.resolve("@prisma/client")), "..", "..", ".prisma", "postgres-client");
    const { PrismaClient: PostgresClient } = require(generated) as {
      PrismaClient: new (options: unknown) => Db;
    };
    const { PrismaPg } = require("@prisma/adapter-pg") as typeof import("@prisma/adapter-pg");
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  return new PrismaClient({ adapter: new SharedConnectionLibSQL({ url }) });
}

class SharedConnectionLibSQL extends PrismaLibSQL {
  createClient(config: Config): Client {
    const client = super.createClient(config);
    // Another process (`npm run worker`, the demo's migrations) may hold the write lock for a moment:
    // wait for it instead of failing. The local client runs this at once, before any other statement.
    void client.execute("PRAGMA busy_timeout = 5000");
    return transactionsOnSharedConnection(client);
  }
}

declare global {
  var parcelwiseDb: Db | undefined;
}

// One client per process, kept across Vite dev reloads.
export const db: Db = globalThis.parcelwiseDb ?? (globalThis.parcelwiseDb = createDb());
export default db;
