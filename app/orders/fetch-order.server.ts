// A fulfillment can arrive before its order: fetch the order from the Admin API so the records end the
// same as if Shopify had delivered in order.
import { adminQuery, type GraphqlFunction } from "~/shops/admin-graphql.server";
import type { ParcelwiseOrderQuery } from "~/types/admin.generated";
import { isPaid } from "./financial-status";
import { emailKeyOf, type OrderFacts } from "./payload";

const ORDER_QUERY = `#graphql
  query ParcelwiseOrder($id: ID!) {
    order(id: $id) {
      id name email customerLocale currencyCode displayFinancialStatus cancelledAt processedAt createdAt updatedAt
      customer { firstName lastName email }
      shippingAddress { firstName lastName name address1 address2 city provinceCode zip countryCodeV2 }
      totalPriceSet { shopMoney { amount } }
    }
  }`;

type OrderNode = NonNullable<ParcelwiseOrderQuery["order"]>;

export function orderFactsFromGraphql(node: OrderNode): OrderFacts {
  const status = node.displayFinancialStatus?.toLowerCase() ?? null;
  const address = node.shippingAddress;
  const buyerName =
    [node.customer?.firstName ?? address?.firstName, node.customer?.lastName ?? address?.lastName].filter(Boolean).join(" ") ||
    address?.name ||
    null;
  return {
    shopifyId: node.id.split("/").pop()!,
    name: node.name,
    email: node.email ?? node.customer?.email ?? null,
    buyerName,
    shippingAddress: address
      ? JSON.stringify({
          first_name: address.firstName,
          last_name: address.lastName,
          name: address.name,
          address1: address.address1,
          address2: address.address2,
          city: address.city,
          province_code: address.provinceCode,
          zip: address.zip,
          country_code: address.countryCodeV2,
        })
      : null,
    locale: node.customerLocale ?? null,
    destinationCountry: address?.countryCodeV2 ?? null,
    destinationRegion: address?.provinceCode ?? null,
    currency: node.currencyCode,
    totalPrice: node.totalPriceSet.shopMoney.amount,
    financialStatus: status,
    cancelledAt: node.cancelledAt ? new Date(node.cancelledAt) : null,
    paidAt: isPaid(status) ? new Date(node.processedAt ?? node.createdAt) : null,
    processedAt: node.processedAt ? new Date(node.processedAt) : null,
    shopifyUpdatedAt: new Date(node.updatedAt),
    emailKey: emailKeyOf(node.email ?? node.customer?.email ?? null),
  };
}

export async function fetchOrder(graphql: GraphqlFunction, orderShopifyId: string): Promise<OrderFacts | null> {
  const data = await adminQuery<ParcelwiseOrderQuery>(graphql, ORDER_QUERY, {
    id: `gid://shopify/Order/${orderShopifyId}`,
  });
  return data.order ? orderFactsFromGraphql(data.order) : null;
}
