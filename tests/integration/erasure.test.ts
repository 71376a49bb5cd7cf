// Erasure as an auditor checks it: after a signed customers/redact or shop/redact through the real server
// and its worker, the buyer's email, name and street appear nowhere in the SQLite database file or its WAL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import customersRedact from "../fixtures/shopify-webhooks/customers_redact.shopify-docs-2026-04.json";
import shopRedact from "../fixtures/shopify-webhooks/shop_redact.shopify-docs-2026-04.json";
import { signedAppProxyQuery } from "#tests/standins/storefront-standin";
import { contactPageUrl } from "~/feedback/contact-link";

const MINUTE = 60_000;
const LEAVING_SHOP = "erasure-leaving.myshopify.com";
const ago = (ms: number) => new Date(Date.now() - ms);
const buyerNamed = (first: string, last: string, address1: string): Buyer => ({
  first,
  last,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@example.test`,
  locale: "de",
  country: "DE",
  city: "Berlin",
  zip: "10115",
  address1,
});
const quirina = buyerNamed("Quirina", "Wolkenhainer", "Nachtigallenweg 77");
const kept = buyerNamed("Bertholde", "Bleibtreu", "Lindenallee 5");
const leaving = buyerNamed("Ottokar", "Schwindeler", "Eulenstieg 3");

let app: AppServer;
const deliver = (topic: string, payload: unknown, shop = TEST_SHOP) => sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop, payload });

/** Every place in the database's files where one of the strings occurs, as "file: string". */
function traces(needles: string[]): string[] {
  const path = app.databaseUrl.replace(/^file:/, "");
  const found: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, "utf8"))) found.push(`${file.slice(path.length) || "database"}: ${needle}`);
  }
  return found;
}
const personal = (buyer: Buyer) => [buyer.email, buyer.last, buyer.address1, contactWords(buyer)];
const contactWords = (buyer: Buyer) => `Kontaktformular von ${buyer.first}: bitte anrufen`;

/** The buyer writes through the contact link of the mail she got (the app proxy, signed), and the merchant is mailed it. */
async function contactMessageFrom(shop: string, id: number, buyer: Buyer): Promise<void> {
  const notification = await app.db.notification.findFirstOrThrow({ where: { shop, orderShopifyId: String(id), status: "sent" } });
  const link = new URL(contactPageUrl({ shopDomain: shop, notificationId: notification.id, secret: TEST_SECRET, issuedAt: new Date() }));
  const response = await fetch(`${app.baseUrl}/proxy/contact?${signedAppProxyQuery(new URLSearchParams(), shop, TEST_SECRET)}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ t: link.searchParams.get("t")!, message: contactWords(buyer) }).toString(),
  });
  expect(response.status).toBe(200);
  await eventually(() => app.db.contactMessage.findFirst({ where: { shop, orderShopifyId: String(id), status: "sent" } }), 30_000, "contact message sent");
}

/** A paid order whose handling commitment is already due, a fulfillment naming the buyer, and the mail as sent. */
async function orderWithMailSent(shop: string, id: number, buyer: Buyer): Promise<void> {
  expect((await deliver("orders/paid", orderPayloadFor(id, id + 1000, buyer, { processed: ago(30 * MINUTE), updated: ago(30 * MINUTE) }), shop)).status).toBe(200);
  const destination = { first_name: buyer.first, last_name: buyer.last, name: `${buyer.first} ${buyer.last}`, address1: buyer.address1, city: buyer.city, zip: buyer.zip, country_code: buyer.country };
  const fulfillment = fulfillmentPayloadFor(id + 50_000, id, "DHL Express", `JD0146000${id}`, buyer.country, { created: ago(5 * MINUTE), updated: ago(5 * MINUTE) }, { destination, email: buyer.email });
  expect((await deliver("fulfillments/create", fulfillment, shop)).status).toBe(200);
  await eventually(
    async () => (await app.db.notification.count({ where: { shop, orderShopifyId: String(id), status: "sent", html: { contains: buyer.first } } })) >= 1,
    60_000,
    `a mail to ${buyer.first} sent`,
  );
  await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop, status: { in: ["pending", "processing"] } } })) === 0, 60_000, "inbox drained");
}

beforeAll(async () => {
  app = await startAppServer({ seedShops: [TEST_SHOP, LEAVING_SHOP] });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("erasure to the byte on SQLite", () => {
  it("leaves no byte of a redacted buyer in the database file or its WAL, and keeps other buyers", async () => {
    await orderWithMailSent(TEST_SHOP, 9101, quirina);
    await orderWithMailSent(TEST_SHOP, 9102, kept);
    await contactMessageFrom(TEST_SHOP, 9101, quirina);
    // She asked for her data, unsubscribed, and one delivery about her order gave up retrying.
    expect((await deliver("customers/data_request", { shop_domain: TEST_SHOP, customer: { id: 9601, email: quirina.email }, orders_requested: [9101] })).status).toBe(200);
    await app.db.suppression.create({ data: { shop: TEST_SHOP, email: quirina.email, reason: "unsubscribe" } });
    await app.db.webhookReceipt.create({
      data: {
        shop: TEST_SHOP,
        topic: "orders/updated",
        webhookId: "erasure-dead-delivery",
        orderShopifyId: "9101",
        status: "failed",
        lastError: "gave up",
        payload: JSON.stringify(orderPayloadFor(9101, 10101, quirina, { processed: ago(30 * MINUTE), updated: ago(MINUTE) })),
      },
    });
    await eventually(async () => traces(personal(quirina)).length > 0, 10_000, "her data on disk before the redaction");

    const request = { ...customersRedact, shop_domain: TEST_SHOP, customer: { ...customersRedact.customer, id: 9601, email: quirina.email }, orders_to_redact: [9101] };
    expect((await deliver("customers/redact", request)).status).toBe(200);
    await eventually(() => app.db.order.findFirst({ where: { shop: TEST_SHOP, shopifyId: "9101", redactedAt: { not: null } } }), 60_000, "order redacted");

    await eventually(async () => traces(personal(quirina)).length === 0, 30_000, `no trace of her on disk (found ${traces(personal(quirina)).join(", ")})`).catch(() => {
      expect(traces(personal(quirina))).toEqual([]);
    });
    // The other buyer of the same shop is untouched, in the rows and on disk.
    expect(await app.db.order.findFirstOrThrow({ where: { shop: TEST_SHOP, shopifyId: "9102" } })).toMatchObject({ email: kept.email, redactedAt: null });
    expect(await app.db.contactMessage.count({ where: { shop: TEST_SHOP, orderShopifyId: "9101" } })).toBe(0);
    expect(traces([kept.email])).not.toEqual([]);
  }, 180_000);

  it("leaves no byte of a redacted shop's buyers in the database file or its WAL", async () => {
    await orderWithMailSent(LEAVING_SHOP, 9201, leaving);
    await contactMessageFrom(LEAVING_SHOP, 9201, leaving);
    expect(traces(personal(leaving)).length).toBeGreaterThan(0);
    expect((await deliver("shop/redact", { ...shopRedact, shop_domain: LEAVING_SHOP }, LEAVING_SHOP)).status).toBe(200);
    await eventually(async () => (await app.db.order.count({ where: { shop: LEAVING_SHOP } })) === 0, 60_000, "shop erased");
    expect(await app.db.contactMessage.count({ where: { shop: LEAVING_SHOP } })).toBe(0);
    await eventually(async () => traces(personal(leaving)).length === 0, 30_000, "no trace of the shop's buyer on disk").catch(() => {
      expect(traces(personal(leaving))).toEqual([]);
    });
  }, 180_000);
});
