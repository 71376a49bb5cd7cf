// The history import end to end in one process: a real (temporary SQLite) database, the Admin API
// stand-in's bulk operation and its JSONL file over HTTP, and the webhook record path.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { startAdminApiStandin, type AdminApiStandin } from "#tests/standins/admin-api-standin";
import { standinGraphql } from "#tests/demo/seed.server";
import { demoHistory } from "#tests/demo/history";
import { advanceHistoryImport, requestHistoryImport, startHistoryImport, type HistoryDeps } from "./import.server";
import { noteBulkOperationFinished } from "./bulk-finished.server";

const SHOP = "history-a.myshopify.com";
const OTHER = "history-b.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00.000Z");
const DAY = 86_400_000;

let dir: string;
let db: Db;
let standin: AdminApiStandin;
let deps: HistoryDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-history-"));
  const url = `file:${join(dir, "history.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  standin = await startAdminApiStandin({ name: "History", email: "owner@history.example", currencyCode: "USD", ianaTimezone: "Asia/Shanghai", primaryLocale: "en", countryCode: "CN" });
  deps = { db, graphqlFor: async () => standinGraphql(standin.url) };
});
afterAll(async () => {
  await db?.$disconnect();
  await standin?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.shop.createMany({ data: [{ domain: SHOP, country: "CN" }, { domain: OTHER, country: "US" }] });
  const history = demoHistory(NOW, { orders: 40, seed: 7 });
  // One parcel without an origin address: it left from the shop's own country.
  delete history.orders[0]!.fulfillments![0]!.originAddress;
  standin.bulk.history.splice(0, Infinity, ...history.orders);
  Object.assign(standin.bulk.options, { looksToComplete: 2, outcome: "COMPLETED", eventsLast: false, chunkBytes: 1000 });
});
afterEach(async () => {
  for (const table of ["historyImport", "order", "shipment", "trackingEvent", "notification", "shop"] as const) {
    await (db[table] as { deleteMany(): Promise<unknown> }).deleteMany();
  }
});

/** Looks until the import is no longer running, as the job would. */
async function runToEnd(id: string) {
  for (let look = 0; look < 10; look++) {
    const run = (await advanceHistoryImport(deps, id, NOW)) ?? (await db.historyImport.findUniqueOrThrow({ where: { id } }));
    if (run.status !== "running") return run;
  }
  throw new Error("the import never finished");
}

const snapshot = async (shop: string) => ({
  orders: await db.order.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } }),
  shipments: await db.shipment.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } }),
  events: await db.trackingEvent.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } }),
});

describe("importing the shop's history", () => {
  it("asks Shopify for 60 days of orders, waits while it exports, then records the file", async () => {
    const started = await startHistoryImport(deps, SHOP, NOW);
    expect(started).toMatchObject({ status: "running", bulkStatus: "CREATED", bulkOperationId: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\//) });
    const query = standin.bulk.operations.at(-1)!.query;
    expect(query).toContain(`created_at:>='${new Date(NOW.getTime() - 60 * DAY).toISOString()}'`);
    expect(query).toMatch(/fulfillments \{[\s\S]*events \{\s*edges/);

    const looking = await advanceHistoryImport(deps, started.id, NOW);
    expect(looking).toMatchObject({ status: "running", bulkStatus: "RUNNING" });
    expect(looking!.objectCount).toBeGreaterThan(0);

    const done = await advanceHistoryImport(deps, started.id, NOW);
    const { orders, shipments, events } = await snapshot(SHOP);
    expect(done).toMatchObject({ status: "completed", bulkStatus: "COMPLETED", ordersImported: 40, shipmentsImported: shipments.length, eventsImported: events.length, errorMessage: null });
    expect(done!.objectsRecorded).toBe(done!.objectCount);
    expect(orders).toHaveLength(40);
    expect(orders.every((o) => o.importedAt?.getTime() === NOW.getTime())).toBe(true);
    expect(orders[0]).toMatchObject({ destinationCountry: expect.any(String), financialStatus: "paid" });
    expect(shipments.find((s) => s.shopifyId === "6100000000")?.originCountry).toBe("CN");
    expect(new Set(shipments.map((s) => s.originCountry))).toEqual(new Set(["CN", "HK"]));
    const delivered = shipments.filter((s) => s.deliveredAt);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((s) => s.shipmentStatus === "delivered")).toBe(true);
    expect(await db.notification.count()).toBe(0);
    expect(await db.order.count({ where: { shop: OTHER } })).toBe(0);
  });

  it("importing twice changes nothing", async () => {
    await runToEnd((await startHistoryImport(deps, SHOP, NOW)).id);
    const first = await snapshot(SHOP);
    const again = await runToEnd((await requestHistoryImport(deps, SHOP, new Date(NOW.getTime() + DAY)))!.id);
    expect(again.status).toBe("completed");
    expect(await snapshot(SHOP)).toEqual(first);
  });

  it("records the same whether a fulfillment's events follow its order or come at the end of the file", async () => {
    await runToEnd((await startHistoryImport(deps, SHOP, NOW)).id);
    standin.bulk.options.eventsLast = true;
    await runToEnd((await startHistoryImport(deps, OTHER, NOW)).id);
    const strip = (rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, shop: _shop, createdAt: _c, updatedAt: _u, originCountry: _o, ...rest }) => rest);
    const [a, b] = [await snapshot(SHOP), await snapshot(OTHER)];
    expect(strip(b.shipments)).toEqual(strip(a.shipments));
    expect(strip(b.events)).toEqual(strip(a.events));
  });

  it("fails with Shopify's error, and a retry imports", async () => {
    standin.bulk.options.outcome = { errorCode: "ACCESS_DENIED" };
    const failed = await runToEnd((await startHistoryImport(deps, SHOP, NOW)).id);
    expect(failed).toMatchObject({ status: "failed", errorCode: "ACCESS_DENIED", errorMessage: expect.stringContaining("denied access") });
    standin.bulk.options.outcome = "COMPLETED";
    const retried = await requestHistoryImport(deps, SHOP, NOW);
    expect(retried!.id).not.toBe(failed.id);
    expect(await runToEnd(retried!.id)).toMatchObject({ status: "completed", ordersImported: 40 });
  });

  it("expires when Shopify's file expired, and can be retried", async () => {
    standin.bulk.options.outcome = "EXPIRED";
    const expired = await runToEnd((await startHistoryImport(deps, SHOP, NOW)).id);
    expect(expired).toMatchObject({ status: "expired", errorCode: "EXPIRED" });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(0);
    standin.bulk.options.outcome = "COMPLETED";
    expect((await requestHistoryImport(deps, SHOP, NOW))!.status).toBe("running");
  });

  it("does not start a second import while one runs, nor retry a completed one", async () => {
    const running = await startHistoryImport(deps, SHOP, NOW);
    expect((await startHistoryImport(deps, SHOP, NOW)).id).toBe(running.id);
    const done = await runToEnd(running.id);
    expect((await requestHistoryImport(deps, SHOP, NOW))!.id).toBe(done.id);
  });

  it("keeps bulk_operations/finish's news on the import it is about", async () => {
    const running = await startHistoryImport(deps, SHOP, NOW);
    await noteBulkOperationFinished(db, OTHER, { bulkOperationId: running.bulkOperationId!, status: "completed", errorCode: null });
    expect((await db.historyImport.findUniqueOrThrow({ where: { id: running.id } })).bulkStatus).toBe("CREATED");
    await noteBulkOperationFinished(db, SHOP, { bulkOperationId: running.bulkOperationId!, status: "failed", errorCode: "internal_server_error" });
    expect(await db.historyImport.findUniqueOrThrow({ where: { id: running.id } })).toMatchObject({ bulkStatus: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", status: "running" });
  });

  it("leaves an order webhooks brought to the planner: newer history cancels what it no longer wants", async () => {
    const node = standin.bulk.history[5]!;
    const shopifyId = node.id.split("/").pop()!;
    await db.order.create({ data: { shop: SHOP, shopifyId, name: String(node.name), email: "buyer@example.test", shopifyUpdatedAt: new Date(Date.parse(String(node.updatedAt)) - DAY), paidAt: new Date(Date.parse(String(node.createdAt))) } });
    await db.notification.create({ data: { shop: SHOP, kind: "feedback_request", planKey: `feedback_request:${shopifyId}`, orderShopifyId: shopifyId, locale: "en", recipient: "buyer@example.test", scheduledFor: new Date(NOW.getTime() + DAY) } });
    node.cancelledAt = node.updatedAt;
    await runToEnd((await startHistoryImport(deps, SHOP, NOW)).id);
    const order = await db.order.findFirstOrThrow({ where: { shop: SHOP, shopifyId } });
    expect(order.importedAt).toBeNull();
    expect(order.cancelledAt).not.toBeNull();
    expect((await db.notification.findFirstOrThrow({ where: { shop: SHOP, orderShopifyId: shopifyId } })).status).toBe("cancelled");
  });
});
