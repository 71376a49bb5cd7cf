// The inbox keeps processed receipts only as long as Shopify might still retry their delivery.
import type { Db } from "~/db.server";

/** Shopify retries for at most a few hours (rarely a day late): receipts older than this are dead weight. */
export const RECEIPT_RETENTION_DAYS = 14;

export async function pruneReceipts(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - RECEIPT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db.webhookReceipt.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}
