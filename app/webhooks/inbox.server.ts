// Drains the webhook inbox: claims accepted deliveries with a lease (oldest first), records and plans
// each, and retries failures with backoff. A worker that dies leaves leases that expire and are
// claimed again; processReceipt's transaction makes sure each delivery takes effect once.
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import type { OrderFacts } from "~/orders/payload";
import { errorText, MalformedPayloadError, processReceipt, type Receipt } from "./ingest.server";

export interface InboxOptions {
  db: Db;
  /** The Admin API order fetcher for a shop (a fulfillment can arrive before its order). */
  fetchOrderFor?: (shop: string) => ((orderShopifyId: string) => Promise<OrderFacts | null>) | undefined;
  now: Date;
  limit?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export interface InboxResult {
  claimed: number;
  processed: number;
  retried: number;
  failed: number;
}

const SECOND = 1000;

export async function claimReceipts(db: Db, now: Date, limit: number, leaseMs: number): Promise<Receipt[]> {
  const candidates = await db.webhookReceipt.findMany({
    where: {
      OR: [
        { status: "pending", availableAt: { lte: now } },
        { status: "processing", leaseUntil: { lt: now } },
      ],
    },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true, status: true, leaseUntil: true },
  });
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const claimed: Receipt[] = [];
  for (const candidate of candidates) {
    // Compare-and-set on the state we saw: of several workers, exactly one wins each delivery.
    const { count } = await db.webhookReceipt.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseUntil: candidate.leaseUntil },
      data: { status: "processing", leaseUntil, attempts: { increment: 1 } },
    });
    if (count !== 1) continue;
    const receipt = await db.webhookReceipt.findUnique({ where: { id: candidate.id } });
    if (receipt) claimed.push(receipt);
  }
  return claimed;
}

export async function processInbox(options: InboxOptions): Promise<InboxResult> {
  const { db, now } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  const receipts = await claimReceipts(db, now, options.limit ?? 50, options.leaseMs ?? 60 * SECOND);
  const result: InboxResult = { claimed: receipts.length, processed: 0, retried: 0, failed: 0 };
  for (const receipt of receipts) {
    // The local SQLite driver is synchronous: yield between deliveries so a web process running the
    // worker in-process answers its requests between them, not after the whole batch.
    await yieldToRequests();
    try {
      const outcome = await processReceipt({ db, fetchOrder: options.fetchOrderFor?.(receipt.shop) }, receipt, now);
      // "already_processed": our lease ran out and another worker took the delivery over.
      if (outcome !== "already_processed") result.processed++;
    } catch (error) {
      const { attempts } = (await db.webhookReceipt.findUnique({ where: { id: receipt.id }, select: { attempts: true } })) ?? { attempts: maxAttempts };
      const final = error instanceof MalformedPayloadError || attempts >= maxAttempts;
      log.error(final ? "webhook delivery failed for good" : "webhook delivery failed; will retry", {
        shop: receipt.shop,
        topic: receipt.topic,
        webhookId: receipt.webhookId,
        attempts,
        error: errorText(error),
      });
      await db.webhookReceipt.updateMany({
        where: { id: receipt.id, status: "processing", leaseUntil: receipt.leaseUntil },
        data: final
          ? { status: "failed", leaseUntil: null, lastError: errorText(error) }
          : { status: "pending", leaseUntil: null, lastError: errorText(error), availableAt: new Date(now.getTime() + Math.min(300, 2 ** attempts) * SECOND) },
      });
      result[final ? "failed" : "retried"]++;
    }
  }
  return result;
}

export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
