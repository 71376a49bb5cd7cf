// The Carriers page's loader on real databases (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set):
// carrier scans, exceptions and delay notices are read for the shop's own shipments only, and the
// customs hold is found however the carrier spells it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { loadCarriersReport, loadWorstOnTime } from "~/admin/carriers.server";
import { seedCarrierHistory } from "#tests/support/carriers-seed";
import { KNOWN_LANES } from "#tests/support/carriers-lanes";
import { openPostgres, openSqlite, type Backend, type Opened } from "../support/databases";
import { recordTrackingEvent } from "~/shipments/record.server";
import type { CarriersReport } from "~/carriers/performance";

const A = "carriers-data-a.myshopify.com";
const B = "carriers-data-b.myshopify.com";
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const backends: Backend[] = [
  { name: "SQLite", open: openSqlite },
  ...(POSTGRES_URL ? [{ name: "PostgreSQL", open: () => openPostgres(POSTGRES_URL) }] : []),
];

describe.each(backends)("the Carriers page's loader on $name", (backend) => {
  let database: Opened;
  let db: Db;
  const now = new Date();

  beforeAll(async () => {
    database = await backend.open();
    db = createDb(database.url);
    await db.shop.createMany({ data: [{ domain: A, country: "CN" }, { domain: B }] });
    await seedCarrierHistory(db, A, KNOWN_LANES, { now });
    // Shop B's shipments share shop A's ids, every one held at customs and noticed: none of it is A's.
    await seedCarrierHistory(db, B, KNOWN_LANES.map((lane) => ({ ...lane, customsEvery: 1, delayNoticeEvery: 1 })), { now });
    // Shouted customs and a carrier "delayed" status count too; the origin falls back to the shop's country.
    await seedCarrierHistory(db, A, [{ carrierCode: "ups", carrierName: "UPS", destination: "JP", origin: undefined, transits: [3, 4, 5] }], { now, prefix: "jp" });
    await db.shipment.updateMany({ where: { shop: A, shopifyId: { startsWith: "jp-" } }, data: { originCountry: null } });
    await db.trackingEvent.createMany({
      data: [
        { shop: A, shopifyId: "jp-x1", fulfillmentShopifyId: "jp-0-0", orderShopifyId: "jp-0-0-order", status: "in_transit", message: "CUSTOMS CLEARANCE PENDING", happenedAt: now },
        { shop: A, shopifyId: "jp-x2", fulfillmentShopifyId: "jp-0-1", orderShopifyId: "jp-0-1-order", status: "delayed", message: "Weather", happenedAt: now },
      ],
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.close();
  });

  it("reads exceptions, delay notices and first scans of the shop's own shipments", async () => {
    const report = await loadCarriersReport(db, A, now);
    const brazil = report.lanes.find((lane) => lane.destination === "BR")!;
    const correios = brazil.carriers.find((c) => c.carrier === "correios")!;
    expect(correios.parcels).toBe(110);
    expect(correios.exceptionShare).toBeCloseTo(11 / 110, 12);
    expect(correios.delayNoticeShare).toBeCloseTo(6 / 110, 12);
    expect(correios.handoverDays).toBe(1);
    const japan = report.lanes.find((lane) => lane.destination === "JP")!.carriers[0]!;
    expect([japan.origin, japan.exceptionShare]).toEqual(["CN", 2 / 3]);
  });

  it("gives another shop nothing of it", async () => {
    const theirs = await loadCarriersReport(db, B, now);
    expect(theirs.lanes.find((lane) => lane.destination === "JP")).toBeUndefined();
    expect(theirs.lanes.find((lane) => lane.destination === "BR")!.carriers[0]!.exceptionShare).toBe(1);
    expect(await loadWorstOnTime(db, A, now)).toMatchObject({ destination: "BR", carrier: "correios", onTimeRate: 0.6 });
  });

  it("answers a repeated load from its cache, and the load after a new delivery or a new shop country with it", async () => {
    await seedCarrierHistory(db, A, [{ carrierCode: "ups", carrierName: "UPS", destination: "IT", transits: [3, null] }], { now, prefix: "fresh" });
    const italy = (report: CarriersReport) => report.lanes.find((lane) => lane.destination === "IT")!.carriers[0]!;
    const first = await loadCarriersReport(db, A, now);
    expect(italy(first)).toMatchObject({ parcels: 2, delivered: 1, inTransit: 1 });
    expect(await loadCarriersReport(db, A, now)).toBe(first);

    // The parcel still out is delivered, through the record path a carrier event's webhook takes.
    const delivered = { shopifyId: "fresh-delivered", fulfillmentShopifyId: "fresh-0-1", orderShopifyId: "fresh-0-1-order", status: "delivered", message: null, city: null, country: null, estimatedDeliveryAt: null, happenedAt: now };
    await db.$transaction((tx) => recordTrackingEvent(tx, A, delivered, now));
    const next = await loadCarriersReport(db, A, now);
    expect(italy(next)).toMatchObject({ parcels: 2, delivered: 2, inTransit: 0 });
    expect(await loadCarriersReport(db, A, now)).toBe(next);

    // Parcels whose fulfillment names no origin left from the shop's country, which the merchant can change.
    await db.shop.update({ where: { domain: A }, data: { country: "HK" } });
    const moved = await loadCarriersReport(db, A, now);
    expect(moved.lanes.find((lane) => lane.destination === "JP")!.carriers[0]!.origin).toBe("HK");
    await db.shop.update({ where: { domain: A }, data: { country: "CN" } });
  });
});
