// A compliance or app/uninstalled body names its shop. Signed bodies that name another shop than the
// X-Shopify-Shop-Domain header are refused and logged, and change nothing for the shop in the header.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { eventually, startAppServer, TEST_SECRET, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";

const SHOP_A = "shop-a.myshopify.com";
const SHOP_C = "shop-c.myshopify.com";
const BUYER = { first: "Carla", last: "Tester", email: "carla@example.test", locale: "de", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };

/** Shopify's documented sample of a topic, for the shop `shop`. */
function sample(file: string, shop: string): Record<string, unknown> {
  const text = readFileSync(new URL(`../fixtures/shopify-webhooks/${file}.shopify-docs-2026-04.json`, import.meta.url), "utf8");
  return JSON.parse(text.replaceAll("{shop}.myshopify.com", shop)) as Record<string, unknown>;
}

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer({ seedShops: [SHOP_A, SHOP_C] });
  const order = orderPayloadFor(191167, 1001, BUYER, { processed: new Date(Date.now() - 60_000), updated: new Date(Date.now() - 60_000) });
  expect((await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: SHOP_C, payload: order })).status).toBe(200);
  await eventually(() => app.db.order.findFirst({ where: { shop: SHOP_C, shopifyId: "191167" } }), 20_000, "shop C's order recorded");
}, 90_000);
afterAll(async () => {
  await app?.stop();
});

async function shopCUntouched() {
  const order = await app.db.order.findFirstOrThrow({ where: { shop: SHOP_C, shopifyId: "191167" } });
  expect([order.email, order.redactedAt]).toEqual([BUYER.email, null]);
  const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: SHOP_C } });
  expect(shop.uninstalledAt).toBeNull();
  expect(await app.db.session.count({ where: { shop: SHOP_C } })).toBeGreaterThan(0);
  expect(await app.db.webhookReceipt.count({ where: { shop: SHOP_C, topic: { not: "orders/paid" } } })).toBe(0);
}

describe("a body naming another shop than its header", () => {
  const cases: Array<[string, () => Record<string, unknown>]> = [
    ["customers/redact", () => ({ ...sample("customers_redact", SHOP_A), orders_to_redact: [191167], customer: { id: 191167, email: BUYER.email } })],
    ["customers/data_request", () => ({ ...sample("customers_data_request", SHOP_A), orders_requested: [191167] })],
    ["shop/redact", () => sample("shop_redact", SHOP_A)],
    ["app/uninstalled", () => ({ ...sample("app_uninstalled", SHOP_A), myshopify_domain: SHOP_A, domain: SHOP_A })],
  ];

  it.each(cases)("refuses %s for shop A sent with shop C's header, logs it, and leaves C untouched", async (topic, payload) => {
    const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop: SHOP_C, payload: payload() });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/shop/);
    await eventually(async () => app.logs.some((line) => line.includes("names another shop") && line.includes(topic)), 10_000, "the refusal logged");
    // Give a wrongly accepted delivery the time the worker needs (it polls every 50 ms) before checking.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await shopCUntouched();
  });

  it("still accepts the same bodies naming the header's own shop", async () => {
    const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "customers/data_request", shop: SHOP_C, payload: sample("customers_data_request", SHOP_C) });
    expect(response.status).toBe(200);
    const uninstall = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "app/uninstalled", shop: SHOP_A, payload: { ...sample("app_uninstalled", SHOP_A), myshopify_domain: SHOP_A } });
    expect(uninstall.status).toBe(200);
    await eventually(async () => (await app.db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).uninstalledAt, 20_000, "shop A uninstalled");
  });
});
