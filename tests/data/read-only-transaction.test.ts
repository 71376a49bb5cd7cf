// A read-only transaction on SQLite (inTransaction's readOnly, app/db/rows.server.ts) never takes the
// write lock: while another connection holds it (the web process inserting a burst of webhooks), the
// worker's reads of a batch go ahead at once, and see what is committed, not the other connection's
// uncommitted rows (a Prisma transaction begins as a writer and would wait for the lock:
// tests/data/sqlite-other-process.test.ts). And the reads of one read transaction see one snapshot.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createClient, type Client } from "@libsql/client";
import { createDb, type Db } from "~/db.server";
import { inTransaction } from "~/db/rows.server";
import { openSqlite, type Opened } from "../support/databases";

let opened: Opened;
let db: Db;
let other: Client;

beforeAll(async () => {
  opened = await openSqlite();
  db = createDb(opened.url);
  await db.shop.create({ data: { domain: "committed.myshopify.com" } });
  other = createClient({ url: opened.url });
  await other.execute("PRAGMA busy_timeout = 5000");
});
afterAll(async () => {
  other?.close();
  await db?.$disconnect();
  await opened?.close();
});

const domains = async (read: (sql: string) => Promise<Record<string, unknown>[]>) => (await read(`SELECT "domain" FROM "Shop" ORDER BY "domain"`)).map((r) => r.domain);

it("reads at once while another connection holds the write lock, and sees only committed rows", async () => {
  await other.execute("BEGIN IMMEDIATE");
  await other.execute({ sql: `INSERT INTO "Shop" ("domain", "timezone", "updatedAt") VALUES (?, 'UTC', 0)`, args: ["uncommitted.myshopify.com"] });
  try {
    const started = performance.now();
    const seen = await inTransaction(db, (session) => domains((sql) => session.run(sql, [])), { readOnly: true });
    const readMs = performance.now() - started;
    expect(seen).toEqual(["committed.myshopify.com"]);
    expect(readMs).toBeLessThan(1000);

  } finally {
    await other.execute("ROLLBACK").catch(() => {});
  }
});

it("one read transaction sees one snapshot; the next sees what was committed meanwhile", async () => {
  const seen = await inTransaction(
    db,
    async (session) => {
      const before = await domains((sql) => session.run(sql, []));
      await other.execute({ sql: `INSERT INTO "Shop" ("domain", "timezone", "updatedAt") VALUES (?, 'UTC', 0)`, args: ["meanwhile.myshopify.com"] });
      const after = await domains((sql) => session.run(sql, []));
      return { before, after };
    },
    { readOnly: true },
  );
  expect(seen.after).toEqual(seen.before);
  expect(seen.before).not.toContain("meanwhile.myshopify.com");
  expect(await inTransaction(db, (session) => domains((sql) => session.run(sql, [])), { readOnly: true })).toContain("meanwhile.myshopify.com");
});
