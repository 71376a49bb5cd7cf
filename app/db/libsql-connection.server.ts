// @libsql/client's local-file transport hands its one connection to each interactive transaction and
// opens a fresh one for whatever comes next, and the handed-over connection is never released
// (tursodatabase/libsql-client-ts#350, libsql-js#230): one leaked file handle per transaction, plus the
// cost of opening the database every time. Prisma's libsql adapter already serialises every statement
// and holds its lock for a transaction's whole life, so transactions can safely run on the shared
// connection instead.
import type { Client, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";

// Prisma begins every transaction "deferred": as a reader, taking the write lock at its first write. When
// another process (the worker beside the web process) has committed in between, SQLite then answers
// SQLITE_BUSY at once, without the busy_timeout wait a lone statement gets, and the transaction fails: an
// upsert, an admin save, a batch of writes. Prisma's transactions are there to write, so they begin as
// writers, waiting for the lock like any write. The cost: a transaction that only reads holds the write
// lock for its few statements.
const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN DEFERRED",
  deferred: "BEGIN IMMEDIATE",
};

/** SQLITE_BUSY (or an extended code of it), from @libsql/client or from the libsql driver itself. */
export const isBusy = (error: unknown): boolean => {
  const { code, rawCode } = (error ?? {}) as { code?: unknown; rawCode?: unknown };
  return (typeof code === "string" && code.startsWith("SQLITE_BUSY")) || (typeof rawCode === "number" && (rawCode & 0xff) === 5);
};

// A statement that fails with SQLITE_BUSY (the lock held past busy_timeout) is left in progress by the
// binding, which resets a statement only before running it (tursodatabase/libsql-client-ts#352), and
// every COMMIT on that connection then fails with "cannot commit transaction - SQL statements in
// progress" although the lock is free: a transaction that can never commit, holding the write lock, with
// every other process waiting on it. So after a busy failure the connection is replaced, and whatever it
// had open is rolled back first. The old connection is handed off the way a transaction hands off its own
// (it stays open, one file handle, like those of the issue above); that happens only after a lock wait
// longer than busy_timeout. `configure` runs the per-connection settings on each new connection.
export function transactionsOnSharedConnection(client: Client, configure: (connection: Client) => Promise<unknown> = async () => {}): Client {
  let replacing: Promise<void> | null = null;
  // The client's own execute, kept: whoever wraps the connection's execute later (a statement counter)
  // wraps this guarded one, and the guard must not call back into the wrapper.
  const run = client.execute.bind(client);
  const replace = async () => {
    await run("ROLLBACK").catch(() => {});
    // @libsql/client 0.8 opens a new connection for the next statement once one is handed to a transaction.
    const old = await client.transaction("deferred");
    await old.rollback().catch(() => {});
    await configure(client);
  };
  const execute = async (statement: InStatement): Promise<ResultSet> => {
    if (replacing) await replacing;
    try {
      return await run(statement);
    } catch (error) {
      if (isBusy(error)) await (replacing ??= replace().finally(() => (replacing = null)));
      throw error;
    }
  };
  const transaction = async (mode: TransactionMode = "deferred"): Promise<Transaction> => {
    await execute(BEGIN[mode]);
    let open = true;
    const end = async (sql: string) => {
      if (!open) return;
      open = false;
      try {
        await execute(sql);
      } catch (error) {
        // A COMMIT that failed leaves the transaction open: end it rather than leave it holding the lock.
        if (sql === "COMMIT") await execute("ROLLBACK").catch(() => {});
        throw error;
      }
    };
    return {
      execute,
      async batch(statements: InStatement[]): Promise<ResultSet[]> {
        const results: ResultSet[] = [];
        for (const statement of statements) results.push(await execute(statement));
        return results;
      },
      executeMultiple: (sql: string) => client.executeMultiple(sql),
      rollback: () => end("ROLLBACK"),
      commit: () => end("COMMIT"),
      close: () => void end("ROLLBACK").catch(() => {}),
      get closed() {
        return !open;
      },
    };
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "transaction") return transaction;
      // An execute assigned onto the client later (wrapping this guarded one) is the one to call.
      if (property === "execute") return Object.hasOwn(target, "execute") ? (target as { execute: typeof execute }).execute : execute;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
