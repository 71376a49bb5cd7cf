// What the shop's parcels taught us, per lane and its parents: plain JSON data, updated one parcel at a
// time (never by rescanning history), with older parcels weighing less.
//
// The record functions change the model they are given: it is the caller's to load and save.
import { businessDayIndex } from "~/lanes/business-days";
import { carrierKey, laneKey, laneLevels, type LaneInput } from "~/lanes/lane-key";
import { isoDate } from "~/shipments/estimate";
import { DAY_MS, HOUR_MS } from "~/time";


/** Transit bins: whole business days 0..120 and one more for anything slower. */
export const TRANSIT_DAYS_MAX = 120;
export const SCAN_GAP_DAYS_MAX = 60;
export const ONLINE_DAYS_MAX = 30;
export const HANDLING_HOURS_MAX = 336;
/** A parcel shipped this many days ago weighs half as much as one shipped today. */
export const DEFAULT_HALF_LIFE_DAYS = 30;

/** Parcels recorded on a lane, not weighted by age. */
export interface LaneCounts {
  delivered: number;
  inTransit: number;
  /** Given up on (for example 45 days without delivery). */
  undelivered: number;
  /** Had an exception or a customs hold. */
  exceptions: number;
  /** Got a delay notice. */
  delayNotices: number;
}

/**
 * One lane level's statistics. Weights are relative to `referenceMs`: a parcel handed over at t weighs
 * 2^((t - referenceMs) / halfLife), so the whole record ages by one factor when read at a later time.
 */
export interface LaneStats {
  /** The destination country whose business days the transit bins count. */
  destination: string;
  referenceMs: number;
  /** Weight delivered after k business days (last bin: slower than TRANSIT_DAYS_MAX). */
  delivered: number[];
  /** Weight given up on after k business days: its transit is longer. */
  censored: number[];
  /** Parcels out now, by their hand-over's UTC date (YYYY-MM-DD): [weight, parcels]. */
  inTransit: Record<string, [number, number]>;
  /** Weight of gaps of k days between consecutive carrier scans. */
  scanGaps: number[];
  counts: LaneCounts;
}

/** A recency-weighted histogram without censoring: online-for-tracking days, handling hours. */
export interface DecayedHistogram {
  referenceMs: number;
  bins: number[];
  count: number;
}

export interface LaneModel {
  version: 1;
  halfLifeDays: number;
  /** By LaneLevel id (lane_region:…, lane:…, carrier_destination:…, destination:…). */
  lanes: Record<string, LaneStats>;
  /** Per carrier code: days from fulfillment to the first carrier scan. */
  onlineForTracking: Record<string, DecayedHistogram>;
  /** Per shop: hours from payment to fulfillment. */
  handling: Record<string, DecayedHistogram>;
}

/** A parcel on its lane; hand-over is the first carrier event, else the fulfillment's time (see handOverTime). */
export interface ParcelOnLane extends LaneInput {
  handedOverAt: Date;
}

/** What else a finished parcel tells about its lane. */
export interface ParcelOutcome {
  /** Every carrier event's time, for the usual gap between scans. */
  scanTimes?: readonly Date[];
  hadException?: boolean;
  hadDelayNotice?: boolean;
}

