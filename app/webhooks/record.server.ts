// Records what a Shopify delivery carries (Order, Shipment, TrackingEvent, the shop's install state,
// compliance requests) and re-plans the order's messages, in one transaction. Neither renders nor sends.
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { log } from "~/log.server";
import { fulfillmentEventPayload, fulfillmentFacts, fulfillmentPayload, orderFacts, orderPayload, trackingEventFacts, type FulfillmentFacts, type OrderFacts, type TrackingEventFacts } from "~/orders/payload";
import { recordOrder } from "~/orders/record.server";
import { recordShipment, recordTrackingEvent } from "~/shipments/record.server";
import { recordUninstall } from "~/shops/uninstall.server";
import { recordScopes } from "~/shops/scopes.server";
import { complianceCustomerPayload } from "~/compliance/payload";
import { recordDataRequest, redactCustomer, redactShop } from "~/compliance/compliance.server";
import { eraseResidue, isRedactionTopic } from "~/compliance/erase-residue.server";
import { replanOrder } from "~/notifications/replan.server";
import { noteBulkOperationFinished } from "~/history/bulk-finished.server";
import { checkShopNamed } from "./shop-named";
import { refundWork, returnWork } from "~/feedback/record.server";
import { isReturnTopic } from "~/feedback/payload";
import { bulkOperationFinishPayload, isComplianceTopic, isShopifyTopic, MalformedPayloadError, normaliseTopic, parsePayload, scopesUpdatePayload } from "./topics";

type Tx = Prisma.TransactionClient;

export interface RecordDeps {
  db: Db;
  /** Fetches an order Parcelwise has not seen (a fulfillment can arrive before its order). */
  fetchOrder?: (orderShopifyId: string) => Promise<OrderFacts | null>;
}

/** A delivery as Shopify sent it, by whatever transport (a webhook, a bulk operation's line, a reconciliation query). */
export interface Delivery {
  shop: string;
  topic: string; // e.g. "orders/paid"; ORDERS_PAID (some transports' spelling) is normalised
  triggeredAt?: Date | null;
  payload: unknown;
}

export interface Recording {
  now: Date;
  /** false for imported history: nothing is ever sent for an imported order. Default true. */
  planMessages?: boolean;
}

/** A claimed inbox row (app/webhooks/inbox.server.ts). */
export interface Receipt {
  id: string;
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: string | null;
  /** The order the delivery is about, as the inbox noted it on accepting (absent for callers without an inbox). */
  orderShopifyId?: string | null;
  /** The lease the claiming worker holds; only its holder may settle the receipt. */
  leaseUntil?: Date | null;
}

/**
 * Records one delivery and (unless told not to) re-plans, in one transaction: the one way a delivery
 * takes effect, for callers without an inbox receipt (history import, reconciliation of missed webhooks).
 * Throws MalformedPayloadError for a payload that does not fit its topic.
 */
export async function recordDelivery(deps: RecordDeps, delivery: Delivery, recording: Recording): Promise<"recorded" | "unknown_shop" | "ignored_topic"> {
  const topic = normaliseTopic(delivery.topic);
  if (!isShopifyTopic(topic)) return "ignored_topic";
  if (!(await mayRecord(deps.db, delivery.shop, topic))) return "unknown_shop";
  await inOneTransaction(deps, { ...delivery, topic }, recording, async () => true);
  await afterRecording(deps.db, topic);
  return "recorded";
}

/**
 * The worker's half of a webhook: record a claimed delivery and re-plan, in one transaction that also
 * marks the receipt processed, so a delivery takes effect exactly once even when a lease expires.
 */
