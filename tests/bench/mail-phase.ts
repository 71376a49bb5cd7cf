// Part of `npm run bench`: mails per second the worker hands to SendGrid, rendering included. N due
// notifications in a fresh SQLite file (tests/support/due-notifications.ts: orders, shipments and one due
// mail each, over several kinds and locales), `npm run worker` as a child process with its default batch
// size and concurrency, the real @sendgrid/mail client posting to the local SendGrid stand-in in this
// process. Rate: mails accepted per second between the first and the last; checked exactly: every
// notification sent once and marked sent. (tests/bench/notifications-bench.ts measures the same path with
// its own tuning, beside rendering alone and the claim's cost.)
import { performance } from "node:perf_hooks";
import { createDb } from "~/db.server";
import { startCaptureServer } from "#tests/standins/capture-server";
import { openSqlite } from "../support/databases";
import { seedDueNotifications, spawnWorker } from "../support/due-notifications";

export interface MailFigure {
  mails: number;
  seconds: number;
  rate: number;
  check: string;
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureMailRate(count: number): Promise<MailFigure> {
  const database = await openSqlite();
  const db = createDb(database.url);
  const capture = await startCaptureServer({ apiKey: "SG.bench", keepBodies: false });
  const problems: string[] = [];
  try {
    const ids = await seedDueNotifications(db, { shop: "bench-mail.myshopify.com", count, dueAt: new Date(Date.now() - 60_000) });
    // The worker's defaults: WORKER_BATCH_SIZE, WORKER_CONCURRENCY and WORKER_POLL_MS as env.server.ts sets them.
    const worker = spawnWorker({
      DATABASE_URL: database.url,
      SENDGRID_API_KEY: "SG.bench",
      SENDGRID_BASE_URL: capture.url,
      LOG_LEVEL: "warn",
      WORKER_POLL_MS: undefined as unknown as string,
    });
    try {
      while (capture.count === 0) {
        if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.logs.join("\n")}`);
        await sleep(1);
      }
      const first = performance.now();
      await capture.waitForCount(count, 300_000);
      const seconds = (performance.now() - first) / 1000;
      // Mail that is still being marked sent: give the worker its bookkeeping before the check.
      const deadline = Date.now() + 30_000;
      let sent = 0;
      while ((sent = await db.notification.count({ where: { status: "sent" } })) < count && Date.now() < deadline) await sleep(50);
      await sleep(500);
      const distinct = new Set(capture.mails.map((m) => m.customArgs.notification_id)).size;
      if (sent !== count || distinct !== count || capture.count !== count || ids.length !== count) {
        problems.push(`worker mail: ${sent} rows sent, ${capture.count} mails (${distinct} distinct) for ${count} due notifications`);
      }
      return {
        mails: count,
        seconds,
        rate: (count - 1) / seconds,
        check: `${sent} of ${count} due notifications marked sent, ${capture.count} mails accepted by the stand-in (${distinct} distinct), each sent once`,
        problems,
      };
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
  } finally {
    await db.$disconnect();
    await capture.close();
    await database.close();
  }
}