export function createLaneModel(options: { halfLifeDays?: number } = {}): LaneModel {
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be positive, got ${halfLifeDays}`);
  return { version: 1, halfLifeDays, lanes: {}, onlineForTracking: {}, handling: {} };
}

/** Hand-over to the carrier: its first event, else the fulfillment's time. */
export function handOverTime(parcel: { firstCarrierEventAt?: Date | null; fulfilledAt: Date }): Date {
  return parcel.firstCarrierEventAt ?? parcel.fulfilledAt;
}

const bin = (value: number, max: number): number => Math.min(max + 1, Math.max(0, value));

/** The transit in business days of the destination, clamped to the bins. */
function transitBin(destination: string, handedOverAt: Date, arrivedAt: Date): number {
  const index = businessDayIndex(destination);
  return bin(index(arrivedAt.getTime()) - index(handedOverAt.getTime()), TRANSIT_DAYS_MAX);
}

const zeros = (max: number): number[] => new Array<number>(max + 2).fill(0);

function scale(values: number[], factor: number): void {
  for (let k = 0; k < values.length; k++) values[k]! *= factor;
}

// Moving the reference forward only when a weight would pass 2 keeps updates O(1) and weights bounded.
function weightAt(holder: { referenceMs: number }, atMs: number, halfLifeDays: number, rescale: (factor: number) => void): number {
  const halfLifeMs = halfLifeDays * DAY_MS;
  if (atMs - holder.referenceMs > halfLifeMs) {
    rescale(2 ** ((holder.referenceMs - atMs) / halfLifeMs));
    holder.referenceMs = atMs;
  }
  return 2 ** ((atMs - holder.referenceMs) / halfLifeMs);
}

function laneWeight(model: LaneModel, stats: LaneStats, atMs: number): number {
  return weightAt(stats, atMs, model.halfLifeDays, (factor) => {
    scale(stats.delivered, factor);
    scale(stats.censored, factor);
    scale(stats.scanGaps, factor);
    for (const entry of Object.values(stats.inTransit)) entry[0] *= factor;
  });
}

function histogramWeight(model: LaneModel, histogram: DecayedHistogram, atMs: number): number {
  return weightAt(histogram, atMs, model.halfLifeDays, (factor) => scale(histogram.bins, factor));
}

interface LevelUpdate {
  stats: LaneStats;
  weight: number;
}

/** Every level the parcel counts in, created on first use, with its weight there. */
function levelsOf(model: LaneModel, parcel: ParcelOnLane): LevelUpdate[] {
  const key = laneKey(parcel);
  const atMs = parcel.handedOverAt.getTime();
  return laneLevels(key).map(({ id }) => {
    const stats = (model.lanes[id] ??= {
      destination: key.destination,
      referenceMs: atMs,
      delivered: zeros(TRANSIT_DAYS_MAX),
      censored: zeros(TRANSIT_DAYS_MAX),
      inTransit: {},
      scanGaps: zeros(SCAN_GAP_DAYS_MAX),
      counts: { delivered: 0, inTransit: 0, undelivered: 0, exceptions: 0, delayNotices: 0 },
    });
    return { stats, weight: laneWeight(model, stats, atMs) };
  });
}

const handOverDay = (parcel: ParcelOnLane): string => isoDate(parcel.handedOverAt);

/** A parcel handed over and not delivered yet: evidence that its lane takes at least as long as it has been out. */
export function recordInTransit(model: LaneModel, parcel: ParcelOnLane): void {
  const day = handOverDay(parcel);
  for (const { stats, weight } of levelsOf(model, parcel)) {
    const entry = (stats.inTransit[day] ??= [0, 0]);
    entry[0] += weight;
    entry[1] += 1;
    stats.counts.inTransit += 1;
  }
}

/** Takes back recordInTransit (the same parcel, same hand-over); false when it was not recorded. */
export function removeInTransit(model: LaneModel, parcel: ParcelOnLane): boolean {
  const day = handOverDay(parcel);
  if (!laneLevels(laneKey(parcel)).every(({ id }) => model.lanes[id]?.inTransit[day])) return false;
  for (const { stats, weight } of levelsOf(model, parcel)) {
    const entry = stats.inTransit[day]!;
    entry[0] = Math.max(0, entry[0] - weight);
    entry[1] -= 1;
    if (entry[1] <= 0) delete stats.inTransit[day];
    stats.counts.inTransit -= 1;
  }
  return true;
}

function recordOutcome(stats: LaneStats, weight: number, outcome: ParcelOutcome): void {
  if (outcome.hadException) stats.counts.exceptions += 1;
  if (outcome.hadDelayNotice) stats.counts.delayNotices += 1;
  const scans = (outcome.scanTimes ?? []).map((d) => d.getTime()).sort((a, b) => a - b);
  for (let i = 1; i < scans.length; i++) {
    stats.scanGaps[bin(Math.ceil((scans[i]! - scans[i - 1]!) / DAY_MS), SCAN_GAP_DAYS_MAX)]! += weight;
  }
}

/** A delivered parcel; `wasInTransit` also takes back its recordInTransit. */
export function recordDelivery(
  model: LaneModel,
  parcel: ParcelOnLane & ParcelOutcome & { deliveredAt: Date },
  options: { wasInTransit?: boolean } = {},
): void {
  if (options.wasInTransit) removeInTransit(model, parcel);
  const days = transitBin(laneKey(parcel).destination, parcel.handedOverAt, parcel.deliveredAt);
  for (const { stats, weight } of levelsOf(model, parcel)) {
    stats.delivered[days]! += weight;
    stats.counts.delivered += 1;
    recordOutcome(stats, weight, parcel);
  }
}

/**
 * Takes back recordDelivery (the same parcel, hand-over, delivery and outcome), when what it rested on
 * changed (a scan that arrived after the delivery); false when its lane holds no delivery to take back.
 */
export function removeDelivery(model: LaneModel, parcel: ParcelOnLane & ParcelOutcome & { deliveredAt: Date }): boolean {
  if (!laneLevels(laneKey(parcel)).every(({ id }) => (model.lanes[id]?.counts.delivered ?? 0) > 0)) return false;
  const days = transitBin(laneKey(parcel).destination, parcel.handedOverAt, parcel.deliveredAt);
  const scans = (parcel.scanTimes ?? []).map((d) => d.getTime()).sort((a, b) => a - b);
  for (const { stats, weight } of levelsOf(model, parcel)) {
    stats.delivered[days] = Math.max(0, stats.delivered[days]! - weight);
    stats.counts.delivered -= 1;
    if (parcel.hadException) stats.counts.exceptions -= 1;
    if (parcel.hadDelayNotice) stats.counts.delayNotices -= 1;
    for (let i = 1; i < scans.length; i++) {
      const gap = bin(Math.ceil((scans[i]! - scans[i - 1]!) / DAY_MS), SCAN_GAP_DAYS_MAX);
      stats.scanGaps[gap] = Math.max(0, stats.scanGaps[gap]! - weight);
    }
  }
  return true;
}

/** A parcel given up on at `givenUpAt` (never delivered): its transit is known to be longer than that. */
export function recordUndelivered(
  model: LaneModel,
  parcel: ParcelOnLane & ParcelOutcome,
  givenUpAt: Date,
  options: { wasInTransit?: boolean } = {},
): void {
  if (options.wasInTransit) removeInTransit(model, parcel);
  const days = transitBin(laneKey(parcel).destination, parcel.handedOverAt, givenUpAt);
  for (const { stats, weight } of levelsOf(model, parcel)) {
    stats.censored[days]! += weight;
    stats.counts.undelivered += 1;
    recordOutcome(stats, weight, parcel);
  }
}

function recordHistogram(model: LaneModel, histograms: Record<string, DecayedHistogram>, id: string, atMs: number, value: number, max: number): void {
  const histogram = (histograms[id] ??= { referenceMs: atMs, bins: zeros(max), count: 0 });
  histogram.bins[bin(value, max)]! += histogramWeight(model, histogram, atMs);
  histogram.count += 1;
}

/** Days from fulfillment to the carrier's first scan ("online for tracking"), per carrier. */
export function recordOnlineForTracking(model: LaneModel, carrier: string | null | undefined, fulfilledAt: Date, firstScanAt: Date): void {
  const days = Math.ceil((firstScanAt.getTime() - fulfilledAt.getTime()) / DAY_MS);
  recordHistogram(model, model.onlineForTracking, carrierKey(carrier), fulfilledAt.getTime(), days, ONLINE_DAYS_MAX);
}

/** Takes back a recordOnlineForTracking made with the same times (a scan that happened earlier came late). */
export function removeOnlineForTracking(model: LaneModel, carrier: string | null | undefined, fulfilledAt: Date, firstScanAt: Date): boolean {
  const histogram = model.onlineForTracking[carrierKey(carrier)];
  if (!histogram || histogram.count <= 0) return false;
  const k = bin(Math.ceil((firstScanAt.getTime() - fulfilledAt.getTime()) / DAY_MS), ONLINE_DAYS_MAX);
  const weight = 2 ** ((fulfilledAt.getTime() - histogram.referenceMs) / (model.halfLifeDays * DAY_MS));
  histogram.bins[k] = Math.max(0, histogram.bins[k]! - weight);
  histogram.count -= 1;
  return true;
}

/** Hours from payment to fulfillment, per shop. */
export function recordHandling(model: LaneModel, shop: string, paidAt: Date, fulfilledAt: Date): void {
  const hours = Math.ceil((fulfilledAt.getTime() - paidAt.getTime()) / HOUR_MS);
  recordHistogram(model, model.handling, shop, paidAt.getTime(), hours, HANDLING_HOURS_MAX);
}

/** A shipment as stored: delivered, given up on, or still in transit. */
export interface RecordedShipment extends ParcelOnLane, ParcelOutcome {
  deliveredAt?: Date | null;
  givenUpAt?: Date | null;
  shop?: string | null;
  paidAt?: Date | null;
  fulfilledAt?: Date | null;
  firstScanAt?: Date | null;
}

/** The model from scratch, from every recorded shipment (what the record functions build one by one). */
export function rebuildLaneModel(shipments: Iterable<RecordedShipment>, options: { halfLifeDays?: number } = {}): LaneModel {
  const model = createLaneModel(options);
  for (const shipment of shipments) {
    if (shipment.deliveredAt) recordDelivery(model, { ...shipment, deliveredAt: shipment.deliveredAt });
    else if (shipment.givenUpAt) recordUndelivered(model, shipment, shipment.givenUpAt);
    else recordInTransit(model, shipment);
    if (shipment.shop && shipment.paidAt && shipment.fulfilledAt) recordHandling(model, shipment.shop, shipment.paidAt, shipment.fulfilledAt);
    if (shipment.fulfilledAt && shipment.firstScanAt) recordOnlineForTracking(model, shipment.carrier, shipment.fulfilledAt, shipment.firstScanAt);
  }
  return model;
}
