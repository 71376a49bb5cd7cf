// Records a batch of claimed deliveries in one transaction: the inbox's hot path. One delivery at a
// time costs a dozen statements (each about a millisecond through Prisma); a batch loads every row its
// deliveries touch with one query per table, runs the same per-delivery code as processReceipt over
// those rows in memory (BatchStore), in the order the deliveries arrived, and writes the changes back
// with multi-row statements in the transaction that marks the receipts processed. Reading and planning
// happen before that transaction, so it stays short (on SQLite it holds the one write lock the web
// process's inbox inserts wait on): inside it the batch marks its receipts, checks that every lookup it
// made still finds the same rows as they were, and writes; when something changed (another writer, a
// lost lease) it reads and plans again inside the transaction, as if it had not planned before. The
// per-order guarantees are processReceipt's own: the same code decides from the rows as they are at
// the write, and only a receipt still under this worker's lease is applied. On PostgreSQL the write
// transaction takes, before it checks, the locks the per-delivery path takes one at a time: every
// order's advisory lock, then every shop's lane lock, each set in ascending order of key, so batches
// and single deliveries never wait on each other in a circle; another worker's lane-model teaching in
// the meantime is replayed under the lane lock rather than lost.
// Deliveries this path does not take (other topics, unknown shops, unreadable payloads) are handed back
// to be processed one at a time, as is the whole batch if its transaction fails.
import type { Db } from "~/db.server";
import { laneLearningOn } from "~/env.server";
import { normalizeEmail } from "~/mail/address";
import type { FulfillmentFacts, OrderFacts } from "~/orders/payload";
import { laneRowIdsOf } from "~/shipments/record.server";
import { performance } from "node:perf_hooks";
import { inTransaction, lockInOrder, markReceiptsProcessed, prismaSession } from "~/db/rows.server";
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
  /** Runs between planning and the write transaction (tests play another writer there). */
  beforeWrite?: () => Promise<void>;
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
  const batched = (r: Receipt) => isBatchedTopic(r.topic) && r.leaseUntil instanceof Date;
  // A fulfillment for an order not recorded yet fetches the order first, outside the transaction, as the
  // per-delivery path does; an order that an earlier delivery of the batch records is not fetched. Which
  // orders are recorded is asked at once with which shops are known (of an unknown shop's, none is used).
  const [knownShops, recorded] = await Promise.all([db.shop.findMany({ where: { domain: { in: domains } }, select: { domain: true } }), ordersRecorded(db, receipts.filter(batched))]);
  const known = new Set(knownShops.map((s) => s.domain));
  statements += 2;
  const candidates = receipts.filter((r) => {
    const ok = known.has(r.shop) && batched(r);
    if (!ok) alone.push(r);
    return ok;
  });

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
  const shops = [...new Set(items.map((i) => i.receipt.shop))];
  const laneLocks = new Set(learning ? shops : []);
  // Read and plan before the write transaction: one short read transaction loads the rows (on
  // PostgreSQL plain reads on one connection, see autocommit), the deliveries then run over them in
  // memory (a lookup the loads missed reads on its own statement).
  // The lane locks are not held yet: the write transaction takes them and checks, or replays, the lane
  // model's changes under them.
  const planned = await inTransaction(db, async (session) => {
    const store = new BatchStore(session, laneLocks);
    await load(store, items, learning);
    return store;
  }, { ...TRANSACTION, autocommit: true, readOnly: true });
  planned.session = prismaSession(db);
  await runWork(planned, items);
  planned.writes();
  await deps.beforeWrite?.();

  const outcome = await inTransaction(
    db,
    async (session) => {
      const postgres = session.postgres;
      // Every order's lock, then (learning) every shop's lane lock: one statement.
      await lockInOrder(session, items.map((i) => `${i.receipt.shop}/${i.work.orderShopifyId}`), learning ? shops.map((shop) => `lanes/${shop}`) : []);
      // SQLite: the first write takes the database's write lock, held to the commit.
      const locked = performance.now();
      const marked = new Set<string>();
      let statements = postgres ? 1 : 0;
      for (const [lease, ids] of groupBy(items, (i) => i.receipt.leaseUntil.getTime())) {
        for (const id of await markReceiptsProcessed(session, ids.map((i) => i.receipt.id), new Date(lease), now)) marked.add(id);
        statements++;
      }
      const mine = items.filter((i) => marked.has(i.receipt.id));
      planned.session = session;
      let store = planned;
      // The plan stands when every receipt is still ours and every row it read is as it was read. The
      // lane rows: on PostgreSQL (where the per-delivery path reads a lane's window before its lock,
      // too) another worker's teaching in between is replayed; on SQLite, where nobody else should
      // write them, any change is a conflict.
      const unchanged = mine.length === items.length ? await planned.unchanged() : { rows: false, lanes: false };
      let stands = unchanged.rows;
      if (stands && !unchanged.lanes) {
        if (postgres) {
          if (planned.laneChanges.size) await planned.replayLanes();
        } else stands = false;
      }
      if (!stands) {
        // Read and plan again in this transaction, the deliveries still ours only.
        store = new BatchStore(session, laneLocks);
        await load(store, mine, learning);
        await runWork(store, mine);
      }
      await store.flush();
      return { marked, statements: statements + planned.statements + (store === planned ? 0 : store.statements), locked, replanned: !stands };
    },
    TRANSACTION,
  );
  const held = performance.now() - outcome.locked;
  for (const listener of writeListeners) listener({ ms: held, deliveries: items.length, replanned: outcome.replanned });
  return {
    recorded: items.filter((i) => outcome.marked.has(i.receipt.id)).map((i) => i.receipt.id),
    lost: items.filter((i) => !outcome.marked.has(i.receipt.id)).map((i) => i.receipt.id),
    alone,
    statements: statements + outcome.statements,
  };
}

