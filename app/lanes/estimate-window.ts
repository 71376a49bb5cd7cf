// The delivery window a lane's evidence supports, falling back to broader lanes and finally to the
// carrier registry when a lane has too little.
import { carrierByCode, transitBusinessDays, type TransitOverrides } from "~/carriers/registry";
import { businessDayIndex } from "~/lanes/business-days";
import { quantile, survivalCurve } from "~/lanes/kaplan-meier";
import { carrierKey, laneLevels, type EstimateSource, type LaneKey, type LaneLevel } from "~/lanes/lane-key";
import { TRANSIT_DAYS_MAX, type DecayedHistogram, type LaneCounts, type LaneModel, type LaneStats } from "~/lanes/lane-model";
import { addBusinessDays } from "~/shipments/estimate";
import { DAY_MS } from "~/time";


export interface WindowOptions {
  now: Date;
  /** Share of parcels that arrive by the window's last day. */
  coverage?: number;
  /** The lane's slow tail, for "at risk". */
  tailQuantile?: number;
  /** Recency-weighted deliveries a level needs before its figures are used. */
  minDeliveries?: number;
  /** Deliveries the region needs before it refines its lane. */
  minRegionDeliveries?: number;
  /** The merchant's own transit days, for the registry fallback. */
  overrides?: TransitOverrides;
}

export interface LaneWindow {
  minBusinessDays: number;
  maxBusinessDays: number;
  medianBusinessDays: number;
  tailBusinessDays: number;
  /** Longest usual silence between carrier scans (95th percentile, days); null without evidence. */
  scanGapDays: number | null;
  source: EstimateSource;
  /** Recency-weighted deliveries the figures rest on; 0 for the registry. */
  parcels: number;
  /** "from 143 parcels", "typical time for this carrier". */
  label: string;
  /** Parcels recorded on the level used (unweighted); null for the registry. */
  counts: LaneCounts | null;
}

export const DEFAULT_COVERAGE = 0.9;
export const DEFAULT_TAIL_QUANTILE = 0.97;
export const DEFAULT_MIN_DELIVERIES = 30;
export const DEFAULT_MIN_REGION_DELIVERIES = 100;
const SCAN_GAP_QUANTILE = 0.95;

/** How much a record's weights have faded between its reference time and `now`. */
function fade(model: LaneModel, referenceMs: number, now: Date): number {
  return 2 ** ((referenceMs - now.getTime()) / (model.halfLifeDays * DAY_MS));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Recency-weighted deliveries on a lane level as of `now`. */
export function effectiveDeliveries(model: LaneModel, stats: LaneStats, now: Date): number {
  return sum(stats.delivered) * fade(model, stats.referenceMs, now);
}

// Hand-over dates repeat across lanes and reads: parsing each once keeps an estimate in microseconds.
const dayStarts = new Map<string, number>();
function dayStart(isoDate: string): number {
  let ms = dayStarts.get(isoDate);
  if (ms === undefined) {
    if (dayStarts.size > 10_000) dayStarts.clear();
    dayStarts.set(isoDate, (ms = Date.parse(isoDate)));
  }
  return ms;
}

/** Given-up parcels plus those out now, by how many business days of the destination they have been out. */
function censoredAt(stats: LaneStats, now: Date): number[] {
  const censored = stats.censored.slice();
  const index = businessDayIndex(stats.destination);
  const today = index(now.getTime());
  for (const [day, [weight]] of Object.entries(stats.inTransit)) {
    censored[Math.min(TRANSIT_DAYS_MAX + 1, Math.max(0, today - index(dayStart(day))))]! += weight;
  }
  return censored;
}

const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

function labelFor(source: EstimateSource, parcels: number, key: LaneKey, carrierKnown: boolean): string {
  const evidence = `from ${formatCount(parcels)} parcels`;
  switch (source) {
    case "lane_region":
    case "lane":
      return evidence;
    case "carrier_destination":
      return `${evidence} of this carrier to ${key.destination}`;
    case "destination":
      return `${evidence} to ${key.destination}`;
    case "registry":
      return carrierKnown ? "typical time for this carrier" : "typical time for this route";
  }
}

function scanGapDays(model: LaneModel, levels: LaneLevel[]): number | null {
  for (const { id } of levels) {
    const stats = model.lanes[id];
    if (!stats || sum(stats.scanGaps) === 0) continue;
    return quantile(survivalCurve(stats.scanGaps), SCAN_GAP_QUANTILE) ?? null;
  }
  return null;
}

/**
 * The window for a parcel on `key`: its lane + region when the region has enough deliveries, else the
 * first parent with enough recency-weighted deliveries whose Kaplan–Meier curve reaches every quantile
 * asked for (heavy censoring can keep it from getting there), else the registry. A carrier the registry
 * knows skips the destination level: its registry prior is closer than other carriers' parcels (an
 * express parcel must not get a postal lane's window).
 */
export function estimateWindow(model: LaneModel, key: LaneKey, options: WindowOptions): LaneWindow {
  const coverage = options.coverage ?? DEFAULT_COVERAGE;
  const tail = Math.max(coverage, options.tailQuantile ?? DEFAULT_TAIL_QUANTILE);
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`coverage must be between 0 and 1, got ${coverage}`);
  const carrier = carrierByCode(key.carrier);
  const levels = laneLevels(key).filter(({ source }) => !(source === "destination" && carrier));
  const gap = scanGapDays(model, levels);

  for (const { source, id } of levels) {
    const stats = model.lanes[id];
    if (!stats) continue;
    const parcels = effectiveDeliveries(model, stats, options.now);
    const needed = source === "lane_region" ? (options.minRegionDeliveries ?? DEFAULT_MIN_REGION_DELIVERIES) : (options.minDeliveries ?? DEFAULT_MIN_DELIVERIES);
    if (parcels < needed) continue;
    const survival = survivalCurve(stats.delivered, censoredAt(stats, options.now));
    const [min, median, max, slow] = [1 - coverage, 0.5, coverage, tail].map((share) => quantile(survival, share));
    if (min === undefined || median === undefined || max === undefined || slow === undefined) continue;
    return {
      minBusinessDays: min,
      maxBusinessDays: max,
      medianBusinessDays: median,
      tailBusinessDays: slow,
      scanGapDays: gap,
      source,
      parcels,
      label: labelFor(source, parcels, key, true),
      counts: { ...stats.counts },
    };
  }

  const { min, max } = transitBusinessDays(carrier, key.destination, key.origin, options.overrides);
  return {
    minBusinessDays: min,
    maxBusinessDays: max,
    medianBusinessDays: Math.ceil((min + max) / 2),
    tailBusinessDays: max,
    scanGapDays: gap,
    source: "registry",
    parcels: 0,
    label: labelFor("registry", 0, key, carrier !== undefined),
    counts: null,
  };
}

