// The webhook inbox and the mail queue are two jobs of one runner, each in its own loop: a mail batch
// stuck on a hung SendGrid request does not hold up recording the next webhook.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";
import { seedDueNotifications } from "../support/due-notifications";

const STUCK_SHOP = "parcelwise-stuck.myshopify.com";
const MINUTE = 60_000;

let app: AppServer;

beforeAll(async () => {
  // One mail in flight at a time: a hung send holds its batch until the mail client's 10 s timeout.
  app = await startAppServer({ env: { WORKER_CONCURRENCY: "1" } });
});
// Stopping waits for the hung send to time out.
afterAll(() => app?.stop(), 30_000);

it("records a webhook delivery while a mail batch is stuck on a hung SendGrid request", async () => {
  app.capture.hangNext(1);
  // Two due mails seeded at once, so one claim takes both: the first hangs, the second waits behind it.
  await seedDueNotifications(app.db, { shop: STUCK_SHOP, count: 2, dueAt: new Date(Date.now() - MINUTE), kinds: ["shipping_confirmation"] });
  await eventually(
    async () => (await app.db.notification.count({ where: { shop: STUCK_SHOP, status: "sending" } })) === 2,
    10_000,
    "the mail batch claimed both notifications",
  );

  const webhookId = randomUUID();
  const paidAt = new Date(Date.now() - MINUTE);
  const order = orderPayloadFor(4001, 14001, { first: "Ada", last: "Waiting", email: "ada@example.test", locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" }, { processed: paidAt, updated: paidAt });
  const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: order, webhookId });
  expect(response.status).toBe(200);
  await eventually(
    async () => (await app.db.webhookReceipt.findFirst({ where: { shop: TEST_SHOP, webhookId, status: "processed" } })) !== null,
    3_000,
    "orders/paid recorded while the mail batch hangs",
  );
  expect(await app.db.notification.findFirst({ where: { shop: TEST_SHOP, orderShopifyId: "4001", kind: "handling_commitment" } })).not.toBeNull();

  // The batch really was still stuck when the delivery was recorded: nothing reached SendGrid yet.
  expect(await app.db.notification.count({ where: { shop: STUCK_SHOP, status: "sending" } })).toBe(2);
  expect(app.capture.count).toBe(0);
}, 30_000);
