// Shopify's bulk export (Admin GraphQL field names) → the webhook payload shapes app/orders/payload.ts
// reads, so an imported order is recorded by exactly the code that records a webhook.
import type { FulfillmentEventPayloadInput, FulfillmentPayloadInput, OrderPayloadInput } from "~/orders/payload";

export interface OrderNode {
  id: string;
  name: string;
  email?: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt?: string | null;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  customerLocale?: string | null;
  currencyCode?: string | null;
  totalPriceSet?: { shopMoney?: { amount?: string | null } | null } | null;
  shippingAddress?: AddressNode | null;
  /** Asked for by reconciliation (a live order is mailed); history asks for the lane only. */
  customer?: { firstName?: string | null; lastName?: string | null; email?: string | null } | null;
  fulfillments?: FulfillmentNode[] | null;
}

export interface AddressNode {
  countryCodeV2?: string | null;
  provinceCode?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
}

export interface FulfillmentNode {
  id: string;
  name?: string | null;
  createdAt: string;
  updatedAt: string;
  status?: string | null;
  displayStatus?: string | null;
  deliveredAt?: string | null;
  inTransitAt?: string | null;
  estimatedDeliveryAt?: string | null;
  trackingInfo?: Array<{ company?: string | null; number?: string | null; url?: string | null }> | null;
  originAddress?: { countryCode?: string | null; provinceCode?: string | null } | null;
}

export interface FulfillmentEventNode {
  id: string;
  status: string;
  happenedAt?: string | null;
  createdAt?: string | null;
  message?: string | null;
  estimatedDeliveryAt?: string | null;
  city?: string | null;
  country?: string | null;
  __parentId: string;
}

/** gid://shopify/Order/123 → "123", the id webhooks carry. */
export const numericId = (gid: string) => gid.split("/").pop()!;

// FulfillmentDisplayStatus values that are carrier states, as REST's shipment_status spells them;
// the rest (FULFILLED, MARKED_AS_FULFILLED, CANCELED…) say nothing about where the parcel is.
const CARRIER_DISPLAY_STATUSES = new Set([
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "OUT_FOR_DELIVERY",
  "PICKED_UP",
  "READY_FOR_PICKUP",
]);

export function orderPayloadOf(order: OrderNode): OrderPayloadInput {
  const address = order.shippingAddress;
  return {
    id: numericId(order.id),
    name: order.name,
    email: order.email ?? null,
    customer_locale: order.customerLocale ?? null,
    customer: order.customer ? { first_name: order.customer.firstName, last_name: order.customer.lastName, email: order.customer.email } : null,
    shipping_address: address
      ? {
          first_name: address.firstName,
          last_name: address.lastName,
          name: address.name,
          address1: address.address1,
          address2: address.address2,
          city: address.city,
          province_code: address.provinceCode ?? null,
          zip: address.zip,
          country_code: address.countryCodeV2 ?? null,
        }
      : null,
    currency: order.currencyCode ?? undefined,
    total_price: order.totalPriceSet?.shopMoney?.amount ?? undefined,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    cancelled_at: order.cancelledAt ?? null,
    processed_at: order.processedAt ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  };
}

export function fulfillmentPayloadOf(fulfillment: FulfillmentNode, order: OrderNode): FulfillmentPayloadInput {
  const tracking = (fulfillment.trackingInfo ?? []).filter((info) => info.number);
  const display = fulfillment.displayStatus?.toUpperCase() ?? null;
  const address = order.shippingAddress;
  const origin = fulfillment.originAddress;
  return {
    id: numericId(fulfillment.id),
    order_id: numericId(order.id),
    name: fulfillment.name ?? null,
    status: fulfillment.status?.toLowerCase() ?? "success",
    shipment_status: display && CARRIER_DISPLAY_STATUSES.has(display) ? display.toLowerCase() : null,
    created_at: fulfillment.createdAt,
    updated_at: fulfillment.updatedAt,
    tracking_company: tracking[0]?.company ?? fulfillment.trackingInfo?.[0]?.company ?? null,
    tracking_numbers: tracking.map((info) => info.number!),
    tracking_urls: tracking.map((info) => info.url ?? "").filter(Boolean),
    destination: address ? { country_code: address.countryCodeV2 ?? null, province_code: address.provinceCode ?? null } : null,
    origin_address: origin ? { country_code: origin.countryCode ?? null, province_code: origin.provinceCode ?? null } : null,
  };
}

export function fulfillmentEventPayloadOf(event: FulfillmentEventNode, orderId: string): FulfillmentEventPayloadInput {
  return {
    id: numericId(event.id),
    fulfillment_id: numericId(event.__parentId),
    order_id: orderId,
    status: event.status.toLowerCase(),
    message: event.message ?? null,
    city: event.city ?? null,
    country: event.country ?? null,
    happened_at: event.happenedAt ?? null,
    created_at: event.createdAt ?? event.happenedAt ?? new Date(0).toISOString(),
    estimated_delivery_at: event.estimatedDeliveryAt ?? null,
  };
}

/**
 * The dates Shopify keeps on the fulfillment itself (in transit at, delivered at) as carrier events,
 * so a parcel marked delivered without a carrier's delivered event still counts as delivered on that
 * day, not on the fulfillment's last update. Their ids cannot meet a real event's (numeric) id.
 */
export function fulfillmentDateEvents(fulfillment: FulfillmentNode, order: OrderNode): FulfillmentEventPayloadInput[] {
  const dates: Array<[string, string | null | undefined, string | null]> = [
    ["in_transit", fulfillment.inTransitAt, fulfillment.estimatedDeliveryAt ?? null],
    ["delivered", fulfillment.deliveredAt, null],
  ];
  return dates
    .filter((entry): entry is [string, string, string | null] => Boolean(entry[1]))
    .map(([status, at, estimated]) => ({
      id: `${numericId(fulfillment.id)}:${status}`,
      fulfillment_id: numericId(fulfillment.id),
      order_id: numericId(order.id),
      status,
      message: null,
      city: null,
      country: null,
      happened_at: at,
      created_at: at,
      estimated_delivery_at: estimated,
    }));
}

export const isOrderLine = (line: Record<string, unknown>): line is OrderNode & Record<string, unknown> =>
  typeof line.id === "string" && line.id.startsWith("gid://shopify/Order/") && !("__parentId" in line);

export const isFulfillmentEventLine = (line: Record<string, unknown>): line is FulfillmentEventNode & Record<string, unknown> =>
  typeof line.id === "string" && line.id.startsWith("gid://shopify/FulfillmentEvent/") && typeof line.__parentId === "string";
