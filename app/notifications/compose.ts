// What a buyer's mail says and who it comes from: the template for the buyer's locale, its variables,
// the delay explanation and the envelope. Pure: the records, the links and the time are parameters.
import type { Notification, Order, Shipment, Shop, Template, TrackingEvent } from "@prisma/client";
import type { OutgoingMail } from "~/mail/sendgrid.server";
import type { RenderedMessage, TemplateSource } from "~/templates/render";
import { defaultTemplate, resolveDefaultLocale } from "~/templates/defaults";
import { localeCandidates } from "~/templates/locale";
import { isUnsubscribable } from "./kinds";
import type { FeedbackVariables, MessageKind, MessageVariables } from "~/templates/variables";
import { explainDelay } from "~/tracking/delay";
import { buildVariables } from "./variables";
import { commitmentOf, type LearnedCommitment } from "~/lanes/commitment";
import { delayDue } from "./plan";
import { timeZoneForCountry } from "./daytime";
import { wasDelayed, type FeedbackFacts } from "~/feedback/rules";
import { productLinksFor, type CachedProduct } from "~/feedback/products";

/** Links that need the app's URL and secret; the wiring provides them (null: no link in the mail). */
export interface MailLinks {
  /** The unsubscribe link of this mail (it names the notification, never the address). */
  unsubscribe(notification: Pick<Notification, "shop" | "id">): string | null;
  /** The signed tracking page link, open for TRACKING_LINK_MAX_AGE_DAYS from `now`. */
  trackingPage(shop: Pick<Shop, "domain">, order: Pick<Order, "shopifyId" | "name">, locale: string, now: Date): string | null;
  /** Headers for one-click unsubscribe (RFC 8058) given the unsubscribe URL. */
  unsubscribeHeaders(url: string): Record<string, string>;
  /** The signed "contact us first" form on the shop's domain for this mail (it names the notification). */
  contactPage?(notification: Pick<Notification, "shop" | "id">, now: Date): string | null;
  /** A feedback request's review link (signed, counted redirect): a star 1..5, or null for the plain review button. */
  feedbackLink?(notification: Pick<Notification, "shop" | "id">, rating: number | null): string | null;
}

/** The review links of a feedback request: five stars and the plain button, all to the same destination. */
export function feedbackLinks(notification: Pick<Notification, "shop" | "id">, links: MailLinks | undefined): Partial<FeedbackVariables> | null {
  if (!links?.feedbackLink) return null;
  const stars = [1, 2, 3, 4, 5].map((rating) => ({ rating, url: links.feedbackLink!(notification, rating) })).filter((s): s is { rating: number; url: string } => !!s.url);
  return { review_url: links.feedbackLink(notification, null), stars };
}


export function chooseTemplate(custom: Template[], kind: MessageKind, locales: string[]): { locale: string; source: TemplateSource } {
  const own = (locale: string) => custom.find((t) => t.kind === kind && t.locale.toLowerCase() === locale.toLowerCase());
  for (const locale of locales) {
    const exact = own(locale);
    if (exact) return { locale, source: exact };
    // A locale the defaults cover, directly or by alias/language ("de-CH" → de, "zh" → zh-CN): the
    // merchant's own template for that locale first, then the default.
    const covered = resolveDefaultLocale(locale) ?? (locale.toLowerCase() === "en" ? "en" : null);
    if (covered) return { locale: covered, source: own(covered) ?? defaultTemplate(kind, covered) };
  }
  return { locale: "en", source: own("en") ?? defaultTemplate(kind, "en") };
}

function delayFor(shop: Shop, shipment: Shipment, now: Date): MessageVariables["delay"] {
  const planShipment = { ...shipment, trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[] };
  // Due means at risk by the planner's rules (the same the tracking page and the admin use); a notice
  // sent early by hand ("send now") is explained as of the moment it was due.
  const due = delayDue(planShipment);
  const explained = explainDelay(planShipment, due && due.at > now ? due.at : now);
  return explained
    ? { reason: explained.reason, days_overdue: explained.daysOverdue, days_silent: explained.daysSilent }
    : { reason: "silent", days_overdue: 0, days_silent: 0 };
}

