// The webhook inbox, independent of how deliveries arrive (HTTP today; EventBridge or Pub/Sub later).
// The request's half accepts a delivery (one insert, deduplicated by the inbox's unique keys). The worker's
// half claims accepted deliveries with a lease (oldest first), records each (record.server.ts) and retries
// failures with backoff; a worker that dies leaves leases that expire and are claimed again, and
// processReceipt's transaction makes sure each delivery takes effect once.
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import type { OrderFacts } from "~/orders/payload";
import { checkPayload, isShopifyTopic, MalformedPayloadError, normaliseTopic } from "./topics";
import { processReceipt, type Delivery, type Receipt } from "./record.server";
import { isBatchedTopic, recordBatch } from "./record-batch.server";
import { inTransaction, leaseReceiptRows } from "~/db/rows.server";
import { isPostgres } from "~/db/dialect";
import { checkNesting } from "./nesting";
import { checkShopNamed } from "./shop-named";
import { insertReceipts, receiptRows } from "./inbox-insert.server";

export interface WebhookDelivery extends Delivery {
  webhookId: string;
  eventId?: string | null;
}

export type AcceptOutcome = "accepted" | "duplicate" | "ignored_topic";

/** Which order a delivery is about: an order topic's own id, a fulfillment's, carrier event's or refund's order_id, a return's order. */
function orderShopifyIdOf(topic: string, payload: unknown): string | null {
  const fields = payload as { id?: unknown; order_id?: unknown; order?: { id?: unknown } | null };
  const id = topic.startsWith("orders/")
    ? fields.id
    : topic.startsWith("fulfillment") || topic === "refunds/create"
      ? fields.order_id
      : topic.startsWith("returns/")
        ? fields.order?.id
        : null;
  return typeof id === "number" || typeof id === "string" ? String(id) : null;
}

/** The inbox row for a delivery, or null for a topic Parcelwise does not handle. Throws when malformed. */
function receiptData(delivery: WebhookDelivery) {
  const topic = normaliseTopic(delivery.topic);
  if (!isShopifyTopic(topic)) return null;
  checkNesting(topic, delivery.payload);
  checkPayload(topic, delivery.payload);
  checkShopNamed(topic, delivery.shop, delivery.payload);
  return {
    shop: delivery.shop,
    topic,
    orderShopifyId: orderShopifyIdOf(topic, delivery.payload),
    webhookId: delivery.webhookId,
    eventId: delivery.eventId ?? null,
    triggeredAt: delivery.triggeredAt ?? null,
    payload: JSON.stringify(delivery.payload),
  };
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * The webhook request's half: check the payload and keep the delivery in the inbox. Replays of a webhook
 * id, and one event delivered to several subscriptions, meet the inbox's unique keys and are duplicates.
 * The deliveries that arrive in the same turn of the event loop go in with one multi-row insert (one
 * commit), which is what lets one process keep up with Shopify's bursts; the insert leaves out the rows
 * a unique key already holds, so the ids it returns tell the duplicates apart (inbox-insert.server.ts).
 * accept throws MalformedPayloadError for a payload that could never be processed, before anything is
 * written.
 */
export class InboxWriter {
  private queue: Array<{ data: NonNullable<ReturnType<typeof receiptData>>; settle: (outcome: AcceptOutcome | Error) => void }> = [];

  constructor(private readonly db: Db) {}

  async accept(delivery: WebhookDelivery): Promise<AcceptOutcome> {
    const data = receiptData(delivery);
    if (!data) return "ignored_topic";
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ data, settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const rows = receiptRows(batch.map((item) => item.data));
      const inserted = await insertReceipts(this.db, rows);
      // In the batch's order: of two deliveries in one batch with the same key, the first is accepted.
      batch.forEach((item, i) => item.settle(inserted.has(rows[i]!.id) ? "accepted" : "duplicate"));
    } catch (error) {
      for (const item of batch) item.settle(asError(error));
    }
  }
}

export interface InboxOptions {
  db: Db;
  /** The Admin API order fetcher for a shop (a fulfillment can arrive before its order). */
  fetchOrderFor?: (shop: string) => ((orderShopifyId: string) => Promise<OrderFacts | null>) | undefined;
  now: Date;
  limit?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /**
   * Deliveries recorded per batch (default BATCH_SIZE). A batch's write transaction (on SQLite, the
   * write lock the web process's inbox inserts wait on) lasts about in proportion: a worker sharing its
   * process or database with the web server may take smaller ones, at some CPU per delivery.
   */
  batchSize?: number;
}

export interface InboxResult {
  claimed: number;
  processed: number;
  retried: number;
  failed: number;
}

const SECOND = 1000;

/**
 * Leases up to `limit` due deliveries, oldest first, in one transaction on the database's driver
 * (app/db/rows.server.ts): one statement takes them (compare-and-set by nature, so of several workers
 * exactly one wins each), one reads them.
 */
