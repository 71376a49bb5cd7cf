// The history import over HTTP against the real built server: an install (token exchange through the
// Admin API stand-in) starts Shopify's bulk export, the runner records its JSONL file, the Carriers
// page shows progress and Shopify's error, Retry imports, and nothing is planned for imported orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { sendWebhook } from "#tests/standins/sign";
import { demoHistory } from "#tests/demo/history";
import type { HistoryImportView } from "~/history/view.server";

const SHOP = "history-install.myshopify.com";
const ORDERS = 60;
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };
const bearer = () => ({ ...BROWSER, Authorization: `Bearer ${sessionToken(SHOP, TEST_APP_API_KEY, TEST_SECRET)}` });
const ROUTE = "routes/app.carriers";
let app: AppServer;

const carriers = async (): Promise<HistoryImportView> => {
  const response = await fetch(`${app.baseUrl}/app/carriers?_data=${encodeURIComponent(ROUTE)}`, { headers: bearer() });
  expect(response.status).toBe(200);
  return ((await response.json()) as { history: HistoryImportView }).history;
};
const importHistory = () =>
  fetch(`${app.baseUrl}/app/carriers?_data=${encodeURIComponent(ROUTE)}`, {
    method: "POST",
    headers: { ...bearer(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "import-history" }),
  });

beforeAll(async () => {
  app = await startAppServer({ seedShops: [], env: { HISTORY_POLL_MS: "100" } });
  app.standin.bulk.history.push(...demoHistory(new Date(), { orders: ORDERS, seed: 11 }).orders);
  app.standin.bulk.options.outcome = { errorCode: "ACCESS_DENIED" };
});
afterAll(async () => {
  await app?.stop();
});

// Each look at the Carriers page also computes the lane figures, so a busy machine needs more than 30 s.
describe("the history import", { timeout: 90_000 }, () => {
  it("starts on install, and a failure shows Shopify's error with a Retry", async () => {
    // The first admin request of a shop without a session is its install: the library exchanges the
    // session token for an offline token, and the afterAuth hook records the shop.
    const first = await carriers();
    expect(app.standin.tokenExchanges.length).toBeGreaterThan(0);
    expect(await app.db.shop.findUnique({ where: { domain: SHOP } })).toMatchObject({ country: "CN" });
    expect(["never", "running", "failed"]).toContain(first.status);
    const failed = await eventually(async () => {
      const card = await carriers();
      return card.status === "failed" ? card : null;
    });
    expect(failed).toMatchObject({ errorCode: "ACCESS_DENIED", canStart: true, errorMessage: expect.stringContaining("denied access") });
    expect(app.standin.bulk.operations.at(-1)!.query).toMatch(/orders\(query: "created_at:>=/);
  });

  it("retries, records the JSONL file, and shows the counts", async () => {
    app.standin.bulk.options.outcome = "COMPLETED";
    const retried = await importHistory();
    expect(retried.status).toBe(200);
    const done = await eventually(async () => {
      const card = await carriers();
      return card.status === "completed" ? card : null;
    }, 30_000);
    expect(done).toMatchObject({ percent: 100, label: `${ORDERS} orders imported`, errorMessage: null, canStart: false });
    expect(await app.db.order.count({ where: { shop: SHOP, importedAt: { not: null } } })).toBe(ORDERS);
    expect(await app.db.shipment.count({ where: { shop: SHOP } })).toBeGreaterThanOrEqual(ORDERS);
    expect(await app.db.notification.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("importing twice changes nothing", async () => {
    const before = await app.db.shipment.findMany({ where: { shop: SHOP }, orderBy: { shopifyId: "asc" } });
    // A completed import is not started again by the page; a new one (re-install) records nothing new.
    expect((await carriers()).canStart).toBe(false);
    await app.db.historyImport.updateMany({ where: { shop: SHOP }, data: { status: "expired" } });
    expect((await importHistory()).status).toBe(200);
    await eventually(async () => (await carriers()).status === "completed", 30_000);
    expect(await app.db.shipment.findMany({ where: { shop: SHOP }, orderBy: { shopifyId: "asc" } })).toEqual(before);
    expect(await app.db.historyImport.count({ where: { shop: SHOP } })).toBe(3);
  });

  it("takes bulk_operations/finish like any webhook, and later webhooks for an imported order plan nothing", async () => {
    const run = await app.db.historyImport.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
    const finish = await sendWebhook(app.baseUrl, TEST_SECRET, {
      topic: "bulk_operations/finish",
      shop: SHOP,
      payload: { admin_graphql_api_id: run.bulkOperationId, completed_at: new Date().toISOString(), created_at: run.startedAt.toISOString(), error_code: null, status: "completed", type: "query" },
    });
    expect(finish.status).toBe(200);
    await eventually(() => app.db.webhookReceipt.findFirst({ where: { shop: SHOP, topic: "bulk_operations/finish", status: "processed" } }));
    const shipment = await app.db.shipment.findFirstOrThrow({ where: { shop: SHOP, deliveredAt: null }, orderBy: { shippedAt: "desc" } });
    const order = await app.db.order.findFirstOrThrow({ where: { shop: SHOP, shopifyId: shipment.orderShopifyId } });
    const event = await sendWebhook(app.baseUrl, TEST_SECRET, {
      topic: "fulfillment_events/create",
      shop: SHOP,
      payload: { id: 99_000_001, fulfillment_id: Number(shipment.shopifyId), order_id: Number(order.shopifyId), status: "delayed", message: "Held at customs", happened_at: new Date().toISOString(), created_at: new Date().toISOString() },
    });
    expect(event.status).toBe(200);
    await eventually(() => app.db.trackingEvent.findFirst({ where: { shop: SHOP, shopifyId: "99000001" } }));
    await eventually(async () => (await app.db.webhookReceipt.count({ where: { shop: SHOP, status: { in: ["pending", "processing"] } } })) === 0);
    expect(await app.db.notification.count({ where: { shop: SHOP } })).toBe(0);
  });
});
