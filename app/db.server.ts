// The one Prisma client. DATABASE_URL chooses the database: file: → SQLite (the default), postgres(ql):// →
// PostgreSQL. Both clients are generated from the same model definition (prisma/schema.prisma).
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { Client, Config } from "@libsql/client";
import { transactionsOnSharedConnection } from "./db/libsql-connection.server";
import { databaseUrl } from "./env.server";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type Db = PrismaClient;

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
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
    postgresUrls.set(baseOf(client), url);
    return client;
  }
  const adapter = new SharedConnectionLibSQL({ url });
  const prisma = new PrismaClient({ adapter });
  sqliteUrls.set(baseOf(prisma), url);
  sqliteConnections.set(prisma, adapter);
  sqliteConnections.set(baseOf(prisma), adapter);
  return prisma;
}

// A client extended with $extends is another object over the same client: look both up by the original.
const baseOf = (client: object): object => (client as { _originalClient?: object })._originalClient ?? client;
const postgresUrls = new WeakMap<object, string>();
// Kept on globalThis: the built app's copy of this module takes the client this process made first
// (globalThis.parcelwiseDb below) and must find its URL too.
const sqliteUrls: WeakMap<object, string> = (globalThis.parcelwiseSqliteUrls ??= new WeakMap());

/** The SQLite file URL of a client created by createDb (or an extension of one), for a second connection on it; else null. */
export function sqliteUrlOf(client: Db): string | null {
  return sqliteUrls.get(baseOf(client)) ?? null;
}

/** The file of a SQLite client's database, however its URL names it, for a connection of its own on it (the very file the client has open). */
export async function sqliteFileOf(client: Db): Promise<string> {
  const rows = await client.$queryRawUnsafe<Array<{ file: string }>>(`SELECT "file" FROM pragma_database_list WHERE "name" = 'main'`);
  const file = String(rows[0]?.file ?? "");
  if (!file) throw new Error("the SQLite database has no file");
  return file;
}

/**
 * The driver under a client created by createDb (or an extension of one), for the record path's raw
 * statements (app/db/rows.server.ts): SQLite's connection once connected, or PostgreSQL's URL; else null.
 */
export function driverOf(client: Db): { sqlite: Client } | { postgresUrl: string } | null {
  const connection = sqliteConnections.get(baseOf(client))?.connection;
  if (connection) return { sqlite: connection };
  const url = postgresUrls.get(baseOf(client));
  return url ? { postgresUrl: url } : null;
}

// Prisma's client engine costs about a millisecond per statement here, against tens of microseconds for
// the same statement on the libsql connection itself. The worker's one hot statement (marking a mail
// sent) may use the connection directly; everything else goes through Prisma.
const sqliteConnections = new WeakMap<object, SharedConnectionLibSQL>();

/** The SQLite connection under a client created by createDb, once it has connected; else null. */
export function sqliteConnectionOf(client: Db): Client | null {
  return sqliteConnections.get(client)?.connection ?? null;
}

/** The settings of each SQLite connection. */
function configure(client: Client): Promise<unknown> {
  return Promise.all([
    // Another process (the worker beside the web process, `npm run worker`, the demo's migrations) may
    // hold the write lock for a moment: wait for it instead of failing.
    client.execute("PRAGMA busy_timeout = 5000"),
    // The database is in WAL mode (prisma/migrate.ts). With synchronous=NORMAL a commit is durable
    // against a crash of the process (what the worker's hand-off relies on) and fsyncs only at
    // checkpoints, not once per committed row; a power cut may lose the last commits, as SQLite documents.
    client.execute("PRAGMA synchronous = NORMAL"),
    // Deleted and overwritten content is zeroed in the file, not left in free pages: a redacted buyer
    // must not be readable from the database file (app/compliance/erase-residue.server.ts empties the WAL).
    client.execute("PRAGMA secure_delete = ON"),
  ]);
}

class SharedConnectionLibSQL extends PrismaLibSQL {
  connection: Client | null = null;

  createClient(config: Config): Client {
    const client = super.createClient(config);
    // Set at once on the first connection (the local client runs each statement as it is called, before
    // any other), and again on any connection that replaces it (app/db/libsql-connection.server.ts).
    void configure(client);
    this.connection = transactionsOnSharedConnection(client, configure);
    return this.connection;
  }
}

declare global {
  var parcelwiseDb: Db | undefined;
  var parcelwiseSqliteUrls: WeakMap<object, string> | undefined;
}

// One client per process, kept across Vite dev reloads.
export const db: Db = globalThis.parcelwiseDb ?? (globalThis.parcelwiseDb = createDb());
export default db;
