// WEB_CONCURRENCY=2: forked web processes answer webhooks on one port; the primary's worker, woken over
// IPC, records them and sends the mail.
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, niceOf, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

let app: AppServer;
beforeAll(async () => {
  // A slow poll: a mail within it proves the web process woke the primary's worker.
  app = await startAppServer({ env: { WEB_CONCURRENCY: "2", WORKER_POLL_MS: "20000" } });
});
afterAll(async () => {
  await app?.stop();
});

it("serves webhooks from forked web processes and sends from the primary's worker", async () => {
  const yesterday = new Date(Date.now() - 86_400_000);
  const buyer = { first: "Lea", last: "K", email: "lea@example.test", locale: "de", country: "DE", city: "Köln", zip: "50667", address1: "Ring 1" };
  const deliveries = [
    sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: orderPayloadFor(801, 1801, buyer, { processed: yesterday, updated: yesterday }) }),
    ...Array.from({ length: 20 }, (_, i) =>
      sendWebhook(app.baseUrl, TEST_SECRET, { topic: "fulfillments/create", shop: TEST_SHOP, payload: fulfillmentPayloadFor(900 + i, 801, "DHL Express", `77${i}`, "DE", { created: yesterday, updated: yesterday }) }),
    ),
  ];
  expect((await Promise.all(deliveries)).map((r) => r.status)).toEqual(Array(21).fill(200));
  const started = Date.now();
  await eventually(async () => (await app.db.shipment.count({ where: { shop: TEST_SHOP, orderShopifyId: "801" } })) === 20, 15_000);
  await eventually(async () => app.capture.mails.filter((m) => m.to.includes("lea@example.test")).length === 20, 15_000);
  expect(Date.now() - started).toBeLessThan(15_000);
  const listening = app.logs.filter((line) => line.includes("Parcelwise listening"));
  expect(listening).toHaveLength(2);
});

it("leaves the primary at its niceness: its event loop accepts the connections of both web processes", () => {
  expect(niceOf(app.pid)).toBe(niceOf(process.pid));
  expect(app.logs.find((line) => line.includes("Parcelwise cluster started"))).toContain(`"workerNice":${niceOf(process.pid)}`);
});
