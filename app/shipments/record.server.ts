// Keeps a Shipment as its fulfillment and carrier events describe it: each new fact re-derives the
// carrier, status and estimate from everything known so far.
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import type { LaneInput } from "~/lanes/lane-key";
import type { FulfillmentFacts, TrackingEventFacts } from "~/orders/payload";
import { parseTransitOverrides } from "~/carriers/registry";
import { DEFAULT_COVERAGE, windowDates, type LaneWindow } from "~/lanes/estimate-window";
import { HANDED_OFF } from "~/notifications/status";
import { laneWindowFor, laneWindowOf, readLaneRows, rowIdsFor } from "~/lanes/store.server";
import { atRiskColumns, DEFAULT_AT_RISK, isLiveShipment, laneFiguresOf } from "./at-risk";
import { publicHolidayChecker } from "./holidays";
import { carrierOf, deriveShipment, type Promised } from "./derive";
import { learnFromShipment } from "~/lanes/learn.server";
import { laneLearningOn } from "~/env.server";

type Tx = Prisma.TransactionClient;

/** A fulfillment older than the stored one changes nothing. */
export async function recordShipment(tx: Tx, shop: string, facts: FulfillmentFacts, now: Date): Promise<void> {
  const current = await tx.shipment.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    select: { shopifyUpdatedAt: true },
  });
  if (current && current.shopifyUpdatedAt > facts.shopifyUpdatedAt) return;
  const shopCountry = facts.originCountry ? null : (await tx.shop.findUnique({ where: { domain: shop }, select: { country: true } }))?.country;
  const data = shipmentData(facts, shopCountry ?? null);
  await tx.shipment.upsert({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    create: { shop, shopifyId: facts.shopifyId, ...data },
    update: data,
  });
  await refreshShipment(tx, shop, facts.shopifyId, now);
}

/** A fulfillment's columns on its Shipment; the parcel left from the shop's country unless Shopify says otherwise. */
export function shipmentData(facts: FulfillmentFacts, shopCountry: string | null) {
  return {
    orderShopifyId: facts.orderShopifyId,
    name: facts.name,
    status: facts.status,
    shipmentStatus: facts.shipmentStatus,
    trackingCompany: facts.trackingCompany,
    trackingNumbers: JSON.stringify(facts.trackingNumbers),
    trackingUrls: JSON.stringify(facts.trackingUrls),
    shippedAt: facts.shippedAt,
    originCountry: facts.originCountry ?? shopCountry,
    destinationCountry: facts.destinationCountry,
    destinationRegion: facts.destinationRegion,
    shopifyUpdatedAt: facts.shopifyUpdatedAt,
  };
}

/** The window already promised (by a lane or the registry); a carrier's date is re-read from its events. */
function promisedOf(shipment: {
  estimatedDeliveryFrom: Date | null;
  estimatedDeliveryTo: Date | null;
  estimateSource: string | null;
  estimateParcels: number | null;
}): Promised | null {
  const { estimatedDeliveryFrom: from, estimatedDeliveryTo: to, estimateSource: source } = shipment;
  if (!from || !to || !source || source === "carrier") return null;
  return { from, to, source, parcels: shipment.estimateParcels };
}

/** A carrier event is kept once; its shipment is re-derived (if its fulfillment has arrived yet). */
export async function recordTrackingEvent(tx: Tx, shop: string, event: TrackingEventFacts, now: Date): Promise<void> {
  const known = await tx.trackingEvent.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: event.shopifyId } },
    select: { id: true },
  });
  if (!known) await tx.trackingEvent.create({ data: { shop, ...event } });
  await refreshShipment(tx, shop, event.fulfillmentShopifyId, now, known ? undefined : new Set([event.shopifyId]));
}

/**
 * Re-derives a shipment's carrier, status and estimate from its fulfillment and every event so far.
 * `newEvents` (Shopify ids) are the events recorded since the shipment was last derived. With
 * LANE_LEARNING=off the estimate is the registry's and the lane model is neither read nor taught.
 */
