// Loads what a batch of claimed notifications is about, with one query per table instead of several
// per notification.
import type { Notification, Order, Shipment, Shop, Template, TrackingEvent } from "@prisma/client";
import type { Db } from "~/db.server";
import { inTransaction, selectRows } from "~/db/rows.server";
import { inScopedSlices, inSlices, type Scoped } from "~/db/in-lists";
import { groupBy } from "~/group-by";
import { normalizeEmail } from "~/mail/address";
import type { LaneModel } from "~/lanes/lane-model";
import { loadCommitmentModels } from "~/lanes/store.server";
import { feedbackFactsForClaimed } from "~/feedback/facts.server";
import type { FeedbackFacts } from "~/feedback/rules";
import { loadFeedbackProducts, type ProductReadThrough } from "~/feedback/read-through.server";
import type { CachedProduct } from "~/feedback/products";

/** Everything a batch needs, by shop and Shopify id. */
export interface BatchContext {
  shops: Map<string, Shop>;
  orders: Map<string, Order>;
  shipments: Map<string, Shipment>;
  lastEvents: Map<string, TrackingEvent>;
  templates: Map<string, Template[]>;
  suppressed: Set<string>;
  confirmedNumbers: Map<string, string | null>;
  /** Per shop, what its handling commitment learned (handling hours, online-for-tracking days). */
  commitmentModels: Map<string, LaneModel>;
  /** Per order of a claimed feedback request, what the feedback rules check just before sending. */
  feedback?: Map<string, FeedbackFacts>;
  /** Per shop, the cached products its feedback requests in the batch show (by product id). */
  products: Map<string, Map<string, CachedProduct>>;
}

/**
 * The batch's shops, orders and shipments, the widest rows it reads, straight through the driver in one
 * transaction (app/db/rows.server.ts: the rows Prisma would return, at a fraction of its cost per row).
 */
async function loadRows(db: Db, shopDomains: string[], orderIds: Scoped<string>[], shipmentIds: Scoped<string>[]): Promise<{ shops: Shop[]; orders: Order[]; shipments: Shipment[] }> {
  return inTransaction(db, async (session) => {
    const shops = (await selectRows(session, "Shop", null, "domain", shopDomains)) as unknown as Shop[];
    const orders: Order[] = [];
    const shipments: Shipment[] = [];
    for (const { shop, ids } of orderIds) if (ids.length) orders.push(...((await selectRows(session, "Order", ["shop", shop], "shopifyId", ids)) as unknown as Order[]));
    for (const { shop, ids } of shipmentIds) if (ids.length) shipments.push(...((await selectRows(session, "Shipment", ["shop", shop], "shopifyId", ids)) as unknown as Shipment[]));
    return { shops, orders, shipments };
  }, { readOnly: true });
}

/** The maps' key: a Shopify id is unique only within its shop. */
export const key = (shop: string, id: string) => `${shop}\u0000${id}`;

export async function loadContext(db: Db, claimed: Notification[], options: { products?: ProductReadThrough; now?: Date } = {}): Promise<BatchContext> {
  const claimedByShop = groupBy(claimed, (n) => n.shop);
  const shopDomains = [...claimedByShop.keys()];
  const byShop = (pick: (n: Notification) => string | null) =>
    shopDomains.map((shop) => ({ shop, ids: [...new Set(claimedByShop.get(shop)!.map(pick).filter((x): x is string => !!x))] }));
  const orderIds = byShop((n) => n.orderShopifyId);
  const shipmentIds = byShop((n) => n.shipmentShopifyId);
  const updated = byShop((n) => (n.kind === "tracking_updated" ? n.shipmentShopifyId : null));
  const recipients = byShop((n) => normalizeEmail(n.recipient));

  // A batch can span as many shops as it has mails, and each list's ids go into one statement: every
  // lookup is packed into statements of a few hundred parameters (app/db/in-lists.ts).
  const [{ shops, orders, shipments }, events, templates, suppressions, confirmations, commitmentModels] = await Promise.all([
    loadRows(db, shopDomains, orderIds, shipmentIds),
    inScopedSlices(shipmentIds, (group) =>
      db.trackingEvent.findMany({ where: { OR: group.map((s) => ({ shop: s.shop, fulfillmentShopifyId: { in: s.ids } })) }, orderBy: { happenedAt: "desc" } }),
    ),
    inSlices(shopDomains, (slice) => db.template.findMany({ where: { shop: { in: slice }, kind: { in: [...new Set(claimed.map((n) => n.kind))] } } })),
    inScopedSlices(recipients, (group) => db.suppression.findMany({ where: { OR: group.map((s) => ({ shop: s.shop, email: { in: s.ids } })) }, select: { shop: true, email: true } })),
    inScopedSlices(updated, (group) =>
      db.notification.findMany({
        where: { kind: "shipping_confirmation", OR: group.map((s) => ({ shop: s.shop, shipmentShopifyId: { in: s.ids } })) },
        select: { shop: true, shipmentShopifyId: true, trackingNumber: true },
      }),
    ),
    loadCommitmentModels(db, shopDomains),
  ]);
  const lastEvents = new Map<string, TrackingEvent>();
  for (const event of events) {
    const k = key(event.shop, event.fulfillmentShopifyId);
    if (!lastEvents.has(k)) lastEvents.set(k, event); // newest first
  }
  const ordersByKey = new Map(orders.map((o) => [key(o.shop, o.shopifyId), o]));
  const shopsByDomain = new Map(shops.map((s) => [s.domain, s]));
  const feedbackOrders = claimed
    .filter((n) => n.kind === "feedback_request")
    .flatMap((n) => {
      const order = ordersByKey.get(key(n.shop, n.orderShopifyId));
      return order ? [{ shop: n.shop, lineItems: order.lineItems, locale: n.locale || order.locale }] : [];
    });
  const products = await loadFeedbackProducts(db, feedbackOrders, new Map(shops.map((s) => [s.domain, s.primaryLocale])), options.products, options.now ?? new Date());
  const templatesByShop = new Map<string, Template[]>();
  for (const t of templates) templatesByShop.set(t.shop, [...(templatesByShop.get(t.shop) ?? []), t]);
  return {
    shops: shopsByDomain,
    orders: ordersByKey,
    shipments: new Map(shipments.map((s) => [key(s.shop, s.shopifyId), s])),
    lastEvents,
    templates: templatesByShop,
    suppressed: new Set(suppressions.map((s) => key(s.shop, s.email))),
    confirmedNumbers: new Map(confirmations.map((c) => [key(c.shop, c.shipmentShopifyId ?? ""), c.trackingNumber])),
    commitmentModels,
    feedback: await feedbackFactsForClaimed(db, claimed, orders, key),
    products,
  };
}
