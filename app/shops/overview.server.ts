// The figures on the admin home page, always scoped to one shop.
import type { Db } from "~/db.server";

export async function shopOverview(db: Db, shop: string) {
  const [sent, scheduled, failed, inTransit, delivered] = await Promise.all([
    db.notification.count({ where: { shop, status: { in: ["sent", "delivered"] } } }),
    db.notification.count({ where: { shop, status: "scheduled" } }),
    db.notification.count({ where: { shop, status: "failed" } }),
    db.shipment.count({ where: { shop, deliveredAt: null, status: { not: "cancelled" } } }),
    db.shipment.count({ where: { shop, deliveredAt: { not: null } } }),
  ]);
  return { sent, scheduled, failed, inTransit, delivered };
}
