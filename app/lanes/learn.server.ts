// Teaches the shop's lane model what one shipment's re-derive changed, in the caller's transaction.
import type { Prisma } from "@prisma/client";
import { firstTracked, laneChange, type LaneEvent, type LaneShipment } from "./shipment-lane";
import { handlingLevelId, levelIdsOf, updateLaneModel } from "./store.server";

export async function learnFromShipment(
  tx: Prisma.TransactionClient,
  shop: string,
  before: LaneShipment & { orderShopifyId: string },
  after: LaneShipment,
  events: readonly LaneEvent[],
  eventsBefore: readonly LaneEvent[] = events,
): Promise<void> {
  // The order's payment matters only the first time the shipment is tracked: read it then alone.
  const paidAt = firstTracked(before, after)
    ? ((await tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: before.orderShopifyId } }, select: { paidAt: true } }))?.paidAt ?? null)
    : null;
  const change = laneChange(before, after, events, eventsBefore, { shop, paidAt });
  if (change) await updateLaneModel(tx, shop, [...levelIdsOf(change.parcel), ...(change.handling ? [handlingLevelId(shop)] : [])], change.apply);
}
