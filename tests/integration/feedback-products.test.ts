// The feedback request's default destination end to end over the real server: signed orders/paid
// webhooks carrying line items, the worker's products job reading those products from the Admin API
// stand-in into the cache, and the feedback request captured at the SendGrid stand-in linking to each
// product's storefront page with its image and its title in the buyer's language. One product is read
// once for two orders; with the Admin API down, the mail still goes out, with the line titles unlinked.
//
// The shop's feedback_request template is a merchant's own (set through app.db), looping over
// feedback.products: the default templates' layout belongs to the review-destination work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";

const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);
const DOWN_SHOP = "parcelwise-admin-down.myshopify.com";

// The real dev-store order's line item (13–14-digit product and variant ids), and two of the shop's own.
const snowboard = (JSON.parse(readFileSync("tests/fixtures/shopify-webhooks/orders_paid.activepieces-devstore-2023.json", "utf8")) as { line_items: Array<Record<string, unknown>> }).line_items;
const SNOWBOARD_ID = String(snowboard[0]!.product_id);
const line = (productId: number, title: string) => ({ id: productId * 7, product_id: productId, variant_id: productId * 11, title, name: title, quantity: 1, gift_card: false });

const TEMPLATE = {
  kind: "feedback_request",
  subject: "How was order {{ order.name }}?",
  html: '<p>Review what you bought:</p>{% for product in feedback.products %}<div class="product">{% if product.image_url %}<img src="{{ product.image_url }}" alt="{{ product.title }}">{% endif %}{% if product.url %}<a href="{{ product.url }}">{{ product.title }}</a>{% else %}<span>{{ product.title }}</span>{% endif %}</div>{% endfor %}',
  text: "{% for product in feedback.products %}{{ product.title }} {{ product.url }}\n{% endfor %}",
};

let app: AppServer;

function buyer(n: number, overrides: Partial<Buyer> = {}): Buyer {
  return { first: `Buyer${n}`, last: "Tester", email: `feedback${n}@example.test`, locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1", ...overrides };
}

async function deliver(topic: string, payload: unknown, shop = TEST_SHOP) {
  const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop, payload });
  expect(response.status, `${topic} webhook`).toBe(200);
}

/** A paid order with these line items, delivered ten days ago: its feedback request is due at once. */
async function deliveredOrder(orderId: number, b: Buyer, lineItems: unknown[], shop = TEST_SHOP, awaitProducts = true) {
  await deliver("orders/paid", orderPayloadFor(orderId, orderId + 10_000, b, { processed: ago(12 * DAY), updated: ago(12 * DAY) }, { line_items: lineItems }), shop);
  const order = await eventually(() => app.db.order.findFirst({ where: { shop, shopifyId: String(orderId), lineItems: { not: null } } }), 10_000, `order ${orderId} recorded`);
  if (awaitProducts) {
    // The products job has read this order (its cursor is at or past it) before the parcel is delivered.
    const read = async () => {
      const sync = await app.db.productSync.findUnique({ where: { shop } });
      return !!sync?.cursorAt && (sync.cursorAt > order.createdAt || (sync.cursorAt.getTime() === order.createdAt.getTime() && sync.cursorId! >= order.id));
    };
    await eventually(read, 10_000, `products job read order ${orderId}`);
  }
  await deliver("fulfillment_events/create", fulfillmentEventFor(orderId + 2000, orderId + 1000, orderId, "delivered", ago(10 * DAY)), shop);
  await deliver("fulfillments/create", fulfillmentPayloadFor(orderId + 1000, orderId, "DHL Express", `JD0146${orderId}`, b.country, { created: ago(11 * DAY), updated: ago(11 * DAY) }), shop);
  // As Shopify follows a fulfillment: the order updated, nothing left to fulfil (the request waits until then).
  const fulfilled = lineItems.map((item) => ({ ...(item as object), fulfillable_quantity: 0 }));
  await deliver("orders/updated", orderPayloadFor(orderId, orderId + 10_000, b, { processed: ago(12 * DAY), updated: ago(11 * DAY) }, { line_items: fulfilled }), shop);
}

const feedbackMailTo = (email: string) => eventually(async () => app.capture.mails.find((m) => m.to.includes(email) && m.categories.includes("feedback_request")), 15_000, `feedback request to ${email}`);

