// kill -9 of the server (the process running the worker; its web process goes down with it) in the middle of a burst of signed webhooks,
// with mail being sent at the same time. It comes back on the same database; Shopify retries what got
// no 200. Every acknowledged delivery is recorded once, every due mail is sent, and a mail reaches
// SendGrid twice only if the kill fell between SendGrid's 202 and the row being marked sent.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { acknowledged, expectMailOnce, expectRecorded, inboxDrained, orderBurst, orderIdsOf, paidAnHourAgo, retryUntilAnswered, sendAll, summary } from "../support/fault-ledger";

const ORDERS = 200;

let app: AppServer;
beforeAll(async () => {
  // A short lease, so the dead process's claims are taken over within the test (longer than a send's timeout).
  app = await startAppServer({ env: { WORKER_LEASE_MS: "12000" } });
});
afterAll(() => app?.stop(), 30_000);

it("loses no acknowledged webhook and sends every due mail when the server is killed mid-burst", async () => {
  const deliveries = orderBurst(61_000, ORDERS, paidAnHourAgo());
  let killed: Promise<void> | null = null;
  let answered = 0;
  const mailGoingOut = () => app.capture.count >= 20;
  const sent = await sendAll(app.baseUrl, deliveries, 24, async () => {
    answered++;
    // Kill once a good part of the burst is in and mail is going out. A server that acknowledges half the
    // burst before its first mails reach SendGrid is waited for there, so the kill still falls mid-burst.
    if (!killed && !mailGoingOut() && answered >= ORDERS / 2) {
      const deadline = Date.now() + 60_000;
      while (!killed && !mailGoingOut() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (!killed && mailGoingOut()) {
      killed = app.kill("SIGKILL");
    }
  });
  expect(killed).not.toBeNull();
  await killed;
  // What SendGrid took up to the kill: the sends in flight at that moment (up to WORKER_CONCURRENCY)
  // reach the stand-in just after it, and the dead worker never marked them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const acceptedAtKill = new Set(app.capture.mails.map((m) => m.customArgs.notification_id!));
  const answeredBeforeKill = acknowledged(sent).length;
  expect(answeredBeforeKill).toBeGreaterThan(0);
  expect(answeredBeforeKill).toBeLessThan(sent.length); // the kill really cut the burst short

  // Mails SendGrid took whose rows the kill left unmarked: the one window for a second copy.
  const marked = await app.db.notification.findMany({ where: { id: { in: [...acceptedAtKill] }, status: "sent" }, select: { id: true } });
  const unmarked = new Set([...acceptedAtKill].filter((id) => !marked.some((m) => m.id === id)));

  await app.restart();
  await inboxDrained(app);
  // Before any retry: everything answered 200 before the kill was kept.
  const beforeRetries = await expectRecorded(app, sent);
  expect(beforeRetries.recorded).toBe(beforeRetries.acknowledged);

  const refused = await retryUntilAnswered(app.baseUrl, sent);
  await inboxDrained(app);
  const all = await expectRecorded(app, sent.map((s) => ({ ...s, status: 200 })));
  expect(all.recorded).toBe(new Set(deliveries.map((d) => d.webhookId)).size);
  const orders = await app.db.order.count({ where: { shopifyId: { in: orderIdsOf(deliveries) } } });
  expect(orders).toBe(ORDERS);

  const mail = await expectMailOnce(app, orderIdsOf(deliveries), { allowedDuplicates: unmarked });
  summary("kill -9 of the server mid-burst", { acknowledged: beforeRetries.acknowledged, recorded: beforeRetries.recorded, refused, ...mail }, `${unmarked.size} mails accepted by SendGrid but unmarked at the kill`);
}, 240_000);
