// SendGrid accepting the connection and never answering: the mail client gives up after its 10 s
// timeout, the row is retried after its backoff, and every due mail is sent once. (A hung request
// SendGrid had in fact accepted would be sent again: see "What Parcelwise does not guarantee".)
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { expectMailOnce, expectRecorded, inboxDrained, orderBurst, orderIdsOf, paidAnHourAgo, sendAll, summary } from "../support/fault-ledger";

const ORDERS = 30;

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(() => app?.stop(), 30_000);

it("sends every due mail once when SendGrid hangs on some requests", async () => {
  const hung = 3;
  app.capture.hangNext(hung);
  const deliveries = orderBurst(81_000, ORDERS, paidAnHourAgo());
  const sent = await sendAll(app.baseUrl, deliveries);
  await inboxDrained(app);
  const recorded = await expectRecorded(app, sent);
  expect(recorded.recorded).toBe(recorded.acknowledged);

  const orderIds = orderIdsOf(deliveries);
  const mail = await expectMailOnce(app, orderIds, { timeoutMs: 150_000 });
  const rows = await app.db.notification.findMany({ where: { orderShopifyId: { in: orderIds } }, select: { attempts: true } });
  // The hung sends timed out and took a second attempt, nothing else did: the mails of the hung requests
  // (a request may carry several mails).
  expect(app.capture.hungMails).toBeGreaterThanOrEqual(hung);
  expect(rows.filter((r) => r.attempts === 2)).toHaveLength(app.capture.hungMails);
  expect(app.logs.some((line) => line.includes('"retried":'))).toBe(true);
  summary("SendGrid hanging", { ...recorded, ...mail }, `${hung} requests (${app.capture.hungMails} mails) hung until the client's timeout, each mail sent on its retry`);
}, 200_000);
