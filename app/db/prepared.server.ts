// Prepared statements of a connection of our own on the libsql driver (the inbox insert's, the batch
// reads'), by SQL text: preparing a statement of hundreds of placeholders cost as much as running it.
// Dropped whole after any failure (forgetPrepared), so that a statement left mid-step is never run again
// (the garbage collector finalises it).
import type Database from "libsql";

/** A prepared statement and, when it returns rows, their column names (its rows then come as arrays of bigint-safe values). */
export interface Prepared {
  statement: Database.Statement;
  columns: string[] | null;
}

const cached = new WeakMap<Database.Database, Map<string, Prepared>>();
const PREPARED_MAX = 64;

export function preparedFor(connection: Database.Database, sql: string): Prepared {
  let statements = cached.get(connection);
  if (!statements) cached.set(connection, (statements = new Map()));
  let entry = statements.get(sql);
  if (!entry) {
    if (statements.size >= PREPARED_MAX) statements.clear();
    const statement = connection.prepare(sql);
    let columns: string[] | null = null;
    try {
      statement.raw(true);
      statement.safeIntegers(true);
      columns = statement.columns().map((column) => column.name);
    } catch {
      // raw() refuses a statement that returns no rows.
    }
    statements.set(sql, (entry = { statement, columns }));
  }
  return entry;
}

/** After a failure on `connection`: prepare afresh from now on. */
export function forgetPrepared(connection: Database.Database): void {
  cached.delete(connection);
}
