import { describe, expect, it } from "vitest";
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
});
