// The order status extension's rendering logic with its inputs: the backend's tracking JSON, the
// extension's locale files read as shopify.i18n reads them, and Intl date formatting.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  commitmentParagraphs,
  eventLine,
  orderStatusModel,
  trackingRequestUrl,
  type FormatDate,
  type ShipmentJson,
  type ShipmentStage,
  type TrackingJson,
  type Translate,
} from "../../extensions/order-status-tracking/src/view";
import { buildTrackingView } from "~/tracking/view";

const LOCALES_DIR = join(process.cwd(), "extensions/order-status-tracking/locales");
type Strings = Record<string, string | Record<string, string>>;
const LOCALES: Record<string, Strings> = Object.fromEntries(
  readdirSync(LOCALES_DIR).map((file) => [file.replace(/(\.default)?\.json$/, ""), JSON.parse(readFileSync(join(LOCALES_DIR, file), "utf8"))]),
);

/** As shopify.i18n.translate: the key must exist; `count` picks the plural form; {{name}} filled. */
function translator(locale: string): Translate {
  return (key, options = {}) => {
    const entry = LOCALES[locale][key];
    if (entry === undefined) throw new Error(`${locale}: missing ${key}`);
    const text = typeof entry === "string" ? entry : entry[new Intl.PluralRules(locale).select(Number(options.count))] ?? entry.other;
    return text.replace(/{{(\w+)}}/g, (all, name: string) => (name in options ? String(options[name]) : all));
  };
}
const formatter = (locale: string): FormatDate => (date, options) => new Intl.DateTimeFormat(locale, options).format(date);

const en = translator("en");
const formatEn = formatter("en");

const STAGES: ShipmentStage[] = ["shipped", "label_created", "in_transit", "out_for_delivery", "ready_for_pickup", "attempted_delivery", "delayed", "failure", "delivered"];

function shipment(extra: Partial<ShipmentJson> = {}): ShipmentJson {
  return {
    carrier: "DHL Express",
    tracking: [{ number: "JD014600001", url: "https://www.dhl.com/track?id=JD014600001" }],
    status: "in_transit",
    shippedAt: "2026-12-01T09:00:00.000Z",
    deliveredAt: null,
    estimatedDelivery: { from: "2026-12-08", to: "2026-12-11" },
    lastEvent: { status: "in_transit", message: "Arrived at hub", city: "Leipzig", country: "DE", happenedAt: "2026-12-03T14:20:00.000Z" },
    events: [],
    delay: null,
    ...extra,
  };
}

function tracking(extra: Partial<TrackingJson> = {}): TrackingJson {
  return { order: { name: "#1001" }, state: "shipped", commitment: null, shipments: [shipment()], ...extra };
}

describe("locale files", () => {
  it("ship the eight languages of the mail templates", () => {
    expect(Object.keys(LOCALES).sort()).toEqual(["de", "en", "es", "fr", "it", "ja", "pt", "zh-CN"]);
  });

  it.each(Object.keys(LOCALES))("%s has exactly the English keys and placeholders", (locale) => {
    const shape = (strings: Strings) =>
      Object.entries(strings)
        .flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : Object.entries(value).map(([form, text]) => [`${key}.${form}`, text])))
        .map(([key, text]) => `${key}:${[...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort().join(",")}`)
        .sort();
    expect(shape(LOCALES[locale])).toEqual(shape(LOCALES.en));
  });

  it.each(Object.keys(LOCALES))("%s renders every state, status and delay without a missing string", (locale) => {
    const t = translator(locale);
    const formatDate = formatter(locale);
    const views: TrackingJson[] = [
      tracking({ state: "awaiting_shipment", commitment: { handlingHours: 48, onlineTrackingDays: 1 }, shipments: [] }),
      tracking({ state: "awaiting_shipment", commitment: null, shipments: [] }),
      tracking({ state: "cancelled", shipments: [] }),
      tracking({ shipments: STAGES.map((status) => shipment({ status, lastEvent: { ...shipment().lastEvent!, status } })) }),
      tracking({
        shipments: [
          shipment({ delay: { reason: "overdue", daysOverdue: 3, daysSilent: 1 } }),
          shipment({ delay: { reason: "silent", daysOverdue: 0, daysSilent: 9 } }),
          shipment({ delay: { reason: "exception", daysOverdue: 0, daysSilent: 0 } }),
          shipment({ status: "delivered", deliveredAt: "2026-12-09T10:00:00.000Z", estimatedDelivery: null }),
          shipment({ estimatedDelivery: null, lastEvent: null }),
        ],
      }),
    ];
    const texts = (value: unknown): string[] =>
      typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(texts) : [];
    for (const view of views) {
      for (const text of texts(orderStatusModel(view, t, formatDate))) expect(text).not.toMatch(/{{|}}/);
    }
  });
});

