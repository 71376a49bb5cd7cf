// Loads the admin home for one shop: the last 30 days' figures, what blocks sending, the checklist,
// and the carrier and destination least often on time.
import type { Db } from "~/db.server";
import { NOT_SHIPPED_STATUSES } from "./shipments";
import { countAtRisk } from "./shipments.server";
import { loadWorstOnTime } from "./carriers.server";
import { firstRunChecklist, HOME_PERIOD_DAYS, sendingBlockers, type HomeFigures } from "./home";
import { NotificationStatus, UNDELIVERED } from "~/notifications/status";
import { DAY_MS } from "~/time";
import { feedbackFigures } from "./feedback-clicks.server";

const LIVE_SHIPMENT = { status: { notIn: NOT_SHIPPED_STATUSES } };

export async function loadHome(db: Db, shop: string, now: Date, options: { appKeyConfigured: boolean }) {
  const since = new Date(now.getTime() - HOME_PERIOD_DAYS * DAY_MS);
  const shopRow = await db.shop.findUnique({ where: { domain: shop } });
  if (!shopRow) return null;
  const sentSince = { shop, sentAt: { gte: since } };
  const [sent, delivered, bounced, failed, scheduled, deliveredShipments, inTransit, atRisk, recentOrders, recentOrdersWithEmail, leastOnTime, feedback] = await Promise.all([
    db.notification.count({ where: sentSince }),
    db.notification.count({ where: { ...sentSince, status: NotificationStatus.delivered } }),
    db.notification.count({ where: { ...sentSince, status: { in: [...UNDELIVERED] } } }),
    db.notification.count({ where: { shop, status: NotificationStatus.failed, updatedAt: { gte: since } } }),
    db.notification.count({ where: { shop, status: NotificationStatus.scheduled } }),
    db.shipment.count({ where: { shop, ...LIVE_SHIPMENT, deliveredAt: { gte: since } } }),
    db.shipment.count({ where: { shop, ...LIVE_SHIPMENT, deliveredAt: null } }),
    countAtRisk(db, shop, now),
    db.order.count({ where: { shop, createdAt: { gte: since }, redactedAt: null } }),
    db.order.count({ where: { shop, createdAt: { gte: since }, redactedAt: null, email: { not: null } } }),
    loadWorstOnTime(db, shop, now),
    feedbackFigures(db, shop, since),
  ]);
  const figures: HomeFigures = {
    messages: { sent, delivered, bounced, failed },
    shipments: { inTransit, delivered: deliveredShipments, atRisk },
    scheduled,
  };
  return {
    shopName: shopRow.name || shop,
    figures,
    blockers: sendingBlockers(shopRow, {
      appKeyConfigured: options.appKeyConfigured,
      buyerEmailsWithheld: recentOrders > 0 && recentOrdersWithEmail === 0,
    }),
    checklist: firstRunChecklist(shopRow),
    leastOnTime,
    feedback,
  };
}
