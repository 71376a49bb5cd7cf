// The template editor's server side: a submitted template checked (bounds, then Liquid syntax, errors
// per part with the line) and the sample data a preview or test send renders with. Pure: no database.
import { z } from "zod";
import { CARRIERS, carrierByCode, trackingUrlFor, transitBusinessDays, type TransitOverrides } from "~/carriers/registry";
import { businessDaysBetween, estimateDelivery } from "~/shipments/estimate";
import { buildVariables } from "~/notifications/variables";
import { resolveDestination } from "~/feedback/destinations";
import { windowDates, type LaneWindow } from "~/lanes/estimate-window";
import type { LaneKey } from "~/lanes/lane-key";
import { publicHolidayChecker } from "~/shipments/holidays";
import { timeZoneForCountry } from "~/notifications/daytime";
import type { RenderedMessage, TemplateSource } from "~/templates/render";
import type { TemplatePart } from "~/templates/template-error";
import { validateTemplate } from "~/templates/validate";
import type { MessageKind, MessageVariables } from "~/templates/variables";
import type { Validated } from "./settings-form";
import type { FeedbackProduct } from "~/feedback/products";
import { errorsByPart, normalizeLocale, PREVIEW_DESTINATIONS, toEditorError, type EditorError } from "./templates";
import { DAY_MS, HOUR_MS } from "~/time";

// Bounds a merchant can exceed by typing: the engine's own parse limit is 100,000 characters a part.
export const TEMPLATE_LIMITS = { subject: 300, html: 100_000, text: 50_000 };

const sourceSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, "Write a subject: mail without one looks like spam")
    .max(TEMPLATE_LIMITS.subject, `The subject must be at most ${TEMPLATE_LIMITS.subject} characters`),
  html: z.string().min(1, "Write the HTML version of the message").max(TEMPLATE_LIMITS.html, `The HTML must be at most ${TEMPLATE_LIMITS.html.toLocaleString("en")} characters`),
  text: z.string().min(1, "Write the plain-text version of the message").max(TEMPLATE_LIMITS.text, `The plain text must be at most ${TEMPLATE_LIMITS.text.toLocaleString("en")} characters`),
});

/** Checks a submitted template: bounds first, then Liquid syntax. Errors per part, with the line. */
export function checkTemplateForm(form: Record<string, unknown>): Validated<TemplateSource> & { problems: EditorError[] } {
  const parsed = sourceSchema.safeParse({ subject: "", html: "", text: "", ...form });
  if (!parsed.success) {
    const problems: EditorError[] = parsed.error.issues.map((issue) => ({ part: issue.path[0] as TemplatePart, line: null, column: null, message: issue.message }));
    return { ok: false, errors: errorsByPart(problems), problems };
  }
  const problems = validateTemplate(parsed.data).map(toEditorError);
  if (problems.length) return { ok: false, errors: errorsByPart(problems), problems };
  return { ok: true, value: parsed.data, problems };
}

const BUYERS: Record<string, string> = {
  US: "Emily Johnson", CA: "Olivia Tremblay", GB: "Oliver Smith", DE: "Anna Müller", FR: "Camille Martin", ES: "Lucía García",
  IT: "Giulia Rossi", NL: "Sanne de Vries", SE: "Elsa Andersson", AU: "Charlotte Wilson", NZ: "Isla Thompson", JP: "Yui Tanaka",
  KR: "Seo-yeon Kim", SG: "Wei Ling Tan", BR: "Ana Souza", MX: "Sofía Hernández", AE: "Fatima Al Mansoori", IL: "Noa Levi", ZA: "Thandi Nkosi",
};

export interface PreviewScenario {
  kind: MessageKind;
  carrierCode: string;
  destination: string;
  locale: string;
  /** One of the shop's learned lanes (a lane level id), or "" for the sample carrier and destination. */
  lane?: string;
}

/** A learned lane chosen for the preview: its carrier and countries, and its window at the shop's coverage. */
export interface PreviewLane {
  key: LaneKey;
  window: LaneWindow;
}

/** The preview's carrier, destination and buyer's language as the page's query or a form names them. */
export function previewScenarioFrom(kind: MessageKind, source: { get(name: string): unknown }, fallbackLocale: string): PreviewScenario {
  const read = (name: string) => (typeof source.get(name) === "string" ? (source.get(name) as string) : "");
  return {
    kind,
    carrierCode: read("carrier") || "dhl_express",
    destination: read("destination") || "DE",
    locale: normalizeLocale(read("previewLocale")) ?? fallbackLocale,
    lane: read("lane").slice(0, 300),
  };
}

/** What an editor action answers: a toast or an error, the template's problems, and a fresh preview. */
export interface TemplateEditorResult {
  intent: string;
  toast?: string;
  error?: string;
  errors?: Record<string, string>;
  problems?: EditorError[];
  preview?: RenderedMessage | null;
}

export interface PreviewShop {
  domain: string;
  name: string;
  contactEmail: string | null;
  currency: string;
  reviewUrl: string | null;
  /** The review destination (app/feedback/destinations.ts); the preview's review links open it directly. */
  reviewDestination?: string;
  reviewUrlTemplate?: string | null;
  handlingHours: number;
  onlineTrackingDays: number;
  carrierTransitOverrides: TransitOverrides;
  /** Share of a lane's parcels inside the printed window (Shop.estimateCoverage). */
  estimateCoverage?: number;
  /** The shop's zone: dates for a destination without a known zone print in it. */
  timezone?: string;
}