export async function refreshShipment(tx: Tx, shop: string, fulfillmentShopifyId: string, now: Date, newEvents?: ReadonlySet<string>): Promise<void> {
  const shipment = await tx.shipment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: fulfillmentShopifyId } } });
  if (!shipment) return; // Events that arrive first wait for their fulfillment.
  const [events, shopRow] = await Promise.all([
    tx.trackingEvent.findMany({
      where: { shop, fulfillmentShopifyId },
      select: { shopifyId: true, status: true, happenedAt: true, estimatedDeliveryAt: true },
      orderBy: { happenedAt: "asc" },
    }),
    tx.shop.findUnique({
      where: { domain: shop },
      select: { carrierTransitOverrides: true, estimateCoverage: true, atRiskRule: true, delayGraceDays: true, silenceDays: true },
    }),
  ]);
  const fulfillment = {
    status: shipment.status,
    shipmentStatus: shipment.shipmentStatus,
    trackingCompany: shipment.trackingCompany,
    trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[],
    trackingUrls: JSON.parse(shipment.trackingUrls) as string[],
    shippedAt: shipment.shippedAt ?? shipment.createdAt,
    destinationCountry: shipment.destinationCountry,
    shopifyUpdatedAt: shipment.shopifyUpdatedAt,
  };
  const overrides = parseTransitOverrides(shopRow?.carrierTransitOverrides);
  const learning = laneLearningOn();
  // One read of the lane's rows serves the window and the model update below (the handling row only
  // while the shipment has never been tracked: only then can it teach the shop's handling time).
  const parcel = laneInputOf({ ...shipment, carrierCode: carrierOf(fulfillment)?.code ?? null });
  const rows = learning ? await readLaneRows(tx, shop, rowIdsFor(shop, parcel, shipment.estimateSource === null)) : undefined;
  const lane = rows ? laneWindowOf(rows, parcel, { now, coverage: shopRow?.estimateCoverage ?? DEFAULT_COVERAGE, overrides }) : null;
  const state = deriveShipment(fulfillment, events, { overrides, lane, now, promised: promisedOf(shipment) });
  // The learned rule uses the lane's own figures; the hand-over is the first carrier event.
  const firstEventAt = events[0]?.happenedAt;
  const atRisk = atRiskColumns({ ...shipment, ...state, trackingNumbers: fulfillment.trackingNumbers, firstEventAt }, lane && laneFiguresOf(lane), shopRow ?? DEFAULT_AT_RISK);
  await tx.shipment.update({
    where: { id: shipment.id },
    data: { ...state, ...atRisk, trackingUrls: JSON.stringify(state.trackingUrls) },
  });
  if (!learning) return;
  const eventsBefore = newEvents?.size ? events.filter((e) => !newEvents.has(e.shopifyId)) : events;
  await learnFromShipment(tx, shop, shipment, { ...shipment, ...state }, events, eventsBefore, rows);
}

/**
 * After the shop's at-risk settings change: stores each undelivered shipment's at-risk time again under
 * the new rule. With `restateWindows` (the coverage changed), a learned window not yet printed in a mail
 * to the buyer is estimated again at the new coverage first; a mailed one stands, as the promise made.
 * Returns how many were looked at.
 */
