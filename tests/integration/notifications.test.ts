// The notification engine end to end through the real server: signed Shopify webhooks in over HTTP, the
// in-process worker (WORKER_POLL_MS=50) claims due notifications, renders the shop's Liquid template and
// sends through the real mailer (POST /v3/mail/send) to the local SendGrid capture server, which can be told
// to fail (429, 500, 400, 403) or hang. Where a case needs a state webhooks cannot reach quickly, rows are
// set through `app.db`, and the comment says so.
//
// One server for the file; shop-wide states (403 block, uninstall, a broken template, a non-English
// primary locale) each get their own seeded shop so they cannot leak into the other tests. Every test
// uses its own order, fulfillment and buyer ids. `capture.failNext` / `hangNext` act on the next send
// of any shop, so each is armed only when the test's own mail is the only one about to be due.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Notification, Prisma } from "@prisma/client";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { moveIntoDaytime, timeZoneForCountry } from "~/notifications/daytime";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const BLOCKED_SHOP = "parcelwise-blocked.myshopify.com";
const BROKEN_SHOP = "parcelwise-broken-template.myshopify.com";
const LEAVING_SHOP = "parcelwise-leaving.myshopify.com";
const LOCALE_SHOP = "parcelwise-french.myshopify.com";

let app: AppServer;

const ago = (ms: number) => new Date(Date.now() - ms);

function buyer(n: number, overrides: Partial<Buyer> = {}): Buyer {
  return {
    first: `Buyer${n}`,
    last: "Tester",
    email: `buyer${n}@example.test`,
    locale: "en",
    country: "DE",
    city: "Berlin",
    zip: "10115",
    address1: "Street 1",
    ...overrides,
  };
}

async function deliver(topic: string, payload: unknown, extra: { shop?: string; webhookId?: string } = {}) {
  const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop: extra.shop ?? TEST_SHOP, payload, webhookId: extra.webhookId });
  expect(response.status, `${topic} webhook`).toBe(200);
  return response;
}

const mailsTo = (email: string, kind?: string) =>
  app.capture.mails.filter((m) => m.to.includes(email) && (kind === undefined || m.categories.includes(kind)));

const findNotification = (shop: string, orderId: number, kind: string) =>
  app.db.notification.findFirst({ where: { shop, orderShopifyId: String(orderId), kind } });

/** Polls until the order's notification of `kind` exists and satisfies `ok`. */
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

/**
 * orders/paid one minute ago (so the handling commitment is due in nine minutes and never goes out
 * during the test), waiting until it is planned so the fulfillment is processed after it.
 */
async function paidOrder(orderId: number, b: Buyer, shop = TEST_SHOP) {
  const order = orderPayloadFor(orderId, orderId + 10_000, b, { processed: ago(MINUTE), updated: ago(MINUTE) });
  await deliver("orders/paid", order, { shop });
  await notificationWhen(shop, orderId, "handling_commitment", (n) => n.status === "scheduled");
  return order;
}

function fulfillment(id: number, orderId: number, country: string, created = ago(DAY), company = "DHL Express", number = `JD0146000${id}`) {
  return fulfillmentPayloadFor(id, orderId, company, number, country, { created, updated: created });
}

/**
 * The worker has nothing left to send for these notifications: none is being sent or due (the rest is
 * scheduled for later). It sends only what it claims, so nothing more can go out for them now.
 */
async function nothingLeftToSend(where: Prisma.NotificationWhereInput, what: string) {
  const pending = { OR: [{ status: "sending" as const }, { status: "scheduled" as const, scheduledFor: { lte: new Date() } }] };
  await eventually(async () => (await app.db.notification.count({ where: { AND: [where, pending] } })) === 0, 10_000, `nothing left to send ${what}`);
}

/** Nothing more can go out for `email`, and `expected` mails (of `kind`) did. */
async function stillNoMoreMail(email: string, expected: number, kind?: string) {
  await nothingLeftToSend({ recipient: email }, `to ${email}`);
  expect(mailsTo(email, kind)).toHaveLength(expected);
}

beforeAll(async () => {
  app = await startAppServer({ seedShops: [TEST_SHOP, BLOCKED_SHOP, BROKEN_SHOP, LEAVING_SHOP, LOCALE_SHOP] });
});
afterAll(async () => {
  await app?.stop();
});

