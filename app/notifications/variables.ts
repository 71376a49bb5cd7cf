// Builds a message's template variables from the stored records. Pure: the same records give the same
// variables, which is what the admin preview and the worker both rely on.
import type { FeedbackVariables, MessageVariables } from "~/templates/variables";
import { businessDaysBetween, isoDate } from "~/shipments/estimate";
import { orderNumberOf } from "~/orders/order-number";
import { carrierByCode, trackingUrlFor } from "~/carriers/registry";
import { webUrl } from "~/tracking/web-url";

export interface VariablesInput {
  locale: string;
  shop: { domain: string; name: string; contactEmail: string | null; currency: string; reviewUrl: string | null; handlingHours: number; onlineTrackingDays: number };
  order: { shopifyId: string; name: string; email: string | null; buyerName: string | null; totalPrice: string; currency: string; processedAt: Date | null } | null;
  shipment: {
    shippedAt: Date | null;
    shipmentStatus: string | null;
    destinationCountry: string | null;
    carrierCode: string | null;
    carrierName: string | null;
    trackingNumbers: string[];
    trackingUrls: string[];
    estimatedDeliveryFrom: Date | null;
    estimatedDeliveryTo: Date | null;
    /** Where the window came from (carrier, a learned lane level, registry) and from how many parcels. */
    estimateSource?: string | null;
    estimateParcels?: number | null;
  } | null;
  trackingNumber: string | null;
  previousTrackingNumber: string | null;
  unsubscribeUrl: string | null;
  /** The storefront tracking page for this order (signed link), when the app knows its URL. */
  trackingPageUrl?: string | null;
  /** Feedback requests: the signed "contact us first" form on the shop's domain. */
  contactUrl?: string | null;
  lastEvent?: { status: string; message: string | null; city: string | null; country: string | null; happenedAt: Date } | null;
  delay?: MessageVariables["delay"];
  /** The buyer's IANA time zone; dates in the mail print in it (default UTC). */
  timezone?: string;
  /** Feedback requests: a delay notice went out or a parcel came after its printed window. */
  afterDelay?: boolean;
  /** Feedback requests: the review links (signed redirects), and what the other feedback parts provide. */
  feedback?: Partial<FeedbackVariables> | null;
}

/** The feedback variables with every key present (templates test `feedback.products.size`, `feedback.after_delay`). */
function feedbackVariables(given: Partial<FeedbackVariables>): FeedbackVariables {
  return {
    review_url: given.review_url ?? null,
    stars: given.stars ?? [],
    products: (given.products ?? []).slice(0, 3),
    contact_url: given.contact_url ?? null,
    after_delay: given.after_delay ?? false,
  };
}

const rangeFormats = new Map<string, Intl.DateTimeFormat>();

function rangeFormat(locale: string): Intl.DateTimeFormat {
  let format = rangeFormats.get(locale);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      format = new Intl.DateTimeFormat("en", options);
    }
    // Creating a formatter costs far more than formatting: keep one per locale (bounded).
    if (rangeFormats.size > 200) rangeFormats.clear();
    rangeFormats.set(locale, format);
  }
  return format;
}

/** Ranges already formatted, by locale and days: a batch's mails share a handful (ICU's formatRange is slow). */
const formattedRanges = new Map<string, string>();
const FORMATTED_RANGES_MAX = 5000;

/** "1–4 December 2026" in the buyer's locale; the window is in UTC calendar dates. */
export function formatDateRange(from: Date, to: Date, locale: string): string {
  const memoKey = `${locale}\u0000${from.getTime()}\u0000${to.getTime()}`;
  let formatted = formattedRanges.get(memoKey);
  if (formatted === undefined) {
    formatted = formatRangeUncached(from, to, locale);
    if (formattedRanges.size >= FORMATTED_RANGES_MAX) formattedRanges.clear();
    formattedRanges.set(memoKey, formatted);
  }
  return formatted;
}

