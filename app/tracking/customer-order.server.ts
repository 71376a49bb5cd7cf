// Whose order is it? The order status extension's session token names the signed-in customer (`sub`,
// a Customer GID) and the shop (`dest`); Shopify's own record of the order's customer decides.
import { adminQuery, type GraphqlFunction } from "~/shops/admin-graphql.server";
import { isShopDomain } from "~/shops/shop-domain";
import type { ParcelwiseOrderCustomerQuery } from "~/types/admin.generated";

const ORDER_CUSTOMER_QUERY = `#graphql
  query ParcelwiseOrderCustomer($id: ID!) {
    order(id: $id) {
      id
      customer { id }
    }
  }`;

/** "shop.myshopify.com" or "https://shop.myshopify.com" → "shop.myshopify.com"; null when not a shop domain. */
export function shopFromDest(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const host = dest.replace(/^https:\/\//, "").replace(/\/.*$/, "").toLowerCase();
  return isShopDomain(host) ? host : null;
}

/** "gid://shopify/Customer/42" → "42"; null when the token carries no customer. */
export function customerIdFromSub(sub: unknown): string | null {
  if (typeof sub !== "string") return null;
  return /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(sub)?.[1] ?? null;
}

/** "123" or "gid://shopify/Order/123" → "123"; null for anything else. */
export function orderIdFromParam(value: string | undefined): string | null {
  if (!value) return null;
  return /^(?:gid:\/\/shopify\/Order\/)?(\d{1,20})$/.exec(decodeURIComponent(value))?.[1] ?? null;
}

export async function customerOwnsOrder(graphql: GraphqlFunction, orderShopifyId: string, customerId: string): Promise<boolean> {
  const data = await adminQuery<ParcelwiseOrderCustomerQuery>(graphql, ORDER_CUSTOMER_QUERY, {
    id: `gid://shopify/Order/${orderShopifyId}`,
  });
  return customerIdFromSub(data.order?.customer?.id) === customerId;
}
