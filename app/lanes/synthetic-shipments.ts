// Shipments drawn from known transit distributions with a seeded generator, so the tests and the bench
// can check the model against a truth they know (and never need real data).
import type { BacktestShipment } from "~/lanes/backtest";
import { BACKTEST_COLUMNS } from "~/lanes/backtest-csv";
import { addBusinessDays } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";
import { DAY_MS, HOUR_MS } from "~/time";


export interface SyntheticLane {
  carrier: string;
  origin: string;
  destination: string;
  region?: string | null;
  parcels: number;
  /** Log-normal transit: median in business days and the spread of its logarithm. */
  medianDays: number;
  sigma: number;
  /** Share of parcels on a slow tail that take `slowFactor` times as long. */
  slowShare?: number;
  slowFactor?: number;
  /** From this fraction of the period on, every parcel takes `slowdownFactor` times as long. */
  slowdownFrom?: number;
  slowdownFactor?: number;
  /** Share of parcels never delivered. */
  lostShare?: number;
  /** The shop promises delivery this many calendar days after shipping. */
  promiseDays?: number;
}

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Shipments of every lane spread evenly over `days` from `start`, sorted by shipping time. */
export function syntheticShipments(lanes: readonly SyntheticLane[], options: { seed: number; start: Date; days: number }): BacktestShipment[] {
  const random = seededRandom(options.seed);
  const shipments: BacktestShipment[] = [];
  for (const lane of lanes) {
    const isHoliday = publicHolidayChecker(lane.destination);
    for (let i = 0; i < lane.parcels; i++) {
      const fraction = random();
      const shippedAt = new Date(Math.floor(options.start.getTime() + fraction * options.days * DAY_MS));
      let transit = lane.medianDays * Math.exp(lane.sigma * standardNormal(random));
      if (lane.slowShare && random() < lane.slowShare) transit *= lane.slowFactor ?? 2;
      if (lane.slowdownFrom !== undefined && fraction >= lane.slowdownFrom) transit *= lane.slowdownFactor ?? 1.5;
      const lost = lane.lostShare !== undefined && random() < lane.lostShare;
      // Delivered during the working day of the arrival date.
      const arrival = addBusinessDays(shippedAt, Math.max(1, Math.round(transit)), isHoliday);
      const deliveredAt = new Date(Math.floor(arrival.getTime() / DAY_MS) * DAY_MS + (9 + random() * 9) * HOUR_MS);
      shipments.push({
        line: 0,
        id: `${lane.carrier}-${lane.destination}-${lane.region ?? ""}-${i}`,
        carrier: lane.carrier,
        originCountry: lane.origin,
        originRegion: null,
        destinationCountry: lane.destination,
        destinationRegion: lane.region ?? null,
        paidAt: new Date(shippedAt.getTime() - (2 + random() * 46) * HOUR_MS),
        shippedAt,
        deliveredAt: lost ? null : deliveredAt,
        promisedBy: lane.promiseDays === undefined ? null : new Date(shippedAt.getTime() + lane.promiseDays * DAY_MS),
      });
    }
  }
  shipments.sort((a, b) => a.shippedAt.getTime() - b.shippedAt.getTime());
  shipments.forEach((shipment, i) => (shipment.line = i + 2));
  return shipments;
}

/** The shipments as the backtest's CSV, header included. */
export function shipmentsCsv(shipments: readonly BacktestShipment[]): string {
  const time = (d: Date | null) => (d ? d.toISOString() : "");
  const lines = shipments.map((s) =>
    [s.id, s.carrier, s.originCountry, s.originRegion ?? "", s.destinationCountry, s.destinationRegion ?? "", time(s.paidAt), time(s.shippedAt), time(s.deliveredAt), time(s.promisedBy)].join(","),
  );
  return `${[BACKTEST_COLUMNS.join(","), ...lines].join("\n")}\n`;
}
