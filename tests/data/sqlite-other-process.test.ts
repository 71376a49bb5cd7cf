// Under `npm start` the worker and the web process are two processes writing one SQLite file. A Prisma
// transaction that reads and then writes must wait for the other process's write, as a lone statement
// does (busy_timeout), never fail at once: SQLite answers SQLITE_BUSY without waiting when a transaction
// begun as a reader finds, at its first write, that another connection has committed since it began.
// app/db/libsql-connection.server.ts begins Prisma's transactions as writers (BEGIN IMMEDIATE). And a
// write that waited past busy_timeout fails, as it must, but leaves the client working and the lock free.
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { createDb, type Db } from "~/db.server";
import { openSqlite, type Opened } from "../support/databases";

let opened: Opened;
let db: Db;
let other: ChildProcessWithoutNullStreams;

/**
 * Another process on the same file. "insert <domain>" inserts a shop, answering "ok" or the error;
 * "hold <ms>" takes the write lock, answers "held", and commits after <ms>.
 */
const OTHER_PROCESS = `
  import { createClient } from "@libsql/client";
  import { createInterface } from "node:readline";
  const client = createClient({ url: process.env.URL });
  await client.execute("PRAGMA busy_timeout = 5000");
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.split(" ");
    try {
      if (command === "hold") {
        await client.execute("BEGIN IMMEDIATE");
        console.log("held");
        setTimeout(() => void client.execute("COMMIT"), Number(argument));
        continue;
      }
      await client.execute({ sql: "INSERT INTO Shop (domain, timezone, updatedAt) VALUES (?, 'UTC', 0)", args: [argument] });
      console.log("ok");
    } catch (error) {
      console.log(String(error));
    }
  }
`;

const answers: Array<(line: string) => void> = [];
function tell(line: string): Promise<string> {
  const answer = new Promise<string>((resolve) => answers.push(resolve));
  other.stdin.write(`${line}\n`);
  return answer;
}
const otherProcessInserts = (domain: string) => tell(`insert ${domain}`);

beforeAll(async () => {
  opened = await openSqlite();
  db = createDb(opened.url);
  await db.shop.create({ data: { domain: "first.myshopify.com", timezone: "UTC" } });
  other = spawn(process.execPath, ["--input-type=module", "-e", OTHER_PROCESS], { env: { ...process.env, URL: opened.url } });
  other.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  createInterface({ input: other.stdout }).on("line", (line) => answers.shift()?.(line.trim()));
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

it("a write that waited past busy_timeout fails, and the client works on with the lock free", async () => {
  expect(await tell("hold 6500")).toBe("held");
  const started = Date.now();
  const failed = await db.shop.createMany({ data: [{ domain: "too-late.myshopify.com" }] }).then(
    () => null,
    (error: { code?: string }) => error.code,
  );
  expect(failed).toBe("P1008");
  expect(Date.now() - started).toBeGreaterThan(4000);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the other process has committed
  // Before: every later transaction of this client failed at its COMMIT and kept the write lock.
  await db.shop.createMany({ data: [{ domain: "after.myshopify.com" }] });
  await db.$transaction(async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { domain: "after.myshopify.com" } });
    await tx.shop.update({ where: { domain: shop.domain }, data: { timezone: "Asia/Seoul" } });
  });
  expect(await otherProcessInserts("other-after.myshopify.com")).toBe("ok");
  const domains = (await db.shop.findMany({ select: { domain: true } })).map((shop) => shop.domain);
  expect(domains).toContain("after.myshopify.com");
  expect(domains).toContain("other-after.myshopify.com");
  expect(domains).not.toContain("too-late.myshopify.com");
  // The replacement connection has the same settings.
  expect((await db.$queryRawUnsafe<Array<{ timeout: bigint | number }>>("PRAGMA busy_timeout"))[0]).toEqual({ timeout: 5000 });
}, 30_000);
