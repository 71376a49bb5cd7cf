// Loads the merchant's shipments: the filtered list a page at a time, the filter choices, and one
// shipment with its order, carrier events and messages. Every query is scoped to one shop.
import type { Db } from "~/db.server";
import { isAtRisk, type DelayReason } from "~/notifications/plan";
import {
  UNKNOWN_CARRIER,
  atRiskWhere,
  keysetQuery,
  pageOf,
  parseJsonList,
  shipmentsWhere,
  trackingLinks,
  type AtRiskSettings,
  type Page,
  type PageRequest,
  type ShipmentFilters,
} from "./shipments";

export interface ListSettings extends AtRiskSettings {
  timezone: string;
}

const DEFAULT_SETTINGS: ListSettings = { delayGraceDays: 3, silenceDays: 7, timezone: "UTC" };
const SEARCH_ORDER_LIMIT = 200;

/** The shop's at-risk allowances and the time zone its dates are shown in. */
export async function listSettings(db: Db, shop: string): Promise<ListSettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { delayGraceDays: true, silenceDays: true, timezone: true } });
  return row ?? DEFAULT_SETTINGS;
}

/** Shopify ids of the shop's orders whose number, buyer name or email contains the search. */
export async function ordersMatching(db: Db, shop: string, query: string): Promise<string[]> {
  const q = query.trim();
  if (!q) return [];
  const orders = await db.order.findMany({
    where: { shop, OR: [{ name: { contains: q } }, { email: { contains: q } }, { buyerName: { contains: q } }] },
    select: { shopifyId: true },
    orderBy: { createdAt: "desc" },
    take: SEARCH_ORDER_LIMIT,
  });
  return orders.map((order) => order.shopifyId);
}

const LIST_SELECT = {
  id: true,
  shopifyId: true,
  orderShopifyId: true,
  name: true,
  status: true,
  shipmentStatus: true,
  carrierCode: true,
  carrierName: true,
  trackingCompany: true,
  trackingNumbers: true,
  destinationCountry: true,
  atRiskAt: true,
  atRiskReason: true,
  shippedAt: true,
  estimatedDeliveryFrom: true,
  estimatedDeliveryTo: true,
  deliveredAt: true,
  lastEventAt: true,
  createdAt: true,
} as const;

export interface ShipmentListItem {
  id: string;
  name: string | null;
  orderName: string | null;
  buyerName: string | null;
  status: string;
  shipmentStatus: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  destinationCountry: string | null;
  shippedAt: Date | null;
  estimatedDeliveryFrom: Date | null;
  estimatedDeliveryTo: Date | null;
  deliveredAt: Date | null;
  atRisk: DelayReason | null;
  createdAt: Date;
}

export interface ShipmentList {
  page: Page<ShipmentListItem>;
  total: number;
  settings: ListSettings;
}

export async function listShipments(
  db: Db,
  shop: string,
  filters: ShipmentFilters,
  page: PageRequest,
  now: Date,
): Promise<ShipmentList> {
  const [settings, orderIds] = await Promise.all([listSettings(db, shop), ordersMatching(db, shop, filters.query)]);
  const where = shipmentsWhere(shop, filters, { settings, now, orderIds });
  const keyset = keysetQuery(page);
  const [rows, total] = await Promise.all([
    db.shipment.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select: LIST_SELECT }),
    db.shipment.count({ where }),
  ]);
  const { items, next, previous } = pageOf(rows, page);
  const orders = await db.order.findMany({
    where: { shop, shopifyId: { in: [...new Set(items.map((row) => row.orderShopifyId))] } },
    select: { shopifyId: true, name: true, buyerName: true },
  });
  const orderById = new Map(orders.map((order) => [order.shopifyId, order]));
  return {
    total,
    settings,
    page: {
      next,
      previous,
      items: items.map((row) => {
        const trackingNumbers = parseJsonList(row.trackingNumbers);
        const order = orderById.get(row.orderShopifyId);
        return {
          id: row.id,
          name: row.name,
          orderName: order?.name ?? null,
          buyerName: order?.buyerName ?? null,
          status: row.status,
          shipmentStatus: row.shipmentStatus,
          carrier: row.carrierName ?? row.trackingCompany ?? row.carrierCode,
          trackingNumber: trackingNumbers[0] ?? null,
          destinationCountry: row.destinationCountry,
          shippedAt: row.shippedAt,
          estimatedDeliveryFrom: row.estimatedDeliveryFrom,
          estimatedDeliveryTo: row.estimatedDeliveryTo,
          deliveredAt: row.deliveredAt,
          atRisk: isAtRisk({ ...row, trackingNumbers }, now),
          createdAt: row.createdAt,
        };
      }),
    },
  };
}

export interface FilterChoice {
  value: string;
  label: string;
}

export interface ShipmentFilterChoices {
  carriers: FilterChoice[];
  countries: FilterChoice[];
}

