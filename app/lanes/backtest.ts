// Replays past shipments in the order they shipped and scores three windows for each: the one the
// lane model would have printed then, the registry's, and the promise the shop actually made.
import { findCarrier } from "~/carriers/registry";
import { estimateWindow, windowDates, DEFAULT_COVERAGE } from "~/lanes/estimate-window";
import { laneKey, laneName, type EstimateSource } from "~/lanes/lane-key";
import { createLaneModel, recordDelivery, recordInTransit, recordUndelivered, type ParcelOnLane } from "~/lanes/lane-model";
import { estimateDelivery } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";
import { DAY_MS } from "~/time";


export interface BacktestShipment {
  /** Line in the source file, for reporting. */
  line: number;
  id: string;
  carrier: string;
  originCountry: string;
  originRegion: string | null;
  destinationCountry: string;
  destinationRegion: string | null;
  paidAt: Date | null;
  /** Hand-over to the carrier. */
  shippedAt: Date;
  /** Null: never delivered. */
  deliveredAt: Date | null;
  promisedBy: Date | null;
}

/** How one kind of window did. Days are calendar days after shipping (elapsed time / 24 h). */
export interface WindowFigures {
  /** Share delivered by the end of the window's last day (never-delivered parcels count as misses). */
  coverage: number;
  meanDays: number;
  medianDays: number;
  /** Mean |window midpoint − delivery| over delivered parcels. */
  midpointMaeDays: number;
  /** Mean window length, from the start of its first day to the end of its last. */
  meanWidthDays: number;
}

export interface BacktestFigures {
  learned: WindowFigures;
  registry: WindowFigures;
  /** Null when no shipment has a promised date. */
  promised: WindowFigures | null;
}

export interface LaneFigures extends BacktestFigures {
  lane: string;
  rows: number;
}

export interface BacktestResult extends BacktestFigures {
  rows: number;
  /** Shipped before and from the middle of the period. */
  halves: [BacktestFigures, BacktestFigures];
  /** The busiest lanes (with destination region when known), busiest first. */
  lanes: LaneFigures[];
  /** How many learned windows came from each level. */
  sources: Record<EstimateSource, number>;
}

export interface BacktestOptions {
  coverage?: number;
  halfLifeDays?: number;
  /** A parcel not delivered this many days after shipping is given up on (evidence that it is slower). */
  giveUpDays?: number;
  busiestLanes?: number;
}

interface Tally {
  rows: number;
  covered: number;
  ends: number[];
  widthSum: number;
  errorSum: number;
  errorRows: number;
}

const newTally = (): Tally => ({ rows: 0, covered: 0, ends: [], widthSum: 0, errorSum: 0, errorRows: 0 });

interface Tallies {
  learned: Tally;
  registry: Tally;
  promised: Tally;
}

const newTallies = (): Tallies => ({ learned: newTally(), registry: newTally(), promised: newTally() });

const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

