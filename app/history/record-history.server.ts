// Records a bulk export's lines as webhooks are recorded (the same payload reading, the same shipment
// derivation, the same record functions for what webhooks brought first), marking new orders as history
// so nothing is ever planned for them. Shopify does not promise a child line follows its parent, so an event waits until its
// fulfillment's order has been read. What is already recorded at the same or a newer version is left
// alone: importing twice writes nothing.
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
  type TrackingEventFacts,
} from "~/orders/payload";
import { recordOrder } from "~/orders/record.server";
import { recordShipment, refreshShipment, shipmentData } from "~/shipments/record.server";
import { atRiskColumns, DEFAULT_AT_RISK } from "~/shipments/at-risk";
import { deriveShipment, type EventRecord } from "~/shipments/derive";
import { parseTransitOverrides } from "~/carriers/registry";
import { replanOrder } from "~/notifications/replan.server";
import {
  fulfillmentDateEvents,
  fulfillmentEventPayloadOf,
  fulfillmentPayloadOf,
  isFulfillmentEventLine,
  isOrderLine,
  numericId,
  orderPayloadOf,
  type FulfillmentEventNode,
  type OrderNode,
} from "./shopify-shapes";

export interface HistoryCounts {
  ordersImported: number;
  shipmentsImported: number;
  eventsImported: number;
  objectsRecorded: number;
}

export interface RecordHistoryOptions {
  /** The mark an order recorded for the first time by this import gets. */
  importedAt: Date;
  onProgress?: (counts: HistoryCounts) => Promise<void>;
  /** Lines per transaction: fewer transactions are faster; a batch's ids must stay under SQLite's 999 bound variables. */
  batchSize?: number;
}

interface OrderWork {
  order: OrderFacts;
  shipments: FulfillmentFacts[];
}

export async function recordHistory(db: Db, shop: string, lines: AsyncIterable<Record<string, unknown>>, options: RecordHistoryOptions): Promise<HistoryCounts> {
  const batchSize = options.batchSize ?? 400;
  const counts: HistoryCounts = { ordersImported: 0, shipmentsImported: 0, eventsImported: 0, objectsRecorded: 0 };
  const orderOfFulfillment = new Map<string, string>();
  let waiting: FulfillmentEventNode[] = [];
  let orders: OrderWork[] = [];
  let events: TrackingEventFacts[] = [];
  let read = 0;

  const flush = async () => {
    const ready = waiting.filter((event) => orderOfFulfillment.has(numericId(event.__parentId)));
    waiting = waiting.filter((event) => !orderOfFulfillment.has(numericId(event.__parentId)));
    const batchEvents = [...events, ...ready.map((event) => eventFacts(event, orderOfFulfillment.get(numericId(event.__parentId))!))];
    await db.$transaction((tx) => recordBatch(tx, shop, orders, batchEvents, options.importedAt), { timeout: 60_000 });
    counts.ordersImported += orders.length;
    counts.shipmentsImported += orders.reduce((sum, work) => sum + work.shipments.length, 0);
    counts.eventsImported += batchEvents.length;
    counts.objectsRecorded = read;
    orders = [];
    events = [];
    await options.onProgress?.({ ...counts });
  };

  for await (const line of lines) {
    read++;
    if (isOrderLine(line)) {
      orders.push(orderWork(line));
      for (const fulfillment of line.fulfillments ?? []) orderOfFulfillment.set(numericId(fulfillment.id), numericId(line.id));
      events.push(...(line.fulfillments ?? []).flatMap((fulfillment) => fulfillmentDateEvents(fulfillment, line).map(parseEvent)));
    } else if (isFulfillmentEventLine(line)) {
      waiting.push(line);
    }
    if (read % batchSize === 0) await flush();
  }
  await flush();
  return counts;
}

function orderWork(node: OrderNode): OrderWork {
  return {
    order: orderFacts(orderPayload.parse(orderPayloadOf(node))),
    shipments: (node.fulfillments ?? []).map((fulfillment) => fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadOf(fulfillment, node)))),
  };
}

const parseEvent = (payload: unknown) => trackingEventFacts(fulfillmentEventPayload.parse(payload));
const eventFacts = (event: FulfillmentEventNode, orderId: string) => parseEvent(fulfillmentEventPayloadOf(event, orderId));

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * One batch in one transaction. What is new (most of a first import) is created in a few multi-row
 * inserts, each shipment derived by the same deriveShipment a webhook's refresh uses; what webhooks
 * already brought goes through their own record functions one by one, and only when newer.
 */
