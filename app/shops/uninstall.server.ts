// app/uninstalled: the shop keeps its records (shop/redact erases them 48 hours later) but nothing more
// is sent, and its access tokens are gone.
import type { Prisma } from "@prisma/client";
import { NotificationStatus } from "~/notifications/status";

export async function recordUninstall(tx: Prisma.TransactionClient, shop: string, uninstalledAt: Date): Promise<void> {
  await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt } });
  await tx.notification.updateMany({
    where: { shop, status: NotificationStatus.scheduled },
    data: { status: NotificationStatus.cancelled, lastError: "the shop uninstalled Parcelwise" },
  });
  await tx.session.deleteMany({ where: { shop } });
  // A re-install starts reconciling afresh: what changed while uninstalled was never Parcelwise's to hear.
  await tx.reconciliation.deleteMany({ where: { shop } });
}
