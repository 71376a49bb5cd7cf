import { describe, expect, it } from "vitest";
import { atRiskColumns } from "~/shipments/at-risk";
import {
  delayDue,
  isAtRisk,
  planNotifications,
  type PlanOrder,
  type PlanSettings,
  type PlanShipment,
  type PlannedNotification,
  type SentMessage,
} from "./plan";
import { MINUTE_MS, HOUR_MS, DAY_MS } from "~/time";
import type { FeedbackFacts } from "~/feedback/rules";

const PAID = new Date("2026-06-01T10:00:00.000Z");
const at = (ms: number) => new Date(PAID.getTime() + ms);

const settings = (over: Partial<PlanSettings> = {}): PlanSettings => ({
  timezone: "UTC",
  primaryLocale: "en",
  handlingEnabled: true,
  handlingDelayMinutes: 10,
  shippingEnabled: true,
  feedbackEnabled: true,
  feedbackDelayDays: 7,
  feedbackFallbackDays: 5,
  delayEnabled: true,
  delayGraceDays: 3,
  silenceDays: 7,
  ...over,
});

const order = (over: Partial<PlanOrder> = {}): PlanOrder => ({
  shopifyId: "1001",
  email: "buyer@example.com",
  locale: "de",
  destinationCountry: "GB",
  financialStatus: "paid",
  cancelledAt: null,
  paidAt: PAID,
  redactedAt: null,
  importedAt: null,
  ...over,
});

// As the shipment's refresh stores it: at risk by the fixed rule (no lane history) under `set`.
const shipment = (over: Partial<PlanShipment> = {}, set: Partial<PlanSettings> = {}): PlanShipment => {
  const row = {
    shopifyId: "F1",
    status: "success",
    shipmentStatus: null,
    trackingNumbers: ["TN1"],
    shippedAt: at(2 * DAY_MS),
    createdAt: at(2 * DAY_MS),
    deliveredAt: null,
    estimatedDeliveryTo: null,
    lastEventAt: null,
    ...over,
  };
  return { ...row, ...atRiskColumns(row, null, { ...settings(set), atRiskRule: "learned" }), ...over };
};

interface Input {
  settings: PlanSettings;
  order: PlanOrder | null;
  shipments: PlanShipment[];
  sent: SentMessage[];
  feedback?: FeedbackFacts;
}
const input = (over: Partial<Input> = {}): Input => ({ settings: settings(), order: order(), shipments: [], sent: [], ...over });

const plan = (over: Partial<Input> = {}) => planNotifications(input(over));
// Every tracked, undelivered shipment also has a delay notice waiting (far ahead); the tests of the
// other messages leave it out, the delay-notice tests below look at it directly.
const keys = (planned: PlannedNotification[]) => planned.map((p) => p.planKey).filter((k) => !k.startsWith("delay_notice:")).sort();
const find = (planned: PlannedNotification[], kind: string) => planned.filter((p) => p.kind === kind);
const iso = (date: Date | undefined) => date?.toISOString();

describe("handling commitment", () => {
  const cases: Array<{ name: string; over: Partial<Input>; due: Date | null }> = [
    { name: "paid, nothing shipped: at paid + delay", over: {}, due: at(10 * MINUTE_MS) },
    { name: "a longer delay is honoured", over: { settings: settings({ handlingDelayMinutes: 90 }) }, due: at(90 * MINUTE_MS) },
    { name: "nothing shipped: due after the delay", over: {}, due: at(10 * MINUTE_MS) },
    { name: "shipped after it was due but before it went out: obsolete", over: { shipments: [shipment({ shippedAt: at(11 * MINUTE_MS) })] }, due: null },
    { name: "shipped before it was due: skipped", over: { shipments: [shipment({ shippedAt: at(5 * MINUTE_MS) })] }, due: null },
    { name: "shipped exactly when due: skipped", over: { shipments: [shipment({ shippedAt: at(10 * MINUTE_MS) })] }, due: null },
    { name: "no shippedAt: createdAt counts", over: { shipments: [shipment({ shippedAt: null, createdAt: at(MINUTE_MS) })] }, due: null },
    { name: "shipped early without tracking: still skipped", over: { shipments: [shipment({ shippedAt: at(MINUTE_MS), trackingNumbers: [] })] }, due: null },
    { name: "a cancelled early fulfillment does not count", over: { shipments: [shipment({ shippedAt: at(MINUTE_MS), status: "cancelled" })] }, due: at(10 * MINUTE_MS) },
    { name: "disabled: none", over: { settings: settings({ handlingEnabled: false }) }, due: null },
    { name: "not paid: none", over: { order: order({ paidAt: null, financialStatus: "pending" }) }, due: null },
  ];

  it.each(cases)("$name", ({ over, due }) => {
    const handling = find(plan(over), "handling_commitment");
    if (!due) {
      expect(handling).toEqual([]);
      return;
    }
    expect(handling).toEqual([
      {
        planKey: "handling_commitment:1001",
        kind: "handling_commitment",
        orderShopifyId: "1001",
        shipmentShopifyId: null,
        trackingNumber: null,
        recipient: "buyer@example.com",
        locale: "de",
        scheduledFor: due,
      },
    ]);
  });
});

