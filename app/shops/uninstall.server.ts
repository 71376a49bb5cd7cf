// app/uninstalled: the shop keeps its records (shop/redact erases them 48 hours later) but nothing more
// is sent, and its access tokens are gone.
import type { Prisma } from "@prisma/client";

export async function recordUninstall(tx: Prisma.TransactionClient, shop: string, uninstalledAt: Date): Promise<void> {
  await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt } });
  await tx.notification.updateMany({
    where: { shop, status: "scheduled" },
    data: { status: "cancelled", lastError: "the shop uninstalled Parcelwise" },
  });
  await tx.session.deleteMany({ where: { shop } });
}
