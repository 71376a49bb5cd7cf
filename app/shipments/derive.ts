// A shipment's state is derived from its fulfillment and all of its carrier events, never patched
// event by event: events that arrive late, twice or out of order end in the same state.
import { findCarrier, trackingUrlFor } from "~/carriers/registry";
import { windowDates, type LaneWindow } from "~/lanes/estimate-window";
import { estimateDelivery } from "./estimate";
import { publicHolidayChecker } from "./holidays";
import type { Carrier, TransitOverrides } from "~/carriers/registry";
import type { FulfillmentFacts } from "~/orders/payload";

// The origin reaches the estimate through its context; the region is not used by it yet.
export type FulfillmentRecord = Omit<FulfillmentFacts, "shopifyId" | "orderShopifyId" | "name" | "originCountry" | "destinationRegion">;

export interface EventRecord {
  status: string;
  happenedAt: Date;
  estimatedDeliveryAt: Date | null;
}

export interface ShipmentState {
  carrierCode: string | null;
  carrierName: string | null;
  trackingUrls: string[];
  shipmentStatus: string | null;
  deliveredAt: Date | null;
  lastEventAt: Date | null;
  estimatedDeliveryFrom: Date | null;
  estimatedDeliveryTo: Date | null;
  /** "carrier", a lane level ("lane", "carrier_destination", …) or "registry"; null without an estimate. */
  estimateSource: string | null;
  /** Parcels the estimate rests on; null without an estimate or for a carrier's date. */
  estimateParcels: number | null;
}

/** The estimate a shipment was already promised; it stands until a carrier reports a date. */
export interface Promised {
  from: Date;
  to: Date;
  source: string;
  parcels: number | null;
}

export interface DeriveContext {
  originCountry?: string | null;
  overrides?: TransitOverrides;
  /** The shipment's lane window from the lane model, read at `now`. */
  lane?: LaneWindow | null;
  now?: Date;
  promised?: Promised | null;
}

/** The carrier a fulfillment names, else the one its tracking number looks like. */
export function carrierOf(fulfillment: Pick<FulfillmentRecord, "trackingCompany" | "trackingNumbers">): Carrier | undefined {
  return findCarrier(fulfillment.trackingCompany, fulfillment.trackingNumbers[0] ?? null);
}

export function deriveShipment(fulfillment: FulfillmentRecord, events: EventRecord[], context: DeriveContext = {}): ShipmentState {
  const ordered = [...events].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
  const latest = ordered.at(-1);
  const delivered = ordered.find((event) => event.status === "delivered");
  const carrierEstimate = [...ordered].reverse().find((event) => event.estimatedDeliveryAt)?.estimatedDeliveryAt ?? null;

  const carrier = carrierOf(fulfillment);
  const trackingUrls = fulfillment.trackingNumbers.map(
    (number, index) => fulfillment.trackingUrls[index] ?? (carrier ? trackingUrlFor(carrier, number) : ""),
  ).filter(Boolean);

  const isHoliday = publicHolidayChecker(fulfillment.destinationCountry);
  const registry =
    fulfillment.trackingNumbers.length > 0
      ? estimateDelivery({
          shippedAt: fulfillment.shippedAt,
          carrier,
          destinationCountry: fulfillment.destinationCountry,
          carrierEstimatedAt: carrierEstimate,
          originCountry: context.originCountry,
          overrides: context.overrides,
          isHoliday,
        })
      : null;
  const handedOverAt = ordered[0]?.happenedAt ?? fulfillment.shippedAt;
  const estimate = registry && promise(registry, handedOverAt, context, isHoliday);

  const shipmentStatus =
    fulfillment.status === "cancelled" ? "cancelled" : (latest?.status ?? fulfillment.shipmentStatus);
  const deliveredAt =
    delivered?.happenedAt ?? (fulfillment.shipmentStatus === "delivered" ? fulfillment.shopifyUpdatedAt : null);

  return {
    carrierCode: carrier?.code ?? null,
    carrierName: carrier?.name ?? fulfillment.trackingCompany,
    trackingUrls,
    shipmentStatus,
    deliveredAt,
    lastEventAt: latest?.happenedAt ?? null,
    estimatedDeliveryFrom: estimate?.from ?? null,
    estimatedDeliveryTo: estimate?.to ?? null,
    estimateSource: estimate?.source ?? null,
    estimateParcels: estimate?.parcels ?? null,
  };
}

/**
 * A carrier's date wins; else the promise already made stands (the printed window is the one given at
 * the time); else the lane's window from the hand-over, never starting before now; else the registry.
 */
function promise(
  registry: ReturnType<typeof estimateDelivery>,
  handedOverAt: Date,
  context: DeriveContext,
  isHoliday: ((isoDate: string) => boolean) | undefined,
): Promised {
  if (registry.source === "carrier") return { ...registry, parcels: null };
  if (context.promised) return context.promised;
  if (context.lane && context.lane.source !== "registry" && context.now) {
    const { from, to } = windowDates(context.lane, handedOverAt, context.now, isHoliday);
    return { from, to, source: context.lane.source, parcels: Math.round(context.lane.parcels) };
  }
  return { ...registry, parcels: 0 };
}