export async function processReceipt(deps: RecordDeps, receipt: Receipt, now: Date): Promise<"recorded" | "unknown_shop" | "already_processed"> {
  const { db } = deps;
  const done = { payload: null, processedAt: now, leaseUntil: null, lastError: null };
  const mine = { id: receipt.id, status: "processing", ...(receipt.leaseUntil !== undefined ? { leaseUntil: receipt.leaseUntil } : {}) };
  if (!(await mayRecord(db, receipt.shop, receipt.topic))) {
    await db.webhookReceipt.updateMany({ where: mine, data: { status: "ignored", ...done } });
    return "unknown_shop";
  }
  let payload: unknown;
  try {
    payload = JSON.parse(receipt.payload ?? "null");
  } catch {
    throw new MalformedPayloadError(`${receipt.topic} payload is not JSON`);
  }
  const marked = await inOneTransaction(deps, { ...receipt, payload }, { now }, async (tx) => {
    const { count } = await tx.webhookReceipt.updateMany({ where: mine, data: { status: "processed", ...done } });
    return count === 1;
  });
  if (marked) await afterRecording(db, normaliseTopic(receipt.topic));
  return marked ? "recorded" : "already_processed";
}

/** A redaction, once committed, also erases what the database keeps below the rows. The rows are gone either way. */
async function afterRecording(db: Db, topic: string): Promise<void> {
  if (!isRedactionTopic(topic)) return;
  try {
    await eraseResidue(db, topic);
  } catch (error) {
    log.error("erasing what a redaction left in the database files failed", { topic, error });
  }
}

/** A known shop's deliveries count, and a compliance request's whoever it is about. */
async function mayRecord(db: Db, shop: string, topic: string): Promise<boolean> {
  const known = (await db.shop.findUnique({ where: { domain: shop }, select: { domain: true } })) ?? (await adoptInstalledShop(db, shop));
  return known !== null || isComplianceTopic(topic);
}

/**
 * A shop with an offline session but no Shop row (its install hook could not reach the Admin API) is
 * installed all the same: keep its deliveries, with default settings until the next install fills them in.
 */
async function adoptInstalledShop(db: Db, domain: string): Promise<{ domain: string } | null> {
  const session = await db.session.findFirst({ where: { shop: domain, isOnline: false }, select: { id: true } });
  if (!session) return null;
  return db.shop.upsert({ where: { domain }, create: { domain }, update: {}, select: { domain: true } });
}

/** Runs the delivery's writes after `claim` (false: someone else has recorded it, so write nothing). */
async function inOneTransaction(deps: RecordDeps, delivery: Delivery, recording: Recording, claim: (tx: Tx) => Promise<boolean>): Promise<boolean> {
  const work = await prepare(delivery, deps, recording);
  return deps.db.$transaction(async (tx) => {
    if (work.orderShopifyId) await serialiseOrder(tx, delivery.shop, work.orderShopifyId);
    if (!(await claim(tx))) return false;
    await work(tx);
    return true;
  });
}

/**
 * Deliveries about one order run one at a time. Shopify sends orders/create, orders/paid and orders/updated
 * within milliseconds, and on PostgreSQL several workers record at once: without this, each would check
 * staleness, derive the shipment and plan from a view missing the other's writes (and an older update
 * could overwrite a newer one). SQLite already runs one write transaction at a time.
 */
async function serialiseOrder(tx: Tx, shop: string, orderShopifyId: string): Promise<void> {
  if (!isPostgres(tx)) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop}/${orderShopifyId}`}, 0))`;
}

/** The rows a delivery about an order may read: what a batch loads for it up front (record-batch.server.ts). */
export interface Touches {
  orders: OrderFacts[];
  fulfillments: FulfillmentFacts[];
  events: TrackingEventFacts[];
}

/** What a delivery writes; `orderShopifyId` when it is about one order (see serialiseOrder). */
export type Work = ((tx: Tx) => Promise<void>) & { orderShopifyId?: string; touches?: Touches };
const aboutOrder = (orderShopifyId: string, touches: Touches, work: (tx: Tx) => Promise<void>): Work => Object.assign(work, { orderShopifyId, touches });

/** Finds the order a fulfillment names when Parcelwise has not seen it (null: known, or not to be had). */
export type MissingOrder = (shop: string, orderShopifyId: string) => Promise<OrderFacts | null>;

/**
 * Parses the payload and fetches what is missing outside the transaction; returns the writes.
 * `missingOrder` replaces the per-delivery lookup of a fulfillment's order (a batch answers it from one query).
 */
