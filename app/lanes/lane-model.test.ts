import { describe, expect, it } from "vitest";
import { estimateWindow, handlingHours, onlineForTrackingDays } from "~/lanes/estimate-window";
import { laneKey } from "~/lanes/lane-key";
import {
  createLaneModel,
  handOverTime,
  rebuildLaneModel,
  recordDelivery,
  recordHandling,
  recordInTransit,
  recordOnlineForTracking,
  recordUndelivered,
  removeInTransit,
  type LaneModel,
  type RecordedShipment,
} from "~/lanes/lane-model";
import { seededRandom } from "~/lanes/synthetic-shipments";
import { addBusinessDays } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";

const DAY = 86_400_000;
// A half-life so long that every weight is exactly 1.
const EQUAL_WEIGHTS = Number.MAX_VALUE;
const START = Date.parse("2025-03-03T10:00:00Z");
const lane = { carrier: "YunExpress", originCountry: "CN", destinationCountry: "DE", destinationRegion: null };
const key = laneKey(lane);
const germany = publicHolidayChecker("DE");

/** Parcels handed over day by day; transit in business days from `transitOf(day, i)`. */
function history(days: number, perDay: number, transitOf: (day: number, i: number) => number): RecordedShipment[] {
  const shipments: RecordedShipment[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < perDay; i++) {
      const handedOverAt = new Date(START + day * DAY + i * 60_000);
      shipments.push({ ...lane, handedOverAt, deliveredAt: addBusinessDays(handedOverAt, transitOf(day, i), germany) });
    }
  }
  return shipments;
}

/** What was known at `now`: delivered parcels delivered by then, the rest in transit. */
const knownAt = (shipments: RecordedShipment[], now: number): RecordedShipment[] =>
  shipments
    .filter((s) => s.handedOverAt.getTime() <= now)
    .map((s) => (s.deliveredAt && s.deliveredAt.getTime() <= now ? s : { ...s, deliveredAt: null }));

/** Every weight restated as of one instant, so models with different reference times compare. */
function weightsAsOf(model: LaneModel, atMs: number) {
  return Object.fromEntries(
    Object.entries(model.lanes).map(([id, stats]) => {
      const factor = 2 ** ((stats.referenceMs - atMs) / (model.halfLifeDays * DAY));
      const restate = (values: number[]) => values.map((v) => v * factor);
      const inTransit = Object.fromEntries(Object.entries(stats.inTransit).map(([day, [w, n]]) => [day, [w * factor, n]]));
      return [id, { delivered: restate(stats.delivered), censored: restate(stats.censored), scanGaps: restate(stats.scanGaps), inTransit, counts: stats.counts }];
    }),
  );
}

function expectSameWeights(a: LaneModel, b: LaneModel, atMs: number): void {
  const left = weightsAsOf(a, atMs);
  const right = weightsAsOf(b, atMs);
  expect(Object.keys(left).sort()).toEqual(Object.keys(right).sort());
  for (const id of Object.keys(left)) {
    const [x, y] = [left[id]!, right[id]!];
    expect(x.counts).toEqual(y.counts);
    expect(Object.keys(x.inTransit).sort()).toEqual(Object.keys(y.inTransit).sort());
    for (const field of ["delivered", "censored", "scanGaps"] as const) {
      x[field].forEach((v, k) => expect(v).toBeCloseTo(y[field][k]!, 9));
    }
    for (const day of Object.keys(x.inTransit)) {
      expect(x.inTransit[day]![0]).toBeCloseTo(y.inTransit[day]![0], 9);
      expect(x.inTransit[day]![1]).toBe(y.inTransit[day]![1]);
    }
  }
}

