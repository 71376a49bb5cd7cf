// Ingest of Shopify webhooks, independent of how they arrive (HTTP today; EventBridge or Pub/Sub later):
// dedupe, record what the payload carries in one transaction, re-plan, and return. Never renders or sends.
import { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import {
  fulfillmentEventPayload,
  fulfillmentFacts,
  fulfillmentPayload,
  orderFacts,
  orderPayload,
  trackingEventFacts,
  type FulfillmentFacts,
  type OrderFacts,
} from "~/orders/payload";
import { deriveShipment } from "~/shipments/derive";
import { replanOrder } from "~/notifications/replan.server";
import { redactCustomer, recordDataRequest, redactShop } from "~/compliance/compliance.server";
import { z } from "zod";
import { log } from "~/log.server";

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
] as const;

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

export async function ingestWebhook(delivery: WebhookDelivery, deps: IngestDeps): Promise<IngestOutcome> {
  const { db } = deps;
  const topic = normaliseTopic(delivery.topic);
  if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return "ignored_topic";
  const shop = await db.shop.findUnique({ where: { domain: delivery.shop }, select: { domain: true } });
  if (!shop && !COMPLIANCE_TOPICS.has(topic)) return "unknown_shop";

  // Parse before the transaction: a malformed payload writes nothing.
  const work = await prepare(topic, delivery, deps);

  try {
    return await db.$transaction(async (tx) => {
      if (work.orderShopifyId) await serialiseOrder(tx, delivery.shop, work.orderShopifyId);
      if (await seenBefore(tx, delivery, topic)) return "duplicate";
      await tx.webhookReceipt.create({
        data: {
          shop: delivery.shop,
          topic,
          webhookId: delivery.webhookId,
          eventId: delivery.eventId ?? null,
          triggeredAt: delivery.triggeredAt ?? null,
          outcome: "recorded",
        },
      });
      await work(tx);
      return "recorded" as const;
    });
  } catch (error) {
    // Two copies of one delivery racing: the loser hits the unique receipt and is a duplicate. Duck-typed:
    // the PostgreSQL client is generated separately, so its error classes are not @prisma/client's. Any
    // other unique violation is not a duplicate: throw, so that Shopify retries the delivery.
    if ((error as { code?: unknown } | null)?.code === "P2002" && (await seenBefore(db, delivery, topic))) return "duplicate";
    throw error;
  }
}

/**
 * Deliveries about one order run one at a time. Shopify sends orders/create, orders/paid and orders/updated
 * within milliseconds, and on PostgreSQL several requests or instances ingest at once: without this, each
 * would check staleness, derive the shipment and plan from a view missing the other's writes (and an older
 * update could overwrite a newer one). SQLite already runs one write transaction at a time.
 */
async function serialiseOrder(tx: Tx, shop: string, orderShopifyId: string): Promise<void> {
  if ((tx as unknown as { _activeProvider?: string })._activeProvider !== "postgresql") return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop}/${orderShopifyId}`}, 0))`;
}

async function seenBefore(tx: Tx, delivery: WebhookDelivery, topic: string): Promise<boolean> {
  const byWebhookId = await tx.webhookReceipt.findUnique({
    where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
    select: { id: true },
  });
  if (byWebhookId) return true;
  if (!delivery.eventId) return false;
  const byEvent = await tx.webhookReceipt.findFirst({
    where: { shop: delivery.shop, topic, eventId: delivery.eventId },
    select: { id: true },
  });
  return Boolean(byEvent);
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
        await upsertOrder(tx, shop, facts);
        for (const fulfillment of fulfillments) await upsertShipment(tx, shop, fulfillment);
        await replanOrder(tx, shop, facts.shopifyId);
      });
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const fulfillment = fulfillmentFacts(parse(fulfillmentPayload, delivery.payload, topic));
      const missingOrder = await findMissingOrder(deps, shop, fulfillment.orderShopifyId);
      return aboutOrder(fulfillment.orderShopifyId, async (tx) => {
        if (missingOrder) await upsertOrder(tx, shop, missingOrder);
        await upsertShipment(tx, shop, fulfillment);
        await replanOrder(tx, shop, fulfillment.orderShopifyId);
      });
    }
    case "fulfillment_events/create": {
      const event = trackingEventFacts(parse(fulfillmentEventPayload, delivery.payload, topic));
      return aboutOrder(event.orderShopifyId, async (tx) => {
        const known = await tx.trackingEvent.findUnique({
          where: { shop_shopifyId: { shop, shopifyId: event.shopifyId } },
          select: { id: true },
        });
        if (!known) await tx.trackingEvent.create({ data: { shop, ...event } });
        await refreshShipment(tx, shop, event.fulfillmentShopifyId);
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
      const { current } = parse(z.object({ current: z.array(z.string()) }).passthrough(), delivery.payload, topic);
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
    default:
      return async () => {};
  }
}

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

async function upsertOrder(tx: Tx, shop: string, facts: OrderFacts): Promise<void> {
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

async function upsertShipment(tx: Tx, shop: string, facts: FulfillmentFacts): Promise<void> {
  const current = await tx.shipment.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    select: { shopifyUpdatedAt: true },
  });
  if (current && current.shopifyUpdatedAt > facts.shopifyUpdatedAt) return;
  const data = {
    orderShopifyId: facts.orderShopifyId,
    name: facts.name,
    status: facts.status,
    shipmentStatus: facts.shipmentStatus,
    trackingCompany: facts.trackingCompany,
    trackingNumbers: JSON.stringify(facts.trackingNumbers),
    trackingUrls: JSON.stringify(facts.trackingUrls),
    shippedAt: facts.shippedAt,
    destinationCountry: facts.destinationCountry,
    shopifyUpdatedAt: facts.shopifyUpdatedAt,
  };
  await tx.shipment.upsert({
    where: { shop_shopifyId: { shop, shopifyId: facts.shopifyId } },
    create: { shop, shopifyId: facts.shopifyId, ...data },
    update: data,
  });
  await refreshShipment(tx, shop, facts.shopifyId);
}

/** Re-derives a shipment's carrier, status and estimate from its fulfillment and every event so far. */
async function refreshShipment(tx: Tx, shop: string, fulfillmentShopifyId: string): Promise<void> {
  const shipment = await tx.shipment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: fulfillmentShopifyId } } });
  if (!shipment) return; // Events that arrive first wait for their fulfillment.
  const events = await tx.trackingEvent.findMany({
    where: { shop, fulfillmentShopifyId },
    select: { status: true, happenedAt: true, estimatedDeliveryAt: true },
  });
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
