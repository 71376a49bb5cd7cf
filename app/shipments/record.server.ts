// Keeps a Shipment as its fulfillment and carrier events describe it: each new fact re-derives the
// carrier, status and estimate from everything known so far.
import type { Prisma } from "@prisma/client";
import type { FulfillmentFacts, TrackingEventFacts } from "~/orders/payload";
import { parseTransitOverrides } from "~/carriers/registry";
import { DEFAULT_COVERAGE } from "~/lanes/estimate-window";
import { laneWindowFor } from "~/lanes/store.server";
import { carrierOf, deriveShipment, type Promised } from "./derive";
import { learnFromShipment } from "~/lanes/learn.server";

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
function promisedOf(shipment: { estimatedDeliveryFrom: Date | null; estimatedDeliveryTo: Date | null; estimateSource: string | null; estimateParcels: number | null }): Promised | null {
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
  await refreshShipment(tx, shop, event.fulfillmentShopifyId, now);
}

/** Re-derives a shipment's carrier, status and estimate from its fulfillment and every event so far. */
export async function refreshShipment(tx: Tx, shop: string, fulfillmentShopifyId: string, now: Date): Promise<void> {
  const shipment = await tx.shipment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: fulfillmentShopifyId } } });
  if (!shipment) return; // Events that arrive first wait for their fulfillment.
  const [events, shopRow] = await Promise.all([
    tx.trackingEvent.findMany({
      where: { shop, fulfillmentShopifyId },
      select: { status: true, happenedAt: true, estimatedDeliveryAt: true },
      orderBy: { happenedAt: "asc" },
    }),
    tx.shop.findUnique({ where: { domain: shop }, select: { carrierTransitOverrides: true, estimateCoverage: true } }),
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
  const carrier = carrierOf(fulfillment);
  const lane = await laneWindowFor(
    tx,
    shop,
    { carrier: carrier?.code ?? shipment.trackingCompany, originCountry: shipment.originCountry, destinationCountry: shipment.destinationCountry, destinationRegion: shipment.destinationRegion },
    { now, coverage: shopRow?.estimateCoverage ?? DEFAULT_COVERAGE, overrides },
  );
  const state = deriveShipment(fulfillment, events, { overrides, lane, now, promised: promisedOf(shipment) });
  await tx.shipment.update({
    where: { id: shipment.id },
    data: { ...state, trackingUrls: JSON.stringify(state.trackingUrls) },
  });
  await learnFromShipment(tx, shop, shipment, { ...shipment, ...state }, events);
}
