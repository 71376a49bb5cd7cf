// A shipment's state is derived from its fulfillment and all of its carrier events, never patched
// event by event: events that arrive late, twice or out of order end in the same state.
import { findCarrier, trackingUrlFor } from "~/carriers/registry";
import { estimateDelivery } from "./estimate";
import { publicHolidayChecker } from "./holidays";
import type { TransitOverrides } from "~/carriers/registry";
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

export function deriveShipment(
  fulfillment: FulfillmentRecord,
  events: EventRecord[],
  context: { originCountry?: string | null; overrides?: TransitOverrides } = {},
): ShipmentState {
  const ordered = [...events].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
  const latest = ordered.at(-1);
  const delivered = ordered.find((event) => event.status === "delivered");
  const carrierEstimate = [...ordered].reverse().find((event) => event.estimatedDeliveryAt)?.estimatedDeliveryAt ?? null;

  const firstNumber = fulfillment.trackingNumbers[0] ?? null;
  const carrier = findCarrier(fulfillment.trackingCompany, firstNumber);
  const trackingUrls = fulfillment.trackingNumbers.map(
    (number, index) => fulfillment.trackingUrls[index] ?? (carrier ? trackingUrlFor(carrier, number) : ""),
  ).filter(Boolean);

  const estimate =
    fulfillment.trackingNumbers.length > 0
      ? estimateDelivery({
          shippedAt: fulfillment.shippedAt,
          carrier,
          destinationCountry: fulfillment.destinationCountry,
          carrierEstimatedAt: carrierEstimate,
          originCountry: context.originCountry,
          overrides: context.overrides,
          isHoliday: publicHolidayChecker(fulfillment.destinationCountry),
        })
      : null;

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
    estimateParcels: estimate ? (estimate.source === "carrier" ? null : 0) : null,
  };
}
