// Records a batch of claimed deliveries in one transaction: the inbox's hot path. One delivery at a
// time costs a dozen statements (each about a millisecond through Prisma); a batch loads every row its
// deliveries touch with one query per table, runs the same per-delivery code as processReceipt over
// those rows in memory (BatchStore), in the order the deliveries arrived, and writes the changes back
// with multi-row statements in the transaction that marks the receipts processed. The per-order
// guarantees are processReceipt's own: the same code decides, and only a receipt still under this
// worker's lease is applied. On PostgreSQL the batch takes, before it reads, the locks the per-delivery
// path takes one at a time: every order's advisory lock, then every shop's lane lock, each set in
// ascending order of key, so batches and single deliveries never wait on each other in a circle.
// Deliveries this path does not take (other topics, unknown shops, unreadable payloads) are handed back
// to be processed one at a time, as is the whole batch if its transaction fails.
import type { Db } from "~/db.server";
import { laneLearningOn } from "~/env.server";
import { normalizeEmail } from "~/mail/address";
import type { FulfillmentFacts, OrderFacts } from "~/orders/payload";
import { laneRowIdsOf } from "~/shipments/record.server";
import { inTransaction, lockInOrder, markReceiptsProcessed } from "~/db/rows.server";
import { BatchStore } from "./batch-store.server";
import { findMissingOrder, prepare, type Receipt, type Work } from "./record.server";
import { normaliseTopic } from "./topics";
import { groupBy } from "~/group-by";

