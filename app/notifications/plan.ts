// Planning is a pure function of the records and the shop's settings: the same records always yield the
// same plan, so a replayed or reordered webhook changes nothing. Time is never read here.
import type { MessageKind } from "~/templates/variables";
import { moveIntoDaytime, timeZoneForCountry } from "./daytime";

export interface PlanSettings {
  timezone: string;
  primaryLocale: string;
  handlingEnabled: boolean;
  handlingDelayMinutes: number;
  shippingEnabled: boolean;
  feedbackEnabled: boolean;
  feedbackDelayDays: number;
  feedbackFallbackDays: number;
}

export interface PlanOrder {
  shopifyId: string;
  email: string | null;
  locale: string | null;
  destinationCountry: string | null;
  financialStatus: string | null;
  cancelledAt: Date | null;
  paidAt: Date | null;
  redactedAt: Date | null;
}

export interface PlanShipment {
  shopifyId: string;
  status: string;
  shipmentStatus: string | null;
  trackingNumbers: string[];
  shippedAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  estimatedDeliveryTo: Date | null;
}

/** Messages already handed to SendGrid; a plan never asks for them again. */
export interface SentMessage {
  kind: string;
  shipmentShopifyId: string | null;
  trackingNumber: string | null;
}

export interface PlannedNotification {
  planKey: string;
  kind: MessageKind;
  orderShopifyId: string;
  shipmentShopifyId: string | null;
  trackingNumber: string | null;
  recipient: string;
  locale: string;
  scheduledFor: Date;
}

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

const isLive = (shipment: PlanShipment) => shipment.status !== "cancelled" && shipment.status !== "error" && shipment.status !== "failure";

export function planNotifications(input: {
  settings: PlanSettings;
  order: PlanOrder | null;
  shipments: PlanShipment[];
  sent: SentMessage[];
}): PlannedNotification[] {
  const { settings, order, sent } = input;
  if (!order || !order.email || order.redactedAt || order.cancelledAt) return [];
  const recipient = order.email;
  const locale = order.locale || settings.primaryLocale || "en";
  const shipments = input.shipments.filter(isLive);
  const base = { orderShopifyId: order.shopifyId, recipient, locale };
  const plan: PlannedNotification[] = [];

  // Only while nothing has shipped: one that already went out stays sent (the caller never touches
  // handed-off messages), one still waiting when the parcel ships is obsolete.
  if (settings.handlingEnabled && order.paidAt) {
    const due = new Date(order.paidAt.getTime() + settings.handlingDelayMinutes * MINUTE);
    if (shipments.length === 0) {
      plan.push({ ...base, planKey: `handling_commitment:${order.shopifyId}`, kind: "handling_commitment", shipmentShopifyId: null, trackingNumber: null, scheduledFor: due });
    }
  }

  if (settings.shippingEnabled) {
    for (const shipment of shipments) {
      const number = shipment.trackingNumbers[0];
      if (!number) continue;
      const at = shipment.shippedAt ?? shipment.createdAt;
      const confirmed = sent.find((m) => m.kind === "shipping_confirmation" && m.shipmentShopifyId === shipment.shopifyId);
      const shared = { ...base, shipmentShopifyId: shipment.shopifyId, trackingNumber: number, scheduledFor: at };
      if (!confirmed || confirmed.trackingNumber === number) {
        plan.push({ ...shared, planKey: `shipping_confirmation:${shipment.shopifyId}`, kind: "shipping_confirmation" });
      } else {
        plan.push({ ...shared, planKey: `tracking_updated:${shipment.shopifyId}:${number}`, kind: "tracking_updated" });
      }
    }
  }

  const refunded = order.financialStatus === "refunded" || order.financialStatus === "voided";
  if (settings.feedbackEnabled && !refunded && shipments.length > 0) {
    const delivered = shipments.every((s) => s.deliveredAt);
    let due: Date | null = null;
    if (delivered) {
      const last = Math.max(...shipments.map((s) => s.deliveredAt!.getTime()));
      due = new Date(last + settings.feedbackDelayDays * DAY);
    } else if (shipments.every((s) => s.deliveredAt || s.estimatedDeliveryTo)) {
      const last = Math.max(...shipments.map((s) => (s.deliveredAt ?? s.estimatedDeliveryTo)!.getTime()));
      due = new Date(last + settings.feedbackFallbackDays * DAY);
    }
    if (due) {
      const zone = timeZoneForCountry(order.destinationCountry, settings.timezone);
      plan.push({ ...base, planKey: `feedback_request:${order.shopifyId}`, kind: "feedback_request", shipmentShopifyId: null, trackingNumber: null, scheduledFor: moveIntoDaytime(due, zone) });
    }
  }
  return plan;
}
