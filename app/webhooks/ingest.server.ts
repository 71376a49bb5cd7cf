// Ingest of Shopify webhooks, independent of how they arrive (HTTP today; EventBridge or Pub/Sub later).
// Two halves: the request accepts a delivery into the inbox (one insert, deduplicated by its unique keys);
// a worker then records what it carries and re-plans, in one transaction. Neither renders nor sends.
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import {
  fulfillmentEventPayload,
  fulfillmentFacts,
  fulfillmentPayload,
  orderFacts,
  orderPayload,
  trackingEventFacts,
  type FulfillmentFacts,
  type OrderFacts,
  type TrackingEventFacts,
} from "~/orders/payload";
import { deriveShipment } from "~/shipments/derive";
import { parseTransitOverrides } from "~/carriers/registry";
import { replanOrder } from "~/notifications/replan.server";
import { redactCustomer, recordDataRequest, redactShop } from "~/compliance/compliance.server";
import { z } from "zod";
import { log } from "~/log.server";
import { noteBulkOperationFinished } from "~/history/bulk-finished.server";

export interface WebhookDelivery {
  shop: string;
  topic: string; // e.g. "orders/paid" (Shopify's header says ORDERS_PAID in some transports: normalised by the caller)
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: Date | null;
  payload: unknown;
}

export interface IngestDeps {
  db: Db;
  /** Fetches an order Parcelwise has not seen (a fulfillment can arrive before its order). */
  fetchOrder?: (orderShopifyId: string) => Promise<OrderFacts | null>;
}

export type IngestOutcome = "recorded" | "duplicate" | "unknown_shop" | "ignored_topic";

export class MalformedPayloadError extends Error {}

type Tx = Prisma.TransactionClient;

const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);
export const SHOPIFY_TOPICS = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/cancelled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "bulk_operations/finish",
] as const;
type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

