import { describe, expect, it } from "vitest";
import { atRiskColumns } from "~/shipments/at-risk";
import { buildTrackingView, MAX_EVENTS, stageOf, type TrackingEventRecord, type TrackingShipment } from "./view";
import { DAY_MS } from "~/time";

const NOW = new Date("2026-12-10T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const shop = { handlingEnabled: true, handlingHours: 48, onlineTrackingDays: 3, delayGraceDays: 3, silenceDays: 7 };
const order = { name: "#1001", cancelledAt: null };

// With the at-risk time its refresh would store (the fixed rule: no lane history).
function shipment(extra: Partial<TrackingShipment> = {}): TrackingShipment {
  const row = {
    shopifyId: "9001",
    status: "success",
    shipmentStatus: "in_transit",
    carrierName: "DHL Express",
    trackingCompany: "DHL",
    trackingNumbers: JSON.stringify(["JD0146000012345"]),
    trackingUrls: JSON.stringify(["https://www.dhl.com/track?id=JD0146000012345"]),
    shippedAt: ago(4),
    createdAt: ago(4),
    deliveredAt: null,
    estimatedDeliveryFrom: new Date("2026-12-11T00:00:00Z"),
    estimatedDeliveryTo: new Date("2026-12-15T00:00:00Z"),
    lastEventAt: ago(1),
    ...extra,
  };
  return { ...row, ...atRiskColumns({ ...row, trackingNumbers: JSON.parse(row.trackingNumbers) as string[] }, null, { ...shop, atRiskRule: "learned" }), ...extra };
}

function event(days: number, status = "in_transit", extra: Partial<TrackingEventRecord> = {}): TrackingEventRecord {
  return { fulfillmentShopifyId: "9001", status, message: `scan ${days}`, city: "Leipzig", country: "DE", happenedAt: ago(days), ...extra };
}

describe("buildTrackingView", () => {
  it("shows the handling commitment while nothing has shipped", () => {
    const view = buildTrackingView({ shop, order, shipments: [], events: [] }, NOW);
    expect(view).toEqual({ order: { name: "#1001" }, state: "awaiting_shipment", commitment: { handlingHours: 48, onlineTrackingDays: 3 }, shipments: [] });
  });

  it("has no commitment when the merchant turned the handling message off, or once something shipped", () => {
    expect(buildTrackingView({ shop: { ...shop, handlingEnabled: false }, order, shipments: [], events: [] }, NOW).commitment).toBeNull();
    expect(buildTrackingView({ shop, order, shipments: [shipment()], events: [] }, NOW).commitment).toBeNull();
  });

  it("gives carrier, tracking link, status, last event, events and the window of a shipment in transit", () => {
    const events = [event(3, "label_printed"), event(1), event(2, "carrier_picked_up")];
    const view = buildTrackingView({ shop, order, shipments: [shipment()], events }, NOW);
    expect(view.state).toBe("shipped");
    expect(view.shipments).toHaveLength(1);
    const [only] = view.shipments;
    expect(only).toMatchObject({
      carrier: "DHL Express",
      tracking: [{ number: "JD0146000012345", url: "https://www.dhl.com/track?id=JD0146000012345" }],
      status: "in_transit",
      estimatedDelivery: { from: "2026-12-11", to: "2026-12-15" },
      delay: null,
      deliveredAt: null,
    });
    expect(only.lastEvent).toEqual({ status: "in_transit", message: "scan 1", city: "Leipzig", country: "DE", happenedAt: ago(1).toISOString() });
    expect(only.events.map((e) => e.status)).toEqual(["in_transit", "in_transit", "label_created"]);
  });

  it("never carries ids, addresses or emails", () => {
    const view = buildTrackingView({ shop, order, shipments: [shipment()], events: [event(1)] }, NOW);
    const json = JSON.stringify(view);
    expect(json).not.toContain("9001");
    expect(Object.keys(view.shipments[0]).sort()).toEqual(
      ["carrier", "deliveredAt", "delay", "estimatedDelivery", "events", "lastEvent", "shippedAt", "status", "tracking"].sort(),
    );
  });

  it("keeps only web links to the carrier", () => {
    const view = buildTrackingView(
      { shop, order, shipments: [shipment({ trackingNumbers: '["A","B","C"]', trackingUrls: '["javascript:alert(1)","http://carrier.example/B"]' })], events: [] },
      NOW,
    );
    expect(view.shipments[0].tracking).toEqual([
      { number: "A", url: null },
      { number: "B", url: "http://carrier.example/B" },
      { number: "C", url: null },
    ]);
  });

  it("explains a parcel past its window plus grace", () => {
    const late = shipment({ estimatedDeliveryFrom: ago(9), estimatedDeliveryTo: ago(6), lastEventAt: ago(1) });
    expect(buildTrackingView({ shop, order, shipments: [late], events: [event(1)] }, NOW).shipments[0].delay).toEqual({
      reason: "overdue",
      daysOverdue: 4,
      daysSilent: 1,
    });
  });

  it("explains a parcel the carrier has been silent about", () => {
    const quiet = shipment({ lastEventAt: ago(9), estimatedDeliveryTo: new Date("2026-12-20T00:00:00Z") });
    expect(buildTrackingView({ shop, order, shipments: [quiet], events: [event(9)] }, NOW).shipments[0].delay).toEqual({
      reason: "silent",
      daysOverdue: 0,
      daysSilent: 9,
    });
  });

  it("explains a carrier exception at once", () => {
    const failed = shipment({ shipmentStatus: "attempted_delivery", lastEventAt: ago(0.1) });
    const view = buildTrackingView({ shop, order, shipments: [failed], events: [event(0.1, "attempted_delivery")] }, NOW);
    expect(view.shipments[0].status).toBe("attempted_delivery");
    expect(view.shipments[0].delay?.reason).toBe("exception");
  });

  it("is delivered when every shipment is, with no window and no delay", () => {
    const delivered = shipment({ shipmentStatus: "delivered", deliveredAt: ago(1), estimatedDeliveryTo: ago(9) });
    const view = buildTrackingView({ shop, order, shipments: [delivered], events: [event(1, "delivered")] }, NOW);
    expect(view.state).toBe("delivered");
    expect(view.shipments[0]).toMatchObject({ status: "delivered", deliveredAt: ago(1).toISOString(), estimatedDelivery: null, delay: null });
  });

  it("leaves out cancelled fulfillments and orders shipments by shipping date", () => {
    const first = shipment({ shopifyId: "1", shippedAt: ago(5), carrierName: "First" });
    const second = shipment({ shopifyId: "2", shippedAt: ago(2), carrierName: "Second" });
    const cancelled = shipment({ shopifyId: "3", status: "cancelled", carrierName: "Cancelled" });
    const view = buildTrackingView({ shop, order, shipments: [second, cancelled, first], events: [] }, NOW);
    expect(view.shipments.map((s) => s.carrier)).toEqual(["First", "Second"]);
  });

  it("shows nothing to follow for a cancelled order", () => {
    const view = buildTrackingView({ shop, order: { ...order, cancelledAt: ago(1) }, shipments: [shipment()], events: [] }, NOW);
    expect(view).toMatchObject({ state: "cancelled", commitment: null, shipments: [] });
  });

  it("keeps the newest events, at most MAX_EVENTS, and only this shipment's", () => {
    const events = Array.from({ length: MAX_EVENTS + 5 }, (_, i) => event(i / 10));
    events.push(event(0, "delivered", { fulfillmentShopifyId: "other" }));
    const view = buildTrackingView({ shop, order, shipments: [shipment()], events }, NOW);
    expect(view.shipments[0].events).toHaveLength(MAX_EVENTS);
    expect(view.shipments[0].events[0].happenedAt).toBe(ago(0).toISOString());
    expect(view.shipments[0].events.every((e) => e.status === "in_transit")).toBe(true);
  });
});

describe("stageOf", () => {
  it("folds Shopify's event statuses into the buyer's steps", () => {
    expect(stageOf("label_purchased")).toBe("label_created");
    expect(stageOf("carrier_picked_up")).toBe("in_transit");
    expect(stageOf("picked_up")).toBe("delivered");
    expect(stageOf("OUT_FOR_DELIVERY")).toBe("out_for_delivery");
    expect(stageOf("something_new")).toBe("shipped");
    expect(stageOf(null)).toBe("shipped");
  });
});