function formatRangeUncached(from: Date, to: Date, locale: string): string {
  const format = rangeFormat(locale);
  // ICU's range pattern for Japanese and Chinese falls back to numeric dates ("2026/12/01～2026/12/04");
  // two long dates read as the buyer expects ("2026年12月1日～2026年12月4日").
  if (/^(ja|zh)\b/i.test(format.resolvedOptions().locale) && from.getTime() !== to.getTime()) {
    return `${format.format(from)}～${format.format(to)}`;
  }
  return from.getTime() === to.getTime() ? format.format(from) : format.formatRange(from, to);
}

/**
 * The "Track your parcel" link: the webhook's tracking URL only when it is a web link (a payload can
 * carry javascript: or data:), else the carrier registry's page for the number, else none.
 */
function trackingLink(shipment: VariablesInput["shipment"], index: number, number: string): string | null {
  const given = shipment?.trackingUrls[index];
  if (given && webUrl(given)) return given;
  const carrier = shipment?.carrierCode ? carrierByCode(shipment.carrierCode) : undefined;
  return carrier ? trackingUrlFor(carrier, number) : null;
}

export function buildVariables(input: VariablesInput): MessageVariables {
  const { shop, order, shipment } = input;
  const buyerName = order?.buyerName ?? "";
  const number = input.trackingNumber ?? shipment?.trackingNumbers[0] ?? null;
  const index = shipment && number ? Math.max(0, shipment.trackingNumbers.indexOf(number)) : 0;
  const shippedAt = shipment?.shippedAt ?? null;
  return {
    locale: input.locale,
    timezone: input.timezone ?? "UTC",
    shop: { name: shop.name || shop.domain, email: shop.contactEmail, domain: shop.domain, currency: shop.currency },
    order: {
      name: order?.name ?? "",
      number: orderNumberOf(order?.name ?? ""),
      total_price: order?.totalPrice ?? "0.00",
      currency: order?.currency ?? shop.currency,
      processed_at: order?.processedAt?.toISOString() ?? null,
    },
    buyer: { first_name: buyerName.split(" ")[0] ?? "", name: buyerName, email: order?.email ?? "" },
    shipment: shipment
      ? { shipped_at: shippedAt?.toISOString() ?? null, status: shipment.shipmentStatus, destination_country: shipment.destinationCountry }
      : null,
    // No name known (no tracking company given, none recognised): no carrier, and the templates leave
    // the line out rather than print an English placeholder into a Japanese mail.
    carrier: shipment?.carrierName ? { code: shipment.carrierCode, name: shipment.carrierName } : null,
    tracking: number
      ? { number, url: trackingLink(shipment, index, number), previous_number: input.previousTrackingNumber, page_url: input.trackingPageUrl ?? null }
      : null,
    estimated_delivery:
      shipment?.estimatedDeliveryFrom && shipment.estimatedDeliveryTo && shippedAt
        ? {
            min_business_days: businessDaysBetween(shippedAt, shipment.estimatedDeliveryFrom),
            max_business_days: businessDaysBetween(shippedAt, shipment.estimatedDeliveryTo),
            from: isoDate(shipment.estimatedDeliveryFrom),
            to: isoDate(shipment.estimatedDeliveryTo),
            range: formatDateRange(shipment.estimatedDeliveryFrom, shipment.estimatedDeliveryTo, input.locale),
            source: shipment.estimateSource ?? "registry",
            parcels: shipment.estimateParcels ?? null,
          }
        : null,
    commitment: { handling_hours: shop.handlingHours, online_tracking_days: shop.onlineTrackingDays },
    last_event: input.lastEvent
      ? {
          status: input.lastEvent.status,
          message: input.lastEvent.message,
          city: input.lastEvent.city,
          country: input.lastEvent.country,
          happened_at: input.lastEvent.happenedAt.toISOString(),
        }
      : null,
    delay: input.delay ?? null,
    // A feedback request's review link is the counted redirect; merchant templates using review_url keep working.
    review_url: input.feedback?.review_url ?? shop.reviewUrl,
    unsubscribe_url: input.unsubscribeUrl,
    // Every message has every feedback key (empty outside feedback requests), so templates can test them.
    feedback: feedbackVariables({
      ...input.feedback,
      ...(input.contactUrl !== undefined ? { contact_url: input.contactUrl } : {}),
      ...(input.afterDelay !== undefined ? { after_delay: input.afterDelay } : {}),
    }),
  };
}
