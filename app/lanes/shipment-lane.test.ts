import { describe, expect, it } from "vitest";
import { createLaneModel, type LaneModel } from "./lane-model";
import { laneChange, type LaneEvent, type LaneShipment } from "./shipment-lane";

const shipped = new Date("2026-11-02T10:00:00Z"); // a Monday
const state = (over: Partial<LaneShipment> = {}): LaneShipment => ({
  shipmentStatus: null,
  estimateSource: "registry",
  deliveredAt: null,
  lastEventAt: null,
  shippedAt: shipped,
  createdAt: shipped,
  carrierCode: "dhl_express",
  carrierName: "DHL Express",
  originCountry: "DE",
  destinationCountry: "US",
  destinationRegion: "CA",
  ...over,
});
const scan = (status: string, iso: string): LaneEvent => ({ status, happenedAt: new Date(iso) });
const lane = (model: LaneModel) => model.lanes["lane:dhl_express|DE|US"]!;

function step(model: LaneModel, before: LaneShipment, after: LaneShipment, events: LaneEvent[], eventsBefore = events): boolean {
  const change = laneChange(before, after, events, eventsBefore);
  change?.apply(model);
  return change !== null;
}

describe("laneChange", () => {
  it("counts a parcel in transit once, moves it to its first scan, and delivers it once", () => {
    const model = createLaneModel();
    const untracked = state({ estimateSource: null });
    const tracked = state();
    expect(step(model, untracked, tracked, [])).toBe(true);
    expect(lane(model).counts.inTransit).toBe(1);
    expect(lane(model).inTransit["2026-11-02"]).toBeDefined();
    expect(step(model, tracked, tracked, [])).toBe(false);

    const events = [scan("in_transit", "2026-11-03T08:00:00Z")];
    const scanned = state({ shipmentStatus: "in_transit", lastEventAt: events[0]!.happenedAt });
    expect(step(model, tracked, scanned, events)).toBe(true);
    expect(Object.keys(lane(model).inTransit)).toEqual(["2026-11-03"]);
    expect(model.onlineForTracking["dhl_express"]!.count).toBe(1);

    const all = [...events, scan("delayed", "2026-11-05T08:00:00Z"), scan("delivered", "2026-11-06T15:00:00Z")];
    const delivered = state({ shipmentStatus: "delivered", lastEventAt: all[2]!.happenedAt, deliveredAt: all[2]!.happenedAt });
    expect(step(model, scanned, delivered, all)).toBe(true);
    expect(lane(model).counts).toMatchObject({ inTransit: 0, delivered: 1, exceptions: 1 });
    expect(lane(model).inTransit).toEqual({});
    // A replayed delivery changes nothing.
    expect(step(model, delivered, delivered, all)).toBe(false);
  });

  it("moves the hand-over and the online-for-tracking time back when an earlier scan arrives late", () => {
    const model = createLaneModel();
    step(model, state({ estimateSource: null }), state(), []);
    const second = [scan("in_transit", "2026-11-05T08:00:00Z")];
    const scanned = state({ shipmentStatus: "in_transit", lastEventAt: second[0]!.happenedAt });
    step(model, state(), scanned, second);
    expect(Object.keys(lane(model).inTransit)).toEqual(["2026-11-05"]);
    const online = () => model.onlineForTracking["dhl_express"]!.bins.flatMap((w, days) => (w > 1e-9 ? [days] : []));
    expect(online()).toEqual([3]);

    const both = [scan("in_transit", "2026-11-03T08:00:00Z"), ...second];
    expect(step(model, scanned, scanned, both, second)).toBe(true);
    expect(Object.keys(lane(model).inTransit)).toEqual(["2026-11-03"]);
    expect(lane(model).counts.inTransit).toBe(1);
    expect(online()).toEqual([1]);
    expect(model.onlineForTracking["dhl_express"]!.count).toBe(1);

    const all = [...both, scan("delivered", "2026-11-09T15:00:00Z")];
    const delivered = state({ shipmentStatus: "delivered", lastEventAt: all[2]!.happenedAt, deliveredAt: all[2]!.happenedAt });
    step(model, scanned, delivered, all, both);
    expect(lane(model).counts).toMatchObject({ inTransit: 0, delivered: 1 });
    expect(lane(model).inTransit).toEqual({});
  });

  it("counts a delivered parcel again from every scan when an earlier one arrives after the delivery", () => {
    const model = createLaneModel();
    step(model, state({ estimateSource: null }), state(), []);
    const known = [scan("in_transit", "2026-11-05T08:00:00Z"), scan("delivered", "2026-11-12T15:00:00Z")];
    const scanned = state({ shipmentStatus: "in_transit", lastEventAt: known[0]!.happenedAt });
    step(model, state(), scanned, known.slice(0, 1));
    const delivered = state({ shipmentStatus: "delivered", lastEventAt: known[1]!.happenedAt, deliveredAt: known[1]!.happenedAt });
    step(model, scanned, delivered, known, known.slice(0, 1));
    const all = [scan("delayed", "2026-11-03T08:00:00Z"), ...known];
    expect(step(model, delivered, delivered, all, known)).toBe(true);

    // The same as learning the shipment as it is now, from scratch.
    const fresh = createLaneModel();
    laneChange({ ...delivered, estimateSource: null, deliveredAt: null, lastEventAt: null }, delivered, all)!.apply(fresh);
    const figures = (m: LaneModel) => {
      const stats = lane(m);
      const weigh = (bins: number[]) => bins.map((w) => w * 2 ** ((stats.referenceMs - Date.parse("2026-11-03T00:00:00Z")) / (30 * 86_400_000)));
      return { counts: stats.counts, inTransit: stats.inTransit, delivered: weigh(stats.delivered), scanGaps: weigh(stats.scanGaps) };
    };
    const got = figures(model);
    const want = figures(fresh);
    expect(got.counts).toEqual(want.counts);
    expect(got.inTransit).toEqual({});
    got.delivered.forEach((w, k) => expect(w).toBeCloseTo(want.delivered[k]!, 9));
    got.scanGaps.forEach((w, k) => expect(w).toBeCloseTo(want.scanGaps[k]!, 9));
    // A replay of the late scan changes nothing more.
    expect(step(model, delivered, delivered, all)).toBe(false);
  });

  it("takes a cancelled parcel out of transit and never counts an untracked or cancelled one", () => {
    const model = createLaneModel();
    step(model, state({ estimateSource: null }), state(), []);
    expect(step(model, state(), state({ shipmentStatus: "cancelled" }), [])).toBe(true);
    expect(lane(model).counts.inTransit).toBe(0);
    expect(laneChange(state({ estimateSource: null }), state({ estimateSource: null }), [])).toBeNull();
    expect(laneChange(state({ shipmentStatus: "cancelled" }), state({ shipmentStatus: "cancelled", deliveredAt: shipped }), [])).toBeNull();
  });
});
