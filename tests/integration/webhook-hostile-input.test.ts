// Signed webhooks that could never be processed get a clear 4xx and a log line, never a 500 (Shopify
// retries a 5xx for hours).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { webhookRequest } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer({ worker: false });
}, 90_000);
afterAll(async () => {
  await app?.stop();
});

const BUYER = { first: "Hana", last: "Tester", email: "hana@example.test", locale: "de", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };
const order = () => orderPayloadFor(7001, 1701, BUYER, { processed: new Date(), updated: new Date() });

async function signed(topic: string, shop: string, payload: unknown, rawBody?: string) {
  const { url, init } = webhookRequest(app.baseUrl, TEST_SECRET, { topic, shop, payload }, rawBody);
  return fetch(url, init);
}

describe("signed webhooks that cannot be processed", () => {
  it.each(["shop.example.com", "evil.com", "../etc", "a b.myshopify.com", "myshopify.com"])("answers a shop header of %s with 400 and logs it", async (shop) => {
    const before = await app.db.webhookReceipt.count();
    const response = await signed("orders/paid", shop, order());
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/shop/i);
    await eventually(async () => app.logs.some((line) => line.includes("not a myshopify.com domain") && line.includes("orders/paid")), 10_000, "the refusal logged");
    expect(await app.db.webhookReceipt.count()).toBe(before);
  });

  it("answers JSON nested 10,000 levels deep with 400 and logs it", async () => {
    const before = await app.db.webhookReceipt.count();
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const body = JSON.stringify(order()).replace(/}$/, `,"note_attributes":${deep}}`);
    const response = await signed("orders/paid", TEST_SHOP, null, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/nested/);
    await eventually(async () => app.logs.some((line) => line.includes("nested too deeply")), 10_000, "the refusal logged");
    expect(await app.db.webhookReceipt.count()).toBe(before);
  });

  it("answers a deep object under a compliance topic with 400 too", async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const body = `{"shop_domain":"${TEST_SHOP}","customer":{"id":1,"email":"x@example.test"},"extra":${deep}}`;
    const response = await signed("customers/redact", TEST_SHOP, null, body);
    expect(response.status).toBe(400);
  });

  it("still accepts the same order with the real shop header", async () => {
    expect((await signed("orders/paid", TEST_SHOP, order())).status).toBe(200);
  });
});
