// Shopify webhook payloads → the facts Parcelwise records. Lenient about what it does not use, strict
// about what it does: a payload without an id or timestamps is malformed and refused.
import { z } from "zod/v4";
import { isPaid } from "./financial-status";
import { normalizeEmail } from "~/mail/address";

const id = z.union([z.number(), z.string().min(1)]).transform((value) => String(value));
const optionalText = z.string().nullish().transform((value) => (value ? value : null));
const timestamp = z.string().datetime({ offset: true }).transform((value) => new Date(value));
const optionalTimestamp = z
  .string()
  .nullish()
  .transform((value) => (value ? new Date(value) : null))
  .refine((value) => value === null || !Number.isNaN(value.getTime()), "is not a date");

const address = z
  .object({
    first_name: optionalText,
    last_name: optionalText,
    name: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province_code: optionalText,
    zip: optionalText,
    country_code: optionalText,
  })
  .passthrough()
  .nullish();

export const fulfillmentPayload = z
  .object({
    id,
    order_id: id,
    name: optionalText,
    status: z.string().default("success"),
    shipment_status: optionalText,
    created_at: timestamp,
    updated_at: timestamp,
    tracking_company: optionalText,
    tracking_number: optionalText,
    tracking_numbers: z.array(z.string()).nullish(),
    tracking_url: optionalText,
    tracking_urls: z.array(z.string()).nullish(),
    destination: address,
    origin_address: address,
  })
  .passthrough();
export type FulfillmentPayload = z.infer<typeof fulfillmentPayload>;
export type FulfillmentPayloadInput = z.input<typeof fulfillmentPayload>;

// A line item as the feedback request reads it. Each field falls back to null on an odd value: a custom
// item or a new shape must never cost the order itself.
const lineItemPayload = z
  .object({
    product_id: id.nullish().catch(null),
    variant_id: id.nullish().catch(null),
    title: z.string().nullish().catch(null),
    name: z.string().nullish().catch(null),
    quantity: z.number().nullish().catch(null),
    gift_card: z.boolean().nullish().catch(null),
    fulfillable_quantity: z.number().nullish().catch(null),
    requires_shipping: z.boolean().nullish().catch(null),
  })
  .passthrough();

/** The most line items an order keeps: the feedback request shows at most three products. */
export const MAX_KEPT_LINE_ITEMS = 10;

export const orderPayload = z
  .object({
    id,
    name: z.string(),
    email: optionalText,
    contact_email: optionalText,
    customer: z
      .object({ first_name: optionalText, last_name: optionalText, email: optionalText })
      .passthrough()
      .nullish(),
    customer_locale: optionalText,
    shipping_address: address,
    currency: z.string().default("USD"),
    total_price: z.union([z.string(), z.number()]).transform(String).default("0.00"),
    financial_status: optionalText,
    cancelled_at: optionalTimestamp,
    processed_at: optionalTimestamp,
    created_at: optionalTimestamp,
    updated_at: timestamp,
    fulfillments: z.array(fulfillmentPayload).nullish(),
    // What the feedback rules read: refunds of lines, and what is still to ship; the lines also say what was bought.
    refunds: z.array(z.object({ created_at: optionalTimestamp, refund_line_items: z.array(z.unknown()).nullish() }).passthrough()).nullish(),
    line_items: z.array(lineItemPayload).nullish().catch(null),
  })
  .passthrough();
export type OrderPayload = z.infer<typeof orderPayload>;
export type OrderPayloadInput = z.input<typeof orderPayload>;

export const fulfillmentEventPayload = z
  .object({
    id,
    fulfillment_id: id,
    order_id: id,
    status: z.string(),
    message: optionalText,
    city: optionalText,
    country: optionalText,
    happened_at: optionalTimestamp,
    created_at: timestamp,
    estimated_delivery_at: optionalTimestamp,
  })
  .passthrough();
export type FulfillmentEventPayload = z.infer<typeof fulfillmentEventPayload>;
export type FulfillmentEventPayloadInput = z.input<typeof fulfillmentEventPayload>;

export interface OrderFacts {
  shopifyId: string;
  name: string;
  email: string | null;
  buyerName: string | null;
  shippingAddress: string | null;
  locale: string | null;
  destinationCountry: string | null;
  destinationRegion: string | null;
  currency: string;
  totalPrice: string;
  financialStatus: string | null;
  cancelledAt: Date | null;
  paidAt: Date | null;
  processedAt: Date | null;
  shopifyUpdatedAt: Date;
  /** The buyer's address as the app keys it (normalizeEmail). */
  emailKey: string | null;
  /** The first refund of a line; undefined when the payload does not say (a refund is never undone, so nothing clears it). */
  refundedAt?: Date;
  /** Units of shipped line items still to fulfil; undefined when the payload has no line items. */
  unfulfilledQuantity?: number;
  /**
   * What the buyer bought (JSON of OrderLineItem[]), for the feedback request's product links; absent when
   * the payload carried no line items, so that such an update keeps what is stored.
   */
  lineItems?: string;
}

