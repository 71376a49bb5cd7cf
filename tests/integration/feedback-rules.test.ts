// The feedback request's rules through the real server: signed Shopify webhooks in over HTTP, the
// in-process worker sending to the local SendGrid capture server. After a delay notice the request thanks
// the buyer for their patience (or is skipped, in a shop that chose so); a refund or an open return
// withdraws it; one buyer hears once within 30 days across orders; an order with items still to ship
// waits for its last parcel. Where a case needs a state webhooks cannot reach quickly, rows are set
// through `app.db`, and the comment says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Notification, Prisma } from "@prisma/client";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { moveIntoDaytime, timeZoneForCountry } from "~/notifications/daytime";
import refundSample from "../fixtures/shopify-webhooks/refunds_create.shopify-docs-2026-04.json";
import returnSample from "../fixtures/shopify-webhooks/returns_request.shopify-docs-2025-04.json";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const SKIP_SHOP = "parcelwise-skips-after-delay.myshopify.com";

let app: AppServer;

const ago = (ms: number) => new Date(Date.now() - ms);
/** Noon in Berlin `days` days ago: inside the buyer's daytime, so a request due then is due now. */
function noonDaysAgo(days: number): Date {
  const d = ago(days * DAY);
  d.setUTCHours(11, 0, 0, 0);
  return d;
}

function buyer(n: number, overrides: Partial<Buyer> = {}): Buyer {
  return { first: `Buyer${n}`, last: "Tester", email: `buyer${n}@example.test`, locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1", ...overrides };
}

async function deliver(topic: string, payload: unknown, extra: { shop?: string; webhookId?: string } = {}) {
  const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop: extra.shop ?? TEST_SHOP, payload, webhookId: extra.webhookId ?? randomUUID() });
  expect(response.status, `${topic} webhook`).toBe(200);
  return response;
}

/** Delivers and waits until the worker has recorded (and re-planned) it. */
async function recorded(topic: string, payload: unknown, shop = TEST_SHOP) {
  const webhookId = randomUUID();
  await deliver(topic, payload, { shop, webhookId });
  await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop, webhookId, status: "processed" } })) === 1, 10_000, `${topic} processed`);
}

const mailsTo = (email: string, kind?: string) =>
  app.capture.mails.filter((m) => m.to.some((to) => to.toLowerCase() === email.toLowerCase()) && (kind === undefined || m.categories.includes(kind)));

const findNotification = (shop: string, orderId: number, kind: string) => app.db.notification.findFirst({ where: { shop, orderShopifyId: String(orderId), kind } });

async function notificationWhen(shop: string, orderId: number, kind: string, ok: (n: Notification) => boolean, timeoutMs = 10_000) {
  return eventually(
    async () => {
      const row = await findNotification(shop, orderId, kind);
      return row && ok(row) ? row : null;
    },
    timeoutMs,
    `the ${kind} of order ${orderId} in ${shop}`,
  );
}

async function nothingLeftToSend(where: Prisma.NotificationWhereInput, what: string) {
  const pending = { OR: [{ status: "sending" as const }, { status: "scheduled" as const, scheduledFor: { lte: new Date() } }] };
  await eventually(async () => (await app.db.notification.count({ where: { AND: [where, pending] } })) === 0, 10_000, `nothing left to send ${what}`);
}

const orderAt = (orderId: number, b: Buyer, processed: Date, updated = processed, extra: Record<string, unknown> = {}) =>
  orderPayloadFor(orderId, orderId + 10_000, b, { processed, updated }, extra);

const fulfillment = (id: number, orderId: number, created: Date) => fulfillmentPayloadFor(id, orderId, "DHL Express", `JD0147000${id}`, "DE", { created, updated: created });

/** An order paid, whose one parcel the carrier reports delivered at `deliveredAt` (the event first: no shipping confirmation, no delay notice). */
async function deliveredOrder(orderId: number, b: Buyer, deliveredAt: Date, shop = TEST_SHOP) {
  await recorded("orders/paid", orderAt(orderId, b, new Date(deliveredAt.getTime() - 3 * DAY)), shop);
  await recorded("fulfillment_events/create", fulfillmentEventFor(orderId + 2000, orderId + 1000, orderId, "delivered", deliveredAt), shop);
  await recorded("fulfillments/create", fulfillment(orderId + 1000, orderId, new Date(deliveredAt.getTime() - 2 * DAY)), shop);
}

/**
 * An order shipped two days ago whose carrier reported a failure yesterday (a delay notice goes out), then
 * delivered an hour ago: its feedback request (if planned) is due in a week.
 */
async function delayedOrder(orderId: number, b: Buyer, shop: string) {
  await recorded("orders/paid", orderAt(orderId, b, ago(3 * DAY)), shop);
  await recorded("fulfillments/create", fulfillment(orderId + 1000, orderId, ago(2 * DAY)), shop);
  await notificationWhen(shop, orderId, "shipping_confirmation", (n) => n.status === "sent", 30_000);
  await recorded("fulfillment_events/create", fulfillmentEventFor(orderId + 2000, orderId + 1000, orderId, "failure", noonDaysAgo(1), { message: "Recipient not available" }), shop);
  await notificationWhen(shop, orderId, "delay_notice", (n) => n.status === "sent", 30_000);
  await recorded("fulfillment_events/create", fulfillmentEventFor(orderId + 2001, orderId + 1000, orderId, "delivered", ago(60 * MINUTE)), shop);
}

