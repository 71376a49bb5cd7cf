// Loads what the feedback rules need about a set of orders, one query per table whatever their number:
// the re-planning of one order and a batch of claimed mails ask the same way. Every query is scoped by shop.
import type { Notification, Order, Shop } from "@prisma/client";
import type { Db } from "~/db.server";
import { isLiveShipment } from "~/shipments/at-risk";
import { DAY_MS } from "~/time";
import { inSlices } from "~/db/in-lists";
import { checkBeforeSending, withdrawnBecause, type FeedbackFacts, type FeedbackRuleSettings } from "./rules";

type Tx = Pick<Db, "order" | "shipment" | "notification">;
type FactsOrder = Pick<Order, "shopifyId" | "emailKey" | "refundedAt" | "returnStatus" | "unfulfilledQuantity">;

/** A delay notice in these statuses reached (or is reaching) SendGrid. */
const DELAY_WENT_OUT = ["sending", "sent", "delivered", "spam", "bounced", "dropped"] as const;

/** The facts per order Shopify id. */
export async function feedbackFactsFor(tx: Tx, shop: string, orders: FactsOrder[]): Promise<Map<string, FeedbackFacts>> {
  const facts = new Map<string, FeedbackFacts>();
  if (orders.length === 0) return facts;
  const ids = orders.map((o) => o.shopifyId);
  const keys = [...new Set(orders.map((o) => o.emailKey).filter((k): k is string => !!k))];
  // A buyer's orders can be many (a wholesale buyer's thousands): each list goes a slice at a time.
  const [shipments, buyersOrders] = await Promise.all([
    inSlices(ids, (slice) => tx.shipment.findMany({ where: { shop, orderShopifyId: { in: slice } }, select: { orderShopifyId: true, status: true, deliveredAt: true, promisedDeliveryTo: true } })),
    inSlices(keys, (slice) => tx.order.findMany({ where: { shop, emailKey: { in: slice } }, select: { shopifyId: true, name: true, emailKey: true } })),
  ]);
  const own = new Set(ids);
  const others = buyersOrders.filter((o) => !own.has(o.shopifyId)).map((o) => o.shopifyId);
  // One lookup by order (the shape the worker's batch of deliveries answers from its rows), filtered here:
  // the delay notices that went out for these orders, and every feedback request of the buyer's orders.
  const delayWentOut = new Set<string>(DELAY_WENT_OUT);
  const notifications = (
    await inSlices([...ids, ...others], (slice) =>
      tx.notification.findMany({
        where: { shop, orderShopifyId: { in: slice } },
        select: { kind: true, orderShopifyId: true, status: true, scheduledFor: true, sentAt: true },
      }),
    )
  ).filter((n) => (n.kind === "delay_notice" && own.has(n.orderShopifyId) && delayWentOut.has(n.status)) || n.kind === "feedback_request");
  const orderOf = new Map(buyersOrders.map((o) => [o.shopifyId, o]));
  for (const order of orders) {
    const sameBuyer = order.emailKey ? new Set(buyersOrders.filter((o) => o.emailKey === order.emailKey).map((o) => o.shopifyId)) : new Set<string>();
    facts.set(order.shopifyId, {
      delayNoticeSent: notifications.some((n) => n.kind === "delay_notice" && n.orderShopifyId === order.shopifyId),
      parcels: shipments.filter((s) => s.orderShopifyId === order.shopifyId && isLiveShipment(s)).map((s) => ({ deliveredAt: s.deliveredAt, promisedDeliveryTo: s.promisedDeliveryTo })),
      refundedAt: order.refundedAt,
      returnStatus: order.returnStatus,
      unfulfilledQuantity: order.unfulfilledQuantity,
      buyerRequests: notifications
        .filter((n) => n.kind === "feedback_request" && n.orderShopifyId !== order.shopifyId && sameBuyer.has(n.orderShopifyId))
        .map((n) => ({ orderShopifyId: n.orderShopifyId, orderName: orderOf.get(n.orderShopifyId)?.name ?? "", status: n.status, scheduledFor: n.scheduledFor, sentAt: n.sentAt })),
    });
  }
  return facts;
}

/** The facts for a batch's claimed feedback requests, keyed by `keyOf(shop, order)`; no query when there are none. */
export async function feedbackFactsForClaimed(
  db: Tx,
  claimed: Notification[],
  orders: Order[],
  keyOf: (shop: string, id: string) => string,
): Promise<Map<string, FeedbackFacts>> {
  const result = new Map<string, FeedbackFacts>();
  const wanted = new Set(claimed.filter((n) => n.kind === "feedback_request").map((n) => keyOf(n.shop, n.orderShopifyId)));
  if (wanted.size === 0) return result;
  const byShop = new Map<string, Order[]>();
  for (const order of orders) if (wanted.has(keyOf(order.shop, order.shopifyId))) byShop.set(order.shop, [...(byShop.get(order.shop) ?? []), order]);
  for (const [shop, list] of byShop) {
    for (const [id, facts] of await feedbackFactsFor(db, shop, list)) result.set(keyOf(shop, id), facts);
  }
  return result;
}

/**
 * After re-planning: a feedback request the plan withdrew for a refund, an open return or a skipped delay
 * says so in Activity (the plan itself only cancels). A merchant's own cancel and a row with a reason keep theirs.
 */
export async function noteFeedbackWithdrawn(tx: Pick<Db, "notification">, shop: string, orderShopifyId: string, facts: FeedbackFacts | undefined, settings: FeedbackRuleSettings): Promise<void> {
  const reason = facts && withdrawnBecause(facts, settings);
  if (!reason) return;
  // Read, then written by id: the shapes the worker's batch of deliveries answers from its rows.
  const rows = await tx.notification.findMany({ where: { shop, orderShopifyId }, select: { id: true, kind: true, status: true, lastError: true, merchantAction: true } });
  for (const row of rows) {
    if (row.kind !== "feedback_request" || row.status !== "cancelled" || row.lastError !== null || row.merchantAction !== null) continue;
    await tx.notification.update({ where: { id: row.id }, data: { lastError: reason } });
  }
}

/** The send step's check: why this claimed feedback request is cancelled instead of sent, or null. */
export function feedbackStopAtSend(facts: FeedbackFacts | undefined, shop: Pick<Shop, "feedbackAfterDelay" | "feedbackBuyerGapDays">, notification: Notification, now: Date): string | null {
  if (notification.kind !== "feedback_request") return null;
  return checkBeforeSending(facts, shop, { orderShopifyId: notification.orderShopifyId, now, scheduledFor: notification.scheduledFor });
}

/**
 * After a shipping confirmation or tracking update went out: the last day of the window it printed, which
 * the mail's mark keeps on its shipment as the promise made (the first one stands; a carrier date that
 * replaces the estimate later does not move it). Null when the mail printed none to keep.
 */
export function printedWindowDay(notification: Notification, printedTo: string | null | undefined): Date | null {
  if (!printedTo || !notification.shipmentShopifyId || (notification.kind !== "shipping_confirmation" && notification.kind !== "tracking_updated")) return null;
  const day = new Date(`${printedTo}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime())) return null;
  return new Date(Math.floor(day.getTime() / DAY_MS) * DAY_MS);
}
