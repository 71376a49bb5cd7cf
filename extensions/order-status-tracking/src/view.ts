// What the order status block shows, as plain data: the backend's tracking JSON in, translated lines
// out. No Shopify globals and no components here, so the rendering logic is tested with its inputs.

/** The JSON of GET /api/order-status/:orderId (app/tracking/view.ts, TrackingView). */
export type ShipmentStage =
  | "shipped"
  | "label_created"
  | "in_transit"
  | "out_for_delivery"
  | "ready_for_pickup"
  | "attempted_delivery"
  | "delayed"
  | "failure"
  | "delivered";

export interface TrackingEventJson {
  status: ShipmentStage;
  message: string | null;
  city: string | null;
  country: string | null;
  happenedAt: string;
}

export interface CommitmentJson {
  handlingHours: number;
  onlineTrackingDays: number;
}

export interface ShipmentJson {
  carrier: string | null;
  tracking: Array<{ number: string; url: string | null }>;
  status: ShipmentStage;
  shippedAt: string | null;
  deliveredAt: string | null;
  estimatedDelivery: { from: string; to: string } | null;
  lastEvent: TrackingEventJson | null;
  events: TrackingEventJson[];
  delay: { reason: "overdue" | "silent" | "exception"; daysOverdue: number; daysSilent: number } | null;
}

export interface TrackingJson {
  order: { name: string };
  state: "awaiting_shipment" | "shipped" | "delivered" | "cancelled";
  commitment: CommitmentJson | null;
  shipments: ShipmentJson[];
}

/** shopify.i18n.translate: `{{name}}` placeholders, and one/other forms chosen by `count`. */
export type Translate = (key: string, options?: Record<string, string | number>) => string;
/** shopify.i18n.formatDate */
export type FormatDate = (date: Date, options: Intl.DateTimeFormatOptions) => string;

export interface Fact {
  label: string;
  value: string;
}

export interface TrackingLink {
  number: string;
  url: string | null;
  linkLabel: string;
}

export interface Notice {
  heading: string;
  paragraphs: string[];
}

export interface ShipmentCard {
  heading: string | null;
  status: { label: string; tone: "auto" | "neutral" | "critical" };
  facts: Fact[];
  trackingLabel: string;
  tracking: TrackingLink[];
  delay: Notice | null;
}

export interface OrderStatusModel {
  /** Shown while nothing has shipped: the merchant's handling commitment. */
  awaiting: Notice | null;
  cancelled: string | null;
  shipments: ShipmentCard[];
}

const CALENDAR_DAY: Intl.DateTimeFormatOptions = { day: "numeric", month: "long", timeZone: "UTC" };
const MOMENT: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };

/** The backend route for an order GID ("gid://shopify/Order/123"); null for anything else. */
export function trackingRequestUrl(appUrl: string, orderGid: string | undefined): string | null {
  const id = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(orderGid ?? "")?.[1];
  return id ? `${appUrl.replace(/\/$/, "")}/api/order-status/${id}` : null;
}

export function commitmentParagraphs(commitment: CommitmentJson, t: Translate): string[] {
  return [
    t("commitment_handling", { count: commitment.handlingHours }),
    t("commitment_online", { count: commitment.onlineTrackingDays }),
    t("commitment_quality"),
  ];
}

/** "In transit · Arrived at the hub · Leipzig, DE · 3 Dec, 14:20" */
export function eventLine(event: TrackingEventJson, t: Translate, formatDate: FormatDate): string {
  const place = [event.city, event.country].filter(Boolean).join(", ");
  return [t(`status_${event.status}`), event.message, place, formatDate(new Date(event.happenedAt), MOMENT)]
    .filter(Boolean)
    .join(" · ");
}

function delayNotice(delay: NonNullable<ShipmentJson["delay"]>, t: Translate): Notice {
  const why =
    delay.reason === "silent"
      ? t("delay_silent", { count: delay.daysSilent })
      : delay.reason === "exception"
        ? t("delay_exception")
        : t("delay_overdue");
  return { heading: t("delay_heading"), paragraphs: [why, t("delay_help")] };
}

function statusTone(stage: ShipmentStage): ShipmentCard["status"]["tone"] {
  if (stage === "failure" || stage === "attempted_delivery") return "critical";
  return stage === "delivered" ? "auto" : "neutral";
}

export function shipmentCard(
  shipment: ShipmentJson,
  position: { index: number; count: number },
  t: Translate,
  formatDate: FormatDate,
): ShipmentCard {
  const facts: Fact[] = [];
  if (shipment.carrier) facts.push({ label: t("carrier"), value: shipment.carrier });
  if (shipment.lastEvent) facts.push({ label: t("latest_update"), value: eventLine(shipment.lastEvent, t, formatDate) });
  if (shipment.deliveredAt) {
    facts.push({ label: t("status_delivered"), value: t("delivered_on", { date: formatDate(new Date(shipment.deliveredAt), MOMENT) }) });
  } else if (shipment.estimatedDelivery) {
    const from = formatDate(new Date(shipment.estimatedDelivery.from), CALENDAR_DAY);
    const to = formatDate(new Date(shipment.estimatedDelivery.to), CALENDAR_DAY);
    facts.push({ label: t("estimated_delivery"), value: from === to ? from : t("date_range", { from, to }) });
  } else if (shipment.shippedAt) {
    facts.push({ label: t("status_shipped"), value: t("shipped_on", { date: formatDate(new Date(shipment.shippedAt), MOMENT) }) });
  }
  return {
    heading: position.count > 1 ? t("shipment_of", { index: position.index + 1, count: position.count }) : null,
    status: { label: t(`status_${shipment.status}`), tone: statusTone(shipment.status) },
    facts,
    trackingLabel: t("tracking_number"),
    tracking: shipment.tracking.map((tracking) => ({
      number: tracking.number,
      url: tracking.url && /^https?:\/\//i.test(tracking.url) ? tracking.url : null,
      linkLabel: t("track_on_carrier"),
    })),
    delay: shipment.delay ? delayNotice(shipment.delay, t) : null,
  };
}

export function orderStatusModel(tracking: TrackingJson, t: Translate, formatDate: FormatDate): OrderStatusModel {
  const awaiting =
    tracking.state === "awaiting_shipment"
      ? {
          heading: t("awaiting_heading"),
          paragraphs: tracking.commitment ? commitmentParagraphs(tracking.commitment, t) : [t("awaiting")],
        }
      : null;
  return {
    awaiting,
    cancelled: tracking.state === "cancelled" ? t("cancelled") : null,
    shipments: tracking.shipments.map((shipment, index) =>
      shipmentCard(shipment, { index, count: tracking.shipments.length }, t, formatDate),
    ),
  };
}