export async function claimReceipts(db: Db, now: Date, limit: number, leaseMs: number): Promise<Receipt[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // PostgreSQL: one UPDATE … RETURNING, atomic on its own; SQLite: the lease, then the rows, in one transaction.
  const rows = await inTransaction(db, (session) => leaseReceiptRows(session, now, limit, leaseUntil), { autocommit: true });
  const time = (d: unknown) => (d as Date).getTime();
  return (rows as unknown as Array<Receipt & { receivedAt: Date }>).sort((a, b) => time(a.receivedAt) - time(b.receivedAt));
}

/** Takes a receipt in the state last seen: compare-and-set, so of several workers exactly one wins it. */
export async function claimReceipt(db: Db, seen: { id: string; status: string; leaseUntil: Date | null }, now: Date, leaseMs: number): Promise<Receipt | null> {
  const { count } = await db.webhookReceipt.updateMany({
    where: { id: seen.id, status: seen.status, leaseUntil: seen.leaseUntil },
    data: { status: "processing", leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
  });
  if (count !== 1) return null;
  return db.webhookReceipt.findUnique({ where: { id: seen.id } });
}

/**
 * Deliveries recorded in one batch at most. The batch reads and plans before its write transaction, so
 * that transaction holds only its statements (about 0.1-0.2 ms a delivery on SQLite on this machine).
 */
export const BATCH_SIZE = 100;

/**
 * PostgreSQL's: no single write lock there for the web process's inserts to wait on (a batch's write
 * transaction holds its orders' and its shops' lane locks only), and a batch's cost is mostly its
 * round trips, the same for 100 deliveries as for 200.
 */
export const POSTGRES_BATCH_SIZE = 200;

/**
 * Claims due deliveries and records them: runs of the hot topics a batch at a time (record-batch.server.ts),
 * anything else (and whatever a batch leaves out or fails on) one at a time through processReceipt.
 */
export async function processInbox(options: InboxOptions): Promise<InboxResult> {
  const { db, now } = options;
  const receipts = await claimReceipts(db, now, options.limit ?? 200, options.leaseMs ?? 60 * SECOND);
  const result: InboxResult = { claimed: receipts.length, processed: 0, retried: 0, failed: 0 };
  const batchSize = options.batchSize ?? (isPostgres(db) ? POSTGRES_BATCH_SIZE : BATCH_SIZE);
  let run: Receipt[] = [];
  const flush = async () => {
    if (run.length) await processBatch(options, run, result);
    run = [];
  };
  for (const receipt of receipts) {
    if (isBatchedTopic(receipt.topic)) {
      run.push(receipt);
      if (run.length >= batchSize) await flush();
      continue;
    }
    await flush();
    await processOne(options, receipt, result);
  }
  await flush();
  return result;
}

async function processBatch(options: InboxOptions, receipts: Receipt[], result: InboxResult): Promise<void> {
  // The local SQLite driver is synchronous: yield between transactions so a web process running the
  // worker in-process answers its requests between them.
  await yieldToRequests();
  let alone: Receipt[];
  try {
    const outcome = await recordBatch({ db: options.db, fetchOrderFor: options.fetchOrderFor }, receipts, options.now);
    result.processed += outcome.recorded.length;
    alone = outcome.alone;
  } catch (error) {
    // One bad delivery (or a conflict with another writer) must not hold up the rest: one at a time,
    // each delivery then succeeds, retries or fails on its own.
    log.warn("webhook batch failed; recording its deliveries one at a time", { deliveries: receipts.length, error: asError(error).message });
    alone = receipts;
  }
  for (const receipt of alone) await processOne(options, receipt, result);
}

/** One delivery through processReceipt, with its retries and backoff. */
async function processOne(options: InboxOptions, receipt: Receipt, result: InboxResult): Promise<void> {
  const { db, now } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  await yieldToRequests();
  try {
    const outcome = await processReceipt({ db, fetchOrder: options.fetchOrderFor?.(receipt.shop) }, receipt, now);
    // "already_processed": our lease ran out and another worker took the delivery over.
    if (outcome !== "already_processed") result.processed++;
  } catch (error) {
    const { attempts } = (await db.webhookReceipt.findUnique({ where: { id: receipt.id }, select: { attempts: true } })) ?? { attempts: maxAttempts };
    const final = error instanceof MalformedPayloadError || attempts >= maxAttempts;
    const lastError = asError(error).message;
    log.error(final ? "webhook delivery failed for good" : "webhook delivery failed; will retry", {
      shop: receipt.shop,
      topic: receipt.topic,
      webhookId: receipt.webhookId,
      attempts,
      error: lastError,
    });
    await db.webhookReceipt.updateMany({
      where: { id: receipt.id, status: "processing", leaseUntil: receipt.leaseUntil },
      data: final
        ? { status: "failed", leaseUntil: null, lastError }
        : { status: "pending", leaseUntil: null, lastError, availableAt: new Date(now.getTime() + Math.min(300, 2 ** attempts) * SECOND) },
    });
    result[final ? "failed" : "retried"]++;
  }
}

export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
