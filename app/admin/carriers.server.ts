// Loads the shop's shipment history for the Carriers page in four queries, all scoped to the shop:
// the shipments, each one's first carrier scan, the ones with an exception or customs hold, and the
// ones that got a delay notice. About 0.8 s of CPU at 20,000 shipments (tests/bench/carriers-page.ts),
// so the page's report is cached until the shop's data changes.
import type { Db } from "~/db.server";
import { carriersReport, type CarriersReport, type ShipmentRecord, type WorstOnTime } from "~/carriers/performance";
import { EXCEPTION_STATUSES } from "~/shipments/at-risk";
import { NOT_SHIPPED_STATUSES } from "./shipments";
import { cachedCarriersReport } from "./carriers-cache.server";
import { DAY_MS } from "~/time";

/** The page looks at a year of shipping; older parcels say little about today's carriers. */
export const CARRIERS_HISTORY_DAYS = 365;
// SQLite's LIKE ignores case and PostgreSQL's does not: ask for the spellings carriers use.
const CUSTOMS = ["customs", "Customs", "CUSTOMS"];
// The merchant's own label is not the carrier having the parcel.
const NOT_A_SCAN = ["label_purchased", "label_printed"];

/** The shop's shipments of the last year; without `tracking`, no carrier scans, exceptions or delay notices. */
export async function loadShipmentRecords(db: Db, shop: string, now: Date, options: { tracking?: boolean } = {}): Promise<ShipmentRecord[]> {
  const since = new Date(now.getTime() - CARRIERS_HISTORY_DAYS * DAY_MS);
  const tracking = options.tracking ?? true;
  const [shopRow, shipments, firstScans, exceptions, delayNotices] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { country: true } }),
    db.shipment.findMany({
      where: { shop, status: { notIn: NOT_SHIPPED_STATUSES }, shippedAt: { gte: since }, destinationCountry: { not: null } },
      select: {
        shopifyId: true,
        carrierCode: true,
        carrierName: true,
        trackingCompany: true,
        originCountry: true,
        destinationCountry: true,
        destinationRegion: true,
        shippedAt: true,
        deliveredAt: true,
        estimatedDeliveryTo: true,
      },
    }),
    tracking
      ? db.trackingEvent.groupBy({ by: ["fulfillmentShopifyId"], where: { shop, happenedAt: { gte: since }, status: { notIn: NOT_A_SCAN } }, _min: { happenedAt: true } })
      : [],
    tracking
      ? db.trackingEvent.findMany({
          where: { shop, happenedAt: { gte: since }, OR: [{ status: { in: EXCEPTION_STATUSES } }, ...CUSTOMS.map((word) => ({ message: { contains: word } }))] },
          select: { fulfillmentShopifyId: true },
          distinct: ["fulfillmentShopifyId"],
        })
      : [],
    tracking
      ? db.notification.findMany({ where: { shop, kind: "delay_notice", sentAt: { not: null }, shipmentShopifyId: { not: null } }, select: { shipmentShopifyId: true } })
      : [],
  ]);
  const firstScan = new Map(firstScans.map((row) => [row.fulfillmentShopifyId, row._min.happenedAt]));
  const hadException = new Set(exceptions.map((row) => row.fulfillmentShopifyId));
  const hadDelayNotice = new Set(delayNotices.map((row) => row.shipmentShopifyId));
  return shipments.map((s) => ({
    carrier: s.carrierCode ?? s.carrierName ?? s.trackingCompany,
    originCountry: s.originCountry ?? shopRow?.country ?? null,
    destinationCountry: s.destinationCountry!,
    destinationRegion: s.destinationRegion,
    shippedAt: s.shippedAt!,
    firstCarrierEventAt: firstScan.get(s.shopifyId) ?? null,
    deliveredAt: s.deliveredAt,
    promisedBy: s.estimatedDeliveryTo,
    hadException: hadException.has(s.shopifyId),
    hadDelayNotice: hadDelayNotice.has(s.shopifyId),
  }));
}

/** The page's report; a repeated load with nothing changed is answered from carriers-cache.server.ts. */
export async function loadCarriersReport(db: Db, shop: string, now: Date): Promise<CarriersReport> {
  return cachedCarriersReport(db, shop, now, async () => carriersReport(await loadShipmentRecords(db, shop, now), { now }));
}

/** For the home page: the on-time rate needs only the shipments, not their carrier events. */
export async function loadWorstOnTime(db: Db, shop: string, now: Date): Promise<WorstOnTime | null> {
  return carriersReport(await loadShipmentRecords(db, shop, now, { tracking: false }), { now }).worstOnTime;
}