// A window is a range of dates: it holds when the parcel arrives on or before its last date.
function score(tally: Tally, shipment: BacktestShipment, from: Date, to: Date): void {
  const shipped = shipment.shippedAt.getTime();
  const start = startOfDay(from.getTime());
  const end = startOfDay(to.getTime()) + DAY_MS;
  tally.rows += 1;
  tally.ends.push((end - shipped) / DAY_MS);
  tally.widthSum += (end - start) / DAY_MS;
  if (!shipment.deliveredAt) return;
  const delivered = shipment.deliveredAt.getTime();
  if (delivered < end) tally.covered += 1;
  tally.errorSum += Math.abs((start + end) / 2 - delivered) / DAY_MS;
  tally.errorRows += 1;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function figures(tally: Tally): WindowFigures {
  const rows = tally.rows || 1;
  return {
    coverage: tally.covered / rows,
    meanDays: tally.ends.reduce((a, b) => a + b, 0) / rows,
    medianDays: median(tally.ends),
    midpointMaeDays: tally.errorSum / (tally.errorRows || 1),
    meanWidthDays: tally.widthSum / rows,
  };
}

function summary(tallies: Tallies): BacktestFigures {
  return {
    learned: figures(tallies.learned),
    registry: figures(tallies.registry),
    promised: tallies.promised.rows > 0 ? figures(tallies.promised) : null,
  };
}

const parcelOf = (shipment: BacktestShipment): ParcelOnLane => ({
  carrier: shipment.carrier,
  originCountry: shipment.originCountry,
  destinationCountry: shipment.destinationCountry,
  destinationRegion: shipment.destinationRegion,
  handedOverAt: shipment.shippedAt,
});

/** Replays in order of shipping; each estimate sees only deliveries before it and the parcels then out. */
export function runBacktest(shipments: readonly BacktestShipment[], options: BacktestOptions = {}): BacktestResult {
  const coverage = options.coverage ?? DEFAULT_COVERAGE;
  const giveUpMs = (options.giveUpDays ?? 45) * DAY_MS;
  const model = createLaneModel({ halfLifeDays: options.halfLifeDays });
  const holidayCheckers = new Map<string, ((isoDate: string) => boolean) | undefined>();
  const holidaysOf = (country: string) => {
    if (!holidayCheckers.has(country)) holidayCheckers.set(country, publicHolidayChecker(country));
    return holidayCheckers.get(country);
  };

  const shipped = shipments.map((shipment, order) => ({ shipment, order })).sort(
    (a, b) => a.shipment.shippedAt.getTime() - b.shipment.shippedAt.getTime() || a.order - b.order,
  );
  const position = new Map(shipped.map(({ shipment }, i) => [shipment, i]));
  const deliveries = shipped
    .map(({ shipment }) => shipment)
    .filter((s) => s.deliveredAt)
    .sort((a, b) => a.deliveredAt!.getTime() - b.deliveredAt!.getTime());
  const neverDelivered = shipped.map(({ shipment }) => shipment).filter((s) => !s.deliveredAt);

  const first = shipped[0]?.shipment.shippedAt.getTime() ?? 0;
  const middle = (first + (shipped[shipped.length - 1]?.shipment.shippedAt.getTime() ?? 0)) / 2;
  const overall = newTallies();
  const halves: [Tallies, Tallies] = [newTallies(), newTallies()];
  const byLane = new Map<string, Tallies>();
  const sources: Record<EstimateSource, number> = { lane_region: 0, lane: 0, carrier_destination: 0, destination: 0, registry: 0 };

  let delivered = 0;
  let givenUp = 0;
  shipped.forEach(({ shipment }, i) => {
    const now = shipment.shippedAt;
    // A delivery is known once it happened, and only for a parcel the replay has already shipped.
    while (delivered < deliveries.length && deliveries[delivered]!.deliveredAt!.getTime() <= now.getTime() && position.get(deliveries[delivered]!)! < i) {
      const done = deliveries[delivered++]!;
      recordDelivery(model, { ...parcelOf(done), deliveredAt: done.deliveredAt! }, { wasInTransit: true });
    }
    while (givenUp < neverDelivered.length && neverDelivered[givenUp]!.shippedAt.getTime() + giveUpMs <= now.getTime()) {
      const lost = neverDelivered[givenUp++]!;
      recordUndelivered(model, parcelOf(lost), new Date(lost.shippedAt.getTime() + giveUpMs), { wasInTransit: true });
    }

    const key = laneKey(parcelOf(shipment));
    const isHoliday = holidaysOf(key.destination);
    const learned = estimateWindow(model, key, { now, coverage });
    sources[learned.source] += 1;
    const learnedDates = windowDates(learned, shipment.shippedAt, now, isHoliday);
    const registry = estimateDelivery({
      shippedAt: shipment.shippedAt,
      carrier: findCarrier(shipment.carrier),
      destinationCountry: key.destination,
      originCountry: key.origin,
      isHoliday,
    });
    const laneId = laneName(key);
    let lane = byLane.get(laneId);
    if (!lane) byLane.set(laneId, (lane = newTallies()));
    for (const tallies of [overall, halves[now.getTime() < middle ? 0 : 1], lane]) {
      score(tallies.learned, shipment, learnedDates.from, learnedDates.to);
      score(tallies.registry, shipment, registry.from, registry.to);
      if (shipment.promisedBy) score(tallies.promised, shipment, shipment.promisedBy, shipment.promisedBy);
    }

    recordInTransit(model, parcelOf(shipment));
  });

  const lanes = [...byLane.entries()]
    .sort((a, b) => b[1].learned.rows - a[1].learned.rows || a[0].localeCompare(b[0]))
    .slice(0, options.busiestLanes ?? 10)
    .map(([lane, tallies]) => ({ lane, rows: tallies.learned.rows, ...summary(tallies) }));
  return { rows: shipped.length, ...summary(overall), halves: [summary(halves[0]), summary(halves[1])], lanes, sources };
}