describe("the lane model", () => {
  it("updated parcel by parcel equals a rebuild from the same history", () => {
    const random = seededRandom(11);
    const shipments = history(200, 3, () => 2 + Math.floor(random() * 12)).map((s, i) =>
      i % 17 === 0 ? { ...s, deliveredAt: null, givenUpAt: new Date(s.handedOverAt.getTime() + 45 * DAY) } : { ...s, hadException: i % 5 === 0, hadDelayNotice: i % 7 === 0, scanTimes: [s.handedOverAt, new Date(s.handedOverAt.getTime() + 2.5 * DAY), s.deliveredAt!] },
    );
    const now = START + 230 * DAY;
    // The events as they happened: hand-over (in transit), then delivery or giving up.
    const events = shipments.flatMap((s) => [
      { at: s.handedOverAt.getTime(), apply: (m: LaneModel) => recordInTransit(m, s) },
      s.deliveredAt
        ? { at: s.deliveredAt.getTime(), apply: (m: LaneModel) => recordDelivery(m, { ...s, deliveredAt: s.deliveredAt! }, { wasInTransit: true }) }
        : { at: s.givenUpAt!.getTime(), apply: (m: LaneModel) => recordUndelivered(m, s, s.givenUpAt!, { wasInTransit: true }) },
    ]);
    const incremental = createLaneModel();
    for (const event of events.filter((e) => e.at <= now).sort((a, b) => a.at - b.at)) event.apply(incremental);

    const state = shipments
      .filter((s) => s.handedOverAt.getTime() <= now)
      .map((s) => ({ ...s, deliveredAt: s.deliveredAt && s.deliveredAt.getTime() <= now ? s.deliveredAt : null, givenUpAt: s.givenUpAt && s.givenUpAt.getTime() <= now ? s.givenUpAt : null }));
    // A rebuild in another order (newest first) moves its reference times differently: the weights must agree anyway.
    const rebuilt = rebuildLaneModel([...state].reverse());
    expectSameWeights(incremental, rebuilt, now);
    expect(incremental.lanes[`lane:${key.carrier}|CN|DE`]!.counts).toEqual({
      delivered: state.filter((s) => s.deliveredAt).length,
      inTransit: state.filter((s) => !s.deliveredAt && !s.givenUpAt).length,
      undelivered: state.filter((s) => s.givenUpAt).length,
      // Counted once a parcel is finished.
      exceptions: state.filter((s) => s.hadException && s.deliveredAt).length,
      delayNotices: state.filter((s) => s.hadDelayNotice && s.deliveredAt).length,
    });
    const options = { now: new Date(now) };
    expect(estimateWindow(incremental, key, options)).toEqual(estimateWindow(rebuilt, key, options));
  });

  it("survives a JSON round trip unchanged", () => {
    const model = rebuildLaneModel(knownAt(history(90, 2, (day) => 3 + (day % 7)), START + 80 * DAY));
    const restored = JSON.parse(JSON.stringify(model)) as LaneModel;
    expect(restored).toEqual(model);
    const options = { now: new Date(START + 80 * DAY) };
    expect(estimateWindow(restored, key, options)).toEqual(estimateWindow(model, key, options));
  });

  it("takes back only a parcel it recorded in transit", () => {
    const model = createLaneModel();
    const parcel = { ...lane, handedOverAt: new Date(START) };
    expect(removeInTransit(model, parcel)).toBe(false);
    expect(model.lanes).toEqual({});
    recordInTransit(model, parcel);
    expect(removeInTransit(model, parcel)).toBe(true);
    expect(Object.values(model.lanes).every((stats) => stats.counts.inTransit === 0 && Object.keys(stats.inTransit).length === 0)).toBe(true);
  });

  it("follows a lane that slows down halfway within weeks, where equal weights would lag", () => {
    // 200 days at 4–8 business days, then every parcel takes twice as long (8–16).
    const shipments = history(300, 5, (day, i) => (4 + (i % 5)) * (day >= 200 ? 2 : 1));
    const windowsAt = (daysAfter: number) => {
      const now = START + (200 + daysAfter) * DAY;
      const known = knownAt(shipments, now);
      return {
        recent: estimateWindow(rebuildLaneModel(known), key, { now: new Date(now) }),
        equalWeights: estimateWindow(rebuildLaneModel(known, { halfLifeDays: EQUAL_WEIGHTS }), key, { now: new Date(now) }),
      };
    };
    const sixWeeks = windowsAt(40);
    expect(sixWeeks.recent.maxBusinessDays).toBeGreaterThanOrEqual(15);
    expect(sixWeeks.equalWeights.maxBusinessDays).toBeLessThanOrEqual(10);
    const twoMonths = windowsAt(60);
    expect(twoMonths.recent.medianBusinessDays).toBeGreaterThanOrEqual(10);
    expect(twoMonths.equalWeights.medianBusinessDays).toBeLessThanOrEqual(7);
  });

  it("counts parcels out now as evidence: a lane whose parcels are all late shows it before they arrive", () => {
    const shipments = history(120, 4, (day, i) => (day >= 100 ? 30 : 3 + (i % 3)));
    const now = START + 118 * DAY;
    const window = estimateWindow(rebuildLaneModel(knownAt(shipments, now)), key, { now: new Date(now) });
    const withoutParcelsOut = estimateWindow(
      rebuildLaneModel(knownAt(shipments, now).filter((s) => s.deliveredAt)),
      key,
      { now: new Date(now) },
    );
    expect(withoutParcelsOut.maxBusinessDays).toBe(5);
    expect(window.maxBusinessDays).toBeGreaterThan(5);
  });

  it("learns handling per shop and online-for-tracking per carrier, under any alias", () => {
    const model = createLaneModel();
    const now = new Date(START + 10 * DAY);
    for (let i = 0; i < 20; i++) {
      const paidAt = new Date(START + i * 3_600_000);
      const fulfilledAt = new Date(paidAt.getTime() + (i < 18 ? 20 : 70) * 3_600_000);
      recordHandling(model, "shop-a.myshopify.com", paidAt, fulfilledAt);
      recordOnlineForTracking(model, i % 2 ? "DHL" : "dhl express", fulfilledAt, new Date(fulfilledAt.getTime() + (i < 15 ? 1.5 : 4) * DAY));
    }
    expect(handlingHours(model, "shop-a.myshopify.com", now)).toMatchObject({ median: 20, p90: 70 });
    expect(onlineForTrackingDays(model, "DHL Express", now)).toMatchObject({ median: 2, p90: 4 });
    expect(handlingHours(model, "other.myshopify.com", now)).toBeNull();
  });

  it("hands over at the first carrier event, else at fulfillment", () => {
    const fulfilledAt = new Date(START);
    const firstCarrierEventAt = new Date(START + DAY);
    expect(handOverTime({ fulfilledAt, firstCarrierEventAt })).toBe(firstCarrierEventAt);
    expect(handOverTime({ fulfilledAt, firstCarrierEventAt: null })).toBe(fulfilledAt);
  });
});
