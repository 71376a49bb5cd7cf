// Shipment history written straight into the database for the Carriers page's tests and benchmark:
// each lane's parcels take the business days it is given, with a first carrier scan a day after
// shipping, customs holds and delay notices where asked, and the promised window of the time.
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { addBusinessDays } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";

const DAY = 86_400_000;

export interface SeedLane {
  carrierCode: string | null;
  carrierName: string;
  destination: string;
  region?: string;
  origin?: string;
  /** Business days each parcel took from shipping to delivery; null: still on its way (shipped 3 days ago). */
  transits: ReadonlyArray<number | null>;
  /** The window promised at the time ended this many business days after shipping. */
  promisedDays?: number;
  /** Every n-th parcel was held at customs. */
  customsEvery?: number;
  /** Every n-th parcel got a delay notice. */
  delayNoticeEvery?: number;
}

/**
 * Delivered parcels ship between 35 and 35 + `spreadDays` days before `now` (so even 21 business days
 * arrive before it), at 10:00 UTC. Ids start with `prefix`, so several calls can share a shop.
 */
export async function seedCarrierHistory(
  db: Db,
  shop: string,
  lanes: readonly SeedLane[],
  options: { now?: Date; spreadDays?: number; prefix?: string; batch?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const spread = options.spreadDays ?? 42;
  const prefix = options.prefix ?? "seed";
  const batch = options.batch ?? 2_000;
  const today = Math.floor(now.getTime() / DAY) * DAY + 10 * 3_600_000;
  let shipments: Prisma.ShipmentCreateManyInput[] = [];
  let events: Prisma.TrackingEventCreateManyInput[] = [];
  let notices: Prisma.NotificationCreateManyInput[] = [];
  const flush = async () => {
    await db.shipment.createMany({ data: shipments });
    await db.trackingEvent.createMany({ data: events });
    await db.notification.createMany({ data: notices });
    shipments = [];
    events = [];
    notices = [];
  };
  let count = 0;
  for (const [l, lane] of lanes.entries()) {
    const isHoliday = publicHolidayChecker(lane.destination);
    for (const [i, transit] of lane.transits.entries()) {
      const id = `${prefix}-${l}-${i}`;
      const orderId = `${id}-order`;
      const shippedAt = new Date(transit === null ? today - 3 * DAY : today - (35 + (i % spread)) * DAY);
      const deliveredAt = transit === null ? null : addBusinessDays(shippedAt, transit, isHoliday);
      const customs = lane.customsEvery !== undefined && i % lane.customsEvery === 0;
      shipments.push({
        shop,
        shopifyId: id,
        orderShopifyId: orderId,
        name: `#${id}`,
        status: "success",
        shipmentStatus: deliveredAt ? "delivered" : "in_transit",
        carrierCode: lane.carrierCode,
        carrierName: lane.carrierName,
        trackingCompany: lane.carrierName,
        trackingNumbers: JSON.stringify([`${id.toUpperCase()}X`]),
        originCountry: lane.origin ?? "CN",
        destinationCountry: lane.destination,
        destinationRegion: lane.region ?? null,
        shippedAt,
        estimatedDeliveryTo: lane.promisedDays === undefined ? null : addBusinessDays(shippedAt, lane.promisedDays, isHoliday),
        deliveredAt,
        lastEventAt: deliveredAt ?? new Date(shippedAt.getTime() + DAY),
        shopifyUpdatedAt: deliveredAt ?? shippedAt,
        createdAt: shippedAt,
      });
      const event = (n: number, status: string, message: string, at: Date) => ({
        shop,
        shopifyId: `${id}-e${n}`,
        fulfillmentShopifyId: id,
        orderShopifyId: orderId,
        status,
        message,
        happenedAt: at,
      });
      events.push(event(0, "label_printed", "Label created", shippedAt), event(1, "in_transit", "Picked up by the carrier", new Date(shippedAt.getTime() + DAY)));
      if (customs) events.push(event(2, "in_transit", "Held at customs", new Date(shippedAt.getTime() + 4 * DAY)));
      if (deliveredAt) events.push(event(3, "delivered", "Delivered", deliveredAt));
      if (lane.delayNoticeEvery !== undefined && i % lane.delayNoticeEvery === 0) {
        notices.push({
          shop,
          kind: "delay_notice",
          planKey: `delay_notice:${id}`,
          orderShopifyId: orderId,
          shipmentShopifyId: id,
          locale: "en",
          recipient: `${id}@example.test`,
          scheduledFor: new Date(shippedAt.getTime() + 10 * DAY),
          status: "sent",
          sentAt: new Date(shippedAt.getTime() + 10 * DAY),
        });
      }
      count++;
      if (shipments.length >= batch) await flush();
    }
  }
  await flush();
  return count;
}

/** `count` parcels taking start, start + 1, … start + span − 1 business days in turn. */
export function transitsCycling(count: number, start: number, span: number): number[] {
  return Array.from({ length: count }, (_, i) => start + (i % span));
}