async function recordBatch(tx: Tx, shop: string, orders: OrderWork[], events: TrackingEventFacts[], importedAt: Date): Promise<void> {
  const shipments = orders.flatMap((work) => work.shipments);
  const [knownOrders, knownShipments, knownEvents, shopRow] = await Promise.all([
    tx.order.findMany({ where: { shop, shopifyId: { in: orders.map((w) => w.order.shopifyId) } }, select: { shopifyId: true, shopifyUpdatedAt: true } }),
    tx.shipment.findMany({ where: { shop, shopifyId: { in: shipments.map((s) => s.shopifyId) } }, select: { shopifyId: true, shopifyUpdatedAt: true } }),
    tx.trackingEvent.findMany({ where: { shop, shopifyId: { in: events.map((e) => e.shopifyId) } }, select: { shopifyId: true } }),
    tx.shop.findUnique({ where: { domain: shop }, select: { country: true, carrierTransitOverrides: true, atRiskRule: true, delayGraceDays: true, silenceDays: true } }),
  ]);
  const orderVersion = new Map(knownOrders.map((o) => [o.shopifyId, o.shopifyUpdatedAt.getTime()]));
  const shipmentVersion = new Map(knownShipments.map((s) => [s.shopifyId, s.shopifyUpdatedAt.getTime()]));
  const eventKnown = new Set(knownEvents.map((e) => e.shopifyId));
  const isNewer = (version: number | undefined, at: Date) => version !== undefined && version < at.getTime();

  const newEvents = events.filter((event) => !eventKnown.has(event.shopifyId));
  if (newEvents.length) await tx.trackingEvent.createMany({ data: newEvents.map((event) => ({ shop, ...event })) });

  const newShipments = shipments.filter((s) => !shipmentVersion.has(s.shopifyId));
  const eventsOf = await eventsByFulfillment(tx, shop, newShipments.map((s) => s.shopifyId));
  const overrides = parseTransitOverrides(shopRow?.carrierTransitOverrides);
  const newOrders = orders.filter((w) => !orderVersion.has(w.order.shopifyId));
  if (newOrders.length) await tx.order.createMany({ data: newOrders.map((w) => ({ shop, ...w.order, importedAt })) });
  if (newShipments.length) {
    await tx.shipment.createMany({
      data: newShipments.map((facts) => {
        const events = eventsOf.get(facts.shopifyId) ?? [];
        const state = deriveShipment(facts, events, { overrides });
        const firstEventAt = events.reduce<Date | undefined>((first, e) => (first && first <= e.happenedAt ? first : e.happenedAt), undefined);
        const atRisk = atRiskColumns({ ...facts, ...state, createdAt: importedAt, firstEventAt }, null, shopRow ?? DEFAULT_AT_RISK);
        return { shop, shopifyId: facts.shopifyId, ...shipmentData(facts, shopRow?.country ?? null), ...state, ...atRisk, trackingUrls: JSON.stringify(state.trackingUrls) };
      }),
    });
  }

  const changed = new Set<string>();
  for (const { order } of orders) {
    if (!isNewer(orderVersion.get(order.shopifyId), order.shopifyUpdatedAt)) continue;
    await recordOrder(tx, shop, order);
    changed.add(order.shopifyId);
  }
  const rederived = new Set(newShipments.map((s) => s.shopifyId));
  for (const shipment of shipments) {
    if (!isNewer(shipmentVersion.get(shipment.shopifyId), shipment.shopifyUpdatedAt)) continue;
    await recordShipment(tx, shop, shipment, importedAt);
    rederived.add(shipment.shopifyId);
    changed.add(shipment.orderShopifyId);
  }
  // New events of a shipment recorded before this batch: derive it again, once.
  const newEventIds = new Set(newEvents.map((event) => event.shopifyId));
  for (const event of newEvents) {
    if (rederived.has(event.fulfillmentShopifyId)) continue;
    await refreshShipment(tx, shop, event.fulfillmentShopifyId, importedAt, newEventIds);
    rederived.add(event.fulfillmentShopifyId);
    changed.add(event.orderShopifyId);
  }
  // An order webhooks brought first stays the planner's: newer facts may withdraw a message (a cancel).
  // For an imported order the planner plans nothing, so it is not asked.
  const imported = new Set(newOrders.map((w) => w.order.shopifyId));
  const planned = await tx.order.findMany({ where: { shop, shopifyId: { in: [...changed].filter((id) => !imported.has(id)) }, importedAt: null }, select: { shopifyId: true } });
  for (const { shopifyId } of planned) await replanOrder(tx, shop, shopifyId);
}

async function eventsByFulfillment(tx: Tx, shop: string, fulfillmentShopifyIds: string[]): Promise<Map<string, EventRecord[]>> {
  const byFulfillment = new Map<string, EventRecord[]>();
  if (fulfillmentShopifyIds.length === 0) return byFulfillment;
  const rows = await tx.trackingEvent.findMany({
    where: { shop, fulfillmentShopifyId: { in: fulfillmentShopifyIds } },
    select: { fulfillmentShopifyId: true, status: true, happenedAt: true, estimatedDeliveryAt: true },
  });
  for (const { fulfillmentShopifyId, ...event } of rows) {
    byFulfillment.set(fulfillmentShopifyId, [...(byFulfillment.get(fulfillmentShopifyId) ?? []), event]);
  }
  return byFulfillment;
}
