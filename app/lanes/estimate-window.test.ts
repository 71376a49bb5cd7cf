import { describe, expect, it } from "vitest";
import { estimateWindow, windowDates } from "~/lanes/estimate-window";
import { laneKey, type LaneInput } from "~/lanes/lane-key";
import { rebuildLaneModel, type RecordedShipment } from "~/lanes/lane-model";
import { addBusinessDays } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";

const DAY = 86_400_000;
// A half-life so long that every weight is exactly 1.
const EQUAL_WEIGHTS = Number.MAX_VALUE;
const START = Date.parse("2025-03-03T10:00:00Z");
const NOW = new Date(START + 100 * DAY);

/** `parcels` delivered parcels spread over 60 days before NOW; transit cycles through `transits` (destination business days). */
function delivered(lane: LaneInput, parcels: number, transits: number[]): RecordedShipment[] {
  return Array.from({ length: parcels }, (_, i) => {
    const handedOverAt = new Date(START + 20 * DAY + (i * 60 * DAY) / parcels);
    const deliveredAt = addBusinessDays(handedOverAt, transits[i % transits.length]!, publicHolidayChecker(lane.destinationCountry));
    return { ...lane, handedOverAt, deliveredAt };
  });
}

const dhlToUs = (originCountry: string, destinationRegion: string | null = null): LaneInput => ({
  carrier: "DHL Express",
  originCountry,
  destinationCountry: "US",
  destinationRegion,
});

