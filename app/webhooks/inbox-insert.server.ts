// The webhook request's one write: new inbox rows, in one multi-row statement that leaves out (and so
// tells apart) a row one of the inbox's unique keys already holds.
//
// SQLite: on a connection of its own, which never waits inside SQLite. The local driver runs SQLite on
// the JavaScript thread, and with a busy timeout SQLite's busy handler sleeps there, in growing steps
// (1, 2, 5, 10 … 100 ms), while the worker's process holds the write lock: the request oversleeps the
// lock, and every other request of the process waits with it. This connection's busy timeout is 0: on
// SQLITE_BUSY the insert tries again after a millisecond's timer, the event loop serving requests in
// between, until the same 5 s the shared connection waits (then it fails, as that one would).
// PostgreSQL waits for its locks on the server, off the event loop: the same statement through Prisma.
import { channel } from "node:diagnostics_channel";
import Database from "libsql";
import { sqliteFileOf, sqliteUrlOf, type Db } from "~/db.server";
import { modelOf, newRow, prismaSession, rowStatements, type Row } from "~/db/rows.server";
import { isPostgres } from "~/db/dialect";
import { isBusy } from "~/db/libsql-connection.server";
import { forgetPrepared, preparedFor } from "~/db/prepared.server";

/** How long an insert may wait for SQLite's write lock before it fails (the shared connection's busy timeout). */
export const LOCK_WAIT_MS = 5000;
const RETRY_MS = 1;

/**
 * Each insert, for a subscriber (the benchmark): { ms, rows, retries, own: on the connection of its own, blockedMs: of that, inside SQLite }. Nothing is built when none listens.
 */
export const insertChannel = channel("parcelwise:inbox-insert");

const model = () => modelOf("WebhookReceipt");

/** The rows as Prisma's create would make them (its id, defaults and nulls). */
export function receiptRows(data: ReadonlyArray<Record<string, unknown>>): Row[] {
  const receipt = model();
  return data.map((item) => newRow(receipt, item));
}

/** The statements inserting `rows`, each returning the ids it inserted (a row meeting a unique key returns none). */
export function inboxStatements(postgres: boolean, rows: readonly Row[]) {
  return rowStatements(postgres, "WebhookReceipt", rows, { update: [], conflict: [], returning: ["id"] });
}

// One connection per database file and process, opened when first needed, on the libsql driver itself:
// @libsql/client leaves a statement that failed with SQLITE_BUSY unfinished (it is finalised only when
// garbage-collected), and an unfinished statement keeps the connection's transaction, and the write
// lock with it, from ever committing. Database.exec finishes its statements even when they fail, so the
// lock is taken with exec("BEGIN IMMEDIATE"), and the insert runs only once it is held.
const connections = new Map<string, Promise<Database.Database>>();
function connectionFor(db: Db, url: string): Promise<Database.Database> {
  let connection = connections.get(url);
  if (!connection) {
    connection = (async () => {
      const own = new Database(await sqliteFileOf(db));
      own.pragma("busy_timeout = 0");
      // As the shared connection (app/db.server.ts): durable against a crash of the process, no fsync per commit.
      own.exec("PRAGMA synchronous = NORMAL");
      own.pragma("secure_delete = ON");
      // A commit that finds the WAL past the checkpoint threshold runs the checkpoint itself, synchronously,
      // tens of milliseconds on this process's event loop. The worker's connection (SQLite's default, 1,000
      // pages) reaches it ten times sooner and so takes the checkpoints; with no worker running, this one
      // still keeps the WAL bounded (about 40 MB).
      own.pragma("wal_autocheckpoint = 10000");
      return own;
    })();
    connections.set(url, connection);
    connection.catch(() => connections.delete(url));
  }
  return connection;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the statements in one transaction once the write lock is free, never waiting inside SQLite. */
async function onSqlite(connection: Database.Database, statements: ReadonlyArray<{ sql: string; params: unknown[] }>, tries: { retries: number; blockedMs: number }): Promise<string[]> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const attempt = performance.now();
    try {
      connection.exec("BEGIN IMMEDIATE");
      tries.blockedMs += performance.now() - attempt;
      break;
    } catch (error) {
      tries.blockedMs += performance.now() - attempt;
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      tries.retries++;
      await pause(RETRY_MS);
    }
  }
  // Synchronous from here to the commit: nothing else of this process runs in between.
  const held = performance.now();
  try {
    const ids: string[] = [];
    for (const { sql, params } of statements) {
      const rows = preparedFor(connection, sql).statement.all(params) as unknown[][];
      for (const row of rows) ids.push(String(row[0]));
    }
    connection.exec("COMMIT");
    return ids;
  } catch (error) {
    forgetPrepared(connection);
    if (connection.inTransaction) connection.exec("ROLLBACK");
    throw error;
  } finally {
    tries.blockedMs += performance.now() - held;
  }
}

/** Inserts `rows` unless a unique key of the inbox holds one already; returns the ids of those inserted. */
export async function insertReceipts(db: Db, rows: readonly Row[]): Promise<Set<string>> {
  const started = performance.now();
  const tries = { retries: 0, blockedMs: 0 };
  const inserted = new Set<string>();
  const url = isPostgres(db) ? null : sqliteUrlOf(db);
  const statements = inboxStatements(isPostgres(db), rows);
  if (url) {
    for (const id of await onSqlite(await connectionFor(db, url), statements, tries)) inserted.add(id);
  } else {
    // PostgreSQL, or a client createDb did not make: Prisma's raw query (its own connection's waits).
    const session = prismaSession(db);
    for (const { sql, params } of statements) for (const row of await session.run(sql, params)) inserted.add(String(row.id));
  }
  if (insertChannel.hasSubscribers) insertChannel.publish({ ms: performance.now() - started, rows: rows.length, retries: tries.retries, own: !!url, blockedMs: url ? tries.blockedMs : undefined });
  return inserted;
}
