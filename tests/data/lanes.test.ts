// Promises from the shop's own parcels, on real databases: deliveries recorded through webhooks teach
// the lane, the next parcel's window comes from it, and a replayed delivery teaches nothing twice.
import { describe, expect, it } from "vitest";
import { backends, buyer, DAY, delivery, HOUR, useDatabase } from "./harness";
import { fulfillmentEventFor, fulfillmentPayloadFor } from "#tests/demo/scenario";
import { relearnShopLanes } from "~/lanes/relearn.server";
import { storeMissingAtRisk } from "~/shipments/record.server";
import type { LaneStats } from "~/lanes/lane-model";

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
