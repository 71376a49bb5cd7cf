// Under `npm start` the worker and the web process are two processes writing one SQLite file. A Prisma
// transaction that reads and then writes must wait for the other process's write, as a lone statement
// does (busy_timeout), never fail at once: SQLite answers SQLITE_BUSY without waiting when a transaction
// begun as a reader finds, at its first write, that another connection has committed since it began.
// app/db/libsql-connection.server.ts begins Prisma's transactions as writers (BEGIN IMMEDIATE).
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { createDb, type Db } from "~/db.server";
import { openSqlite, type Opened } from "../support/databases";

let opened: Opened;
let db: Db;
let other: ChildProcessWithoutNullStreams;

/** Another process on the same file: each line it reads is a shop domain it inserts, answering "ok" or the error. */
const OTHER_PROCESS = `
  import { createClient } from "@libsql/client";
  import { createInterface } from "node:readline";
  const client = createClient({ url: process.env.URL });
  await client.execute("PRAGMA busy_timeout = 5000");
  for await (const domain of createInterface({ input: process.stdin })) {
    try {
      await client.execute({ sql: "INSERT INTO Shop (domain, timezone, updatedAt) VALUES (?, 'UTC', 0)", args: [domain] });
      console.log("ok");
    } catch (error) {
      console.log(String(error));
    }
  }
`;

async function otherProcessInserts(domain: string): Promise<string> {
  const answer = once(other.stdout, "data");
  other.stdin.write(`${domain}\n`);
  const [chunk] = (await answer) as [Buffer];
  return chunk.toString().trim();
}

beforeAll(async () => {
  opened = await openSqlite();
  db = createDb(opened.url);
  await db.shop.create({ data: { domain: "first.myshopify.com", timezone: "UTC" } });
  other = spawn(process.execPath, ["--input-type=module", "-e", OTHER_PROCESS], { env: { ...process.env, URL: opened.url } });
  other.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  expect(await otherProcessInserts("warm-up.myshopify.com")).toBe("ok");
});

afterAll(async () => {
  other?.kill();
  await db?.$disconnect();
  await opened?.close();
});

it("a transaction that reads, meets another process's commit, then writes, commits", async () => {
  const seen = await db.$transaction(async (tx) => {
    const shops = await tx.shop.findMany({ select: { domain: true } });
    // The other process writes now. Begun as a reader, this transaction would find that commit at its
    // write and fail; begun as a writer, it holds the lock and the other process waits for its commit.
    const answer = otherProcessInserts("between.myshopify.com");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tx.shop.update({ where: { domain: "first.myshopify.com" }, data: { timezone: "Asia/Tokyo" } });
    return { shops: shops.length, answer };
  });
  expect(seen.shops).toBe(2);
  expect(await seen.answer).toBe("ok");
  const shops = await db.shop.findMany({ orderBy: { domain: "asc" }, select: { domain: true, timezone: true } });
  expect(shops).toEqual([
    { domain: "between.myshopify.com", timezone: "UTC" },
    { domain: "first.myshopify.com", timezone: "Asia/Tokyo" },
    { domain: "warm-up.myshopify.com", timezone: "UTC" },
  ]);
});

it("an upsert of an existing row while another process writes", async () => {
  const answers = await Promise.all([
    db.shop.upsert({ where: { domain: "first.myshopify.com" }, create: { domain: "first.myshopify.com" }, update: { timezone: "Europe/Paris" } }),
    otherProcessInserts("during-upsert.myshopify.com"),
  ]);
  expect(answers[0].timezone).toBe("Europe/Paris");
  expect(answers[1]).toBe("ok");
});