describe("the notification engine through the real server", () => {
  it("sends one shipping confirmation with the right envelope and body, cancels the handling commitment, and ignores a replay", async () => {
    const b = buyer(1001);
    const order = await paidOrder(1001, b);
    const payload = fulfillment(2001, 1001, "DE", ago(DAY), "DHL Express", "1234567890");
    const webhookId = randomUUID();
    await deliver("fulfillments/create", payload, { webhookId });

    const mail = await eventually(async () => mailsTo(b.email, "shipping_confirmation")[0]);
    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const notification = await notificationWhen(TEST_SHOP, 1001, "shipping_confirmation", (n) => n.status === "sent");
    const shipment = await app.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "2001" } } });

    // Envelope.
    expect(mail.to).toEqual([b.email]);
    expect(mail.from).toBe(shop.senderEmail && shop.senderVerifiedAt ? shop.senderEmail : "notifications@parcelwise.app");
    expect(mail.fromName).toBe(shop.senderName ?? shop.name);
    expect(mail.replyTo).toBe(shop.replyToEmail ?? shop.contactEmail);
    expect(mail.replyTo).toBe("owner@parcelwise-test.example");
    expect(mail.categories).toContain("shipping_confirmation");
    expect(mail.customArgs).toEqual({ notification_id: notification.id, shop: TEST_SHOP });
    // SendGrid keeps categories and custom args in plain sight: no personal data there.
    const metadata = JSON.stringify([mail.categories, mail.customArgs]);
    expect(metadata).not.toContain("@");
    for (const personal of [b.first, b.last, b.email]) expect(metadata).not.toContain(personal);

    // Body.
    const trackingUrl = (JSON.parse(shipment.trackingUrls) as string[])[0];
    expect(trackingUrl).toMatch(/^https:\/\//);
    for (const body of [mail.text!, mail.html!]) {
      expect(body).toContain("DHL Express");
      expect(body).toContain("1234567890");
      expect(body).toContain("/apps/parcelwise/track?order=11001");
    }
    expect(mail.text).toContain(trackingUrl);
    expect(mail.html).toContain(trackingUrl.replace(/&/g, "&amp;"));
    expect(mail.text).toContain(`https://${TEST_SHOP}/apps/parcelwise/track?order=11001`);

    // The row: sent, with SendGrid's message id and what was handed over.
    expect(notification.providerMessageId).toBe(mail.id);
    expect(notification.html).toBe(mail.html);
    expect(notification.text).toBe(mail.text);
    expect(notification.subject).toBe(mail.subject);
    expect(notification.sentAt).not.toBeNull();
    expect(notification.attempts).toBe(1);

    // The handling commitment (due 10 minutes after payment) is obsolete: the order shipped.
    const handling = await findNotification(TEST_SHOP, 1001, "handling_commitment");
    expect(handling?.status).toBe("cancelled");
    expect(handling!.scheduledFor.getTime() - new Date(order.processed_at).getTime()).toBe(10 * MINUTE);

    // Shopify retries the same webhook: accepted, nothing more is sent.
    await deliver("fulfillments/create", payload, { webhookId });
    expect(await app.db.webhookReceipt.count({ where: { shop: TEST_SHOP, webhookId } })).toBe(1);
    await stillNoMoreMail(b.email, 1);
    // The replay planned nothing new: no second confirmation or update; the rest (a possible delay
    // notice, the feedback request) waits in the future.
    const rows = await app.db.notification.findMany({ where: { shop: TEST_SHOP, orderShopifyId: "1001" } });
    expect(rows.filter((n) => n.kind === "shipping_confirmation" || n.kind === "tracking_updated")).toHaveLength(1);
    for (const n of rows.filter((n) => !["shipping_confirmation", "handling_commitment"].includes(n.kind))) {
      expect([n.kind, n.status, n.scheduledFor.getTime() > Date.now()]).toEqual([n.kind, "scheduled", true]);
    }
  });

  it("escapes the buyer's name in the HTML body and keeps it literal in the text body", async () => {
    const hostile = "<b>Eve</b><script>alert(1)</script>";
    const b = buyer(1002, { first: hostile, last: "<b>Mallory</b>" });
    await paidOrder(1002, b);
    await deliver("fulfillments/create", fulfillment(2002, 1002, "DE"));
    const mail = await eventually(async () => mailsTo(b.email, "shipping_confirmation")[0]);

    expect(mail.html).toContain("&lt;b&gt;Eve&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).not.toContain("<script");
    expect(mail.html).not.toContain("<b>Eve");
    expect(mail.html).not.toContain("<b>Mallory");
    expect(mail.text).toContain(hostile);
    expect(mail.text).not.toContain("&lt;");
    const row = await notificationWhen(TEST_SHOP, 1002, "shipping_confirmation", (n) => n.status === "sent");
    expect(row.html).toBe(mail.html);
  });

  it("picks the template by the buyer's locale, its language, then the shop's primary locale, then English", async () => {
    // A shop whose primary locale is French: set through the database (the Admin API stand-in answers "en").
    await app.db.shop.update({ where: { domain: LOCALE_SHOP }, data: { primaryLocale: "fr" } });
    const cases = [
      { order: 1031, shop: TEST_SHOP, b: buyer(1031, { locale: "ja", country: "JP" }) },
      { order: 1032, shop: TEST_SHOP, b: buyer(1032, { locale: "de-CH", country: "CH" }) },
      { order: 1033, shop: TEST_SHOP, b: buyer(1033, { locale: "xx", country: "US" }) },
      { order: 1034, shop: LOCALE_SHOP, b: buyer(1034, { locale: "xx", country: "FR" }) },
    ];
    for (const c of cases) await paidOrder(c.order, c.b, c.shop);
    for (const [i, c] of cases.entries()) await deliver("fulfillments/create", fulfillment(2031 + i, c.order, c.b.country), { shop: c.shop });
    const [ja, de, xx, xxFr] = await Promise.all(
      cases.map((c) => eventually(async () => mailsTo(c.b.email, "shipping_confirmation")[0])),
    );

    expect(ja.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(ja.subject).toContain("発送");
    expect(ja.subject).toContain("#11031");
    expect(ja.subject).not.toContain("has shipped");
    expect(de.subject).toBe("Ihre Bestellung #11032 wurde versandt");
    expect(xx.subject).toBe("Your order #11033 has shipped");
    expect(xxFr.subject).toBe("Votre commande #11034 a été expédiée");
    const stored = await findNotification(TEST_SHOP, 1032, "shipping_confirmation");
    expect(stored?.locale).toBe("de-CH");
  });

  it("on 429 waits for the rate-limit reset without spending an attempt, then sends exactly once", async () => {
    const b = buyer(1004);
    await paidOrder(1004, b);
    app.capture.failNext(429, 1, { retryAfterSeconds: 2 });
    const before = Date.now();
    await deliver("fulfillments/create", fulfillment(2004, 1004, "DE"));

    const waiting = await notificationWhen(TEST_SHOP, 1004, "shipping_confirmation", (n) => n.status === "scheduled" && n.lastError !== null);
    const seen = Date.now();
    expect(waiting.lastError).toMatch(/rate limit/i);
    expect(waiting.attempts).toBe(0);
    expect(waiting.scheduledFor.getTime()).toBeGreaterThanOrEqual(before + 1 * SECOND);
    expect(waiting.scheduledFor.getTime()).toBeLessThanOrEqual(seen + 3.5 * SECOND);
    expect(mailsTo(b.email)).toHaveLength(0);

    const sent = await notificationWhen(TEST_SHOP, 1004, "shipping_confirmation", (n) => n.status === "sent", 10_000);
    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(waiting.scheduledFor.getTime());
    expect(sent.attempts).toBe(1);
    expect(sent.lastError).toBeNull();
    await stillNoMoreMail(b.email, 1);
  });

  it("on 500 reschedules with backoff (30–60 s for the first retry), then sends once when due", async () => {
    const b = buyer(1005);
    await paidOrder(1005, b);
    app.capture.failNext(500, 1);
    const before = Date.now();
    await deliver("fulfillments/create", fulfillment(2005, 1005, "DE"));

    const retry = await notificationWhen(TEST_SHOP, 1005, "shipping_confirmation", (n) => n.status === "scheduled" && n.lastError !== null);
    const seen = Date.now();
    expect(retry.lastError).toMatch(/500/);
    expect(retry.attempts).toBe(1);
    expect(retry.scheduledFor.getTime()).toBeGreaterThanOrEqual(before + 30 * SECOND);
    expect(retry.scheduledFor.getTime()).toBeLessThanOrEqual(seen + 60 * SECOND);
    await stillNoMoreMail(b.email, 0);

    // Waiting 30–60 s for the backoff is too slow for a test: move the retry to now through the database.
    await app.db.notification.update({ where: { id: retry.id }, data: { scheduledFor: new Date() } });
    const sent = await notificationWhen(TEST_SHOP, 1005, "shipping_confirmation", (n) => n.status === "sent");
    expect(sent.attempts).toBe(2);
    expect(sent.lastError).toBeNull();
    await stillNoMoreMail(b.email, 1);
  });

  it("on 400 marks the notification failed with SendGrid's message and never retries it", async () => {
    const b = buyer(1006);
    await paidOrder(1006, b);
    const message = "The content value must be a string at least one character in length.";
    app.capture.failNext(400, 1, { message });
    await deliver("fulfillments/create", fulfillment(2006, 1006, "DE"));

    const failed = await notificationWhen(TEST_SHOP, 1006, "shipping_confirmation", (n) => n.status === "failed");
    expect(failed.lastError).toContain(message);
    expect(failed.lastError).toMatch(/400/);
    const count = app.capture.count;
    await nothingLeftToSend({}, "at all");
    expect(app.capture.count).toBe(count);
    expect(mailsTo(b.email)).toHaveLength(0);
    const later = await app.db.notification.findUniqueOrThrow({ where: { id: failed.id } });
    expect([later.status, later.attempts]).toEqual(["failed", 1]);
  });

  it("on 403 blocks the shop's sending with a clear reason, keeps the notification scheduled and attempts nothing more for that shop", async () => {
    const first = buyer(1007);
    const second = buyer(1017);
    await paidOrder(1007, first, BLOCKED_SHOP);
    await paidOrder(1017, second, BLOCKED_SHOP);
    app.capture.failNext(403, 1);
    const before = Date.now();
    await deliver("fulfillments/create", fulfillment(2007, 1007, "DE"), { shop: BLOCKED_SHOP });

    const shop = await eventually(async () => {
      const row = await app.db.shop.findUniqueOrThrow({ where: { domain: BLOCKED_SHOP } });
      return row.sendingBlockedReason ? row : null;
    });
    expect(shop.sendingBlockedReason).toMatch(/SendGrid refused the sender .*@/);
    expect(shop.sendingBlockedReason).toMatch(/verified Sender Identity/);
    const postponed = await notificationWhen(BLOCKED_SHOP, 1007, "shipping_confirmation", (n) => n.status === "scheduled" && n.lastError !== null);
    expect(postponed.attempts).toBe(0);
    expect(postponed.lastError).toBe(shop.sendingBlockedReason);
    expect(postponed.scheduledFor.getTime()).toBeGreaterThan(before + 10 * MINUTE);

    // A second notification of the same shop falls due: not attempted while the shop is blocked (the 403
    // was a one-off, so an attempt would have been accepted and captured).
    const count = app.capture.count;
    await deliver("fulfillments/create", fulfillment(2017, 1017, "DE"), { shop: BLOCKED_SHOP });
    const second_ = await notificationWhen(BLOCKED_SHOP, 1017, "shipping_confirmation", (n) => n.status === "scheduled" && n.lastError !== null);
    expect(second_.lastError).toBe(shop.sendingBlockedReason);
    expect(second_.attempts).toBe(0);
    await nothingLeftToSend({ shop: BLOCKED_SHOP }, `for ${BLOCKED_SHOP}`);
    expect(app.capture.count).toBe(count);
    expect(mailsTo(first.email).length + mailsTo(second.email).length).toBe(0);
    expect(await app.db.notification.count({ where: { shop: BLOCKED_SHOP, status: "failed" } })).toBe(0);
  });

  it("sends a delay notice on a carrier failure with one-click unsubscribe, and an unsubscribed buyer gets no feedback request", async () => {
    const b = buyer(1008, { country: "DE" });
    await paidOrder(1008, b);
    await deliver("fulfillments/create", fulfillment(2008, 1008, "DE", ago(2 * DAY)));
    // A failure inside the buyer's daytime (delay notices are moved into 09:00–20:00 local), in the past.
    const failureAt = moveIntoDaytime(ago(DAY), timeZoneForCountry("DE", "UTC"));
    await deliver("fulfillment_events/create", fulfillmentEventFor(3008, 2008, 1008, "failure", failureAt, { message: "Recipient not available" }));

    const mail = await eventually(async () => mailsTo(b.email, "delay_notice")[0]);
    expect(mail.categories).toContain("delay_notice");
    const listUnsubscribe = mail.headers["List-Unsubscribe"];
    expect(listUnsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+>$/);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribeUrl = listUnsubscribe.slice(1, -1);
    expect(unsubscribeUrl.startsWith(app.baseUrl)).toBe(true);
    expect(mail.text).toContain(unsubscribeUrl);
    expect(mail.html).toContain(unsubscribeUrl);
    const notice = await notificationWhen(TEST_SHOP, 1008, "delay_notice", (n) => n.status === "sent");
    expect(notice.providerMessageId).toBe(mail.id);
    // The shipping confirmation carries no unsubscribe header (it is not optional).
    const confirmation = await eventually(async () => mailsTo(b.email, "shipping_confirmation")[0]);
    expect(confirmation.headers["List-Unsubscribe"]).toBeUndefined();

    // Delivered six days ago: the feedback request is planned for tomorrow-ish.
    await deliver("fulfillment_events/create", fulfillmentEventFor(3018, 2008, 1008, "delivered", ago(6 * DAY)));
    const planned = await notificationWhen(TEST_SHOP, 1008, "feedback_request", (n) => n.status === "scheduled");
    expect(planned.scheduledFor.getTime()).toBeGreaterThan(Date.now());

    // The mailbox's one-click unsubscribe (RFC 8058).
    const response = await fetch(unsubscribeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await app.db.suppression.count({ where: { shop: TEST_SHOP, email: b.email, reason: "unsubscribe" } })).toBe(1);
    const cancelled = await app.db.notification.findUniqueOrThrow({ where: { id: planned.id } });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.lastError).toMatch(/unsubscribed/);

    // A later order of the same buyer, delivered long ago: no feedback request (nor anything else) is
    // planned or sent for the suppressed address.
    const hooks = [randomUUID(), randomUUID(), randomUUID()];
    await deliver("orders/paid", orderPayloadFor(1018, 11018, b, { processed: ago(10 * DAY), updated: ago(10 * DAY) }), { webhookId: hooks[0] });
    await deliver("fulfillment_events/create", fulfillmentEventFor(3038, 2018, 1018, "delivered", ago(8 * DAY)), { webhookId: hooks[1] });
    await deliver("fulfillments/create", fulfillment(2018, 1018, "DE", ago(9 * DAY)), { webhookId: hooks[2] });
    await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop: TEST_SHOP, webhookId: { in: hooks }, status: "processed" } })) === 3);
    expect(await app.db.notification.count({ where: { shop: TEST_SHOP, orderShopifyId: "1018", status: { not: "cancelled" } } })).toBe(0);

    // A feedback request that was already due when the buyer unsubscribed (planned in a race before the
    // suppression): webhooks cannot produce that quickly, so the row is put back to due through the database.
    await app.db.notification.update({ where: { id: planned.id }, data: { status: "scheduled", scheduledFor: ago(SECOND), lastError: null } });
    const suppressed = await eventually(async () => {
      const row = await app.db.notification.findUniqueOrThrow({ where: { id: planned.id } });
      return row.status === "cancelled" ? row : null;
    });
    expect(suppressed.lastError).toMatch(/suppressed/);

    await stillNoMoreMail(b.email, 0, "feedback_request");
    const feedback = await app.db.notification.findMany({ where: { shop: TEST_SHOP, recipient: b.email, kind: "feedback_request" } });
    expect(feedback.every((n) => n.status === "cancelled")).toBe(true);
  });

  it("plans a feedback request at delivery + 7 days in the buyer's daytime, sends it when due, and never for a cancelled order", async () => {
    const b = buyer(1009, { country: "US", locale: "en-US", city: "Austin", zip: "78701" });
    const deliveredAt = ago(8 * DAY);
    await paidOrder(1009, b);
    // The carrier event first, then its fulfillment (events wait for it): the shipment is delivered as
    // soon as it exists, so no silence-based delay notice is planned in between.
    await deliver("fulfillment_events/create", fulfillmentEventFor(3009, 2009, 1009, "delivered", deliveredAt));
    await deliver("fulfillments/create", fulfillment(2009, 1009, "US", ago(10 * DAY), "UPS", "1Z999AA10123456784"));

    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const expected = moveIntoDaytime(new Date(deliveredAt.getTime() + 7 * DAY), timeZoneForCountry("US", shop.timezone));
    const planned = await eventually(() => findNotification(TEST_SHOP, 1009, "feedback_request"));
    expect(planned.scheduledFor.toISOString()).toBe(expected.toISOString());
    const shipment = await app.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "2009" } } });
    expect(shipment.deliveredAt?.toISOString()).toBe(deliveredAt.toISOString());
    if (expected.getTime() <= Date.now()) {
      const mail = await eventually(async () => mailsTo(b.email, "feedback_request")[0]);
      expect(mail.subject).toBe("How was your order #11009?");
      expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      await notificationWhen(TEST_SHOP, 1009, "feedback_request", (n) => n.status === "sent");
      await stillNoMoreMail(b.email, 1, "feedback_request");
    }
    expect(mailsTo(b.email, "delay_notice")).toHaveLength(0);

    // Cancelled (and refunded) before shipping: nothing at all once it is delivered.
    const c = buyer(1019, { country: "US" });
    const paid = await paidOrder(1019, c);
    await deliver("orders/cancelled", { ...paid, cancelled_at: ago(SECOND).toISOString(), updated_at: new Date().toISOString(), financial_status: "refunded" });
    await notificationWhen(TEST_SHOP, 1019, "handling_commitment", (n) => n.status === "cancelled");
    const eventHook = randomUUID();
    const fulfillmentHook = randomUUID();
    await deliver("fulfillment_events/create", fulfillmentEventFor(3019, 2019, 1019, "delivered", ago(8 * DAY)), { webhookId: eventHook });
    await deliver("fulfillments/create", fulfillment(2019, 1019, "US", ago(10 * DAY)), { webhookId: fulfillmentHook });
    await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop: TEST_SHOP, webhookId: { in: [eventHook, fulfillmentHook] }, status: "processed" } })) === 2);
    await nothingLeftToSend({ shop: TEST_SHOP, orderShopifyId: "1019" }, "for order 1019");
    expect(await findNotification(TEST_SHOP, 1019, "feedback_request")).toBeNull();
    expect(await app.db.notification.count({ where: { shop: TEST_SHOP, orderShopifyId: "1019", status: { not: "cancelled" } } })).toBe(0);
    expect(mailsTo(c.email)).toHaveLength(0);
  });

  it("fails a notification whose merchant template is broken, naming the line, and keeps sending the others", async () => {
    await app.db.template.create({
      data: {
        shop: BROKEN_SHOP,
        kind: "shipping_confirmation",
        locale: "en",
        subject: "Your order {{ order.name }} is on its way",
        html: "<p>Hello {{ buyer.first_name }}</p>\n<p>Tracking:</p>\n{% if tracking %}\n<p>{{ tracking.number }}</p>\n",
        text: "Hello {{ buyer.first_name }}, tracking {{ tracking.number }}",
      },
    });
    const broken = buyer(1010);
    const fine = buyer(1020);
    await paidOrder(1010, broken, BROKEN_SHOP);
    await paidOrder(1020, fine, TEST_SHOP);
    // Both fall due in the same period.
    await deliver("fulfillments/create", fulfillment(2010, 1010, "DE"), { shop: BROKEN_SHOP });
    await deliver("fulfillments/create", fulfillment(2020, 1020, "DE"), { shop: TEST_SHOP });

    const failed = await notificationWhen(BROKEN_SHOP, 1010, "shipping_confirmation", (n) => n.status === "failed");
    expect(failed.lastError).toMatch(/template error/i);
    expect(failed.lastError).toMatch(/line \d+/);
    expect(failed.lastError).toMatch(/html/);
    const sent = await notificationWhen(TEST_SHOP, 1020, "shipping_confirmation", (n) => n.status === "sent");
    expect(mailsTo(fine.email, "shipping_confirmation")).toHaveLength(1);
    expect(sent.providerMessageId).toBe(mailsTo(fine.email)[0].id);
    await stillNoMoreMail(broken.email, 0);
    expect((await app.db.notification.findUniqueOrThrow({ where: { id: failed.id } })).attempts).toBe(1);
  });

  it("sends nothing for a shop that uninstalled: waiting messages are cancelled, one in flight is paused", async () => {
    const b = buyer(1011);
    await paidOrder(1011, b, LEAVING_SHOP);
    await deliver("app/uninstalled", { id: 1, domain: LEAVING_SHOP }, { shop: LEAVING_SHOP });
    await eventually(async () => (await app.db.shop.findUniqueOrThrow({ where: { domain: LEAVING_SHOP } })).uninstalledAt !== null);
    const handling = await notificationWhen(LEAVING_SHOP, 1011, "handling_commitment", (n) => n.status === "cancelled");
    expect(handling.lastError).toMatch(/uninstalled/);

    // A fulfillment after the uninstall plans nothing.
    const hook = randomUUID();
    await deliver("fulfillments/create", fulfillment(2011, 1011, "DE"), { shop: LEAVING_SHOP, webhookId: hook });
    await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop: LEAVING_SHOP, webhookId: hook, status: "processed" } })) === 1);
    expect(await findNotification(LEAVING_SHOP, 1011, "shipping_confirmation")).toBeNull();

    // A message a worker was sending when the uninstall arrived (its lease has since expired): webhooks
    // cannot leave a row in that state on demand, so it is set through the database.
    const inFlight = await app.db.notification.create({
      data: {
        shop: LEAVING_SHOP,
        kind: "shipping_confirmation",
        planKey: "shipping_confirmation:2011",
        orderShopifyId: "1011",
        shipmentShopifyId: "2011",
        trackingNumber: "JD01460002011",
        locale: "en",
        recipient: b.email,
        scheduledFor: ago(MINUTE),
        status: "sending",
        attempts: 1,
        leaseUntil: ago(SECOND),
      },
    });
    const paused = await eventually(async () => {
      const row = await app.db.notification.findUniqueOrThrow({ where: { id: inFlight.id } });
      return row.status === "scheduled" ? row : null;
    });
    expect(paused.lastError).toMatch(/paused/);
    expect(paused.attempts).toBe(1);
    expect(paused.scheduledFor.getTime()).toBeGreaterThan(Date.now() + 30 * MINUTE);
    await stillNoMoreMail(b.email, 0);
  });

  // Last: a hung request waits out the client's 10 s timeout (without holding up other mail).
  it("on a hung request times out, reschedules with backoff, then sends once when due", async () => {
    const b = buyer(1012);
    await paidOrder(1012, b);
    app.capture.hangNext(1);
    const before = Date.now();
    await deliver("fulfillments/create", fulfillment(2012, 1012, "DE"));
    await notificationWhen(TEST_SHOP, 1012, "shipping_confirmation", (n) => n.status === "sending");

    // Meanwhile another buyer's confirmation goes out: the hung send does not hold the worker up.
    const other = buyer(1013);
    await paidOrder(1013, other);
    await deliver("fulfillments/create", fulfillment(2013, 1013, "DE"));
    const otherSent = await notificationWhen(TEST_SHOP, 1013, "shipping_confirmation", (n) => n.status === "sent", 5_000);
    expect(otherSent.sentAt!.getTime() - before).toBeLessThan(5_000);
    expect((await app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, orderShopifyId: "1012", kind: "shipping_confirmation" } })).status).toBe("sending");

    const retry = await notificationWhen(TEST_SHOP, 1012, "shipping_confirmation", (n) => n.status === "scheduled" && n.lastError !== null, 20_000);
    const seen = Date.now();
    expect(retry.lastError).toMatch(/timed out/);
    expect(retry.attempts).toBe(1);
    expect(retry.scheduledFor.getTime()).toBeGreaterThanOrEqual(before + 30 * SECOND);
    expect(retry.scheduledFor.getTime()).toBeLessThanOrEqual(seen + 60 * SECOND);
    expect(mailsTo(b.email)).toHaveLength(0);

    // Move the retry to now through the database rather than wait out the backoff.
    await app.db.notification.update({ where: { id: retry.id }, data: { scheduledFor: new Date() } });
    const sent = await notificationWhen(TEST_SHOP, 1012, "shipping_confirmation", (n) => n.status === "sent");
    expect(sent.attempts).toBe(2);
    await stillNoMoreMail(b.email, 1);
  }, 40_000);
});
