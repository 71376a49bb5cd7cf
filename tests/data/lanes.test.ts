// Promises from the shop's own parcels, on real databases: deliveries recorded through webhooks teach
// the lane, the next parcel's window comes from it, and a replayed delivery teaches nothing twice.
import { afterEach, describe, expect, it, vi } from "vitest";
import { backends, buyer, DAY, delivery, HOUR, useDatabase } from "./harness";
import { fulfillmentEventFor, fulfillmentPayloadFor } from "#tests/demo/scenario";
import { relearnShopLanes } from "~/lanes/relearn.server";
import { storeMissingAtRisk } from "~/shipments/record.server";
import { rebuildLaneModel, type DecayedHistogram, type LaneStats } from "~/lanes/lane-model";
import { saveLaneModel } from "~/lanes/store.server";

describe.each(backends)("lanes on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  // The worker records at the wall clock, so the parcels are recent as the model reads them.
  const now = new Date();
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY + hours * HOUR);

  async function ship(shop: string, i: number, shippedDaysAgo: number) {
    const order = await paidOrder(shop, 7000 + i, buyer(`Lane${i}`), at(shippedDaysAgo + 1));
    const created = at(shippedDaysAgo);
    const payload = fulfillmentPayloadFor(8000 + i, order.id, "DHL Express", `JD0146${String(i).padStart(4, "0")}`, "US", { created, updated: created });
    expect(await deliver(delivery(shop, "fulfillments/create", payload))).toBe("recorded");
  }
  const event = (i: number, n: number, status: string, happened: Date) => fulfillmentEventFor(90_000 + i * 10 + n, 8000 + i, 7000 + i, status, happened);

  it("gives the 41st parcel its lane's window, and replays change no lane", async () => {
    const shop = await newShop("lanes");
    await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
    const delivered = [];
    for (let i = 0; i < 40; i++) {
      await ship(shop, i, 12);
      const scanned = event(i, 1, "in_transit", at(11));
      const arrived = event(i, 2, "delivered", at(11 - (i % 3) - 2));
      delivered.push(arrived);
      expect(await deliver(delivery(shop, "fulfillment_events/create", scanned))).toBe("recorded");
      expect(await deliver(delivery(shop, "fulfillment_events/create", arrived))).toBe("recorded");
    }
    const lanes = () => suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } });
    const learned = await lanes();
    const lane = learned.find((row) => row.levelId === "lane:dhl_express|DE|US");
    expect(JSON.parse(lane!.stats)).toMatchObject({ counts: { delivered: 40, inTransit: 0 } });

    await ship(shop, 40, 0);
    const next = await suite.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "8040" } } });
    expect(next.estimateSource).toBe("lane");
    // Recency-weighted: parcels handed over 11 days ago count a little less than one each.
    expect(next.estimateParcels).toBeGreaterThanOrEqual(30);
    expect(next.estimateParcels).toBeLessThanOrEqual(40);
    expect(next.estimatedDeliveryFrom!.getTime()).toBeGreaterThanOrEqual(now.getTime() - HOUR);

    const beforeReplay = await lanes();
    for (const arrived of delivered) expect(await deliver(delivery(shop, "fulfillment_events/create", arrived))).toBe("recorded");
    expect(await lanes()).toEqual(beforeReplay);

    // Learning again from every recorded shipment at once (what a history import does) teaches the same.
    const incremental = JSON.parse(beforeReplay.find((row) => row.levelId === "lane:dhl_express|DE|US")!.stats) as LaneStats;
    expect(await relearnShopLanes(suite.db, shop)).toMatchObject({ shipments: 41 });
    const relearned = JSON.parse((await lanes()).find((row) => row.levelId === "lane:dhl_express|DE|US")!.stats) as LaneStats;
    expect(relearned.counts).toEqual(incremental.counts);
    const weightAt = (stats: LaneStats) => stats.delivered.map((w) => w * 2 ** ((stats.referenceMs - now.getTime()) / (30 * DAY)));
    weightAt(relearned).forEach((w, k) => expect(w).toBeCloseTo(weightAt(incremental)[k]!, 9));
  }, 120_000);

  it("takes a delivered parcel out of transit when a scan earlier than its first one arrives late", async () => {
    const shop = await newShop("late-scan");
    await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
    await ship(shop, 60, 12);
    // The carrier's second scan arrives first; its pick-up scan, a day earlier, comes after it.
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(60, 2, "in_transit", at(10))))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(60, 1, "in_transit", at(11))))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(60, 3, "delivered", at(4))))).toBe("recorded");

    const shipment = await suite.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "8060" } } });
    expect(shipment).toMatchObject({ shipmentStatus: "delivered", deliveredAt: at(4) });
    // The lane levels (the carrier's online-for-tracking and the shop's handling time are not lanes).
    const rows = await suite.db.laneStat.findMany({ where: { shop, NOT: [{ levelId: { startsWith: "online:" } }, { levelId: { startsWith: "handling:" } }] } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const stats = JSON.parse(row.stats) as LaneStats;
      expect({ level: row.levelId, counts: stats.counts, inTransit: stats.inTransit }).toEqual({
        level: row.levelId,
        counts: expect.objectContaining({ delivered: 1, inTransit: 0 }),
        inTransit: {},
      });
    }
    // Online for tracking counts from the earliest scan too.
    const online = async () => {
      const histogram = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: "online:dhl_express" } } })).stats) as DecayedHistogram;
      return { count: histogram.count, days: histogram.bins.flatMap((w, days) => (w > 1e-9 ? [days] : [])) };
    };
    expect(await online()).toEqual({ count: 1, days: [1] });
    // Learning again from the stored shipment (hand-over = its earliest scan) teaches the same.
    const incremental = rows.map((row) => ({ levelId: row.levelId, delivered: (JSON.parse(row.stats) as LaneStats).delivered.findIndex((w) => w > 0) }));
    await relearnShopLanes(suite.db, shop);
    const relearned = await suite.db.laneStat.findMany({ where: { shop, levelId: { in: rows.map((r) => r.levelId) } } });
    expect(await online()).toEqual({ count: 1, days: [1] });
    expect(relearned.map((row) => ({ levelId: row.levelId, delivered: (JSON.parse(row.stats) as LaneStats).delivered.findIndex((w) => w > 0) })).sort((a, b) => a.levelId.localeCompare(b.levelId))).toEqual(
      incremental.sort((a, b) => a.levelId.localeCompare(b.levelId)),
    );
  });

  it("counts a delivered parcel's transit from a pick-up scan that arrives after the delivery, as a relearn does", async () => {
    const shop = await newShop("after-delivery");
    await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
    await ship(shop, 61, 12);
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(61, 2, "in_transit", at(9))))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(61, 3, "delivered", at(2))))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(61, 1, "in_transit", at(11))))).toBe("recorded");
    const levels = async () =>
      (await suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } })).map((row) => {
        const stats = JSON.parse(row.stats) as LaneStats & DecayedHistogram;
        const bins = (stats.delivered ?? stats.bins).flatMap((w, k) => (w > 1e-9 ? [k] : []));
        return { levelId: row.levelId, counts: stats.counts ?? stats.count, bins, gaps: stats.scanGaps?.flatMap((w, k) => (w > 1e-9 ? [k] : [])) ?? null };
      });
    const incremental = await levels();
    expect(incremental.find((level) => level.levelId === "lane:dhl_express|DE|US")).toMatchObject({ counts: { delivered: 1, inTransit: 0 } });
    await relearnShopLanes(suite.db, shop);
    expect(await levels()).toEqual(incremental);
  });

  describe("with LANE_LEARNING", () => {
    afterEach(() => vi.unstubAllEnvs());
    const laneRow = (shop: string) => suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: "lane:dhl_express|DE|US" } } });
    const shipmentOf = (shop: string, i: number) => suite.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: String(8000 + i) } } });

    /** A shop whose DHL Express lane to the USA already knows 60 recent deliveries. */
    async function taughtShop(label: string) {
      const shop = await newShop(label);
      await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
      const lane = { carrier: "DHL Express", originCountry: "DE", destinationCountry: "US", destinationRegion: null };
      const parcels = Array.from({ length: 60 }, (_, i) => ({ ...lane, handedOverAt: at(20 - (i % 5)), deliveredAt: at(14 - (i % 5) - (i % 3)) }));
      await saveLaneModel(suite.db, shop, rebuildLaneModel(parcels));
      return shop;
    }

    it("off: a recorded delivery changes no LaneStat row and the window is the registry's", async () => {
      const shop = await taughtShop("learning-off");
      vi.stubEnv("LANE_LEARNING", "off");
      const before = await suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } });
      await ship(shop, 70, 6);
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(70, 1, "in_transit", at(5))))).toBe("recorded");
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(70, 2, "delivered", at(1))))).toBe("recorded");
      expect(await shipmentOf(shop, 70)).toMatchObject({ estimateSource: "registry", estimateParcels: 0, deliveredAt: at(1) });
      expect(await suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } })).toEqual(before);
    });

    it("on: the same delivery is promised the lane's window and teaches the lane", async () => {
      const shop = await taughtShop("learning-on");
      vi.stubEnv("LANE_LEARNING", "on");
      const before = JSON.parse((await laneRow(shop)).stats) as LaneStats;
      await ship(shop, 71, 6);
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(71, 1, "in_transit", at(5))))).toBe("recorded");
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(71, 2, "delivered", at(1))))).toBe("recorded");
      expect(await shipmentOf(shop, 71)).toMatchObject({ estimateSource: "lane", deliveredAt: at(1) });
      expect((await shipmentOf(shop, 71)).estimateParcels).toBeGreaterThan(30);
      const after = JSON.parse((await laneRow(shop)).stats) as LaneStats;
      expect(after.counts).toMatchObject({ delivered: before.counts.delivered + 1, inTransit: 0 });
    });
  });

  it("gives shipments recorded before at-risk was stored theirs at start-up", async () => {
    const shop = await newShop("legacy");
    const shippedAt = at(30);
    await suite.db.shipment.create({
      data: { shop, shopifyId: "legacy-1", orderShopifyId: "legacy-order", status: "success", trackingNumbers: JSON.stringify(["JD0001"]), shippedAt, shopifyUpdatedAt: shippedAt, destinationCountry: "US" },
    });
    expect(await storeMissingAtRisk(suite.db, now)).toBeGreaterThanOrEqual(1);
    // Thirty days without a carrier event: silent under the fixed rule, since the lane knows nothing.
    expect(await suite.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "legacy-1" } } })).toMatchObject({ atRiskReason: "silent" });
    expect(await storeMissingAtRisk(suite.db, now)).toBe(0);
  });
});