/** The window as dates from the hand-over, in the destination's business days; it never starts before `now`. */
export function windowDates(
  window: Pick<LaneWindow, "minBusinessDays" | "maxBusinessDays">,
  handedOverAt: Date,
  now: Date,
  isHoliday?: (isoDate: string) => boolean,
): { from: Date; to: Date } {
  const from = addBusinessDays(handedOverAt, window.minBusinessDays, isHoliday);
  const to = addBusinessDays(handedOverAt, window.maxBusinessDays, isHoliday);
  const start = Math.max(from.getTime(), now.getTime());
  return { from: new Date(start), to: new Date(Math.max(to.getTime(), start)) };
}

export interface TimeFigures {
  median: number;
  p90: number;
  /** Recency-weighted parcels the figures rest on. */
  parcels: number;
}

function histogramFigures(model: LaneModel, histogram: DecayedHistogram | undefined, now: Date): TimeFigures | null {
  if (!histogram || histogram.count === 0) return null;
  const survival = survivalCurve(histogram.bins);
  const median = quantile(survival, 0.5);
  const p90 = quantile(survival, 0.9);
  if (median === undefined || p90 === undefined) return null;
  return { median, p90, parcels: sum(histogram.bins) * fade(model, histogram.referenceMs, now) };
}

/** Days from fulfillment to the first carrier scan for this carrier (any alias); null without evidence. */
export function onlineForTrackingDays(model: LaneModel, carrier: string, now: Date): TimeFigures | null {
  return histogramFigures(model, model.onlineForTracking[carrierKey(carrier)], now);
}

/** Hours from payment to fulfillment for this shop; null without evidence. */
export function handlingHours(model: LaneModel, shop: string, now: Date): TimeFigures | null {
  return histogramFigures(model, model.handling[shop], now);
}

/** Days from fulfillment to the first carrier scan over all the shop's carriers; null without evidence. */
export function onlineForTrackingAnyCarrier(model: LaneModel, now: Date): TimeFigures | null {
  const histograms = Object.values(model.onlineForTracking);
  if (histograms.length === 0) return null;
  const bins = new Array<number>(Math.max(...histograms.map((h) => h.bins.length))).fill(0);
  let count = 0;
  for (const histogram of histograms) {
    const factor = fade(model, histogram.referenceMs, now);
    histogram.bins.forEach((weight, k) => (bins[k]! += weight * factor));
    count += histogram.count;
  }
  return histogramFigures(model, { referenceMs: now.getTime(), bins, count }, now);
}
