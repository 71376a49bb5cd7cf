// Kill -9 a worker in the middle of a batch, with mails in flight, and prove nothing is lost and
// nothing is sent twice: answered mails were marked one by one as SendGrid accepted them; the claims
// of the dead worker expire and another worker sends what SendGrid never accepted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { openSqlite, type Opened } from "../support/databases";
import { seedDueNotifications, spawnWorker, type WorkerProcess } from "../support/due-notifications";
import { eventually } from "../support/app-server";

const SHOP = "crash-test.myshopify.com";
const COUNT = 400;
// Long enough that the second worker's own batches never outlive their lease on a loaded machine (its
// next claim would take back rows still in flight, and send them twice), short enough to wait out.
const LEASE_MS = 8000;

describe("a worker killed mid-batch", () => {
  let database: Opened;
  let db: Db;
  let capture: CaptureServer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await openSqlite();
    db = createDb(database.url);
    capture = await startCaptureServer({ apiKey: "SG.crash", keepBodies: false });
    await seedDueNotifications(db, { shop: SHOP, count: COUNT, dueAt: new Date(Date.now() - 60_000) });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await db?.$disconnect();
    await capture?.close();
    await database?.close();
  });

  const start = () => {
    const worker = spawnWorker({
      DATABASE_URL: database.url,
      SENDGRID_API_KEY: "SG.crash",
      SENDGRID_BASE_URL: capture.url,
      WORKER_BATCH_SIZE: "50",
      WORKER_CONCURRENCY: "8",
      WORKER_LEASE_MS: String(LEASE_MS),
    });
    workers.push(worker);
    return worker;
  };

  it("loses nothing and sends nothing twice", async () => {
    const first = start();
    // Let it send a good part, then SendGrid stops answering: every mail in flight hangs, unaccepted.
    await capture.waitForCount(120, 60_000);
    capture.hangNext(10_000);
    const inFlight = await eventually(async () => {
      const sending = await db.notification.count({ where: { status: "sending" } });
      return sending > 0 ? sending : null;
    }, 10_000, "mails in flight when SendGrid stops answering");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const acceptedBeforeKill = capture.count;
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull(); // killed by the signal, not a clean exit

    const stranded = await db.notification.count({ where: { status: "sending" } });
    const sentBeforeKill = await db.notification.count({ where: { status: "sent" } });
    expect(stranded).toBeGreaterThan(0); // a batch really was cut short
    expect(sentBeforeKill).toBe(acceptedBeforeKill); // every accepted mail was already marked
    expect(acceptedBeforeKill).toBeLessThan(COUNT);

    // A request the dead worker wrote in full may still be being read: it meets the hang too, as SendGrid
    // would have accepted it unanswered (clearing first would accept it, and count its mails twice).
    await eventually(async () => capture.reading === 0, 10_000, "the dead worker's requests read");
    // SendGrid is back; a new worker takes over once the dead worker's leases expire.
    capture.clear();
    const second = start();
    await capture.waitForCount(COUNT - acceptedBeforeKill, 60_000);
    await eventually(async () => (await db.notification.count({ where: { status: "sent" } })) === COUNT, 30_000, `all ${COUNT} notifications sent`);
    // Stopped, the worker can send nothing more: a mail sent twice would be among what it sent by now.
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const rows = await db.notification.findMany({ select: { id: true, status: true, attempts: true } });
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    // Exactly the rest was sent after the crash: nothing twice, nothing missing.
    expect(capture.count).toBe(COUNT - acceptedBeforeKill);
    const afterCrash = new Set(capture.mails.map((m) => m.customArgs.notification_id));
    expect(afterCrash.size).toBe(COUNT - acceptedBeforeKill);
    // The stranded rows were the ones taken over: their second attempt sent them.
    expect(rows.filter((r) => r.attempts === 2).length).toBeGreaterThanOrEqual(stranded);
    console.log(`[faults] kill -9 of the worker while sending: ${COUNT} mails due, ${acceptedBeforeKill} sent before the kill, ${capture.count} after, 0 duplicates; ${inFlight}+ claimed rows in flight at the kill`);
  }, 150_000);
});
