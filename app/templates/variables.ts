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
  /**
   * Where the buyer leaves a review: the shop's destination through the app's signed, counted redirect
   * (feedback requests); else the review link set in Settings, as before.
   */
  review_url: string | null;
  unsubscribe_url: string | null;
  /** Feedback requests; in other messages every key is empty (no links, no products, after_delay false). */
  feedback: FeedbackVariables;
}

export interface FeedbackVariables {
  /** The plain "Leave a review" button: a signed, counted redirect to the shop's review destination. */
  review_url: string | null;
  /** Five links, rating 1 to 5, each a signed, counted redirect to the same destination (the rating at most a parameter of it). */
  stars: { rating: number; url: string }[];
  /** What the buyer bought (at most 3), for the products list. */
  products: { title: string; url: string | null; image_url: string | null }[];
  /** The "contact us first" form on the shop's domain, when there is one. */
  contact_url: string | null;
  /** A delay notice went out, or the parcel came later than the window printed: the defaults thank the buyer for their patience first. */
  after_delay: boolean;
}
