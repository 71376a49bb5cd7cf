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

export function transactionsOnSharedConnection(client: Client): Client {
  const transaction = async (mode: TransactionMode = "deferred"): Promise<Transaction> => {
    await client.execute(BEGIN[mode]);
    let open = true;
    const end = async (sql: string) => {
      if (!open) return;
      open = false;
      await client.execute(sql);
    };
    return {
      execute: (statement: InStatement): Promise<ResultSet> => client.execute(statement),
      async batch(statements: InStatement[]): Promise<ResultSet[]> {
        const results: ResultSet[] = [];
        for (const statement of statements) results.push(await client.execute(statement));
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
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
