// The imperative side of planning: load an order's records, ask the pure planner, and make the
// Notification rows match. Messages already handed to SendGrid are never touched.
import type { Db } from "~/db.server";
import { normalizeEmail } from "~/mail/address";
import { refreshAtRisk } from "~/shipments/record.server";
import { planNotifications, settingsOf } from "./plan";
import { MERCHANT_CANCELLED, MERCHANT_SENT_NOW, RESEND_PREFIX } from "./merchant";
import { isHandedOff, NotificationStatus } from "./status";
import { feedbackFactsFor, noteFeedbackWithdrawn } from "~/feedback/facts.server";

type Tx = Pick<Db, "shop" | "order" | "shipment" | "notification" | "suppression">;

/** Why a waiting message was withdrawn for a suppressed address. */
const SUPPRESSED = "the buyer's address is suppressed (unsubscribed, bounced or reported as spam)";

/** Statuses in which a message is out of the planner's hands. */
export { HANDED_OFF } from "./status";

export async function replanOrder(tx: Tx, shop: string, orderShopifyId: string): Promise<void> {
  const [shopRow, order, shipments, existing] = await Promise.all([
    tx.shop.findUnique({ where: { domain: shop } }),
    tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } } }),
    tx.shipment.findMany({ where: { shop, orderShopifyId } }),
    tx.notification.findMany({ where: { shop, orderShopifyId } }),
  ]);
  if (!shopRow) return;
  const suppressed = order?.email
    ? (await tx.suppression.count({ where: { shop, email: normalizeEmail(order.email) } })) > 0
    : false;
  const handedOff = existing.filter((n) => isHandedOff(n.status));
  const feedback = order && !shopRow.uninstalledAt && shopRow.feedbackEnabled && shipments.length ? (await feedbackFactsFor(tx, shop, [order])).get(order.shopifyId) : undefined;
  const plan = shopRow.uninstalledAt
    ? []
    : planNotifications({
        settings: settingsOf(shopRow),
        order,
        shipments: shipments.map((s) => ({ ...s, trackingNumbers: JSON.parse(s.trackingNumbers) as string[] })),
        sent: handedOff,
        suppressed,
        feedback,
      });

  const merchantsCall = (n: { status: string; merchantAction: string | null }) =>
    (n.status === NotificationStatus.cancelled && n.merchantAction === MERCHANT_CANCELLED) || (n.status === NotificationStatus.scheduled && n.merchantAction === MERCHANT_SENT_NOW);
  const byKey = new Map(existing.map((n) => [n.planKey, n]));
  const wanted = new Set<string>();
  for (const planned of plan) {
    wanted.add(planned.planKey);
    const current = byKey.get(planned.planKey);
    if (!current) {
      await tx.notification.create({ data: { shop, ...planned } });
      continue;
    }
    if (isHandedOff(current.status) || merchantsCall(current)) continue;
    const changed =
      current.status !== NotificationStatus.scheduled ||
      current.scheduledFor.getTime() !== planned.scheduledFor.getTime() ||
      current.recipient !== planned.recipient ||
      current.locale !== planned.locale ||
      current.trackingNumber !== planned.trackingNumber;
    if (changed) {
      await tx.notification.update({
        where: { id: current.id },
        data: {
          status: NotificationStatus.scheduled,
          scheduledFor: planned.scheduledFor,
          recipient: planned.recipient,
          locale: planned.locale,
          trackingNumber: planned.trackingNumber,
          lastError: null,
          merchantAction: null,
        },
      });
    }
  }
  // Withdrawn: what the plan no longer wants. A merchant's resend stays unless the order itself is
  // out (cancelled, redacted, buyer suppressed, shop uninstalled: the plan is then empty).
  const obsolete = existing
    .filter((n) => n.status === NotificationStatus.scheduled && !wanted.has(n.planKey) && (plan.length === 0 || !n.planKey.startsWith(RESEND_PREFIX)))
    .map((n) => n.id);
  if (obsolete.length) {
    // Withdrawn because the address is suppressed: say so, as the unsubscribe page does when it gets there first.
    const data = suppressed ? { status: NotificationStatus.cancelled, lastError: SUPPRESSED } : { status: NotificationStatus.cancelled };
    await tx.notification.updateMany({ where: { id: { in: obsolete }, status: NotificationStatus.scheduled }, data });
  }
  await noteFeedbackWithdrawn(tx, shop, orderShopifyId, feedback, shopRow);
}

/**
 * After a settings change: store each undelivered shipment's at-risk time (and, with `restateWindows`, its
 * window not yet mailed) under the new settings, then
 * re-plan every order of the shop that still has a message waiting or might get one (not yet fully
 * notified). Messages already handed to SendGrid are never sent again. Returns how many orders were re-planned.
 */
export async function replanShop(db: Db, shop: string, now: Date, options: { batchSize?: number; restateWindows?: boolean } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  await refreshAtRisk(db, shop, now, options);
  let cursor: string | undefined;
  let count = 0;
  for (;;) {
    const orders = await db.order.findMany({
      where: { shop, redactedAt: null, cancelledAt: null },
      select: { id: true, shopifyId: true },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (orders.length === 0) return count;
    for (const order of orders) {
      await db.$transaction((tx) => replanOrder(tx, shop, order.shopifyId));
      count++;
    }
    cursor = orders[orders.length - 1]!.id;
  }
}