export async function refreshAtRisk(db: Db, shop: string, now: Date, options: { batchSize?: number; restateWindows?: boolean } = {}): Promise<number> {
  const shopRow = await db.shop.findUnique({ where: { domain: shop } });
  if (!shopRow) return 0;
  const batchSize = options.batchSize ?? 200;
  const overrides = parseTransitOverrides(shopRow.carrierTransitOverrides);
  const learning = laneLearningOn();
  let cursor: string | undefined;
  let count = 0;
  for (;;) {
    const shipments = await db.shipment.findMany({
      where: { shop, deliveredAt: null },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (shipments.length === 0) return count;
    const mailed = options.restateWindows ? await windowsMailed(db, shop, shipments.map((s) => s.shopifyId)) : new Set<string>();
    for (const shipment of shipments) {
      const [first, lane] = await Promise.all([
        db.trackingEvent.findFirst({ where: { shop, fulfillmentShopifyId: shipment.shopifyId }, orderBy: { happenedAt: "asc" }, select: { happenedAt: true } }),
        learning ? laneWindowFor(db, shop, laneInputOf(shipment), { now, coverage: shopRow.estimateCoverage, overrides }) : null,
      ]);
      const window = lane && options.restateWindows && !mailed.has(shipment.shopifyId) ? restatedWindow(shipment, lane, first?.happenedAt ?? null, now) : null;
      const current = { ...shipment, ...window };
      const trackingNumbers = JSON.parse(shipment.trackingNumbers) as string[];
      const atRisk = atRiskColumns({ ...current, trackingNumbers, firstEventAt: first?.happenedAt }, lane && laneFiguresOf(lane), shopRow);
      if (window || atRisk.atRiskAt?.getTime() !== shipment.atRiskAt?.getTime() || atRisk.atRiskReason !== shipment.atRiskReason) {
        await db.shipment.update({ where: { id: shipment.id }, data: { ...window, ...atRisk } });
      }
      count++;
    }
    cursor = shipments[shipments.length - 1]!.id;
  }
}

/** Shipments whose window a shipping confirmation or tracking update has already carried to the buyer. */
async function windowsMailed(db: Db, shop: string, shipmentShopifyIds: string[]): Promise<Set<string>> {
  const rows = await db.notification.findMany({
    where: { shop, kind: { in: ["shipping_confirmation", "tracking_updated"] }, status: { in: [...HANDED_OFF] }, shipmentShopifyId: { in: shipmentShopifyIds } },
    select: { shipmentShopifyId: true },
  });
  return new Set(rows.map((r) => r.shipmentShopifyId ?? ""));
}

/** The lane's window at the shop's coverage from the hand-over; null where the carrier's date or the registry's stands. */
function restatedWindow(
  shipment: { status: string; estimateSource: string | null; shippedAt: Date | null; createdAt: Date; destinationCountry: string | null },
  lane: LaneWindow,
  firstEventAt: Date | null,
  now: Date,
): { estimatedDeliveryFrom: Date; estimatedDeliveryTo: Date; estimateSource: string; estimateParcels: number } | null {
  if (!isLiveShipment(shipment) || !shipment.estimateSource || shipment.estimateSource === "carrier" || lane.source === "registry") return null;
  const handedOverAt = firstEventAt ?? shipment.shippedAt ?? shipment.createdAt;
  const { from, to } = windowDates(lane, handedOverAt, now, publicHolidayChecker(shipment.destinationCountry));
  return { estimatedDeliveryFrom: from, estimatedDeliveryTo: to, estimateSource: lane.source, estimateParcels: Math.round(lane.parcels) };
}

/** The LaneStat rows a re-derive of this shipment may read (a batch loads them up front): its lane's levels, its carrier's and the shop's handling. */
export function laneRowIdsOf(
  shop: string,
  shipment: { trackingCompany: string | null; trackingNumbers: string[]; originCountry: string | null; destinationCountry: string | null; destinationRegion: string | null },
): string[] {
  return rowIdsFor(shop, laneInputOf({ ...shipment, carrierCode: carrierOf(shipment)?.code ?? null }), true);
}

/** The lane a stored shipment travels on. */
function laneInputOf(shipment: {
  carrierCode: string | null;
  trackingCompany: string | null;
  originCountry: string | null;
  destinationCountry: string | null;
  destinationRegion: string | null;
}): LaneInput {
  return {
    carrier: shipment.carrierCode ?? shipment.trackingCompany,
    originCountry: shipment.originCountry,
    destinationCountry: shipment.destinationCountry,
    destinationRegion: shipment.destinationRegion,
  };
}

/**
 * Shipments recorded before at-risk was stored on the shipment have none yet: give each such shop's
 * undelivered shipments theirs once, at start-up. Returns the shops brought up to date.
 */
export async function storeMissingAtRisk(db: Db, now: Date): Promise<number> {
  const shops = await db.shipment.findMany({
    where: { deliveredAt: null, atRiskAt: null, estimateSource: null, trackingNumbers: { not: "[]" }, status: { notIn: ["cancelled", "error", "failure"] } },
    distinct: ["shop"],
    select: { shop: true },
  });
  for (const { shop } of shops) await refreshAtRisk(db, shop, now);
  return shops.length;
}