/** A week later: webhooks cannot make a week pass, so the planned request is made due here. */
async function aWeekLater(shop: string, orderId: number) {
  const planned = await notificationWhen(shop, orderId, "feedback_request", (n) => n.status === "scheduled" && n.scheduledFor.getTime() > Date.now() + 6 * DAY);
  await app.db.notification.update({ where: { id: planned.id }, data: { scheduledFor: ago(SECOND) } });
}

beforeAll(async () => {
  app = await startAppServer({ seedShops: [TEST_SHOP, SKIP_SHOP] });
  await app.db.shop.update({ where: { domain: SKIP_SHOP }, data: { feedbackAfterDelay: "skip" } });
});
afterAll(async () => {
  await app?.stop();
});

describe("the feedback request respects what happened", () => {
  it("after a delay notice, thanks the buyer for their patience first", async () => {
    const b = buyer(5001);
    await delayedOrder(5001, b, TEST_SHOP);
    await aWeekLater(TEST_SHOP, 5001);
    // The window the shipping confirmation printed is kept as the promise made.
    const shipment = await app.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "6001" } } });
    expect(shipment.promisedDeliveryTo).not.toBeNull();

    const mail = await eventually(async () => mailsTo(b.email, "feedback_request")[0]);
    expect(mail.text).toContain("Thank you for your patience: your parcel took longer to reach you than we said it would");
    expect(mail.html).toContain("Thank you for your patience");
    // The patience comes first, before the usual hope.
    expect(mail.text?.indexOf("Thank you for your patience")).toBeLessThan(mail.text?.indexOf("We hope your order") ?? -1);
    await notificationWhen(TEST_SHOP, 5001, "feedback_request", (n) => n.status === "sent");
  });

  it("without a delay, the request reads as before", async () => {
    const b = buyer(5010);
    await deliveredOrder(5010, b, noonDaysAgo(8));
    const mail = await eventually(async () => mailsTo(b.email, "feedback_request")[0]);
    expect(mail.text).toContain("We hope your order #15010 arrived safely");
    expect(mail.text).not.toContain("patience");
  });

  it("is skipped after a delay notice when the merchant chose skip", async () => {
    const b = buyer(5002);
    await delayedOrder(5002, b, SKIP_SHOP);
    await nothingLeftToSend({ shop: SKIP_SHOP, orderShopifyId: "5002" }, "for order 5002");
    // Planned from the estimate before the delay, withdrawn once it was delivered late: nothing waits.
    const request = await findNotification(SKIP_SHOP, 5002, "feedback_request");
    expect(request === null || request.status === "cancelled").toBe(true);
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(0);
    expect(mailsTo(b.email, "delay_notice")).toHaveLength(1);

    // A parcel of the same shop that came on time still gets its request.
    const onTime = buyer(5012);
    await deliveredOrder(5012, onTime, noonDaysAgo(8), SKIP_SHOP);
    await eventually(async () => mailsTo(onTime.email, "feedback_request")[0]);
  });

  it("a refunds/create webhook withdraws the waiting request", async () => {
    const b = buyer(5003);
    await deliveredOrder(5003, b, ago(2 * DAY));
    const planned = await notificationWhen(TEST_SHOP, 5003, "feedback_request", (n) => n.status === "scheduled");
    expect(planned.scheduledFor.getTime()).toBeGreaterThan(Date.now());

    await recorded("refunds/create", { ...refundSample, order_id: 5003 });
    const withdrawn = await notificationWhen(TEST_SHOP, 5003, "feedback_request", (n) => n.status === "cancelled");
    expect(withdrawn.id).toBe(planned.id);
    // Activity says why.
    expect(withdrawn.lastError).toBe("not sent: the order has a refund");
    const order = await app.db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "5003" } } });
    expect(order.refundedAt?.toISOString()).toBe(new Date(refundSample.created_at).toISOString());

    // A later update of the order plans nothing again: the refund stands.
    await recorded("orders/updated", orderAt(5003, b, ago(5 * DAY), new Date()));
    expect((await findNotification(TEST_SHOP, 5003, "feedback_request"))?.status).toBe("cancelled");
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(0);
  });

  it("an open return withdraws it; a declined return gives it back", async () => {
    const b = buyer(5004);
    await deliveredOrder(5004, b, ago(2 * DAY));
    await notificationWhen(TEST_SHOP, 5004, "feedback_request", (n) => n.status === "scheduled");

    await recorded("returns/request", { ...returnSample, order: { ...returnSample.order, id: 5004 } });
    const withdrawn = await notificationWhen(TEST_SHOP, 5004, "feedback_request", (n) => n.status === "cancelled");
    expect(withdrawn.lastError).toBe("not sent: the order has an open return");
    const order = await app.db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "5004" } } });
    expect(order.returnStatus).toBe("RETURN_REQUESTED");

    await recorded("returns/decline", { ...returnSample, status: "declined", order: { ...returnSample.order, id: 5004 } });
    const back = await notificationWhen(TEST_SHOP, 5004, "feedback_request", (n) => n.status === "scheduled");
    expect(back.lastError).toBeNull();
  });

  it("a buyer's second order within 30 days gets no request (the address compared as normalised)", async () => {
    const b = buyer(5005);
    await deliveredOrder(5005, b, noonDaysAgo(8));
    await eventually(async () => mailsTo(b.email, "feedback_request")[0]);
    await notificationWhen(TEST_SHOP, 5005, "feedback_request", (n) => n.status === "sent");

    await deliveredOrder(5006, { ...b, email: ` ${b.email.toUpperCase()}` }, noonDaysAgo(8));
    await nothingLeftToSend({ shop: TEST_SHOP, orderShopifyId: "5006" }, "for order 5006");
    expect(await findNotification(TEST_SHOP, 5006, "feedback_request")).toBeNull();
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(1);
  });

  it("two orders of one buyer due the same week: only one goes, the other is cancelled with the reason", async () => {
    const b = buyer(5007);
    // The later delivery first, so both requests are planned (the earlier one is not held by a later one).
    await deliveredOrder(5008, b, ago(1 * DAY));
    await deliveredOrder(5007, b, ago(2 * DAY));
    const [first, second] = await Promise.all([
      notificationWhen(TEST_SHOP, 5007, "feedback_request", (n) => n.status === "scheduled"),
      notificationWhen(TEST_SHOP, 5008, "feedback_request", (n) => n.status === "scheduled"),
    ]);
    // Both due now: webhooks cannot bring two requests due within seconds, so their times are set here.
    await app.db.notification.update({ where: { id: first.id }, data: { scheduledFor: ago(2 * SECOND) } });
    await app.db.notification.update({ where: { id: second.id }, data: { scheduledFor: ago(SECOND) } });

    const sent = await notificationWhen(TEST_SHOP, 5007, "feedback_request", (n) => n.status === "sent");
    const cancelled = await notificationWhen(TEST_SHOP, 5008, "feedback_request", (n) => n.status === "cancelled");
    expect(sent.id).toBe(first.id);
    expect(cancelled.lastError).toBe("not sent: the buyer had a feedback request for order #15007 within 30 days");
    await nothingLeftToSend({ recipient: b.email }, `to ${b.email}`);
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(1);
  });

  it("an order of two parcels gets its request only after the second is delivered", async () => {
    const b = buyer(5009);
    const lines = (toShip: number) => ({ line_items: [{ id: 1, quantity: 2, fulfillable_quantity: toShip, requires_shipping: true }] });
    await recorded("orders/paid", orderAt(5009, b, ago(13 * DAY), ago(13 * DAY), lines(2)));
    // The first parcel: one of the two items, delivered ten days ago.
    await recorded("fulfillment_events/create", fulfillmentEventFor(7009, 6009, 5009, "delivered", noonDaysAgo(10)));
    await recorded("fulfillments/create", fulfillment(6009, 5009, ago(12 * DAY)));
    await recorded("orders/updated", orderAt(5009, b, ago(13 * DAY), ago(12 * DAY), lines(1)));
    await nothingLeftToSend({ shop: TEST_SHOP, orderShopifyId: "5009" }, "for order 5009");
    expect(await findNotification(TEST_SHOP, 5009, "feedback_request")).toBeNull();

    // The second parcel ships today: nothing is left to fulfil, but it is on its way (its window ahead).
    await recorded("fulfillments/create", fulfillment(6019, 5009, ago(MINUTE)));
    await recorded("orders/updated", orderAt(5009, b, ago(13 * DAY), ago(MINUTE), lines(0)));
    await nothingLeftToSend({ shop: TEST_SHOP, orderShopifyId: "5009" }, "for order 5009");
    const waiting = await findNotification(TEST_SHOP, 5009, "feedback_request");
    expect(waiting === null || (waiting.status === "scheduled" && waiting.scheduledFor.getTime() > Date.now())).toBe(true);
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(0);

    // Delivered: the request is due seven days after the second delivery (not the first).
    const secondDelivered = ago(SECOND);
    await recorded("fulfillment_events/create", fulfillmentEventFor(7019, 6019, 5009, "delivered", secondDelivered));
    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const planned = await notificationWhen(TEST_SHOP, 5009, "feedback_request", (n) => n.status === "scheduled");
    expect(planned.scheduledFor.toISOString()).toBe(moveIntoDaytime(new Date(secondDelivered.getTime() + 7 * DAY), timeZoneForCountry("DE", shop.timezone)).toISOString());
    await aWeekLater(TEST_SHOP, 5009);
    await notificationWhen(TEST_SHOP, 5009, "feedback_request", (n) => n.status === "sent");
    expect(mailsTo(b.email, "feedback_request")).toHaveLength(1);
  });
});