/** The records one mail is about, as its batch loaded them. */
export interface MailRecords {
  shop: Shop;
  order: Order & { email: string };
  shipment: Shipment | undefined;
  lastEvent: TrackingEvent | undefined;
  /** The shop's own templates of this kind. */
  templates: Template[];
  /** For a tracking update: the number the shipping confirmation gave. */
  previousTrackingNumber: string | null;
  /** What the shop's orders taught about handling and online-for-tracking; the shop's settings say whether it applies. */
  learned?: LearnedCommitment;
  /** Feedback requests: what the feedback rules know of the order (a delay, a late parcel). */
  feedback?: FeedbackFacts;
  /** The shop's cached products by product id (feedback requests: what the buyer bought). */
  products?: ReadonlyMap<string, CachedProduct>;
}

export interface ComposedMail {
  locale: string;
  source: TemplateSource;
  variables: MessageVariables;
  unsubscribeUrl: string | null;
}

/** The template to render for a notification, and the variables to render it with. */
export function composeMail(notification: Notification, records: MailRecords, links: MailLinks | undefined, now: Date): ComposedMail {
  const { shop, order, shipment } = records;
  const kind = notification.kind as MessageKind;
  const { locale, source } = chooseTemplate(records.templates, kind, localeCandidates(notification.locale, shop.primaryLocale));
  const unsubscribeUrl = isUnsubscribable(kind) ? (links?.unsubscribe(notification) ?? null) : null;
  const variables = buildVariables({
    locale,
    shop: records.learned ? { ...shop, ...commitmentOf(shop, records.learned) } : shop,
    order,
    shipment: shipment
      ? { ...shipment, trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[], trackingUrls: JSON.parse(shipment.trackingUrls) as string[] }
      : null,
    trackingNumber: notification.trackingNumber,
    previousTrackingNumber: kind === "tracking_updated" && shipment ? records.previousTrackingNumber : null,
    unsubscribeUrl,
    trackingPageUrl: links?.trackingPage(shop, order, locale, now) ?? null,
    contactUrl: kind === "feedback_request" ? (links?.contactPage?.(notification, now) ?? null) : null,
    lastEvent: records.lastEvent ?? null,
    delay: kind === "delay_notice" && shipment ? delayFor(shop, shipment, now) : null,
    timezone: timeZoneForCountry(order.destinationCountry ?? shipment?.destinationCountry, shop.timezone),
    afterDelay: kind === "feedback_request" && wasDelayed(records.feedback),
    feedback:
      kind === "feedback_request"
        ? {
            ...feedbackLinks(notification, links),
            products: productLinksFor({ lineItems: order.lineItems, products: records.products ?? new Map(), locale: notification.locale || order.locale, primaryLocale: shop.primaryLocale }),
          }
        : null,
  });
  return { locale, source, variables, unsubscribeUrl };
}

/** The mail SendGrid gets: the rendered message in the shop's envelope. */
export function envelope(input: {
  notification: Notification;
  records: Pick<MailRecords, "shop" | "order">;
  rendered: RenderedMessage;
  unsubscribeUrl: string | null;
  appSender: { email: string; name: string };
  links: MailLinks | undefined;
}): OutgoingMail {
  const { notification, rendered, unsubscribeUrl, appSender, links } = input;
  const { shop, order } = input.records;
  return {
    to: order.email,
    // The shop's own address once SendGrid has accepted mail from it (a test send from the admin);
    // until then the app's verified default, under the shop's name, with replies going to the shop.
    from: { email: shop.senderEmail && shop.senderVerifiedAt ? shop.senderEmail : appSender.email, name: shop.senderName ?? (shop.name || appSender.name) },
    replyTo: shop.replyToEmail ?? shop.contactEmail,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    // Non-personal data only: SendGrid keeps categories and custom args in plain sight.
    categories: ["parcelwise", notification.kind],
    customArgs: { notification_id: notification.id, shop: shop.domain },
    headers: unsubscribeUrl && links ? links.unsubscribeHeaders(unsubscribeUrl) : undefined,
  };
}
