// Learns a shop's lanes again from every shipment it has recorded: after a history import, whose rows go
// in by the thousand and skip the one-parcel-at-a-time path. Each shipment teaches what laneChange says a
// shipment seen for the first time in its current state teaches, so the result equals replaying its webhooks.
import type { Db } from "~/db.server";
import { laneChange, type LaneEvent, type LaneShipment } from "./shipment-lane";
import { createLaneModel, type LaneModel } from "./lane-model";
import { saveLaneModel } from "./store.server";

// SQLite allows a few hundred parameters in one statement: the events of a page go in one `IN` list.
const PAGE = 400;

/** The state before a shipment was ever seen: nothing tracked, nothing delivered, no events. */
const unseen = (shipment: LaneShipment): LaneShipment => ({ ...shipment, estimateSource: null, deliveredAt: null, lastEventAt: null });

export async function relearnShopLanes(db: Db, shop: string): Promise<{ shipments: number; levels: number }> {
  const model: LaneModel = createLaneModel();
  let cursor: string | undefined;
  let shipments = 0;
  for (;;) {
    const page = await db.shipment.findMany({
      where: { shop, estimateSource: { not: null } },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true, shopifyId: true, shipmentStatus: true, estimateSource: true, deliveredAt: true, lastEventAt: true, shippedAt: true,
        createdAt: true, carrierCode: true, carrierName: true, originCountry: true, destinationCountry: true, destinationRegion: true, orderShopifyId: true,
      },
    });
    if (page.length === 0) break;
    cursor = page.at(-1)!.id;
    const events = await db.trackingEvent.findMany({
      where: { shop, fulfillmentShopifyId: { in: page.map((s) => s.shopifyId) } },
      select: { fulfillmentShopifyId: true, status: true, happenedAt: true },
    });
    const orders = await db.order.findMany({
      where: { shop, shopifyId: { in: [...new Set(page.map((s) => s.orderShopifyId))] } },
      select: { shopifyId: true, paidAt: true },
    });
    const paidAt = new Map(orders.map((o) => [o.shopifyId, o.paidAt]));
    const eventsOf = new Map<string, LaneEvent[]>();
    for (const e of events) eventsOf.set(e.fulfillmentShopifyId, [...(eventsOf.get(e.fulfillmentShopifyId) ?? []), e]);
    for (const shipment of page) {
      const handling = { shop, paidAt: paidAt.get(shipment.orderShopifyId) ?? null };
      laneChange(unseen(shipment), shipment, eventsOf.get(shipment.shopifyId) ?? [], undefined, handling)?.apply(model);
      shipments++;
    }
  }
  const levels = await saveLaneModel(db, shop, model);
  return { shipments, levels };
}