/** Normalises ORDERS_PAID / orders/paid to orders/paid. */
export function normaliseTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  for (const known of SHOPIFY_TOPICS) if (known.replace("/", "_") === lower) return known;
  return lower;
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, payload: unknown, topic: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const detail = result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "payload"} ${i.message}`);
    throw new MalformedPayloadError(`${topic} payload is malformed: ${detail.join("; ")}`);
  }
  return result.data;
}

const PAYLOAD_SCHEMAS: Record<ShopifyTopic, z.ZodTypeAny> = {
  "orders/create": orderPayload,
  "orders/paid": orderPayload,
  "orders/updated": orderPayload,
  "orders/cancelled": orderPayload,
  "fulfillments/create": fulfillmentPayload,
  "fulfillments/update": fulfillmentPayload,
  "fulfillment_events/create": fulfillmentEventPayload,
  "app/uninstalled": z.object({}).passthrough(),
  "app/scopes_update": z.lazy(() => scopesUpdatePayload),
  "customers/data_request": z.lazy(() => complianceCustomerPayload),
  "customers/redact": z.lazy(() => complianceCustomerPayload),
  "shop/redact": z.object({}).passthrough(),
  "bulk_operations/finish": z.lazy(() => bulkOperationFinishPayload),
};

const isShopifyTopic = (topic: string): topic is ShopifyTopic => (SHOPIFY_TOPICS as readonly string[]).includes(topic);
export const isComplianceTopic = (topic: string) => COMPLIANCE_TOPICS.has(normaliseTopic(topic));

export type AcceptOutcome = "accepted" | "duplicate" | "ignored_topic";

/**
 * The webhook request's half: check the payload and keep the delivery in the inbox, in one insert.
 * Replays of a webhook id, and one event delivered to several subscriptions, meet the inbox's unique
 * keys and are duplicates. Throws MalformedPayloadError for a payload that could never be processed.
 */
export async function acceptWebhook(db: Db, delivery: WebhookDelivery): Promise<AcceptOutcome> {
  const data = receiptData(delivery);
  if (!data) return "ignored_topic";
  try {
    await db.webhookReceipt.create({ data, select: { id: true } });
    return "accepted";
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}

/** The inbox row for a delivery, or null for a topic Parcelwise does not handle. Throws when malformed. */
function receiptData(delivery: WebhookDelivery) {
  const topic = normaliseTopic(delivery.topic);
  if (!isShopifyTopic(topic)) return null;
  parse(PAYLOAD_SCHEMAS[topic], delivery.payload, topic);
  return {
    shop: delivery.shop,
    topic,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId ?? null,
    triggeredAt: delivery.triggeredAt ?? null,
    payload: JSON.stringify(delivery.payload),
  };
}

// Duck-typed: the PostgreSQL client is generated separately, so its error classes are not @prisma/client's.
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/**
 * acceptWebhook for many concurrent requests: the deliveries that arrive in the same turn of the event
 * loop go into the inbox with one multi-row insert (one commit), which is what lets one process keep up
 * with Shopify's bursts. Settles each delivery exactly as acceptWebhook would.
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
      await this.db.webhookReceipt.createMany({ data: batch.map((item) => item.data) });
      for (const item of batch) item.settle("accepted");
    } catch (error) {
      if (!isUniqueViolation(error)) {
        for (const item of batch) item.settle(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // A replay is among them: settle each on its own to tell which.
      for (const item of batch) {
        try {
          await this.db.webhookReceipt.create({ data: item.data, select: { id: true } });
          item.settle("accepted");
        } catch (single) {
          item.settle(isUniqueViolation(single) ? "duplicate" : single instanceof Error ? single : new Error(String(single)));
        }
      }
    }
  }
}

export interface Receipt {
  id: string;
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: string | null;
  /** The lease the claiming worker holds; only its holder may settle the receipt. */
  leaseUntil?: Date | null;
}

/**
 * The worker's half: record what a claimed delivery carries and re-plan, in one transaction that also
 * marks the receipt processed, so a delivery takes effect exactly once even when a lease expires.
 */
export async function processReceipt(deps: IngestDeps, receipt: Receipt, now: Date): Promise<"recorded" | "unknown_shop" | "already_processed"> {
  const { db } = deps;
  const done = { payload: null, processedAt: now, leaseUntil: null, lastError: null };
  const mine = { id: receipt.id, status: "processing", ...(receipt.leaseUntil !== undefined ? { leaseUntil: receipt.leaseUntil } : {}) };
  const known = (await db.shop.findUnique({ where: { domain: receipt.shop }, select: { domain: true } })) ?? (await adoptInstalledShop(db, receipt.shop));
  if (!known && !COMPLIANCE_TOPICS.has(receipt.topic)) {
    await db.webhookReceipt.updateMany({ where: mine, data: { status: "ignored", ...done } });
    return "unknown_shop";
  }
  let payload: unknown;
  try {
    payload = JSON.parse(receipt.payload ?? "null");
  } catch {
    throw new MalformedPayloadError(`${receipt.topic} payload is not JSON`);
  }
  const delivery: WebhookDelivery = { ...receipt, payload };
  const work = await prepare(receipt.topic, delivery, deps);
  return db.$transaction(async (tx) => {
    if (work.orderShopifyId) await serialiseOrder(tx, receipt.shop, work.orderShopifyId);
    const { count } = await tx.webhookReceipt.updateMany({ where: mine, data: { status: "processed", ...done } });
    if (count !== 1) return "already_processed" as const;
    await work(tx);
    return "recorded" as const;
  });
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

/** Accept and process at once: for callers that are not the HTTP route (tests, other transports). */
export async function ingestWebhook(delivery: WebhookDelivery, deps: IngestDeps): Promise<IngestOutcome> {
  const { db } = deps;
  const topic = normaliseTopic(delivery.topic);
  if (!isShopifyTopic(topic)) return "ignored_topic";
  const shop = await db.shop.findUnique({ where: { domain: delivery.shop }, select: { domain: true } });
  if (!shop && !COMPLIANCE_TOPICS.has(topic)) return "unknown_shop";
  const accepted = await acceptWebhook(db, delivery);
  if (accepted !== "accepted") return accepted;
  const receipt = await db.webhookReceipt.update({
    where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
    data: { status: "processing", attempts: { increment: 1 } },
  });
  try {
    const outcome = await processReceipt(deps, receipt, new Date());
    return outcome === "recorded" ? "recorded" : outcome === "unknown_shop" ? "unknown_shop" : "duplicate";
  } catch (error) {
    await db.webhookReceipt.update({ where: { id: receipt.id }, data: { status: "pending", lastError: errorText(error) } });
    throw error;
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Deliveries about one order run one at a time. Shopify sends orders/create, orders/paid and orders/updated
 * within milliseconds, and on PostgreSQL several requests or instances ingest at once: without this, each
 * would check staleness, derive the shipment and plan from a view missing the other's writes (and an older
 * update could overwrite a newer one). SQLite already runs one write transaction at a time.
 */
async function serialiseOrder(tx: Tx, shop: string, orderShopifyId: string): Promise<void> {
  if (!isPostgres(tx)) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop}/${orderShopifyId}`}, 0))`;
}

/** What a delivery writes; `orderShopifyId` when it is about one order (see serialiseOrder). */
type Work = ((tx: Tx) => Promise<void>) & { orderShopifyId?: string };
const aboutOrder = (orderShopifyId: string, work: (tx: Tx) => Promise<void>): Work => Object.assign(work, { orderShopifyId });

async function prepare(topic: string, delivery: WebhookDelivery, deps: IngestDeps): Promise<Work> {
  const shop = delivery.shop;
  switch (topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/cancelled": {
      const order = parse(orderPayload, delivery.payload, topic);
      const facts = orderFacts(order);
      const fulfillments = (order.fulfillments ?? []).map(fulfillmentFacts);
      return aboutOrder(facts.shopifyId, async (tx) => {
        await recordOrder(tx, shop, facts);
        for (const fulfillment of fulfillments) await recordShipment(tx, shop, fulfillment);
        await replanOrder(tx, shop, facts.shopifyId);
      });
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const fulfillment = fulfillmentFacts(parse(fulfillmentPayload, delivery.payload, topic));
      const missingOrder = await findMissingOrder(deps, shop, fulfillment.orderShopifyId);
      return aboutOrder(fulfillment.orderShopifyId, async (tx) => {
        if (missingOrder) await recordOrder(tx, shop, missingOrder);
        await recordShipment(tx, shop, fulfillment);
        await replanOrder(tx, shop, fulfillment.orderShopifyId);
      });
    }
    case "fulfillment_events/create": {
      const event = trackingEventFacts(parse(fulfillmentEventPayload, delivery.payload, topic));
      return aboutOrder(event.orderShopifyId, async (tx) => {
        await recordTrackingEvent(tx, shop, event);
        await replanOrder(tx, shop, event.orderShopifyId);
      });
    }
    case "app/uninstalled":
      return async (tx) => {
        await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt: delivery.triggeredAt ?? new Date() } });
        await tx.notification.updateMany({
          where: { shop, status: "scheduled" },
          data: { status: "cancelled", lastError: "the shop uninstalled Parcelwise" },
        });
        await tx.session.deleteMany({ where: { shop } });
      };
    case "app/scopes_update": {
      const { current } = parse(scopesUpdatePayload, delivery.payload, topic);
      return async (tx) => {
        await tx.session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
      };
    }
    case "customers/data_request": {
      const request = parse(complianceCustomerPayload, delivery.payload, topic);
      return (tx) => recordDataRequest(tx, shop, request);
    }
    case "customers/redact": {
      const request = parse(complianceCustomerPayload, delivery.payload, topic);
      return (tx) => redactCustomer(tx, shop, request);
    }
    case "shop/redact":
      return (tx) => redactShop(tx, shop);
    case "bulk_operations/finish": {
      const finished = parse(bulkOperationFinishPayload, delivery.payload, topic);
      return (tx) =>
        noteBulkOperationFinished(tx, shop, { bulkOperationId: finished.admin_graphql_api_id, status: finished.status, errorCode: finished.error_code ?? null });
    }
    default:
      return async () => {};
  }
}

const bulkOperationFinishPayload = z
  .object({ admin_graphql_api_id: z.string(), status: z.string(), error_code: z.string().nullish() })
  .passthrough();

const scopesUpdatePayload = z.object({ current: z.array(z.string()) }).passthrough();

const complianceCustomerPayload = z
  .object({
    customer: z
      .object({ id: z.union([z.number(), z.string()]).transform(String).nullish(), email: z.string().nullish() })
      .passthrough(),
    orders_to_redact: z.array(z.union([z.number(), z.string()]).transform(String)).nullish(),
    orders_requested: z.array(z.union([z.number(), z.string()]).transform(String)).nullish(),
  })
  .passthrough();
export type ComplianceCustomerPayload = z.infer<typeof complianceCustomerPayload>;

async function findMissingOrder(deps: IngestDeps, shop: string, orderShopifyId: string): Promise<OrderFacts | null> {
  const known = await deps.db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { id: true },
  });
  if (known || !deps.fetchOrder) return null;
  try {
    return await deps.fetchOrder(orderShopifyId);
  } catch (error) {
    // The fulfillment is still worth recording: the order's own webhook completes the picture later.
    log.warn("could not fetch a missing order from the Admin API", { shop, orderShopifyId, error });
    return null;
  }
}

export async function recordOrder(tx: Tx, shop: string, facts: OrderFacts): Promise<void> {
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

export async function recordShipment(tx: Tx, shop: string, facts: FulfillmentFacts): Promise<void> {
  const current = await tx.shipment.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    select: { shopifyUpdatedAt: true },
  });
  if (current && current.shopifyUpdatedAt > facts.shopifyUpdatedAt) return;
  const shopCountry = facts.originCountry ? null : (await tx.shop.findUnique({ where: { domain: shop }, select: { country: true } }))?.country;
  const data = shipmentData(facts, shopCountry ?? null);
  await tx.shipment.upsert({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    create: { shop, shopifyId: facts.shopifyId, ...data },
    update: data,
  });
  await refreshShipment(tx, shop, facts.shopifyId);
}

/** A fulfillment's columns on its Shipment; the parcel left from the shop's country unless Shopify says otherwise. */
export function shipmentData(facts: FulfillmentFacts, shopCountry: string | null) {
  return {
    orderShopifyId: facts.orderShopifyId,
    name: facts.name,
    status: facts.status,
    shipmentStatus: facts.shipmentStatus,
    trackingCompany: facts.trackingCompany,
    trackingNumbers: JSON.stringify(facts.trackingNumbers),
    trackingUrls: JSON.stringify(facts.trackingUrls),
    shippedAt: facts.shippedAt,
    originCountry: facts.originCountry ?? shopCountry,
    destinationCountry: facts.destinationCountry,
    destinationRegion: facts.destinationRegion,
    shopifyUpdatedAt: facts.shopifyUpdatedAt,
  };
}

/** A carrier event is kept once; its shipment is re-derived (if its fulfillment has arrived yet). */
export async function recordTrackingEvent(tx: Tx, shop: string, event: TrackingEventFacts): Promise<void> {
  const known = await tx.trackingEvent.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: event.shopifyId } },
    select: { id: true },
  });
  if (!known) await tx.trackingEvent.create({ data: { shop, ...event } });
  await refreshShipment(tx, shop, event.fulfillmentShopifyId);
}

/** Re-derives a shipment's carrier, status and estimate from its fulfillment and every event so far. */
export async function refreshShipment(tx: Tx, shop: string, fulfillmentShopifyId: string): Promise<void> {
  const shipment = await tx.shipment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: fulfillmentShopifyId } } });
  if (!shipment) return; // Events that arrive first wait for their fulfillment.
  const [events, shopRow] = await Promise.all([
    tx.trackingEvent.findMany({
      where: { shop, fulfillmentShopifyId },
      select: { status: true, happenedAt: true, estimatedDeliveryAt: true },
    }),
    tx.shop.findUnique({ where: { domain: shop }, select: { carrierTransitOverrides: true } }),
  ]);
  const state = deriveShipment(
    {
      status: shipment.status,
      shipmentStatus: shipment.shipmentStatus,
      trackingCompany: shipment.trackingCompany,
      trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[],
      trackingUrls: JSON.parse(shipment.trackingUrls) as string[],
      shippedAt: shipment.shippedAt ?? shipment.createdAt,
      destinationCountry: shipment.destinationCountry,
      shopifyUpdatedAt: shipment.shopifyUpdatedAt,
    },
    events,
    { overrides: parseTransitOverrides(shopRow?.carrierTransitOverrides) },
  );
  await tx.shipment.update({
    where: { id: shipment.id },
    data: { ...state, trackingUrls: JSON.stringify(state.trackingUrls) },
  });
}

/** Shopify retries for at most a few hours (rarely a day late): receipts older than this are dead weight. */
export const RECEIPT_RETENTION_DAYS = 14;

export async function pruneReceipts(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - RECEIPT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db.webhookReceipt.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}
