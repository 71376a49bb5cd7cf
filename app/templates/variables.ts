// The documented, stable set of variables every message template can use. Merchants' templates depend
// on these names: add to them, never rename or remove.

export const MESSAGE_KINDS = [
  "handling_commitment",
  "shipping_confirmation",
  "tracking_updated",
  "delay_notice",
  "feedback_request",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface MessageVariables {
  locale: string;
  /** The buyer's IANA time zone (from the destination country, else the shop's): `date` prints in it. */
  timezone: string;
  shop: { name: string; email: string | null; domain: string; currency: string };
  order: {
    name: string; // "#1001"
    number: string; // "1001"
    total_price: string; // decimal string, e.g. "49.90"
    currency: string;
    processed_at: string | null; // ISO 8601
  };
  buyer: { first_name: string; name: string; email: string };
  shipment: {
    shipped_at: string | null; // ISO 8601
    status: string | null; // Shopify shipment_status, e.g. "in_transit"
    destination_country: string | null; // ISO 3166-1 alpha-2
  } | null;
  carrier: { code: string | null; name: string } | null;
  /** The latest carrier event, if any. */
  last_event: {
    status: string; // Shopify fulfillment event status, e.g. "in_transit", "failure"
    message: string | null;
    city: string | null;
    country: string | null;
    happened_at: string; // ISO 8601
  } | null;
  tracking: {
    number: string;
    url: string | null; // the carrier's tracking page
    previous_number: string | null;
    page_url: string | null; // the shop's own tracking page (storefront app proxy), signed for this order
  } | null;
  estimated_delivery: {
    min_business_days: number;
    max_business_days: number;
    from: string; // ISO date, e.g. "2026-12-01"
    to: string; // ISO date
    range: string; // the window formatted for the buyer's locale, e.g. "1–4 December 2026"
    source: string; // carrier | lane_region | lane | carrier_destination | destination | registry
    parcels: number | null; // the shop's parcels a learned window rests on (recency-weighted); null for carrier and registry
  } | null;
  /** Delay notices only: why the parcel is considered late. */
  delay: {
    reason: "overdue" | "silent" | "exception";
    days_overdue: number; // business days past the end of the estimated window (0 when not overdue)
    days_silent: number; // days since the last carrier event (or since shipping)
  } | null;
  commitment: { handling_hours: number; online_tracking_days: number };
  /** Feedback requests: where the buyer can leave a review. */
  feedback: {
    /** What the buyer bought, at most three: the product page on the shop's storefront, its image, its title in the buyer's language. Empty in other messages. */
    products: Array<{ title: string; url: string | null; image_url: string | null }>;
  };
  review_url: string | null;
  unsubscribe_url: string | null;
}
