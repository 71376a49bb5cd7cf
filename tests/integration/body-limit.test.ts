// Request bodies are capped while streaming: over MAX_BODY_BYTES (4 MiB by default) every public POST
// answers 413 before the body is buffered, with or without a Content-Length; a real webhook of a large
// order still goes through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { postStream } from "../support/stream-post";
import { sendWebhook } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";

const MiB = 1024 * 1024;
let app: AppServer;
beforeAll(async () => {
  app = await startAppServer({ worker: false });
}, 90_000);
afterAll(async () => {
  await app?.stop();
});

const PUBLIC_POSTS = [
  "/webhooks/orders/paid",
  "/webhooks/sendgrid",
  `/webhooks/sendgrid/${TEST_SHOP}`,
  "/proxy/lookup",
  "/unsubscribe/some-token",
  "/api/order-status/commitment",
  "/api/order-status/1001",
  "/auth/login",
];

describe("request bodies over the limit", () => {
  it.each(PUBLIC_POSTS)("answers 413 to a 6 MiB body with a Content-Length at %s", async (path) => {
    const answer = await postStream(`${app.baseUrl}${path}`, { bytes: 6 * MiB, contentLength: true });
    expect(answer.status).toBe(413);
  });

  it.each(PUBLIC_POSTS)("answers 413 to a 6 MiB chunked body without a Content-Length at %s", async (path) => {
    const answer = await postStream(`${app.baseUrl}${path}`, { bytes: 6 * MiB, contentLength: false });
    expect(answer.status).toBe(413);
  });

  it("answers 413 to a 600 MB body, logs it, and keeps serving", async () => {
    const answer = await postStream(`${app.baseUrl}/webhooks/orders/paid`, { bytes: 600_000_000, contentLength: false });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/limited to 4194304 bytes/);
    await eventually(async () => app.logs.some((line) => line.includes("body over the limit")), 10_000, "the refusal logged");
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });

  it("still accepts a signed webhook of a large order (1 MB, well under the limit)", async () => {
    const order = orderPayloadFor(8001, 1801, { first: "Lena", last: "Tester", email: "lena@example.test", locale: "de", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" }, { processed: new Date(), updated: new Date() }, { note: "x".repeat(1_000_000) });
    const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: order });
    expect(response.status).toBe(200);
    expect(await app.db.webhookReceipt.count({ where: { shop: TEST_SHOP, orderShopifyId: "8001" } })).toBe(1);
  });

  it("still refuses an unsigned webhook under the limit with 401", async () => {
    const answer = await postStream(`${app.baseUrl}/webhooks/orders/paid`, { bytes: MiB, contentLength: false, headers: { "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": TEST_SHOP } });
    expect(answer.status).toBe(401);
  });
});
