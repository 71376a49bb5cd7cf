// The real server over HTTP: signed webhooks in, mail out through the real @sendgrid/mail client to a
// local SendGrid-compatible capture server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook, shopifyHmac, webhookRequest } from "#tests/standins/sign";
import { fulfillmentEventFor, fulfillmentPayloadFor, graphqlOrderFor, orderPayloadFor } from "#tests/demo/scenario";

const DAY = 86_400_000;
const buyer = (n: number, country = "DE", locale = "de") => ({
  first: `Buyer${n}`,
  last: "Tester",
  email: `buyer${n}@example.test`,
  locale,
  country,
  city: "Berlin",
  zip: "10115",
  address1: "Street 1",
});

let app: AppServer;
const ago = (ms: number) => new Date(Date.now() - ms);
const deliver = (topic: string, payload: unknown, extra: { webhookId?: string; eventId?: string; shop?: string } = {}) =>
  sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop: extra.shop ?? TEST_SHOP, payload, webhookId: extra.webhookId, eventId: extra.eventId });

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
});

describe("webhook authentication", () => {
  it("refuses a forged signature with 401 and writes nothing", async () => {
    const before = await app.db.webhookReceipt.count();
    const { url, init } = webhookRequest(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: orderPayloadFor(1, 1, buyer(1), { processed: ago(DAY), updated: ago(DAY) }) });
    const response = await fetch(url, { ...init, headers: { ...init.headers, "X-Shopify-Hmac-Sha256": shopifyHmac("wrong-secret", init.body) } });
    expect(response.status).toBe(401);
    expect(await app.db.webhookReceipt.count()).toBe(before);
    expect(await app.db.order.count({ where: { shopifyId: "1" } })).toBe(0);
  });

  it("refuses an unsigned request with 401", async () => {
    const response = await fetch(`${app.baseUrl}/webhooks/orders/paid`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": TEST_SHOP },
      body: "{}",
    });
    expect(response.status).toBe(401);
  });

  it("answers malformed JSON with 400 and logs it", async () => {
    const body = "{not json";
    const { url, init } = webhookRequest(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: null }, body);
    const response = await fetch(url, init);
    expect(response.status).toBe(400);
    await eventually(async () => app.logs.some((line) => line.includes("not JSON")));
  });

  it("answers a payload of the wrong shape with 400 and writes nothing", async () => {
    const before = await app.db.webhookReceipt.count();
    const response = await deliver("fulfillments/create", { id: 5, status: "success" });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/malformed/);
    expect(await app.db.webhookReceipt.count()).toBe(before);
  });

  it("acknowledges an unknown shop with 200 and ignores it", async () => {
    const response = await deliver("orders/paid", orderPayloadFor(2, 2, buyer(2), { processed: ago(DAY), updated: ago(DAY) }), { shop: "stranger.myshopify.com" });
    expect(response.status).toBe(200);
    expect(await app.db.order.count({ where: { shop: "stranger.myshopify.com" } })).toBe(0);
    expect(await app.db.webhookReceipt.count({ where: { shop: "stranger.myshopify.com" } })).toBe(0);
  });
});

