// A learned lane in a shop's stored model, for suites that need one without replaying webhooks: parcels
// handed over in the last weeks and delivered after the given business-day-ish spreads.
import type { Db } from "~/db.server";
import { createLaneModel, recordDelivery } from "~/lanes/lane-model";
import { saveLaneModel } from "~/lanes/store.server";

const DAY = 86_400_000;

export async function seedLane(
  db: Db,
  shop: string,
  lane: { carrier: string; origin: string; destination: string; transitDays: readonly number[] },
  now = new Date(),
): Promise<void> {
  const model = createLaneModel();
  lane.transitDays.forEach((days, i) => {
    const handedOverAt = new Date(now.getTime() - (days + 2 + (i % 7)) * DAY);
    recordDelivery(model, {
      carrier: lane.carrier, originCountry: lane.origin, destinationCountry: lane.destination,
      handedOverAt, deliveredAt: new Date(handedOverAt.getTime() + days * DAY),
    });
  });
  await saveLaneModel(db, shop, model);
}
