// Teaches the shop's lane model what one shipment's re-derive changed, in the caller's transaction.
// Most re-derives teach nothing (laneChange is null): those write no row. `read` are the lane's rows the
// caller already read in this transaction for the window; the update reuses them where it may.
import type { Prisma } from "@prisma/client";
import { firstTracked, laneChange, type LaneEvent, type LaneShipment } from "./shipment-lane";
import { rowIdsFor, updateLaneModel, type LaneRows } from "./store.server";

export async function learnFromShipment(
  tx: Prisma.TransactionClient,
  shop: string,
  before: LaneShipment & { orderShopifyId: string },
  after: LaneShipment,
  events: readonly LaneEvent[],
  eventsBefore: readonly LaneEvent[] = events,
  read?: LaneRows,
): Promise<void> {
  // The order's payment matters only the first time the shipment is tracked: read it then alone.
  const paidAt = firstTracked(before, after)
    ? ((await tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: before.orderShopifyId } }, select: { paidAt: true } }))?.paidAt ?? null)
    : null;
  const change = laneChange(before, after, events, eventsBefore, { shop, paidAt });
  if (change) await updateLaneModel(tx, shop, rowIdsFor(shop, change.parcel, change.handling), change.apply, read);
}
