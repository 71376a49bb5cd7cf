// Planning is a pure function of the records and the shop's settings: the same records always yield the
// same plan, so a replayed or reordered webhook changes nothing. Time is never read here.
import type { MessageKind } from "~/templates/variables";
import { isFullyRefunded } from "~/orders/financial-status";
import { moveIntoDaytime, timeZoneForCountry } from "./daytime";
import { MINUTE_MS, DAY_MS } from "~/time";
import { isLiveShipment as isLive, type DelayReason } from "~/shipments/at-risk";
import { planVerdict, type FeedbackFacts } from "~/feedback/rules";

export type { DelayReason } from "~/shipments/at-risk";

export interface PlanSettings {
  timezone: string;
  primaryLocale: string;
  handlingEnabled: boolean;
  handlingDelayMinutes: number;
  shippingEnabled: boolean;
  feedbackEnabled: boolean;
  feedbackDelayDays: number;
  feedbackFallbackDays: number;
  delayEnabled: boolean;
  delayGraceDays: number;
  silenceDays: number;
  /** The feedback rules' choices (app/feedback/rules.ts); absent: their defaults. */
  feedbackAfterDelay?: string;
  feedbackBuyerGapDays?: number;
}

/** The planning settings out of a shop row (which carries much more). */
export function settingsOf(shop: PlanSettings): PlanSettings {
  return {
    timezone: shop.timezone,
    primaryLocale: shop.primaryLocale,
    handlingEnabled: shop.handlingEnabled,
    handlingDelayMinutes: shop.handlingDelayMinutes,
    shippingEnabled: shop.shippingEnabled,
    feedbackEnabled: shop.feedbackEnabled,
    feedbackDelayDays: shop.feedbackDelayDays,
    feedbackFallbackDays: shop.feedbackFallbackDays,
    delayEnabled: shop.delayEnabled,
    delayGraceDays: shop.delayGraceDays,
    silenceDays: shop.silenceDays,
    feedbackAfterDelay: shop.feedbackAfterDelay,
    feedbackBuyerGapDays: shop.feedbackBuyerGapDays,
  };
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
  /** Set for an order that came from the history import: its buyer already has their parcel's story. */
  importedAt: Date | null;
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
  lastEventAt: Date | null;
  /** Stored by the shipment's refresh (app/shipments/at-risk.ts): when it is or becomes at risk, and why. */
  atRiskAt: Date | null;
  atRiskReason: string | null;
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

/** When a shipment not delivered is (or becomes) at risk, and why: as its refresh stored it. */
export function delayDue(shipment: PlanShipment): { at: Date; reason: DelayReason } | null {
  if (!isLive(shipment) || shipment.deliveredAt || !shipment.atRiskAt || !shipment.atRiskReason) return null;
  return { at: shipment.atRiskAt, reason: shipment.atRiskReason as DelayReason };
}

/** Whether a shipment is at risk at `now` (the merchant's list and the buyer's tracking page agree with the mail). */
export function isAtRisk(shipment: PlanShipment, now: Date): DelayReason | null {
  const due = delayDue(shipment);
  return due && due.at.getTime() <= now.getTime() ? due.reason : null;
}

export function planNotifications(input: {
  settings: PlanSettings;
  order: PlanOrder | null;
  shipments: PlanShipment[];
  sent: SentMessage[];
  /** The buyer's address is suppressed for this shop (unsubscribed, hard bounce, spam report). */
  suppressed?: boolean;
  /** What the feedback rules need (refund, return, delay, the buyer's other requests); absent: none of them apply. */
  feedback?: FeedbackFacts;
}): PlannedNotification[] {
  const { settings, order, sent } = input;
  if (!order || !order.email || order.redactedAt || order.cancelledAt || order.importedAt || input.suppressed) return [];
  const recipient = order.email;
  const locale = order.locale || settings.primaryLocale || "en";
  const shipments = input.shipments.filter(isLive);
  const base = { orderShopifyId: order.shopifyId, recipient, locale };
  const plan: PlannedNotification[] = [];

  // Only while nothing has shipped: one that already went out stays sent (the caller never touches
  // handed-off messages), one still waiting when the parcel ships is obsolete.
  if (settings.handlingEnabled && order.paidAt) {
    const due = new Date(order.paidAt.getTime() + settings.handlingDelayMinutes * MINUTE_MS);
    if (shipments.length === 0) {
      plan.push({ ...base, planKey: `handling_commitment:${order.shopifyId}`, kind: "handling_commitment", shipmentShopifyId: null, trackingNumber: null, scheduledFor: due });
    }
  }

  if (settings.shippingEnabled) {
    for (const shipment of shipments) {
      const number = shipment.trackingNumbers[0];
      if (!number) continue;
      const at = shipment.shippedAt ?? shipment.createdAt;
      const sentAs = (kind: string) => sent.find((m) => m.kind === kind && m.shipmentShopifyId === shipment.shopifyId && (kind === "shipping_confirmation" || m.trackingNumber === number));
      const confirmed = sentAs("shipping_confirmation");
      const shared = { ...base, shipmentShopifyId: shipment.shopifyId, trackingNumber: number, scheduledFor: at };
      // A parcel the carrier already delivered is not announced as shipped (its first webhook came late):
      // what was sent stays planned, what was not is obsolete; the feedback request still follows.
      if (!confirmed || confirmed.trackingNumber === number) {
        if (shipment.deliveredAt && !confirmed) continue;
        plan.push({ ...shared, planKey: `shipping_confirmation:${shipment.shopifyId}`, kind: "shipping_confirmation" });
      } else {
        if (shipment.deliveredAt && !sentAs("tracking_updated")) continue;
        plan.push({ ...shared, planKey: `tracking_updated:${shipment.shopifyId}:${number}`, kind: "tracking_updated" });
      }
    }
  }

  // At most one per shipment: once handed off, the plan key exists and is never planned again; a
  // shipment delivered before the notice is due makes it obsolete.
  const zone = timeZoneForCountry(order.destinationCountry, settings.timezone);
  for (const shipment of settings.delayEnabled ? shipments : []) {
    const due = delayDue(shipment);
    if (!due) continue;
    plan.push({
      ...base,
      planKey: `delay_notice:${shipment.shopifyId}`,
      kind: "delay_notice",
      shipmentShopifyId: shipment.shopifyId,
      trackingNumber: shipment.trackingNumbers[0] ?? null,
      scheduledFor: moveIntoDaytime(due.at, zone),
    });
  }

  if (settings.feedbackEnabled && !isFullyRefunded(order.financialStatus) && shipments.length > 0) {
    const delivered = shipments.every((s) => s.deliveredAt);
    let due: Date | null = null;
    if (delivered) {
      const last = Math.max(...shipments.map((s) => s.deliveredAt!.getTime()));
      due = new Date(last + settings.feedbackDelayDays * DAY_MS);
    } else if (shipments.every((s) => s.deliveredAt || s.estimatedDeliveryTo)) {
      const last = Math.max(...shipments.map((s) => (s.deliveredAt ?? s.estimatedDeliveryTo)!.getTime()));
      due = new Date(last + settings.feedbackFallbackDays * DAY_MS);
    }
    const scheduledFor = due && moveIntoDaytime(due, zone);
    if (scheduledFor && planVerdict(input.feedback, settings, { orderShopifyId: order.shopifyId, due: scheduledFor }).send) {
      plan.push({ ...base, planKey: `feedback_request:${order.shopifyId}`, kind: "feedback_request", shipmentShopifyId: null, trackingNumber: null, scheduledFor });
    }
  }
  return plan;
}
