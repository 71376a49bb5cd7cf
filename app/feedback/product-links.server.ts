// The order's purchased products as review destinations. The feedback-products work provides them
// (`productLinksFor` in app/feedback/products.ts: the order's product pages, cached per product); until it
// is wired in, an order has no product links and every destination falls back to the shop's storefront.
// The click route and the mail depend only on this small interface.
import type { Db } from "~/db.server";
import type { ProductLink } from "./destinations";

export type OrderProductLinks = (db: Db, shop: string, orderShopifyId: string) => Promise<ProductLink[]>;

export const orderProductLinks: OrderProductLinks = async () => [];