beforeAll(async () => {
  app = await startAppServer({ seedShops: [TEST_SHOP, DOWN_SHOP], env: { PRODUCTS_POLL_MS: "100" } });
  const products = app.standin.catalog.products;
  products.set(SNOWBOARD_ID, {
    id: SNOWBOARD_ID,
    handle: "the-3p-fulfilled-snowboard",
    title: "The 3p Fulfilled Snowboard",
    onlineStoreUrl: "https://snow.example/products/the-3p-fulfilled-snowboard",
    imageUrl: "https://cdn.shopify.com/s/files/1/0000/snowboard.jpg?width=600",
    translations: { de: "Das 3p-Snowboard", fr: "La planche 3p" },
  });
  products.set("7001", { id: "7001", handle: "wax-kit", title: "Wax kit", onlineStoreUrl: "https://snow.example/products/wax-kit", imageUrl: "https://cdn.shopify.com/s/files/1/0000/wax.jpg", translations: { de: "Wachs-Set" } });
  products.set("7004", { id: "7004", handle: "goggles", title: "Goggles", onlineStoreUrl: "https://snow.example/products/goggles", imageUrl: "https://cdn.shopify.com/s/files/1/0000/goggles.jpg" });
  products.set("7002", { id: "7002", handle: "hidden-board", title: "Hidden board", onlineStoreUrl: null, imageUrl: null });
  for (const shop of [TEST_SHOP, DOWN_SHOP]) for (const locale of ["en", "de", "fr"]) await app.db.template.create({ data: { shop, ...TEMPLATE, locale } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe("feedback.products", () => {
  it("links a German buyer's feedback request to the products' storefront pages, with images and German titles", async () => {
    const anna = buyer(1, { locale: "de" });
    await deliveredOrder(4101, anna, [...snowboard, line(7001, "Wax kit"), line(7002, "Hidden board")]);
    const cached = await app.db.productCache.findMany({ where: { shop: TEST_SHOP }, orderBy: { productId: "asc" } });
    expect(cached.map((p) => p.productId).sort()).toEqual(["7001", "7002", SNOWBOARD_ID].sort());

    const mail = await feedbackMailTo(anna.email);
    expect(mail.html).toContain('<a href="https://snow.example/products/the-3p-fulfilled-snowboard">Das 3p-Snowboard</a>');
    expect(mail.html).toContain('<img src="https://cdn.shopify.com/s/files/1/0000/snowboard.jpg?width=600" alt="Das 3p-Snowboard">');
    expect(mail.html).toContain('<a href="https://snow.example/products/wax-kit">Wachs-Set</a>');
    // Not on the Online Store: no page to send the buyer to.
    expect(mail.html).not.toContain("Hidden board");
    expect(mail.text).toContain("Das 3p-Snowboard https://snow.example/products/the-3p-fulfilled-snowboard");
  });

  it("reads a product once for two orders, and an English buyer gets its own title", async () => {
    const callsFor = (id: string) => app.standin.catalog.calls.filter((c) => c.answered === "products" && c.ids.includes(id));
    const bob = buyer(2);
    const cleo = buyer(3);
    await deliveredOrder(4102, bob, [line(7004, "Goggles")]);
    await deliveredOrder(4103, cleo, [line(7004, "Goggles"), line(7001, "Wax kit")]);
    const [bobMail, cleoMail] = await Promise.all([feedbackMailTo(bob.email), feedbackMailTo(cleo.email)]);
    for (const mail of [bobMail, cleoMail]) expect(mail.html).toContain('<a href="https://snow.example/products/goggles">Goggles</a>');
    expect(cleoMail.html).toContain('<a href="https://snow.example/products/wax-kit">Wax kit</a>');
    // Read by the products job for the first order; the second order, and both mails, found it cached.
    expect(callsFor("7004")).toHaveLength(1);
    // The wax kit was read for the German order already, and English buyers need no translation.
    expect(callsFor("7001")).toHaveLength(1);
  });

  it("still sends the request when the Admin API is down, with the line titles unlinked", async () => {
    const dana = buyer(4, { locale: "fr" });
    app.standin.catalog.faults.push(...Array.from({ length: 50 }, () => 503));
    try {
      await deliveredOrder(4104, dana, [line(7003, "Board bag")], DOWN_SHOP, false);
      const mail = await feedbackMailTo(dana.email);
      expect(mail.html).toContain("<span>Board bag</span>");
      expect(mail.html).not.toContain("<a href");
      const sync = await eventually(() => app.db.productSync.findFirst({ where: { shop: DOWN_SHOP, failures: { gt: 0 } } }), 10_000, "the products job backed off");
      expect(sync.retryAt!.getTime()).toBeGreaterThan(Date.now());
      expect(await app.db.productCache.count({ where: { shop: DOWN_SHOP } })).toBe(0);
    } finally {
      app.standin.catalog.faults.length = 0;
    }
  });
});