describe("shipping confirmation", () => {
  it("one per fulfillment with tracking, at the time it shipped", () => {
    const planned = plan({
      shipments: [
        shipment({ shopifyId: "F1", trackingNumbers: ["TN1", "TN1-B"], shippedAt: at(DAY_MS) }),
        shipment({ shopifyId: "F2", trackingNumbers: ["TN2"], shippedAt: null, createdAt: at(3 * DAY_MS) }),
      ],
    });
    expect(find(planned, "shipping_confirmation")).toEqual([
      {
        planKey: "shipping_confirmation:F1",
        kind: "shipping_confirmation",
        orderShopifyId: "1001",
        shipmentShopifyId: "F1",
        trackingNumber: "TN1",
        recipient: "buyer@example.com",
        locale: "de",
        scheduledFor: at(DAY_MS),
      },
      {
        planKey: "shipping_confirmation:F2",
        kind: "shipping_confirmation",
        orderShopifyId: "1001",
        shipmentShopifyId: "F2",
        trackingNumber: "TN2",
        recipient: "buyer@example.com",
        locale: "de",
        scheduledFor: at(3 * DAY_MS),
      },
    ]);
  });

  const none: Array<{ name: string; over: Partial<Input> }> = [
    { name: "no tracking number", over: { shipments: [shipment({ trackingNumbers: [] })] } },
    { name: "a cancelled fulfillment", over: { shipments: [shipment({ status: "cancelled" })] } },
    { name: "a failed fulfillment", over: { shipments: [shipment({ status: "failure" })] } },
    { name: "an errored fulfillment", over: { shipments: [shipment({ status: "error" })] } },
    { name: "shipping messages disabled", over: { settings: settings({ shippingEnabled: false }), shipments: [shipment()] } },
  ];
  it.each(none)("none for $name", ({ over }) => {
    const planned = plan(over);
    expect(find(planned, "shipping_confirmation")).toEqual([]);
    expect(find(planned, "tracking_updated")).toEqual([]);
  });

  it("a confirmation already sent for the same number is planned under the same key (nothing new)", () => {
    const planned = plan({
      shipments: [shipment({ trackingNumbers: ["TN1"] })],
      sent: [{ kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" }],
    });
    expect(keys(planned)).toEqual(["shipping_confirmation:F1"]);
  });

  it("a number changed after the confirmation was sent plans exactly one tracking_updated, keyed by the new number", () => {
    const planned = plan({
      shipments: [shipment({ trackingNumbers: ["TN2"] }), shipment({ shopifyId: "F9", trackingNumbers: ["TN9"] })],
      sent: [
        { kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" },
        { kind: "handling_commitment", shipmentShopifyId: null, trackingNumber: null },
      ],
    });
    const forF1 = planned.filter((p) => p.shipmentShopifyId === "F1" && p.kind !== "delay_notice");
    expect(forF1).toEqual([
      {
        planKey: "tracking_updated:F1:TN2",
        kind: "tracking_updated",
        orderShopifyId: "1001",
        shipmentShopifyId: "F1",
        trackingNumber: "TN2",
        recipient: "buyer@example.com",
        locale: "de",
        scheduledFor: at(2 * DAY_MS),
      },
    ]);
    // The other fulfillment's confirmation is unaffected.
    expect(keys(planned.filter((p) => p.shipmentShopifyId === "F9"))).toEqual(["shipping_confirmation:F9"]);
  });

  it("once the update was sent too, the plan keeps asking for that same message (no second one)", () => {
    const sent: SentMessage[] = [
      { kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" },
      { kind: "tracking_updated", shipmentShopifyId: "F1", trackingNumber: "TN2" },
    ];
    expect(keys(plan({ shipments: [shipment({ trackingNumbers: ["TN2"] })], sent }).filter((p) => p.shipmentShopifyId === "F1"))).toEqual([
      "tracking_updated:F1:TN2",
    ]);
    // A further change is a new message keyed by the newest number.
    expect(keys(plan({ shipments: [shipment({ trackingNumbers: ["TN3"] })], sent }).filter((p) => p.shipmentShopifyId === "F1"))).toEqual([
      "tracking_updated:F1:TN3",
    ]);
  });

  describe("a shipment the carrier already delivered", () => {
    // The fulfillment's first webhook arrived twelve days after the carrier reported delivery.
    const deliveredLongAgo = shipment({ trackingNumbers: ["TN1"], deliveredAt: at(3 * DAY_MS) });

    it("gets no shipping confirmation, and still its feedback request", () => {
      const planned = plan({ shipments: [deliveredLongAgo] });
      expect(find(planned, "shipping_confirmation")).toEqual([]);
      expect(keys(planned)).toEqual(["feedback_request:1001"]);
    });

    it("gets no tracking update for a number changed after the confirmation, unless that update was sent", () => {
      const changed = shipment({ trackingNumbers: ["TN2"], deliveredAt: at(3 * DAY_MS) });
      const confirmed: SentMessage = { kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" };
      expect(find(plan({ shipments: [changed], sent: [confirmed] }), "tracking_updated")).toEqual([]);
      const updated: SentMessage = { kind: "tracking_updated", shipmentShopifyId: "F1", trackingNumber: "TN2" };
      expect(keys(plan({ shipments: [changed], sent: [confirmed, updated] }))).toEqual(["feedback_request:1001", "tracking_updated:F1:TN2"]);
    });

    it("keeps asking for a confirmation already sent (nothing is withdrawn or sent again)", () => {
      const sent: SentMessage[] = [{ kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" }];
      expect(keys(plan({ shipments: [deliveredLongAgo], sent }))).toEqual(["feedback_request:1001", "shipping_confirmation:F1"]);
    });
  });

  it("a sent confirmation of another fulfillment does not turn this one into an update", () => {
    const planned = plan({
      shipments: [shipment({ trackingNumbers: ["TN1"] })],
      sent: [{ kind: "shipping_confirmation", shipmentShopifyId: "F2", trackingNumber: "OTHER" }],
    });
    expect(keys(planned)).toContain("shipping_confirmation:F1");
    expect(find(planned, "tracking_updated")).toEqual([]);
  });
});

describe("feedback request", () => {
  const feedback = (over: Partial<Input>) => find(plan(over), "feedback_request");

  it("at the last delivery + feedbackDelayDays when every live shipment is delivered", () => {
    const planned = feedback({
      shipments: [
        shipment({ shopifyId: "F1", deliveredAt: new Date("2026-06-05T11:00:00Z") }),
        shipment({ shopifyId: "F2", deliveredAt: new Date("2026-06-06T12:00:00Z"), estimatedDeliveryTo: new Date("2026-06-30T00:00:00Z") }),
        shipment({ shopifyId: "F3", status: "cancelled" }), // never delivered, but cancelled: ignored
      ],
    });
    expect(planned).toEqual([
      {
        planKey: "feedback_request:1001",
        kind: "feedback_request",
        orderShopifyId: "1001",
        shipmentShopifyId: null,
        trackingNumber: null,
        recipient: "buyer@example.com",
        locale: "de",
        // GB buyer, 13:00 BST: already daytime.
        scheduledFor: new Date("2026-06-13T12:00:00Z"),
      },
    ]);
  });

  it("otherwise at the latest estimatedDeliveryTo (or delivery) + feedbackFallbackDays", () => {
    const planned = feedback({
      shipments: [
        shipment({ shopifyId: "F1", deliveredAt: new Date("2026-06-05T11:00:00Z") }),
        shipment({ shopifyId: "F2", estimatedDeliveryTo: new Date("2026-06-08T12:00:00Z") }),
      ],
    });
    expect(planned.map((p) => iso(p.scheduledFor))).toEqual(["2026-06-13T12:00:00.000Z"]);
    const later = feedback({
      shipments: [
        shipment({ shopifyId: "F1", deliveredAt: new Date("2026-06-20T11:00:00Z") }),
        shipment({ shopifyId: "F2", estimatedDeliveryTo: new Date("2026-06-08T12:00:00Z") }),
      ],
    });
    expect(later.map((p) => iso(p.scheduledFor))).toEqual(["2026-06-25T11:00:00.000Z"]);
  });

  const none: Array<{ name: string; over: Partial<Input> }> = [
    { name: "no shipment yet", over: {} },
    { name: "only cancelled shipments", over: { shipments: [shipment({ status: "cancelled", deliveredAt: new Date("2026-06-05T11:00:00Z") })] } },
    { name: "a shipment with neither delivery nor estimate", over: { shipments: [shipment({ shopifyId: "F1", deliveredAt: new Date("2026-06-05T11:00:00Z") }), shipment({ shopifyId: "F2" })] } },
    { name: "feedback disabled", over: { settings: settings({ feedbackEnabled: false }), shipments: [shipment({ deliveredAt: new Date("2026-06-05T11:00:00Z") })] } },
    { name: "a refunded order", over: { order: order({ financialStatus: "refunded" }), shipments: [shipment({ deliveredAt: new Date("2026-06-05T11:00:00Z") })] } },
    { name: "a voided order", over: { order: order({ financialStatus: "voided" }), shipments: [shipment({ deliveredAt: new Date("2026-06-05T11:00:00Z") })] } },
  ];
  it.each(none)("none for $name", ({ over }) => {
    expect(feedback(over)).toEqual([]);
  });

  describe("with the feedback rules' facts", () => {
    const delivered = [shipment({ deliveredAt: new Date("2026-06-05T11:00:00Z") })];
    const facts = (over: Partial<FeedbackFacts> = {}): FeedbackFacts => ({
      delayNoticeSent: false,
      parcels: [{ deliveredAt: new Date("2026-06-05T11:00:00Z"), promisedDeliveryTo: new Date("2026-06-06T00:00:00Z") }],
      refundedAt: null,
      returnStatus: null,
      unfulfilledQuantity: 0,
      buyerRequests: [],
      ...over,
    });

    it("plans as before when none of the rules applies, and after a delay by default (reworded at send time)", () => {
      expect(feedback({ shipments: delivered, feedback: facts() }).map((p) => iso(p.scheduledFor))).toEqual(["2026-06-12T11:00:00.000Z"]);
      expect(feedback({ shipments: delivered, feedback: facts({ delayNoticeSent: true }) })).toHaveLength(1);
    });

    const stopped: Array<{ name: string; over: Partial<Input> }> = [
      { name: "a refund of a line", over: { feedback: facts({ refundedAt: new Date("2026-06-06T00:00:00Z") }) } },
      { name: "an open return", over: { feedback: facts({ returnStatus: "RETURN_REQUESTED" }) } },
      { name: "items still to ship (another parcel is coming)", over: { feedback: facts({ unfulfilledQuantity: 1 }) } },
      { name: "a delay, when the shop skips after one", over: { settings: settings({ feedbackAfterDelay: "skip" }), feedback: facts({ delayNoticeSent: true }) } },
      {
        name: "a parcel later than its printed window, when the shop skips after one",
        over: { settings: settings({ feedbackAfterDelay: "skip" }), feedback: facts({ parcels: [{ deliveredAt: new Date("2026-06-05T11:00:00Z"), promisedDeliveryTo: new Date("2026-06-03T00:00:00Z") }] }) },
      },
      {
        name: "the buyer's request for another order sent 10 days before",
        over: { feedback: facts({ buyerRequests: [{ orderShopifyId: "2002", orderName: "#2002", status: "sent", scheduledFor: new Date("2026-06-02T10:00:00Z"), sentAt: new Date("2026-06-02T10:00:00Z") }] }) },
      },
      {
        name: "the buyer's request for another order scheduled the day before",
        over: { feedback: facts({ buyerRequests: [{ orderShopifyId: "2002", orderName: "#2002", status: "scheduled", scheduledFor: new Date("2026-06-11T10:00:00Z"), sentAt: null }] }) },
      },
    ];
    it.each(stopped)("none for $name", ({ over }) => {
      expect(feedback({ shipments: delivered, ...over })).toEqual([]);
    });

    it("a second parcel still on its way holds the request until it is delivered, then the latest delivery counts", () => {
      const first = shipment({ shopifyId: "F1", deliveredAt: new Date("2026-06-05T11:00:00Z") });
      expect(feedback({ shipments: [first, shipment({ shopifyId: "F2" })], feedback: facts() })).toEqual([]);
      const both = [first, shipment({ shopifyId: "F2", deliveredAt: new Date("2026-06-09T11:00:00Z") })];
      expect(feedback({ shipments: both, feedback: facts() }).map((p) => iso(p.scheduledFor))).toEqual(["2026-06-16T11:00:00.000Z"]);
    });
  });

  // The same due instants land differently for a buyer in Japan and one in the USA (America/Chicago).
  const daytime: Array<{ name: string; country: string | null; timezone?: string; deliveredAt: string; expected: string }> = [
    // due 2026-06-17T14:00Z = 23:00 JST → 09:00 JST next day
    { name: "JP buyer, due at 23:00 local: next morning 09:00 JST", country: "JP", deliveredAt: "2026-06-10T14:00:00Z", expected: "2026-06-18T00:00:00.000Z" },
    // due 2026-06-17T14:00Z = 09:00 CDT: kept
    { name: "US buyer, same instant is 09:00 local: kept", country: "US", deliveredAt: "2026-06-10T14:00:00Z", expected: "2026-06-17T14:00:00.000Z" },
    // due 2026-06-17T03:00Z = 12:00 JST: kept
    { name: "JP buyer, due at noon local: kept", country: "JP", deliveredAt: "2026-06-10T03:00:00Z", expected: "2026-06-17T03:00:00.000Z" },
    // due 2026-06-17T03:00Z = 22:00 CDT on the 16th → 09:00 CDT on the 17th
    { name: "US buyer, due at 22:00 local: next morning 09:00 CDT", country: "US", deliveredAt: "2026-06-10T03:00:00Z", expected: "2026-06-17T14:00:00.000Z" },
    // US in winter (CST, UTC−6): due 2026-01-17T10:00Z = 04:00 CST → 09:00 CST
    { name: "US buyer in winter, due at 04:00 local: 09:00 CST", country: "us", deliveredAt: "2026-01-10T10:00:00Z", expected: "2026-01-17T15:00:00.000Z" },
    // No destination: the shop's time zone.
    { name: "no destination: the shop's zone", country: null, timezone: "Asia/Tokyo", deliveredAt: "2026-06-10T14:00:00Z", expected: "2026-06-18T00:00:00.000Z" },
  ];
  it.each(daytime)("$name", ({ country, timezone, deliveredAt, expected }) => {
    const planned = feedback({
      settings: settings({ timezone: timezone ?? "UTC" }),
      order: order({ destinationCountry: country }),
      shipments: [shipment({ deliveredAt: new Date(deliveredAt) })],
    });
    expect(planned.map((p) => iso(p.scheduledFor))).toEqual([expected]);
  });
});

describe("orders that get nothing", () => {
  const full = { shipments: [shipment({ estimatedDeliveryTo: new Date("2026-06-05T11:00:00Z") })] };
  it("the fixture itself plans a confirmation and a feedback request (the handling commitment is obsolete once shipped)", () => {
    expect(keys(plan(full))).toEqual(["feedback_request:1001", "shipping_confirmation:F1"]);
  });
  const cases: Array<{ name: string; order: PlanOrder | null }> = [
    { name: "a cancelled order", order: order({ cancelledAt: at(HOUR_MS), financialStatus: "refunded" }) },
    { name: "a cancelled order still marked paid", order: order({ cancelledAt: at(HOUR_MS) }) },
    { name: "a redacted order", order: order({ redactedAt: at(DAY_MS), email: "buyer@example.com" }) },
    { name: "an order without email", order: order({ email: null }) },
    { name: "an order with an empty email", order: order({ email: "" }) },
    { name: "an order not known yet", order: null },
    { name: "an order imported from history", order: order({ importedAt: at(30 * DAY_MS) }) },
  ];
  it.each(cases)("$name", ({ order: o }) => {
    expect(plan({ ...full, order: o })).toEqual([]);
  });
});

describe("locale", () => {
  const cases: Array<{ name: string; buyer: string | null; shop: string; expected: string }> = [
    { name: "the buyer's locale", buyer: "ja", shop: "fr", expected: "ja" },
    { name: "the buyer's regional locale, as given", buyer: "pt-BR", shop: "fr", expected: "pt-BR" },
    { name: "no buyer locale: the shop's primary locale", buyer: null, shop: "fr", expected: "fr" },
    { name: "an empty buyer locale: the shop's primary locale", buyer: "", shop: "de-CH", expected: "de-CH" },
    { name: "neither: English", buyer: null, shop: "", expected: "en" },
  ];
  it.each(cases)("$name", ({ buyer, shop, expected }) => {
    const planned = plan({
      settings: settings({ primaryLocale: shop }),
      order: order({ locale: buyer }),
      shipments: [shipment({ deliveredAt: new Date("2026-06-05T11:00:00Z") })],
      sent: [{ kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "TN1" }],
    });
    expect(planned).toHaveLength(2);
    expect(new Set(planned.map((p) => p.locale))).toEqual(new Set([expected]));
  });
});

describe("determinism", () => {
  const rich = (): Input =>
    input({
      settings: settings({ timezone: "Europe/Paris" }),
      order: order({ destinationCountry: "JP", locale: null }),
      shipments: [
        shipment({ shopifyId: "F1", trackingNumbers: ["NEW1"], estimatedDeliveryTo: new Date("2026-06-05T16:00:00Z") }),
        shipment({ shopifyId: "F2", trackingNumbers: ["TN2"], estimatedDeliveryTo: new Date("2026-06-09T23:00:00Z") }),
        shipment({ shopifyId: "F3", trackingNumbers: [], shippedAt: at(MINUTE_MS), estimatedDeliveryTo: new Date("2026-06-07T02:00:00Z") }),
        shipment({ shopifyId: "F4", status: "cancelled", trackingNumbers: ["X"] }),
      ],
      sent: [{ kind: "shipping_confirmation", shipmentShopifyId: "F1", trackingNumber: "OLD1" }],
    });

  it("the same input always yields the same plan, and the input is not touched", () => {
    const first = rich();
    const snapshot = structuredClone(first);
    const a = planNotifications(first);
    const b = planNotifications(first);
    const c = planNotifications(rich());
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    expect(first).toEqual(snapshot);
    expect(keys(a)).toEqual(["feedback_request:1001", "shipping_confirmation:F2", "tracking_updated:F1:NEW1"]);
    // Plan keys are unique: a plan never asks for one message twice.
    expect(new Set(a.map((p) => p.planKey)).size).toBe(a.length);
  });

  it("does not depend on the order records are listed in", () => {
    const base = rich();
    const expected = [...planNotifications(base)].sort((x, y) => x.planKey.localeCompare(y.planKey));
    for (const rotation of [1, 2, 3]) {
      const shipments = [...base.shipments.slice(rotation), ...base.shipments.slice(0, rotation)];
      const got = planNotifications({ ...base, shipments: shipments, sent: [...base.sent].reverse() });
      expect([...got].sort((x, y) => x.planKey.localeCompare(y.planKey))).toEqual(expected);
    }
  });

  it("does not read the clock", () => {
    const realNow = Date.now;
    try {
      Date.now = () => {
        throw new Error("the planner read the clock");
      };
      expect(() => planNotifications(rich())).not.toThrow();
    } finally {
      Date.now = realNow;
    }
  });
});

describe("delay notice", () => {
  const SHIPPED = at(2 * DAY_MS);
  const delayOf = (planned: PlannedNotification[]) => planned.filter((p) => p.kind === "delay_notice");
  const table: { name: string; ship: Partial<PlanShipment>; set?: Partial<PlanSettings>; due: Date | null }[] = [
    { name: "no estimate, no events: silent N days after shipping", ship: {}, due: new Date(SHIPPED.getTime() + 7 * DAY_MS) },
    { name: "a later event moves the silence deadline", ship: { lastEventAt: at(5 * DAY_MS), shipmentStatus: "in_transit" }, due: at(12 * DAY_MS) },
    {
      name: "estimated window plus grace comes first",
      ship: { estimatedDeliveryTo: at(4 * DAY_MS), lastEventAt: at(3 * DAY_MS), shipmentStatus: "in_transit" },
      due: at(7 * DAY_MS),
    },
    {
      name: "grace is a setting",
      ship: { estimatedDeliveryTo: at(4 * DAY_MS), lastEventAt: at(3 * DAY_MS), shipmentStatus: "in_transit" },
      set: { delayGraceDays: 1 },
      due: at(5 * DAY_MS),
    },
    {
      name: "silence allowance is a setting",
      ship: { lastEventAt: at(3 * DAY_MS), shipmentStatus: "in_transit" },
      set: { silenceDays: 2 },
      due: at(5 * DAY_MS),
    },
    { name: "a failure reported by the carrier triggers it at once", ship: { lastEventAt: at(3 * DAY_MS), shipmentStatus: "failure" }, due: at(3 * DAY_MS) },
    { name: "so does an attempted delivery", ship: { lastEventAt: at(4 * DAY_MS), shipmentStatus: "attempted_delivery" }, due: at(4 * DAY_MS) },
    { name: "delivered: none", ship: { deliveredAt: at(6 * DAY_MS), lastEventAt: at(6 * DAY_MS), shipmentStatus: "delivered" }, due: null },
    { name: "cancelled fulfillment: none", ship: { status: "cancelled" }, due: null },
    { name: "no tracking number: none", ship: { trackingNumbers: [] }, due: null },
  ];
  for (const row of table) {
    it(row.name, () => {
      const planned = delayOf(plan({ settings: settings(row.set), shipments: [shipment(row.ship, row.set)] }));
      if (!row.due) return expect(planned).toEqual([]);
      expect(planned).toHaveLength(1);
      expect(planned[0]!.planKey).toBe("delay_notice:F1");
      expect(planned[0]!.trackingNumber).toBe("TN1");
      // GB buyer, UTC times between 09:00 and 20:00 stay where they are (PAID is 10:00 UTC = 11:00 BST).
      expect(planned[0]!.scheduledFor.toISOString()).toBe(row.due.toISOString());
    });
  }

  it("is moved into the buyer's daytime", () => {
    // 02:00 UTC in Tokyo is 11:00 there: already daytime. 15:00 UTC is midnight in Tokyo: moved to 09:00 JST.
    const planned = delayOf(
      plan({
        order: order({ destinationCountry: "JP" }),
        shipments: [shipment({ lastEventAt: new Date("2026-06-05T15:00:00Z"), shipmentStatus: "failure" })],
      }),
    );
    expect(planned[0]!.scheduledFor.toISOString()).toBe("2026-06-06T00:00:00.000Z");
  });

  it("none when the merchant switched delay notices off", () => {
    const failing = shipment({ lastEventAt: at(3 * DAY_MS), shipmentStatus: "failure" });
    expect(delayOf(plan({ shipments: [failing] }))).toHaveLength(1);
    expect(delayOf(plan({ settings: settings({ delayEnabled: false }), shipments: [failing] }))).toEqual([]);
  });

  it("one per shipment, and none once the buyer is suppressed", () => {
    const two = plan({ shipments: [shipment(), shipment({ shopifyId: "F2", trackingNumbers: ["TN2"] })] });
    expect(delayOf(two).map((p) => p.planKey).sort()).toEqual(["delay_notice:F1", "delay_notice:F2"]);
    expect(planNotifications({ ...input({ shipments: [shipment()] }), suppressed: true })).toEqual([]);
  });

  it("isAtRisk reads the stored time and reason, as the schedule does", () => {
    const s = shipment({ estimatedDeliveryTo: at(4 * DAY_MS), lastEventAt: at(3 * DAY_MS), shipmentStatus: "in_transit" });
    expect(isAtRisk(s, at(7 * DAY_MS - 1))).toBeNull();
    expect(isAtRisk(s, at(7 * DAY_MS))).toBe("overdue");
    expect(isAtRisk(shipment({ lastEventAt: at(3 * DAY_MS), shipmentStatus: "failure" }), at(3 * DAY_MS))).toBe("exception");
    expect(delayDue(shipment())?.reason).toBe("silent");
    expect(delayDue({ ...s, deliveredAt: at(5 * DAY_MS) })).toBeNull();
  });
});
