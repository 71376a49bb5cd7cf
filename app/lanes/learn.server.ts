// Teaches the shop's lane model what one shipment's re-derive changed, in the caller's transaction.
import type { Prisma } from "@prisma/client";
import { laneChange, type LaneEvent, type LaneShipment } from "./shipment-lane";
import { levelIdsOf, updateLaneModel } from "./store.server";

export async function learnFromShipment(
  tx: Prisma.TransactionClient,
  shop: string,
  before: LaneShipment,
  after: LaneShipment,
  events: readonly LaneEvent[],
  eventsBefore: readonly LaneEvent[] = events,
): Promise<void> {
  const change = laneChange(before, after, events, eventsBefore);
  if (change) await updateLaneModel(tx, shop, levelIdsOf(change.parcel), change.apply);
}
