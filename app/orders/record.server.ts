// Keeps an Order row as Shopify last described it: a version older than the stored one changes nothing.
import type { Prisma } from "@prisma/client";
import type { OrderFacts } from "./payload";

export async function recordOrder(tx: Prisma.TransactionClient, shop: string, facts: OrderFacts): Promise<void> {
  const current = await tx.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    select: { shopifyUpdatedAt: true, paidAt: true, redactedAt: true },
  });
  if (!current) {
    await tx.order.create({ data: { shop, ...facts } });
    return;
  }
  // Stale: an update older than what is stored changes nothing. A redacted buyer stays redacted.
  if (current.shopifyUpdatedAt > facts.shopifyUpdatedAt || current.redactedAt) return;
  await tx.order.update({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    // The first payment time stands: a later refund does not move the handling commitment.
    data: { ...facts, paidAt: current.paidAt ?? facts.paidAt },
  });
}