/** When the order's lines were first refunded, as far as the payload tells (refunds, else the financial status). */
function firstRefundOf(order: OrderPayload): Date | undefined {
  const times = (order.refunds ?? []).filter((r) => (r.refund_line_items ?? []).length > 0).map((r) => (r.created_at ?? order.updated_at).getTime());
  if (times.length) return new Date(Math.min(...times));
  return order.financial_status === "partially_refunded" || order.financial_status === "refunded" ? order.updated_at : undefined;
}

/** One purchased line as the order keeps it. */
export interface OrderLineItem {
  productId: string | null;
  variantId: string | null;
  title: string;
  quantity: number;
}

/**
 * The lines worth showing a buyer: gift cards and nameless lines left out, lines with a product first
 * (a custom item has no product page), in the order's own order, at most MAX_KEPT_LINE_ITEMS.
 */
export function orderLineItems(lines: NonNullable<OrderPayload["line_items"]>): OrderLineItem[] {
  const kept = lines
    .filter((line) => !line.gift_card)
    .map((line) => ({
      productId: line.product_id ?? null,
      variantId: line.variant_id ?? null,
      title: (line.title ?? line.name ?? "").trim(),
      quantity: line.quantity ?? 1,
    }))
    .filter((line) => line.title !== "" || line.productId !== null);
  return [...kept.filter((line) => line.productId), ...kept.filter((line) => !line.productId)].slice(0, MAX_KEPT_LINE_ITEMS);
}

export function orderFacts(order: OrderPayload): OrderFacts {
  const ship = order.shipping_address;
  const buyerName =
    [order.customer?.first_name ?? ship?.first_name, order.customer?.last_name ?? ship?.last_name]
      .filter(Boolean)
      .join(" ") || ship?.name || null;
  return {
    shopifyId: order.id,
    name: order.name,
    email: order.email ?? order.contact_email ?? order.customer?.email ?? null,
    buyerName,
    shippingAddress: ship ? JSON.stringify(ship) : null,
    locale: order.customer_locale,
    destinationCountry: ship?.country_code ?? null,
    destinationRegion: ship?.province_code ?? null,
    currency: order.currency,
    totalPrice: order.total_price,
    financialStatus: order.financial_status,
    cancelledAt: order.cancelled_at,
    // Shopify gives no paid-at timestamp; processing time is when payment was taken for paid orders.
    paidAt: isPaid(order.financial_status) ? (order.processed_at ?? order.created_at ?? order.updated_at) : null,
    processedAt: order.processed_at,
    shopifyUpdatedAt: order.updated_at,
    emailKey: emailKeyOf(order.email ?? order.contact_email ?? order.customer?.email ?? null),
    refundedAt: firstRefundOf(order),
    unfulfilledQuantity: order.line_items
      ? order.line_items.filter((item) => item.requires_shipping !== false).reduce((sum, item) => sum + Math.max(0, item.fulfillable_quantity ?? 0), 0)
      : undefined,
    ...(order.line_items ? { lineItems: JSON.stringify(orderLineItems(order.line_items)) } : {}),
  };
}

export const emailKeyOf = (email: string | null): string | null => (email ? normalizeEmail(email) : null);

export interface FulfillmentFacts {
  shopifyId: string;
  orderShopifyId: string;
  name: string | null;
  status: string;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  shippedAt: Date;
  /** The fulfillment's origin address, when Shopify gives one (the shop's country is the fallback). */
  originCountry: string | null;
  destinationCountry: string | null;
  destinationRegion: string | null;
  shopifyUpdatedAt: Date;
}

export function fulfillmentFacts(fulfillment: FulfillmentPayload): FulfillmentFacts {
  const numbers = fulfillment.tracking_numbers?.length
    ? fulfillment.tracking_numbers
    : fulfillment.tracking_number
      ? [fulfillment.tracking_number]
      : [];
  const urls = fulfillment.tracking_urls?.length
    ? fulfillment.tracking_urls
    : fulfillment.tracking_url
      ? [fulfillment.tracking_url]
      : [];
  return {
    shopifyId: fulfillment.id,
    orderShopifyId: fulfillment.order_id,
    name: fulfillment.name,
    status: fulfillment.status,
    shipmentStatus: fulfillment.shipment_status,
    trackingCompany: fulfillment.tracking_company,
    trackingNumbers: numbers.map((n) => n.trim()).filter(Boolean),
    trackingUrls: urls,
    shippedAt: fulfillment.created_at,
    originCountry: fulfillment.origin_address?.country_code ?? null,
    destinationCountry: fulfillment.destination?.country_code ?? null,
    destinationRegion: fulfillment.destination?.province_code ?? null,
    shopifyUpdatedAt: fulfillment.updated_at,
  };
}

export interface TrackingEventFacts {
  shopifyId: string;
  fulfillmentShopifyId: string;
  orderShopifyId: string;
  status: string;
  message: string | null;
  city: string | null;
  country: string | null;
  estimatedDeliveryAt: Date | null;
  happenedAt: Date;
}

export function trackingEventFacts(event: FulfillmentEventPayload): TrackingEventFacts {
  return {
    shopifyId: event.id,
    fulfillmentShopifyId: event.fulfillment_id,
    orderShopifyId: event.order_id,
    status: event.status,
    message: event.message,
    city: event.city,
    country: event.country,
    estimatedDeliveryAt: event.estimated_delivery_at,
    happenedAt: event.happened_at ?? event.created_at,
  };
}