describe("estimateWindow", () => {
  it("gives a busy lane its own window, with the evidence it rests on", () => {
    const parcels = delivered(dhlToUs("CN"), 200, [2, 3, 3, 4, 4, 4, 5, 5, 6, 8]);
    // Equal weights make the shares exact: 10% by 2 days, 50% by 4, 90% by 6, all by 8.
    const equalWeights = estimateWindow(rebuildLaneModel(parcels, { halfLifeDays: EQUAL_WEIGHTS }), laneKey(dhlToUs("CN")), { now: NOW });
    expect(equalWeights).toMatchObject({ source: "lane", minBusinessDays: 2, medianBusinessDays: 4, maxBusinessDays: 6, tailBusinessDays: 8 });
    expect(equalWeights.parcels).toBeCloseTo(200, 1);
    // Recency-weighted: 200 parcels of the last 80 days count for fewer.
    const window = estimateWindow(rebuildLaneModel(parcels), laneKey(dhlToUs("CN")), { now: NOW });
    expect(window.parcels).toBeGreaterThan(60);
    expect(window.parcels).toBeLessThan(200);
    expect(window.label).toBe(`from ${Math.round(window.parcels)} parcels`);
    expect(window.counts).toMatchObject({ delivered: 200, inTransit: 0 });
  });

  it("lets a 5-parcel lane borrow from the carrier to its destination, and says so", () => {
    const model = rebuildLaneModel([
      ...delivered(dhlToUs("CN"), 300, [3, 4, 4, 5, 6]),
      ...delivered(dhlToUs("HK"), 5, [1, 1, 1, 1, 1]),
    ]);
    const window = estimateWindow(model, laneKey(dhlToUs("HK")), { now: NOW });
    expect(window.source).toBe("carrier_destination");
    expect(window.maxBusinessDays).toBe(6);
    expect(window.label).toMatch(/^from \d+ parcels of this carrier to US$/);
    expect(window.counts?.delivered).toBe(305);
  });

  it("falls back to the registry's typical time without evidence", () => {
    const model = rebuildLaneModel(delivered(dhlToUs("CN"), 5, [3]));
    expect(estimateWindow(model, laneKey(dhlToUs("DE")), { now: NOW })).toMatchObject({
      source: "registry",
      minBusinessDays: 2,
      maxBusinessDays: 4,
      parcels: 0,
      label: "typical time for this carrier",
      counts: null,
    });
    const unknown = estimateWindow(model, laneKey({ carrier: "Correios", originCountry: "BR", destinationCountry: "BR" }), { now: NOW });
    expect(unknown).toMatchObject({ source: "registry", minBusinessDays: 2, maxBusinessDays: 5, label: "typical time for this route" });
  });

  it("borrows across carriers only for a carrier the registry does not know", () => {
    const postal = delivered({ carrier: "China Post", originCountry: "CN", destinationCountry: "US" }, 300, [9, 10, 12, 14]);
    const express = estimateWindow(rebuildLaneModel(postal), laneKey(dhlToUs("HK")), { now: NOW });
    expect(express).toMatchObject({ source: "registry", maxBusinessDays: 4 });
    const unknownCarrier = estimateWindow(rebuildLaneModel(postal), laneKey({ carrier: "Correios", originCountry: "CN", destinationCountry: "US" }), { now: NOW });
    expect(unknownCarrier).toMatchObject({ source: "destination", maxBusinessDays: 14 });
    expect(unknownCarrier.label).toMatch(/^from \d+ parcels to US$/);
  });

  it("refines by region only once the region has enough deliveries", () => {
    const lane = [...delivered(dhlToUs("CN", "NY"), 300, [3, 4, 5])];
    const slowRegion = (parcels: number) => delivered(dhlToUs("CN", "AK"), parcels, [9, 10, 12]);
    const few = rebuildLaneModel([...lane, ...slowRegion(60)]);
    expect(estimateWindow(few, laneKey(dhlToUs("CN", "AK")), { now: NOW }).source).toBe("lane");
    const many = rebuildLaneModel([...lane, ...slowRegion(400)]);
    expect(estimateWindow(many, laneKey(dhlToUs("CN", "AK")), { now: NOW })).toMatchObject({ source: "lane_region", maxBusinessDays: 12 });
    expect(estimateWindow(many, laneKey(dhlToUs("CN", "NY")), { now: NOW })).toMatchObject({ source: "lane_region", maxBusinessDays: 5 });
  });

  it("falls back to the parent when parcels still out keep Kaplan–Meier from reaching the window's end", () => {
    const deliveredFast = delivered(dhlToUs("CN"), 40, [2]);
    // 200 parcels handed over 30 days ago and still out: most of the lane has not arrived.
    const stuck: RecordedShipment[] = Array.from({ length: 200 }, () => ({ ...dhlToUs("CN"), handedOverAt: new Date(NOW.getTime() - 30 * DAY) }));
    const elsewhere = delivered(dhlToUs("DE"), 300, [3, 4, 5]);
    const model = rebuildLaneModel([...deliveredFast, ...stuck, ...elsewhere]);
    const window = estimateWindow(model, laneKey(dhlToUs("CN")), { now: NOW });
    expect(window.source).not.toBe("lane");
    expect(window.source).not.toBe("carrier_destination");
    expect(window.source).toBe("registry");
  });

  it("reports the usual silence between scans from the lane's parcels", () => {
    const withScans = delivered(dhlToUs("CN"), 100, [5]).map((s, i) => ({
      ...s,
      scanTimes: [s.handedOverAt, new Date(s.handedOverAt.getTime() + (i % 10 === 0 ? 6 : 1) * DAY), s.deliveredAt!],
    }));
    const window = estimateWindow(rebuildLaneModel(withScans), laneKey(dhlToUs("CN")), { now: NOW });
    expect(window.scanGapDays).toBe(6);
  });

  it("follows the coverage asked for", () => {
    const model = rebuildLaneModel(delivered(dhlToUs("CN"), 200, [2, 3, 3, 4, 4, 4, 5, 5, 6, 8]), { halfLifeDays: EQUAL_WEIGHTS });
    const key = laneKey(dhlToUs("CN"));
    expect(estimateWindow(model, key, { now: NOW, coverage: 0.5 })).toMatchObject({ minBusinessDays: 4, maxBusinessDays: 4 });
    expect(estimateWindow(model, key, { now: NOW, coverage: 0.8 })).toMatchObject({ minBusinessDays: 3, maxBusinessDays: 5 });
    expect(() => estimateWindow(model, key, { now: NOW, coverage: 1 })).toThrow(RangeError);
  });
});

describe("windowDates", () => {
  const germany = publicHolidayChecker("DE");

  it("counts the destination's business days from the hand-over", () => {
    // Handed over Tuesday 2025-12-23: 25 and 26 December are holidays in Germany.
    const dates = windowDates({ minBusinessDays: 1, maxBusinessDays: 3 }, new Date("2025-12-23T09:00:00Z"), new Date("2025-12-23T09:00:00Z"), germany);
    expect(dates.from.toISOString()).toBe("2025-12-24T09:00:00.000Z");
    expect(dates.to.toISOString()).toBe("2025-12-30T09:00:00.000Z");
  });

  it("never starts before now", () => {
    const now = new Date("2025-12-29T12:00:00Z");
    const dates = windowDates({ minBusinessDays: 1, maxBusinessDays: 3 }, new Date("2025-12-23T09:00:00Z"), now, germany);
    expect(dates.from).toEqual(now);
    expect(dates.to.toISOString()).toBe("2025-12-30T09:00:00.000Z");
    const late = windowDates({ minBusinessDays: 1, maxBusinessDays: 2 }, new Date("2025-12-23T09:00:00Z"), now, germany);
    expect(late).toEqual({ from: now, to: now });
  });
});
