import { describe, expect, it } from "vitest";
import type { LaneWindow } from "~/lanes/estimate-window";
import { deriveShipment, type FulfillmentRecord } from "./derive";

const shipped = new Date("2026-11-02T10:00:00Z"); // a Monday
const fulfillment = (overrides: Partial<FulfillmentRecord> = {}): FulfillmentRecord => ({
  status: "success",
  shipmentStatus: null,
  trackingCompany: "DHL Express",
  trackingNumbers: ["1234567890"],
  trackingUrls: [],
  shippedAt: shipped,
  destinationCountry: "DE",
  shopifyUpdatedAt: shipped,
  ...overrides,
});
const event = (status: string, iso: string, estimatedDeliveryAt: Date | null = null) => ({ status, happenedAt: new Date(iso), estimatedDeliveryAt });

describe("deriveShipment", () => {
  it("supplies the carrier and tracking URL from the registry when Shopify gives none", () => {
    const state = deriveShipment(fulfillment({ trackingCompany: null, trackingNumbers: ["1Z999AA10123456784"] }), []);
    expect(state.carrierCode).toBe("ups");
    expect(state.carrierName).toBe("UPS");
    expect(state.trackingUrls[0]).toContain("1Z999AA10123456784");
  });

  it("keeps Shopify's own tracking URL when it has one", () => {
    const state = deriveShipment(fulfillment({ trackingUrls: ["https://merchant.example/track/1"] }), []);
    expect(state.trackingUrls).toEqual(["https://merchant.example/track/1"]);
    expect(state.carrierName).toBe("DHL Express");
  });

  it("ends in the same state whatever order the events arrive in", () => {
    const events = [event("in_transit", "2026-11-03T08:00:00Z"), event("out_for_delivery", "2026-11-05T07:00:00Z"), event("delivered", "2026-11-05T15:00:00Z")];
    const forward = deriveShipment(fulfillment(), events);
    const backward = deriveShipment(fulfillment(), [...events].reverse());
    expect(backward).toEqual(forward);
    expect(forward.shipmentStatus).toBe("delivered");
    expect(forward.deliveredAt?.toISOString()).toBe("2026-11-05T15:00:00.000Z");
    expect(forward.lastEventAt?.toISOString()).toBe("2026-11-05T15:00:00.000Z");
  });

  it("estimates delivery from the registry in business days, and a carrier's estimate wins", () => {
    const registry = deriveShipment(fulfillment(), []);
    expect(registry.estimatedDeliveryFrom!.getTime()).toBeGreaterThan(shipped.getTime());
    expect(registry.estimatedDeliveryTo!.getTime()).toBeGreaterThanOrEqual(registry.estimatedDeliveryFrom!.getTime());
    const carrierDate = new Date("2026-11-09T12:00:00Z");
    const carrier = deriveShipment(fulfillment(), [event("in_transit", "2026-11-03T08:00:00Z", carrierDate)]);
    expect(carrier.estimatedDeliveryTo?.toISOString().slice(0, 10)).toBe("2026-11-09");
  });

  it("marks a cancelled fulfillment cancelled, whatever its events say", () => {
    expect(deriveShipment(fulfillment({ status: "cancelled" }), [event("in_transit", "2026-11-03T08:00:00Z")]).shipmentStatus).toBe("cancelled");
  });

  it("has no estimate before there is a tracking number", () => {
    const state = deriveShipment(fulfillment({ trackingNumbers: [] }), []);
    expect(state.estimatedDeliveryFrom).toBeNull();
  });

  describe("with a lane window", () => {
    const lane: LaneWindow = {
      minBusinessDays: 2,
      maxBusinessDays: 4,
      medianBusinessDays: 3,
      tailBusinessDays: 6,
      scanGapDays: 1,
      source: "lane",
      parcels: 143.4,
      label: "from 143 parcels",
      counts: null,
    };
    const now = new Date("2026-11-03T09:00:00Z");

    it("counts the lane's business days from the first carrier event and says what it rests on", () => {
      const state = deriveShipment(fulfillment(), [event("in_transit", "2026-11-03T08:00:00Z")], { lane, now });
      expect(state.estimatedDeliveryFrom?.toISOString()).toBe("2026-11-05T08:00:00.000Z");
      expect(state.estimatedDeliveryTo?.toISOString()).toBe("2026-11-09T08:00:00.000Z");
      expect([state.estimateSource, state.estimateParcels]).toEqual(["lane", 143]);
    });

    it("never starts before today, and a carrier's date still wins", () => {
      const late = new Date("2026-11-06T12:00:00Z");
      expect(deriveShipment(fulfillment(), [], { lane, now: late }).estimatedDeliveryFrom?.toISOString()).toBe(late.toISOString());
      const carrierDate = new Date("2026-11-10T12:00:00Z");
      const state = deriveShipment(fulfillment(), [event("in_transit", "2026-11-03T08:00:00Z", carrierDate)], { lane, now });
      expect([state.estimatedDeliveryTo?.toISOString(), state.estimateSource, state.estimateParcels]).toEqual([carrierDate.toISOString(), "carrier", null]);
    });

    it("keeps the window already promised, and the registry when the lane has no evidence of its own", () => {
      const promised = { from: new Date("2026-11-04T00:00:00Z"), to: new Date("2026-11-06T00:00:00Z"), source: "registry", parcels: 0 };
      const kept = deriveShipment(fulfillment(), [event("in_transit", "2026-11-03T08:00:00Z")], { lane, now, promised });
      expect([kept.estimatedDeliveryFrom, kept.estimatedDeliveryTo, kept.estimateSource]).toEqual([promised.from, promised.to, "registry"]);
      const registry = deriveShipment(fulfillment(), [], { lane: { ...lane, source: "registry", parcels: 0 }, now });
      expect([registry.estimateSource, registry.estimateParcels]).toEqual(["registry", 0]);
      expect(registry.estimatedDeliveryTo).toEqual(deriveShipment(fulfillment(), []).estimatedDeliveryTo);
    });
  });
});