describe("from webhook to mail", () => {
  it("sends one shipping confirmation through SendGrid, however often Shopify retries", async () => {
    const order = orderPayloadFor(101, 1101, buyer(101), { processed: ago(2 * DAY), updated: ago(2 * DAY) });
    const fulfillment = fulfillmentPayloadFor(201, 101, "DHL Express", "9876543210", "DE", { created: ago(DAY), updated: ago(DAY) });
    expect((await deliver("orders/paid", order)).status).toBe(200);
    const webhookId = randomUUID();
    for (let i = 0; i < 3; i++) expect((await deliver("fulfillments/create", fulfillment, { webhookId })).status).toBe(200);

    const mail = await eventually(async () => app.capture.mails.find((m) => m.to.includes("buyer101@example.test") && m.categories.includes("shipping_confirmation")));
    expect(mail.subject).toContain("#1101");
    expect(mail.text).toContain("9876543210");
    expect(mail.html).toContain("DHL Express");
    expect(mail.html).toContain("https://");
    expect(mail.customArgs.shop).toBe(TEST_SHOP);
    expect(JSON.stringify(mail.customArgs)).not.toContain("@");

    const notification = await app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, kind: "shipping_confirmation", orderShopifyId: "101" } });
    expect(mail.customArgs.notification_id).toBe(notification.id);
    await eventually(async () => (await app.db.notification.findUniqueOrThrow({ where: { id: notification.id } })).status === "sent");
    const sent = await app.db.notification.findUniqueOrThrow({ where: { id: notification.id } });
    expect(sent.providerMessageId).toBe(mail.id);
    expect(await app.db.webhookReceipt.count({ where: { webhookId } })).toBe(1);
    // Give the worker a few more polls: still exactly one confirmation.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.capture.mails.filter((m) => m.to.includes("buyer101@example.test") && m.categories.includes("shipping_confirmation"))).toHaveLength(1);
  });

  it("fetches an order from the Admin API when its fulfillment arrives first", async () => {
    const order = orderPayloadFor(102, 1102, buyer(102, "JP", "ja"), { processed: ago(2 * DAY), updated: ago(2 * DAY) });
    app.standin.orders.set("102", graphqlOrderFor(order));
    const response = await deliver("fulfillments/create", fulfillmentPayloadFor(202, 102, "SF Express", "SF1234567890999", "JP", { created: ago(DAY), updated: ago(DAY) }));
    expect(response.status).toBe(200);
    const stored = await eventually(() => app.db.order.findUnique({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "102" } } }));
    expect(stored.email).toBe("buyer102@example.test");
    expect(stored.locale).toBe("ja");
    expect(app.standin.requests.some((r) => r.variables.id === "gid://shopify/Order/102")).toBe(true);
    await eventually(async () => app.capture.mails.find((m) => m.to.includes("buyer102@example.test") && m.categories.includes("shipping_confirmation")));
  });

  it("sends a feedback request at once for a parcel delivered long ago", async () => {
    const order = orderPayloadFor(103, 1103, buyer(103, "FR", "fr"), { processed: ago(20 * DAY), updated: ago(20 * DAY) });
    await deliver("orders/paid", order);
    await deliver("fulfillments/create", fulfillmentPayloadFor(203, 103, "EMS", "EE999999999CN", "FR", { created: ago(19 * DAY), updated: ago(19 * DAY) }));
    await deliver("fulfillment_events/create", fulfillmentEventFor(303, 203, 103, "delivered", ago(10 * DAY)));
    const mail = await eventually(async () => app.capture.mails.find((m) => m.to.includes("buyer103@example.test") && m.categories.includes("feedback_request")));
    expect(mail.text).toContain("#1103");
    const shipment = await app.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "203" } } });
    expect(shipment.shipmentStatus).toBe("delivered");
    expect(Math.abs(shipment.deliveredAt!.getTime() - ago(10 * DAY).getTime())).toBeLessThan(60_000);
  });

  it("records one event delivered to two subscriptions once", async () => {
    const order = orderPayloadFor(104, 1104, buyer(104), { processed: ago(60_000), updated: ago(60_000) });
    const eventId = randomUUID();
    await deliver("orders/paid", order, { eventId });
    await deliver("orders/paid", order, { eventId });
    expect(await app.db.webhookReceipt.count({ where: { shop: TEST_SHOP, eventId } })).toBe(1);
    const planned = await eventually(async () => {
      const rows = await app.db.notification.findMany({ where: { shop: TEST_SHOP, orderShopifyId: "104" } });
      return rows.length ? rows : null;
    });
    expect(planned.map((n) => [n.kind, n.status])).toEqual([["handling_commitment", "scheduled"]]);
  });

  it("stops sending for a shop that uninstalls", async () => {
    const shop = "leaving.myshopify.com";
    await app.db.shop.create({ data: { domain: shop, name: "Leaving" } });
    await app.db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "token" } });
    await deliver("orders/paid", orderPayloadFor(105, 1105, buyer(105), { processed: ago(60_000), updated: ago(60_000) }), { shop });
    await eventually(async () => (await app.db.notification.count({ where: { shop, status: "scheduled" } })) === 1);
    expect((await deliver("app/uninstalled", { id: 1, domain: shop }, { shop })).status).toBe(200);
    await eventually(async () => (await app.db.session.count({ where: { shop } })) === 0);
    expect(await app.db.notification.count({ where: { shop, status: "scheduled" } })).toBe(0);
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
  });

  it("erases a buyer on customers/redact", async () => {
    await deliver("orders/paid", orderPayloadFor(106, 1106, buyer(106), { processed: ago(60_000), updated: ago(60_000) }));
    await eventually(() => app.db.notification.findFirst({ where: { shop: TEST_SHOP, orderShopifyId: "106" } }));
    const response = await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer: { id: 606, email: "buyer106@example.test", phone: null },
      orders_to_redact: [106],
    });
    expect(response.status).toBe(200);
    const order = await eventually(async () => {
      const row = await app.db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: "106" } } });
      return row.redactedAt ? row : null;
    });
    expect([order.email, order.buyerName, order.shippingAddress]).toEqual([null, null, null]);
    const notifications = await app.db.notification.findMany({ where: { shop: TEST_SHOP, orderShopifyId: "106" } });
    expect(notifications.every((n) => n.recipient === "[redacted]" && n.status !== "scheduled")).toBe(true);
  });
});

describe("documents", () => {
  it("serves every document with the per-shop frame-ancestors policy", async () => {
    const response = await fetch(`${app.baseUrl}/no-such-page?shop=${TEST_SHOP}`);
    expect(response.status).toBe(404);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors");
    expect(csp).toContain(`https://${TEST_SHOP}`);
    expect(csp).toContain("https://admin.shopify.com");
  });

  it("does not let an unauthenticated request into the admin", async () => {
    const response = await fetch(`${app.baseUrl}/app`, { redirect: "manual" });
    expect([302, 401, 410]).toContain(response.status);
  });
});
