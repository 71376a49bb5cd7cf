// The order's purchased products as review destinations, read at click time: the order's line items
// (Order.lineItems) against the shop's product cache (app/feedback/product-cache.server.ts), in the order's
// own order, each product once, only those published on the Online Store. A product never read from the
// Admin API has no page yet: it is left out, and a destination that needs a product page falls back to the
// shop's storefront. The click route and the mail depend only on this small interface.
import type { Db } from "~/db.server";
import { webUrl } from "~/tracking/web-url";
import type { ProductLink } from "./destinations";
import { loadCachedProducts } from "./product-cache.server";
import { parseLineItems, productIdsOf } from "./products";

export type OrderProductLinks = (db: Db, shop: string, orderShopifyId: string) => Promise<ProductLink[]>;

export const orderProductLinks: OrderProductLinks = async (db, shop, orderShopifyId) => {
  const order = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { lineItems: true } });
  const lines = parseLineItems(order?.lineItems ?? null);
  const ids = productIdsOf(lines);
  if (ids.length === 0) return [];
  const cached = await loadCachedProducts(db, shop, ids);
  const links: ProductLink[] = [];
  for (const id of ids) {
    const entry = cached.get(id);
    const url = webUrl(entry?.onlineStoreUrl ?? null);
    if (entry && url) links.push({ url, handle: entry.handle, title: entry.title ?? undefined });
  }
  return links;
};
