import type { MessageVariables } from "~/templates/variables";
import { formatDateRange } from "~/notifications/variables";

/**
 * Realistic variables for previews and tests: a DHL Express parcel from Japan to Germany.
 * `overrides.locale` also localises the formatted delivery window (unless
 * `estimated_delivery` is overridden too).
 */
export function sampleVariables(overrides: Partial<MessageVariables> = {}): MessageVariables {
  const locale = overrides.locale ?? "en";
  // Built fresh on every call so a caller mutating the result cannot affect another.
  const base: MessageVariables = {
    locale,
    timezone: "Europe/Berlin",
    shop: {
      name: "Kumo Ceramics",
      email: "hello@kumo-ceramics.example",
      domain: "kumo-ceramics.myshopify.com",
      currency: "JPY",
    },
    order: {
      name: "#1001",
      number: "1001",
      total_price: "89.50",
      currency: "EUR",
      processed_at: "2026-11-24T09:15:00+09:00",
    },
    buyer: { first_name: "Anna", name: "Anna Müller", email: "anna.mueller@example.de" },
    shipment: {
      shipped_at: "2026-11-26T03:00:00Z",
      status: "in_transit",
      destination_country: "DE",
    },
    carrier: { code: "dhl_express", name: "DHL Express" },
    last_event: {
      status: "in_transit",
      message: "Arrived at the customs clearance facility",
      city: "Leipzig",
      country: "DE",
      happened_at: "2026-11-28T06:40:00Z",
    },
    tracking: {
      number: "4829163750",
      url: "https://www.dhl.com/de-en/home/tracking/tracking-express.html?submit=1&tracking-id=4829163750",
      previous_number: null,
      page_url: "https://kumo-ceramics.example/apps/parcelwise/track?order=1001&t=3b1f0c",
    },
    // Shipped Thursday Nov 26: 3–6 business days.
    estimated_delivery: {
      min_business_days: 3,
      max_business_days: 6,
      from: "2026-12-01",
      to: "2026-12-04",
      range: formatDateRange(new Date("2026-12-01"), new Date("2026-12-04"), locale),
      source: "lane",
      parcels: 143,
    },
    delay: null,
    commitment: { handling_hours: 48, online_tracking_days: 3 },
    review_url: "https://kumo-ceramics.example/pages/reviews?order=1001",
    unsubscribe_url: "https://parcelwise.example/u/7f3a9c2e?shop=kumo-ceramics",
    // A preview's feedback keys: what the buyer bought; no counted links (a preview has no message).
    feedback: {
      review_url: null,
      stars: [],
      products: [
        {
          title: "Kumo tea bowl, celadon",
          url: "https://kumo-ceramics.example/products/kumo-tea-bowl-celadon",
          image_url: "https://cdn.shopify.com/s/files/1/0712/0001/files/kumo-tea-bowl-celadon.jpg?width=600",
        },
        {
          title: "Hand-thrown sake set",
          url: "https://kumo-ceramics.example/products/hand-thrown-sake-set",
          image_url: "https://cdn.shopify.com/s/files/1/0712/0001/files/hand-thrown-sake-set.jpg?width=600",
        },
      ],
      contact_url: null,
      after_delay: false,
    },
  };
  return { ...base, ...overrides };
}

/** The sample with a delay, as the planner sets it for a delay notice. */
export function sampleDelay(reason: NonNullable<MessageVariables["delay"]>["reason"]): NonNullable<MessageVariables["delay"]> {
  switch (reason) {
    case "overdue":
      return { reason, days_overdue: 3, days_silent: 2 };
    case "silent":
      return { reason, days_overdue: 0, days_silent: 7 };
    case "exception":
      return { reason, days_overdue: 0, days_silent: 1 };
  }
}

/** A feedback request's feedback variables: the five star links and the review button (signed redirects). */
export function sampleFeedback(overrides: Partial<MessageVariables["feedback"]> = {}): MessageVariables["feedback"] {
  const link = (key: string) => `https://parcelwise.example/r/ck9sample0001.${key}.Q2hlY2tzdW0`;
  return {
    review_url: link("r"),
    stars: [1, 2, 3, 4, 5].map((rating) => ({ rating, url: link(String(rating)) })),
    products: [],
    contact_url: null,
    after_delay: false,
    ...overrides,
  };
}
