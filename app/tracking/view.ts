// The buyer-safe view of one order's shipments: what the order status page extension and the
// storefront tracking block show. Pure: the records and `now` in, plain JSON out. It carries no
// internal or Shopify ids, no address and no email, only what a buyer needs to follow a parcel.
import type { Order, Shipment, Shop, TrackingEvent } from "@prisma/client";
import { isoDate } from "~/shipments/estimate";
import { explainDelay, type DelayExplanation } from "./delay";
import { webUrl } from "./web-url";

/** Where a parcel is, in the few steps a buyer cares about (Shopify's event statuses folded). */
export type ShipmentStage =
  | "shipped"
  | "label_created"
  | "in_transit"
  | "out_for_delivery"
  | "ready_for_pickup"
  | "attempted_delivery"
  | "delayed"
  | "failure"
  | "delivered";

export interface TrackingEventView {
  status: ShipmentStage;
  message: string | null;
  city: string | null;
  country: string | null;
  happenedAt: string; // ISO 8601
}

export interface ShipmentView {
  carrier: string | null;
  tracking: Array<{ number: string; url: string | null }>;
  status: ShipmentStage;
  shippedAt: string | null; // ISO 8601
  deliveredAt: string | null; // ISO 8601
  /** Calendar dates (YYYY-MM-DD) of the estimated delivery window; null once delivered or unknown. */
  estimatedDelivery: { from: string; to: string } | null;
  lastEvent: TrackingEventView | null;
  /** Newest first, at most MAX_EVENTS. */
  events: TrackingEventView[];
  delay: DelayExplanation | null;
}

export interface TrackingView {
  order: { name: string };
  state: "awaiting_shipment" | "shipped" | "delivered" | "cancelled";
  /** The merchant's handling commitment, while nothing has shipped. */
  commitment: { handlingHours: number; onlineTrackingDays: number } | null;
  shipments: ShipmentView[];
}

export type TrackingShop = Pick<Shop, "handlingEnabled" | "handlingHours" | "onlineTrackingDays" | "delayGraceDays" | "silenceDays">;
export type TrackingOrder = Pick<Order, "name" | "cancelledAt">;
export type TrackingShipment = Pick<
  Shipment,
  | "shopifyId"
  | "status"
  | "shipmentStatus"
  | "carrierName"
  | "trackingCompany"
  | "trackingNumbers"
  | "trackingUrls"
  | "shippedAt"
  | "createdAt"
  | "deliveredAt"
  | "estimatedDeliveryFrom"
  | "estimatedDeliveryTo"
  | "lastEventAt"
  | "atRiskAt"
  | "atRiskReason"
>;
export type TrackingEventRecord = Pick<TrackingEvent, "fulfillmentShopifyId" | "status" | "message" | "city" | "country" | "happenedAt">;

export const MAX_EVENTS = 30;

const STAGES: Record<string, ShipmentStage> = {
  confirmed: "label_created",
  label_printed: "label_created",
  label_purchased: "label_created",
  carrier_picked_up: "in_transit",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  ready_for_pickup: "ready_for_pickup",
  attempted_delivery: "attempted_delivery",
  delayed: "delayed",
  failure: "failure",
  delivered: "delivered",
  // Shopify's "picked_up" is the buyer collecting the parcel.
  picked_up: "delivered",
};

export function stageOf(status: string | null | undefined): ShipmentStage {
  return (status && STAGES[status.toLowerCase()]) || "shipped";
}

// The same fulfillments the planner ignores: a cancelled or failed one never reached the buyer.
const isLive = (shipment: TrackingShipment) => !["cancelled", "error", "failure"].includes(shipment.status);

function jsonArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item.length > 0) : [];
  } catch {
    return [];
  }
}

function eventView(event: TrackingEventRecord): TrackingEventView {
  return {
    status: stageOf(event.status),
    message: event.message,
    city: event.city,
    country: event.country,
    happenedAt: event.happenedAt.toISOString(),
  };
}

export function shipmentView(shipment: TrackingShipment, events: TrackingEventRecord[], shop: TrackingShop, now: Date): ShipmentView {
  const numbers = jsonArray(shipment.trackingNumbers);
  const urls = jsonArray(shipment.trackingUrls);
  const ordered = events
    .filter((event) => event.fulfillmentShopifyId === shipment.shopifyId)
    .sort((a, b) => b.happenedAt.getTime() - a.happenedAt.getTime())
    .slice(0, MAX_EVENTS)
    .map(eventView);
  const status = shipment.deliveredAt ? "delivered" : stageOf(shipment.shipmentStatus);
  const window =
    !shipment.deliveredAt && shipment.estimatedDeliveryFrom && shipment.estimatedDeliveryTo
      ? { from: isoDate(shipment.estimatedDeliveryFrom), to: isoDate(shipment.estimatedDeliveryTo) }
      : null;
  return {
    carrier: shipment.carrierName ?? shipment.trackingCompany ?? null,
    tracking: numbers.map((number, index) => ({ number, url: webUrl(urls[index]) })),
    status,
    shippedAt: shipment.shippedAt?.toISOString() ?? null,
    deliveredAt: shipment.deliveredAt?.toISOString() ?? null,
    estimatedDelivery: window,
    lastEvent: ordered[0] ?? null,
    events: ordered,
    delay: explainDelay({ ...shipment, trackingNumbers: numbers }, now),
  };
}

export function buildTrackingView(
  input: { shop: TrackingShop; order: TrackingOrder; shipments: TrackingShipment[]; events: TrackingEventRecord[] },
  now: Date,
): TrackingView {
  const { shop, order } = input;
  const shipments = input.shipments
    .filter(isLive)
    .sort((a, b) => (a.shippedAt ?? a.createdAt).getTime() - (b.shippedAt ?? b.createdAt).getTime())
    .map((shipment) => shipmentView(shipment, input.events, shop, now));
  const cancelled = order.cancelledAt !== null;
  const state = cancelled
    ? "cancelled"
    : shipments.length === 0
      ? "awaiting_shipment"
      : shipments.every((shipment) => shipment.status === "delivered")
        ? "delivered"
        : "shipped";
  return {
    order: { name: order.name },
    state,
    commitment:
      state === "awaiting_shipment" && shop.handlingEnabled
        ? { handlingHours: shop.handlingHours, onlineTrackingDays: shop.onlineTrackingDays }
        : null,
    // A cancelled order's parcels are no longer the buyer's to follow.
    shipments: cancelled ? [] : shipments,
  };
}