/** Runs the deliveries' writes over the store, in the order they arrived. */
async function runWork(store: BatchStore, items: readonly Item[]): Promise<void> {
  const client = store.client();
  for (const [i, item] of items.entries()) {
    // The in-process worker shares the event loop with the web server: let requests through now and then.
    if (i > 0 && i % 25 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await item.work(client);
  }
  store.settleLanes();
}

/** A batch's write transaction: how long it held the write lock (from its first write to its commit). */
export interface WritePhase {
  ms: number;
  deliveries: number;
  /** The rows it had read changed before it wrote (or a receipt was lost): it read and planned again inside. */
  replanned: boolean;
}

const writeListeners = new Set<(phase: WritePhase) => void>();

/** Calls `listener` after each batch's write transaction (benchmarks and tests); returns the unsubscribe. */
export function onWritePhase(listener: (phase: WritePhase) => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
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
    // The lookups that need no other's rows at once (on PostgreSQL, on several connections), then those
    // that need theirs.
    await Promise.all([
      store.cover(store.shops, shop, "domain", [shop]),
      store.cover(store.orders, shop, "shopifyId", [...orders]),
      store.cover(store.shipments, shop, "orderShopifyId", [...orders]),
      store.cover(store.shipments, shop, "shopifyId", [...fulfillmentIds]),
      store.cover(store.events, shop, "fulfillmentShopifyId", [...fulfillmentIds]),
      store.cover(store.events, shop, "shopifyId", [...eventIds]),
      store.cover(store.notifications, shop, "orderShopifyId", [...orders]),
    ]);
    for (const id of orders) {
      const email = store.orders.find(shop, "shopifyId", id)[0]?.email;
      if (typeof email === "string") emails.add(normalizeEmail(email));
    }
    // The feedback rules' once-per-buyer look: the buyers' other orders and their messages, for the whole batch.
    const buyers = new Set<string>();
    for (const { work } of group) for (const order of work.touches!.orders) if (order.emailKey) buyers.add(order.emailKey);
    for (const id of orders) {
      const key = store.orders.find(shop, "shopifyId", id)[0]?.emailKey;
      if (typeof key === "string") buyers.add(key);
    }
    // The lane rows of every shipment the batch may re-derive: as stored, and as its fulfillment now says.
    const levels = new Set<string>();
    if (learning) {
      const country = store.shops.find(shop, "domain", shop)[0]?.country as string | null | undefined;
      for (const id of fulfillmentIds) {
        const stored = store.shipments.find(shop, "shopifyId", id)[0];
        if (stored) {
          for (const level of laneRowIdsOf(shop, { ...(stored as never as Parameters<typeof laneRowIdsOf>[1]), trackingNumbers: JSON.parse(stored.trackingNumbers as string) as string[] })) levels.add(level);
        }
      }
      for (const f of fulfillments) for (const level of laneRowIdsOf(shop, { ...f, originCountry: f.originCountry ?? country ?? null })) levels.add(level);
    }
    await Promise.all([
      store.cover(store.suppressions, shop, "email", [...emails]),
      store.cover(store.orders, shop, "emailKey", [...buyers]),
      learning ? store.cover(store.laneStats, shop, "levelId", [...levels]) : undefined,
    ]);
    const buyersOrders = new Set([...buyers].flatMap((key) => store.orders.find(shop, "emailKey", key).map((row) => row.shopifyId as string)));
    await store.cover(store.notifications, shop, "orderShopifyId", [...buyersOrders]);
  }
}