/** A plain square in the shop's preview: sample products have no photo, and the preview fetches nothing. */
const sampleImage = (color: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="${color}"/></svg>`)}`;

/** What a sample buyer bought: two products on the shop's own storefront. */
export function previewProducts(shop: { domain: string }): FeedbackProduct[] {
  return [
    { title: "Sample product", url: `https://${shop.domain}/products/sample-product`, image_url: sampleImage("#c9d6df") },
    { title: "Another sample product", url: `https://${shop.domain}/products/another-sample-product`, image_url: sampleImage("#e3d5c3") },
  ];
}

/**
 * Sample variables for a preview or test send, built the way the worker builds a real message's: an
 * order shipped with the chosen carrier to the chosen country, as far along as the message kind implies.
 */
export function previewVariables(scenario: PreviewScenario, shop: PreviewShop, now: Date, links: { appUrl: string }, lane: PreviewLane | null = null): MessageVariables {
  // A learned lane brings its own carrier (when the registry knows it) and destination.
  const carrier = (lane && carrierByCode(lane.key.carrier)) || carrierByCode(scenario.carrierCode) || CARRIERS[0]!;
  const destination = lane ? lane.key.destination : PREVIEW_DESTINATIONS.includes(scenario.destination) ? scenario.destination : "DE";
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  // Where the parcel is when this kind of message goes out: just shipped, overdue, or delivered a week ago.
  const max = lane ? lane.window.maxBusinessDays : transitBusinessDays(carrier, destination, null, shop.carrierTransitOverrides).max;
  const calendarDays = (businessDays: number) => Math.ceil((businessDays * 7) / 5) + 1;
  const shippedDaysAgo = scenario.kind === "delay_notice" ? calendarDays(max + 3) : scenario.kind === "feedback_request" ? calendarDays(max) + 7 : 1;
  const shippedAt = new Date(today - shippedDaysAgo * DAY_MS + 3 * HOUR_MS);
  const paidAt = new Date(shippedAt.getTime() - 2 * DAY_MS + 6 * HOUR_MS);
  const registry = estimateDelivery({ shippedAt, carrier, destinationCountry: destination, overrides: shop.carrierTransitOverrides });
  const estimate = lane
    ? { ...windowDates(lane.window, shippedAt, shippedAt, publicHolidayChecker(destination)), source: lane.window.source, parcels: Math.round(lane.window.parcels) }
    : { ...registry, source: "registry", parcels: null };
  const trackingNumber = carrier.code === "ups" ? "1Z999AA10123456784" : ["ems", "china_post"].includes(carrier.code) ? "LX482916375CN" : "4829163750";
  const previousNumber = scenario.kind === "tracking_updated" ? "4829100001" : null;
  const delivered = scenario.kind === "feedback_request";
  const variables = buildVariables({
    locale: scenario.locale,
    shop: { ...shop, name: shop.name || shop.domain },
    order: { shopifyId: "1001", name: "#1001", email: "buyer@example.com", buyerName: BUYERS[destination] ?? "Alex Morgan", totalPrice: "89.50", currency: shop.currency, processedAt: paidAt },
    shipment: {
      shippedAt,
      shipmentStatus: delivered ? "delivered" : "in_transit",
      destinationCountry: destination,
      carrierCode: carrier.code,
      carrierName: lane && !carrierByCode(lane.key.carrier) ? lane.key.carrier : carrier.name,
      trackingNumbers: [trackingNumber],
      trackingUrls: [trackingUrlFor(carrier, trackingNumber)],
      estimatedDeliveryFrom: estimate.from,
      estimatedDeliveryTo: estimate.to,
      estimateSource: estimate.source,
      estimateParcels: estimate.parcels,
    },
    trackingNumber,
    previousTrackingNumber: previousNumber,
    unsubscribeUrl: `${links.appUrl.replace(/\/+$/, "")}/unsubscribe/preview`,
    trackingPageUrl: `https://${shop.domain}/apps/parcelwise/track?order=1001`,
    contactUrl: scenario.kind === "feedback_request" ? `https://${shop.domain}/apps/parcelwise/contact?t=preview` : null,
    lastEvent: {
      status: delivered ? "delivered" : "in_transit",
      message: delivered ? "Delivered" : scenario.kind === "delay_notice" ? "Held at customs for inspection" : "Departed the origin facility",
      city: null,
      country: delivered || scenario.kind === "delay_notice" ? destination : null,
      happenedAt: delivered ? new Date(today - 7 * DAY_MS + 11 * HOUR_MS) : scenario.kind === "delay_notice" ? new Date(today - 4 * DAY_MS + 8 * HOUR_MS) : new Date(shippedAt.getTime() + 6 * HOUR_MS),
    },
    delay: scenario.kind === "delay_notice" ? { reason: "overdue", days_overdue: Math.max(1, businessDaysBetween(estimate.to, new Date(today))), days_silent: 4 } : null,
    // As the worker does: dates print in the destination's time zone.
    timezone: timeZoneForCountry(destination, shop.timezone ?? "UTC"),
    feedback: scenario.kind === "feedback_request" ? { ...previewFeedbackLinks(shop), products: previewProducts(shop) } : null,
  });
  return variables;
}

/** A preview has no message to count clicks for: its review links open the shop's destination directly. */
function previewFeedbackLinks(shop: PreviewShop): Partial<MessageVariables["feedback"]> {
  const settings = { reviewDestination: shop.reviewDestination ?? "products", reviewUrl: shop.reviewUrl, reviewUrlTemplate: shop.reviewUrlTemplate ?? null };
  const link = (rating: number | null) => resolveDestination({ settings, shopDomain: shop.domain, orderName: "#1001", products: [], rating }).url;
  return { review_url: link(null), stars: [1, 2, 3, 4, 5].map((rating) => ({ rating, url: link(rating) })) };
}