/** The topics a batch records: the ones a burst is made of. The rest go through processReceipt alone. */
const BATCHED = new Set(["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "fulfillments/create", "fulfillments/update", "fulfillment_events/create"]);

export const isBatchedTopic = (topic: string): boolean => BATCHED.has(normaliseTopic(topic));

export interface BatchDeps {
  db: Db;
  fetchOrderFor?: (shop: string) => ((orderShopifyId: string) => Promise<OrderFacts | null>) | undefined;
}

export interface BatchOutcome {
  /** Recorded and marked processed in the batch's transaction. */
  recorded: string[];
  /** Not applied: the lease ran out and another worker took the delivery over. */
  lost: string[];
  /** For processReceipt, one at a time, in this order (they were left out of the batch). */
  alone: Receipt[];
  /** Statements the batch ran (its loads, writes and locks; not those of the deliveries left out). */
  statements: number;
}

interface Item {
  receipt: Receipt & { leaseUntil: Date };
  work: Work;
}

const TRANSACTION = { maxWait: 30_000, timeout: 60_000 };

export async function recordBatch(deps: BatchDeps, receipts: readonly Receipt[], now: Date): Promise<BatchOutcome> {
  const { db } = deps;
  const alone: Receipt[] = [];
  let statements = 0;
  // Unknown shops (perhaps to be adopted from a session) and compliance topics are processReceipt's.
  const domains = [...new Set(receipts.map((r) => r.shop))];
  const known = new Set((await db.shop.findMany({ where: { domain: { in: domains } }, select: { domain: true } })).map((s) => s.domain));
  statements++;
  const candidates = receipts.filter((r) => {
    const ok = known.has(r.shop) && isBatchedTopic(r.topic) && r.leaseUntil instanceof Date;
    if (!ok) alone.push(r);
    return ok;
  });

  // A fulfillment for an order not recorded yet fetches the order first, outside the transaction, as the
  // per-delivery path does; an order that an earlier delivery of the batch records is not fetched.
  const recorded = await ordersRecorded(db, candidates);
  statements++;
  const items: Item[] = [];
  for (const receipt of candidates) {
    const topic = normaliseTopic(receipt.topic);
    let work: Work;
    try {
      const payload: unknown = JSON.parse(receipt.payload ?? "null");
      work = await prepare({ shop: receipt.shop, topic, triggeredAt: receipt.triggeredAt, payload }, { db, fetchOrder: deps.fetchOrderFor?.(receipt.shop) }, { now }, async (shop, orderShopifyId) => {
        const key = `${shop}/${orderShopifyId}`;
        const missing = await findMissingOrder({ db, fetchOrder: deps.fetchOrderFor?.(shop) }, shop, orderShopifyId, recorded.has(key));
        if (missing) recorded.add(key);
        return missing;
      });
    } catch {
      // Unreadable or malformed: processReceipt says why and settles it (retry or failed).
      alone.push(receipt);
      continue;
    }
    if (!work.orderShopifyId || !work.touches) {
      alone.push(receipt);
      continue;
    }
    if (topic.startsWith("orders/")) recorded.add(`${receipt.shop}/${work.orderShopifyId}`);
    items.push({ receipt: receipt as Item["receipt"], work });
  }
  if (items.length === 0) return { recorded: [], lost: [], alone, statements };

  const learning = laneLearningOn();
  const outcome = await inTransaction(
    db,
    async (session) => {
      const postgres = session.postgres;
      const shops = [...new Set(items.map((i) => i.receipt.shop))];
      await lockInOrder(session, items.map((i) => `${i.receipt.shop}/${i.work.orderShopifyId}`));
      if (learning) await lockInOrder(session, shops.map((shop) => `lanes/${shop}`));
      const store = new BatchStore(session, new Set(postgres && learning ? shops : []));
      if (postgres) store.statements += learning ? 2 : 1;
      const marked = new Set<string>();
      for (const [lease, ids] of groupBy(items, (i) => i.receipt.leaseUntil.getTime())) {
        for (const id of await markReceiptsProcessed(session, ids.map((i) => i.receipt.id), new Date(lease), now)) marked.add(id);
        store.statements++;
      }
      const mine = items.filter((i) => marked.has(i.receipt.id));
      await load(store, mine, learning);
      const client = store.client();
      for (const [i, item] of mine.entries()) {
        // The in-process worker shares the event loop with the web server: let requests through now and then.
        if (i > 0 && i % 25 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        await item.work(client);
      }
      await store.flush();
      return { marked, statements: store.statements };
    },
    TRANSACTION,
  );
  return {
    recorded: items.filter((i) => outcome.marked.has(i.receipt.id)).map((i) => i.receipt.id),
    lost: items.filter((i) => !outcome.marked.has(i.receipt.id)).map((i) => i.receipt.id),
    alone,
    statements: statements + outcome.statements,
  };
}

/** Which of the fulfillments' orders are recorded already (`shop/orderShopifyId`), in one query. */
async function ordersRecorded(db: Db, receipts: readonly Receipt[]): Promise<Set<string>> {
  const wanted = receipts.filter((r) => normaliseTopic(r.topic).startsWith("fulfillments/") && r.orderShopifyId);
  if (wanted.length === 0) return new Set();
  const rows = await db.order.findMany({
    where: { OR: [...groupBy(wanted, (r) => r.shop)].map(([shop, rs]) => ({ shop, shopifyId: { in: rs.map((r) => r.orderShopifyId!) } })) },
    select: { shop: true, shopifyId: true },
  });
  return new Set(rows.map((r) => `${r.shop}/${r.shopifyId}`));
}


/** Every row the deliveries will read, with one query per table and shop. */
async function load(store: BatchStore, items: readonly Item[], learning: boolean): Promise<void> {
  for (const [shop, group] of groupBy(items, (i) => i.receipt.shop)) {
    const orders = new Set<string>();
    const fulfillments: FulfillmentFacts[] = [];
    const fulfillmentIds = new Set<string>();
    const eventIds = new Set<string>();
    const emails = new Set<string>();
    for (const { work } of group) {
      const touches = work.touches!;
      orders.add(work.orderShopifyId!);
      for (const order of touches.orders) if (order.email) emails.add(normalizeEmail(order.email));
      for (const f of touches.fulfillments) {
        orders.add(f.orderShopifyId);
        fulfillments.push(f);
        fulfillmentIds.add(f.shopifyId);
      }
      for (const e of touches.events) {
        orders.add(e.orderShopifyId);
        fulfillmentIds.add(e.fulfillmentShopifyId);
        eventIds.add(e.shopifyId);
      }
    }
    await store.cover(store.shops, shop, "domain", [shop]);
    await store.cover(store.orders, shop, "shopifyId", [...orders]);
    await store.cover(store.shipments, shop, "orderShopifyId", [...orders]);
    await store.cover(store.shipments, shop, "shopifyId", [...fulfillmentIds]);
    await store.cover(store.events, shop, "fulfillmentShopifyId", [...fulfillmentIds]);
    await store.cover(store.events, shop, "shopifyId", [...eventIds]);
    await store.cover(store.notifications, shop, "orderShopifyId", [...orders]);
    for (const id of orders) {
      const email = store.orders.find(shop, "shopifyId", id)[0]?.email;
      if (typeof email === "string") emails.add(normalizeEmail(email));
    }
    await store.cover(store.suppressions, shop, "email", [...emails]);
    // The feedback rules' once-per-buyer look: the buyers' other orders and their messages, for the whole batch.
    const buyers = new Set<string>();
    for (const { work } of group) for (const order of work.touches!.orders) if (order.emailKey) buyers.add(order.emailKey);
    for (const id of orders) {
      const key = store.orders.find(shop, "shopifyId", id)[0]?.emailKey;
      if (typeof key === "string") buyers.add(key);
    }
    await store.cover(store.orders, shop, "emailKey", [...buyers]);
    const buyersOrders = new Set([...buyers].flatMap((key) => store.orders.find(shop, "emailKey", key).map((row) => row.shopifyId as string)));
    await store.cover(store.notifications, shop, "orderShopifyId", [...buyersOrders]);
    if (!learning) continue;
    // The lane rows of every shipment the batch may re-derive: as stored, and as its fulfillment now says.
    const country = store.shops.find(shop, "domain", shop)[0]?.country as string | null | undefined;
    const levels = new Set<string>();
    for (const id of fulfillmentIds) {
      const stored = store.shipments.find(shop, "shopifyId", id)[0];
      if (stored) {
        for (const level of laneRowIdsOf(shop, { ...(stored as never as Parameters<typeof laneRowIdsOf>[1]), trackingNumbers: JSON.parse(stored.trackingNumbers as string) as string[] })) levels.add(level);
      }
    }
    for (const f of fulfillments) for (const level of laneRowIdsOf(shop, { ...f, originCountry: f.originCountry ?? country ?? null })) levels.add(level);
    await store.cover(store.laneStats, shop, "levelId", [...levels]);
  }
}
