// Several `npm run worker` processes against one PostgreSQL database: each claims with
// FOR UPDATE SKIP LOCKED, and every due notification reaches the (local) SendGrid exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { openPostgres, type Opened } from "../support/databases";
import { seedDueNotifications, spawnWorker, type WorkerProcess } from "../support/due-notifications";
import { eventually } from "../support/app-server";

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const SHOP = "multi-worker.myshopify.com";
const COUNT = 1200;
const WORKERS = 3;

if (!POSTGRES_URL) {
  if (process.env.CI) {
    it("multi-worker suite runs in CI", () => {
      throw new Error("TEST_POSTGRES_URL is not set: in CI the multi-worker suite must run against PostgreSQL");
    });
  } else {
    console.warn("\n[multi-worker] SKIPPED: TEST_POSTGRES_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test).\n");
  }
}

describe.runIf(!!POSTGRES_URL)("several workers against one PostgreSQL database", () => {
  let database: Opened;
  let db: Db;
  let capture: CaptureServer;
  let workers: WorkerProcess[] = [];
  let ids: string[];

  beforeAll(async () => {
    database = await openPostgres(POSTGRES_URL!);
    db = createDb(database.url);
    capture = await startCaptureServer({ apiKey: "SG.multi-worker", keepBodies: false });
    ids = await seedDueNotifications(db, { shop: SHOP, count: COUNT, dueAt: new Date(Date.now() - 60_000) });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await db?.$disconnect();
    await capture?.close();
    await database?.close();
  });

  it("sends every due notification exactly once, shared between the workers", async () => {
    workers = Array.from({ length: WORKERS }, () =>
      spawnWorker({
        DATABASE_URL: database.url,
        SENDGRID_API_KEY: "SG.multi-worker",
        SENDGRID_BASE_URL: capture.url,
        // Small batches, so that every worker gets a share while the others are busy.
        WORKER_BATCH_SIZE: "10",
        WORKER_CONCURRENCY: "4",
      }),
    );
    await capture.waitForCount(COUNT, 90_000).catch(async (error: Error) => {
      // What a short count needs to be understood: the rows not sent, and what the workers warned of.
      const unsent = await db.notification.findMany({ where: { status: { not: "sent" } }, select: { id: true, status: true, attempts: true, lastError: true } });
      const warnings = workers.flatMap((w, i) => w.logs.filter((line) => /"level":"(warn|error)"/.test(line)).map((line) => `worker ${i}: ${line}`));
      throw new Error([error.message, `not sent: ${JSON.stringify(unsent.slice(0, 20))}`, ...warnings.slice(0, 40)].join("\n"));
    });
    await eventually(async () => (await db.notification.count({ where: { status: "sent" } })) === COUNT, 30_000, `all ${COUNT} notifications sent`);
    // Stopped, the workers can send nothing more: a mail sent twice would be among what they sent by now.
    for (const w of workers) w.child.kill("SIGTERM");
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual(workers.map(() => 0));

    const perNotification = new Map<string, number>();
    for (const mail of capture.mails) {
      const id = mail.customArgs.notification_id!;
      perNotification.set(id, (perNotification.get(id) ?? 0) + 1);
    }
    expect(capture.count).toBe(COUNT);
    expect([...perNotification.keys()].sort()).toEqual([...ids].sort());
    expect([...perNotification.values()].every((n) => n === 1)).toBe(true);

    const rows = await db.notification.findMany({ select: { id: true, status: true, providerMessageId: true, attempts: true } });
    expect(rows.every((r) => r.status === "sent" && r.providerMessageId && r.attempts === 1)).toBe(true);
    // Each row keeps the X-Message-Id of the one request that carried its mail.
    const requestOf = new Map(capture.mails.map((mail) => [mail.customArgs.notification_id!, mail.id]));
    expect(rows.filter((r) => r.providerMessageId !== requestOf.get(r.id))).toEqual([]);

    // Every worker took part: the claims really were concurrent, not one worker draining the table.
    const sentBy = workers.map((w) =>
      w.logs
        // A batch's own line, and the line of its stragglers (mails answered after the next batch began).
        .filter((line) => line.includes('"worker batch"') || line.includes('"worker batch stragglers"'))
        .reduce((sum, line) => sum + ((JSON.parse(line) as { sent?: number }).sent ?? 0), 0),
    );
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(sentBy.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    console.log(`[multi-worker] ${COUNT} notifications sent by ${WORKERS} workers: ${sentBy.join(" / ")}`);
  }, 150_000);
});
