// The Admin GraphQL query reconciliation pages through: the shop's orders updated in a window, each with
// the fields a webhook would carry (the buyer's name and address too: a reconciled order is live and
// mailed), its fulfillments and their carrier events. The cost stays near 10 × (1 + 10 × 26) points a page.
import type { FulfillmentEventNode, FulfillmentNode, OrderNode } from "~/history/shopify-shapes";

export const RECONCILE_PAGE_SIZE = 10;

export const RECONCILE_ORDERS_QUERY = `
  query ParcelwiseReconcileOrders($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id name email createdAt updatedAt processedAt cancelledAt displayFinancialStatus customerLocale currencyCode
        totalPriceSet { shopMoney { amount } }
        customer { firstName lastName email }
        shippingAddress { firstName lastName name address1 address2 city provinceCode zip countryCodeV2 }
        fulfillments(first: 10) {
          id name createdAt updatedAt status displayStatus deliveredAt inTransitAt estimatedDeliveryAt
          trackingInfo { company number url }
          originAddress { countryCode provinceCode }
          events(first: 25) { nodes { id status happenedAt createdAt message estimatedDeliveryAt city country } }
        }
      }
    }
  }`;

export type ReconciledFulfillment = FulfillmentNode & { events?: { nodes: Array<Omit<FulfillmentEventNode, "__parentId">> } | null };
export type ReconciledOrder = Omit<OrderNode, "fulfillments"> & { fulfillments?: ReconciledFulfillment[] | null };

export interface ReconcileOrdersPage {
  orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ReconciledOrder[] };
}

/** Shopify's search syntax for orders updated in (since, until]. */
export function updatedBetween(since: Date, until: Date): string {
  return `updated_at:>'${since.toISOString()}' AND updated_at:<='${until.toISOString()}'`;
}