describe("orderStatusModel", () => {
  it("shows the handling commitment while nothing has shipped", () => {
    const model = orderStatusModel(tracking({ state: "awaiting_shipment", commitment: { handlingHours: 48, onlineTrackingDays: 3 }, shipments: [] }), en, formatEn);
    expect(model.awaiting).toEqual({
      heading: "Your order is being prepared",
      paragraphs: [
        "We prepare your order within 48 hours and hand it to the carrier to get a tracking number.",
        "Once it has shipped, it can take up to 3 days for tracking to appear online.",
        "We check the quality of every item before it leaves.",
      ],
    });
    expect(model.shipments).toEqual([]);
    expect(model.cancelled).toBeNull();
  });

  it("uses the singular where the number is one", () => {
    expect(commitmentParagraphs({ handlingHours: 1, onlineTrackingDays: 1 }, en).slice(0, 2)).toEqual([
      "We prepare your order within 1 hour and hand it to the carrier to get a tracking number.",
      "Once it has shipped, it can take up to 1 day for tracking to appear online.",
    ]);
  });

  it("says the order has not shipped yet when the merchant keeps no commitment", () => {
    const model = orderStatusModel(tracking({ state: "awaiting_shipment", shipments: [] }), en, formatEn);
    expect(model.awaiting?.paragraphs).toEqual(["Your order hasn't shipped yet. We'll email you the tracking number as soon as it's on its way."]);
  });

  it("gives a shipment's carrier, tracking link, status, latest event and delivery window", () => {
    const [card] = orderStatusModel(tracking(), en, formatEn).shipments;
    expect(card).toEqual({
      heading: null,
      status: { label: "In transit", tone: "neutral" },
      facts: [
        { label: "Carrier", value: "DHL Express" },
        { label: "Latest update", value: `In transit · Arrived at hub · Leipzig, DE · ${formatEn(new Date("2026-12-03T14:20:00.000Z"), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })}` },
        { label: "Estimated delivery", value: "December 8 – December 11" },
      ],
      trackingLabel: "Tracking number",
      tracking: [{ number: "JD014600001", url: "https://www.dhl.com/track?id=JD014600001", linkLabel: "Track on the carrier's website" }],
      delay: null,
    });
  });

  it("numbers several shipments and shows a one-day window as one date", () => {
    const model = orderStatusModel(
      tracking({ shipments: [shipment(), shipment({ estimatedDelivery: { from: "2026-12-09", to: "2026-12-09" } })] }),
      en,
      formatEn,
    );
    expect(model.shipments.map((card) => card.heading)).toEqual(["Shipment 1 of 2", "Shipment 2 of 2"]);
    expect(model.shipments[1].facts.at(-1)).toEqual({ label: "Estimated delivery", value: "December 9" });
  });

  it("explains a late parcel calmly, by its reason", () => {
    const notices = (["overdue", "silent", "exception"] as const).map(
      (reason) => orderStatusModel(tracking({ shipments: [shipment({ delay: { reason, daysOverdue: 2, daysSilent: 9 } })] }), en, formatEn).shipments[0].delay,
    );
    expect(notices.map((n) => n?.heading)).toEqual(Array(3).fill("Taking a little longer than expected"));
    expect(notices[0]?.paragraphs[0]).toMatch(/^Your parcel is past its estimated delivery date\./);
    expect(notices[1]?.paragraphs[0]).toMatch(/^The carrier hasn't posted an update for 9 days\./);
    expect(notices[2]?.paragraphs[0]).toMatch(/^The carrier reported a problem on the way/);
    expect(notices.every((n) => n?.paragraphs[1] === "Questions? Reply to your shipping confirmation email and we'll help.")).toBe(true);
  });

  it("shows when a parcel was delivered instead of its window", () => {
    const [card] = orderStatusModel(
      tracking({ state: "delivered", shipments: [shipment({ status: "delivered", deliveredAt: "2026-12-09T10:00:00.000Z", estimatedDelivery: null })] }),
      en,
      formatEn,
    ).shipments;
    expect(card.status).toEqual({ label: "Delivered", tone: "auto" });
    expect(card.facts.at(-1)?.value).toMatch(/^Delivered on Dec 9/);
  });

  it("marks a delivery problem as critical", () => {
    const [card] = orderStatusModel(tracking({ shipments: [shipment({ status: "failure" })] }), en, formatEn).shipments;
    expect(card.status).toEqual({ label: "Delivery problem", tone: "critical" });
  });

  it("drops a carrier link that is not a web address", () => {
    const [card] = orderStatusModel(tracking({ shipments: [shipment({ tracking: [{ number: "X1", url: "javascript:alert(1)" }] })] }), en, formatEn).shipments;
    expect(card.tracking).toEqual([{ number: "X1", url: null, linkLabel: "Track on the carrier's website" }]);
  });

  it("says a cancelled order was cancelled", () => {
    expect(orderStatusModel(tracking({ state: "cancelled", shipments: [] }), en, formatEn).cancelled).toBe("This order was cancelled.");
  });

  it("speaks the buyer's language", () => {
    const model = orderStatusModel(tracking({ shipments: [shipment({ delay: { reason: "silent", daysOverdue: 0, daysSilent: 8 } })] }), translator("de"), formatter("de"));
    expect(model.shipments[0].status.label).toBe("Unterwegs");
    expect(model.shipments[0].facts.at(-1)).toEqual({ label: "Voraussichtliche Zustellung", value: "8. Dezember – 11. Dezember" });
    expect(model.shipments[0].delay?.paragraphs[0]).toMatch(/seit 8 Tagen/);
    expect(eventLine(shipment().lastEvent!, translator("ja"), formatter("ja"))).toMatch(/^輸送中 · Arrived at hub · Leipzig, DE · /);
  });
});

describe("trackingRequestUrl", () => {
  it("asks the app's backend for the order of the page", () => {
    expect(trackingRequestUrl("https://app.example.com/", "gid://shopify/Order/5001")).toBe("https://app.example.com/api/order-status/5001");
    expect(trackingRequestUrl("https://app.example.com", "gid://shopify/DraftOrder/5001")).toBeNull();
    expect(trackingRequestUrl("https://app.example.com", undefined)).toBeNull();
  });
});

describe("the contract with the backend", () => {
  it("is what app/tracking builds", () => {
    const now = new Date("2026-12-10T12:00:00Z");
    // Typed as the extension's JSON: a drift between the two fails the typecheck.
    const view: TrackingJson = buildTrackingView(
      {
        shop: { handlingEnabled: true, handlingHours: 48, onlineTrackingDays: 3, delayGraceDays: 3, silenceDays: 7 },
        order: { name: "#1001", cancelledAt: null },
        shipments: [],
        events: [],
      },
      now,
    );
    expect(orderStatusModel(JSON.parse(JSON.stringify(view)), en, formatEn).awaiting?.paragraphs).toHaveLength(3);
  });
});