export async function prepare(delivery: Delivery, deps: RecordDeps, recording: Recording, missingOrder: MissingOrder = (shop, id) => findMissingOrder(deps, shop, id)): Promise<Work> {
  const { shop, topic, payload } = delivery;
  const replan = recording.planMessages === false ? async () => {} : replanOrder;
  // Also here, for deliveries that reached the inbox before the request path checked it.
  checkShopNamed(topic, shop, payload);
  switch (topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/cancelled": {
      const order = parsePayload(orderPayload, payload, topic);
      const facts = orderFacts(order);
      const fulfillments = (order.fulfillments ?? []).map(fulfillmentFacts);
      return aboutOrder(facts.shopifyId, { orders: [facts], fulfillments, events: [] }, async (tx) => {
        await recordOrder(tx, shop, facts);
        for (const fulfillment of fulfillments) await recordShipment(tx, shop, fulfillment, recording.now);
        await replan(tx, shop, facts.shopifyId);
      });
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const fulfillment = fulfillmentFacts(parsePayload(fulfillmentPayload, payload, topic));
      const missing = await missingOrder(shop, fulfillment.orderShopifyId);
      return aboutOrder(fulfillment.orderShopifyId, { orders: missing ? [missing] : [], fulfillments: [fulfillment], events: [] }, async (tx) => {
        if (missing) await recordOrder(tx, shop, missing);
        await recordShipment(tx, shop, fulfillment, recording.now);
        await replan(tx, shop, fulfillment.orderShopifyId);
      });
    }
    case "fulfillment_events/create": {
      const event = trackingEventFacts(parsePayload(fulfillmentEventPayload, payload, topic));
      return aboutOrder(event.orderShopifyId, { orders: [], fulfillments: [], events: [event] }, async (tx) => {
        await recordTrackingEvent(tx, shop, event, recording.now);
        await replan(tx, shop, event.orderShopifyId);
      });
    }
    case "app/uninstalled":
      return (tx) => recordUninstall(tx, shop, delivery.triggeredAt ?? recording.now);
    case "app/scopes_update": {
      const { current } = parsePayload(scopesUpdatePayload, payload, topic);
      return (tx) => recordScopes(tx, shop, current);
    }
    case "customers/data_request": {
      const request = parsePayload(complianceCustomerPayload, payload, topic);
      return (tx) => recordDataRequest(tx, shop, request);
    }
    case "customers/redact": {
      const request = parsePayload(complianceCustomerPayload, payload, topic);
      return (tx) => redactCustomer(tx, shop, request, recording.now);
    }
    case "bulk_operations/finish": {
      const finished = parsePayload(bulkOperationFinishPayload, delivery.payload, topic);
      return (tx) =>
        noteBulkOperationFinished(tx, shop, { bulkOperationId: finished.admin_graphql_api_id, status: finished.status, errorCode: finished.error_code ?? null });
    }
    case "shop/redact":
      return (tx) => redactShop(tx, shop);
    case "refunds/create":
    case "returns/request":
    case "returns/approve":
    case "returns/decline":
    case "returns/cancel":
    case "returns/close":
    case "returns/reopen":
    case "returns/process": {
      const work = isReturnTopic(topic) ? returnWork(topic, payload, delivery.triggeredAt ?? recording.now) : refundWork(payload, recording.now);
      return aboutOrder(work.orderShopifyId, { orders: [], fulfillments: [], events: [] }, async (tx) => {
        await work.record(tx, shop);
        await replan(tx, shop, work.orderShopifyId);
      });
    }
    default:
      return async () => {};
  }
}

/** A fulfillment's order from the Admin API when it is not recorded yet (a fetch that fails is logged: the fulfillment is recorded all the same). */
export async function findMissingOrder(deps: RecordDeps, shop: string, orderShopifyId: string, known?: boolean): Promise<OrderFacts | null> {
  const recorded =
    known ??
    (await deps.db.order.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
      select: { id: true },
    })) !== null;
  if (recorded || !deps.fetchOrder) return null;
  try {
    return await deps.fetchOrder(orderShopifyId);
  } catch (error) {
    // The fulfillment is still worth recording: the order's own webhook completes the picture later.
    log.warn("could not fetch a missing order from the Admin API", { shop, orderShopifyId, error });
    return null;
  }
}