// Grouping every shipment of a big shop takes a few hundred milliseconds and the answer rarely changes:
// each process keeps a shop's choices for a minute.
const CHOICES_TTL_MS = 60_000;
const choicesCache = new Map<string, { until: number; choices: Promise<ShipmentFilterChoices> }>();

export function shipmentFilterChoices(db: Db, shop: string, now = Date.now()): Promise<ShipmentFilterChoices> {
  const cached = choicesCache.get(shop);
  if (cached && cached.until > now) return cached.choices;
  for (const [key, entry] of choicesCache) if (entry.until <= now) choicesCache.delete(key);
  const choices = loadShipmentFilterChoices(db, shop);
  choicesCache.set(shop, { until: now + CHOICES_TTL_MS, choices });
  choices.catch(() => choicesCache.delete(shop));
  return choices;
}

/** The carriers and destination countries the shop has shipped with (GROUP BY in the database). */
export async function loadShipmentFilterChoices(db: Db, shop: string): Promise<ShipmentFilterChoices> {
  const [carrierGroups, countryGroups] = await Promise.all([
    db.shipment.groupBy({ by: ["carrierCode", "carrierName"], where: { shop }, orderBy: [{ carrierName: "asc" }, { carrierCode: "asc" }] }),
    db.shipment.groupBy({ by: ["destinationCountry"], where: { shop, destinationCountry: { not: null } }, orderBy: { destinationCountry: "asc" } }),
  ]);
  const carriers = new Map<string, string>();
  for (const group of carrierGroups) {
    const value = group.carrierCode ?? group.carrierName ?? UNKNOWN_CARRIER;
    if (!carriers.has(value)) carriers.set(value, group.carrierName ?? group.carrierCode ?? "Unknown carrier");
  }
  return {
    carriers: [...carriers].map(([value, label]) => ({ value, label })),
    countries: countryGroups.map((group) => ({ value: group.destinationCountry!, label: group.destinationCountry! })),
  };
}

/** How many of the shop's shipments are at risk now (for the list's tab). */
export async function countAtRisk(db: Db, shop: string, now: Date): Promise<number> {
  return db.shipment.count({ where: { shop, ...atRiskWhere(now) } });
}

/** One shipment of the shop, or null when the id is not the shop's. */
export async function shipmentDetail(db: Db, shop: string, id: string, now: Date) {
  const shipment = await db.shipment.findFirst({ where: { id, shop } });
  if (!shipment) return null;
  const [settings, order, events, notifications] = await Promise.all([
    listSettings(db, shop),
    db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: shipment.orderShopifyId } } }),
    db.trackingEvent.findMany({
      where: { shop, fulfillmentShopifyId: shipment.shopifyId },
      orderBy: [{ happenedAt: "desc" }, { createdAt: "desc" }],
      select: { id: true, status: true, message: true, city: true, country: true, happenedAt: true, estimatedDeliveryAt: true },
    }),
    // The shipment's own messages and the order's messages that belong to no one shipment.
    db.notification.findMany({
      where: {
        shop,
        OR: [{ shipmentShopifyId: shipment.shopifyId }, { orderShopifyId: shipment.orderShopifyId, shipmentShopifyId: null }],
      },
      orderBy: [{ scheduledFor: "asc" }, { createdAt: "asc" }],
      select: {
        id: true,
        kind: true,
        planKey: true,
        status: true,
        recipient: true,
        locale: true,
        scheduledFor: true,
        sentAt: true,
        subject: true,
        lastError: true,
        merchantAction: true,
        providerMessageId: true,
        providerEvent: true,
        attempts: true,
        createdAt: true,
      },
    }),
  ]);
  const trackingNumbers = parseJsonList(shipment.trackingNumbers);
  return {
    shipment: {
      id: shipment.id,
      shopifyId: shipment.shopifyId,
      name: shipment.name,
      status: shipment.status,
      shipmentStatus: shipment.shipmentStatus,
      carrier: shipment.carrierName ?? shipment.trackingCompany ?? shipment.carrierCode,
      tracking: trackingLinks(trackingNumbers, parseJsonList(shipment.trackingUrls)),
      destinationCountry: shipment.destinationCountry,
      shippedAt: shipment.shippedAt,
      estimatedDeliveryFrom: shipment.estimatedDeliveryFrom,
      estimatedDeliveryTo: shipment.estimatedDeliveryTo,
      deliveredAt: shipment.deliveredAt,
      lastEventAt: shipment.lastEventAt,
      atRisk: isAtRisk({ ...shipment, trackingNumbers }, now),
    },
    order: order && {
      shopifyId: order.shopifyId,
      name: order.name,
      buyerName: order.buyerName,
      email: order.email,
      financialStatus: order.financialStatus,
      cancelledAt: order.cancelledAt,
      totalPrice: order.totalPrice,
      currency: order.currency,
      processedAt: order.processedAt,
    },
    events,
    notifications,
    settings,
  };
}
