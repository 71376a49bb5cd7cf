import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/time";
import { atRiskFrom, DEFAULT_AT_RISK, type AtRiskShipment } from "./at-risk";

const shipped = new Date("2026-11-02T10:00:00Z"); // a Monday
const at = (days: number) => new Date(shipped.getTime() + days * DAY_MS);
const shipment = (over: Partial<AtRiskShipment> = {}): AtRiskShipment => ({
  status: "success",
  shipmentStatus: "in_transit",
  trackingNumbers: ["TN1"],
  destinationCountry: "US",
  shippedAt: shipped,
  createdAt: shipped,
  deliveredAt: null,
  estimatedDeliveryTo: at(4),
  lastEventAt: at(1),
  firstEventAt: at(1),
  ...over,
});
const lane = { tailBusinessDays: 6, scanGapDays: 2 };

describe("atRiskFrom", () => {
  it("without lane figures keeps the fixed rule: window end + grace, or the silence days", () => {
    expect(atRiskFrom(shipment(), null, DEFAULT_AT_RISK)).toEqual({ at: at(7), reason: "overdue" });
    expect(atRiskFrom(shipment({ estimatedDeliveryTo: null }), null, DEFAULT_AT_RISK)).toEqual({ at: at(8), reason: "silent" });
  });

  it("learned: overdue past the lane's slow tail in business days from the hand-over", () => {
    // Tue 3 Nov + 6 US business days, skipping Veterans Day (Wed 11 Nov) = Thu 12 Nov.
    expect(atRiskFrom(shipment({ lastEventAt: at(7) }), lane, DEFAULT_AT_RISK)).toEqual({ at: at(10), reason: "overdue" });
  });

  it("learned: silent after twice the lane's usual scan gap, never under three days", () => {
    expect(atRiskFrom(shipment(), { tailBusinessDays: 30, scanGapDays: 2 }, DEFAULT_AT_RISK)).toEqual({ at: at(5), reason: "silent" });
    expect(atRiskFrom(shipment(), { tailBusinessDays: 30, scanGapDays: 0.5 }, DEFAULT_AT_RISK)).toEqual({ at: at(4), reason: "silent" });
    expect(atRiskFrom(shipment(), { tailBusinessDays: 30, scanGapDays: null }, DEFAULT_AT_RISK)).toEqual({ at: at(8), reason: "silent" });
  });

  it("fixed ignores the lane; an exception is at once; delivered, cancelled and untracked never", () => {
    expect(atRiskFrom(shipment(), lane, { ...DEFAULT_AT_RISK, atRiskRule: "fixed" })).toEqual({ at: at(7), reason: "overdue" });
    expect(atRiskFrom(shipment({ shipmentStatus: "failure" }), lane, DEFAULT_AT_RISK)).toEqual({ at: at(1), reason: "exception" });
    expect(atRiskFrom(shipment({ deliveredAt: at(3) }), lane, DEFAULT_AT_RISK)).toBeNull();
    expect(atRiskFrom(shipment({ status: "cancelled" }), lane, DEFAULT_AT_RISK)).toBeNull();
    expect(atRiskFrom(shipment({ trackingNumbers: [] }), lane, DEFAULT_AT_RISK)).toBeNull();
  });
});
