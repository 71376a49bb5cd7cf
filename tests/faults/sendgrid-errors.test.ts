// SendGrid answering 500, and 429 with a rate-limit reset, while webhooks plan mail that is due at once.
// A 500 is retried after its backoff (30–60 s for the first retry); a 429 pauses the account until the
// reset without spending an attempt. Either way every due mail is sent, once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, startAppServer, type AppServer } from "../support/app-server";
import { expectMailOnce, expectRecorded, inboxDrained, orderBurst, orderIdsOf, paidAnHourAgo, sendAll, summary } from "../support/fault-ledger";

const ORDERS = 40;

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(() => app?.stop(), 30_000);

it("sends every due mail once when SendGrid answers 500 for a while", async () => {
  const failures = 6;
  app.capture.failNext(500, failures);
  const deliveries = orderBurst(71_000, ORDERS, paidAnHourAgo());
  const sent = await sendAll(app.baseUrl, deliveries);
  await inboxDrained(app);
  const recorded = await expectRecorded(app, sent);
  expect(recorded.recorded).toBe(recorded.acknowledged);

  const orderIds = orderIdsOf(deliveries);
  // The refused mails wait for their backoff, with SendGrid's error.
  // The worker sends while it records, or just after: the refused sends show once it has tried them.
  const retrying = await eventually(async () => {
    const rows = await app.db.notification.findMany({ where: { orderShopifyId: { in: orderIds }, lastError: { not: null } }, select: { lastError: true } });
    return rows.length >= 1 ? rows : null;
  }, 20_000, "the refused sends kept with SendGrid's error");
  expect(retrying.length).toBeGreaterThanOrEqual(1);
  expect(retrying.every((n) => n.lastError?.includes("500") || n.lastError?.includes("Internal server error"))).toBe(true);

  const mail = await expectMailOnce(app, orderIds, { timeoutMs: 120_000 });
  const rows = await app.db.notification.findMany({ where: { orderShopifyId: { in: orderIds } }, select: { attempts: true, lastError: true } });
  // Exactly the refused sends took a second attempt, and succeeded: the mails of the refused requests
  // (a request may carry several mails).
  expect(app.capture.refusedMails).toBeGreaterThanOrEqual(failures);
  expect(rows.filter((r) => r.attempts === 2)).toHaveLength(app.capture.refusedMails);
  expect(rows.every((r) => r.lastError === null)).toBe(true);
  summary("SendGrid 500", { ...recorded, ...mail }, `${failures} requests refused (${app.capture.refusedMails} mails), each mail sent on its retry`);
}, 180_000);

it("pauses on 429 until the reset, spends no attempt, and then sends every due mail once", async () => {
  app.capture.failNext(429, 1, { retryAfterSeconds: 3 });
  const deliveries = orderBurst(72_000, ORDERS, paidAnHourAgo());
  const sent = await sendAll(app.baseUrl, deliveries);
  await inboxDrained(app);
  const recorded = await expectRecorded(app, sent);
  expect(recorded.recorded).toBe(recorded.acknowledged);

  const orderIds = orderIdsOf(deliveries);
  const mail = await expectMailOnce(app, orderIds, { timeoutMs: 60_000 });
  const rows = await app.db.notification.findMany({ where: { orderShopifyId: { in: orderIds } }, select: { attempts: true } });
  // Waiting out a rate limit is not a failed attempt: every row was sent on its first.
  expect(rows.every((r) => r.attempts === 1)).toBe(true);
  // A batch's own line, or the line of its stragglers (mails answered after the next batch began).
  const postponed = app.logs.filter((line) => (line.includes('"worker batch"') || line.includes('"worker batch stragglers"')) && /"retried":[1-9]/.test(line)).length;
  expect(postponed).toBeGreaterThanOrEqual(1);
  summary("SendGrid 429 with a 3 s reset", { ...recorded, ...mail });
}, 120_000);
