// Each carrier's record per destination, side by side: how fast, how often on time, how often in
// trouble, from the shop's own shipments. Pure: the records and the time are parameters.
import { countryLabel } from "~/admin/templates";
import { carrierByCode } from "~/carriers/registry";
import { quantile, survivalCurve } from "~/lanes/kaplan-meier";
import { carrierKey } from "~/lanes/lane-key";
import { businessDayIndex } from "~/lanes/business-days";
import { TRANSIT_DAYS_MAX } from "~/lanes/lane-model";
import { recommendCarrier, type Recommendation } from "./recommendation";
import { DAY_MS } from "~/time";
import { groupBy } from "~/group-by";

const WEEK_MS = 7 * DAY_MS;

/** One shipment as the Carriers page needs it. */
export interface ShipmentRecord {
  /** Carrier code or name as recorded; registry aliases are folded together. */
  carrier: string | null;
  originCountry: string | null;
  destinationCountry: string;
  destinationRegion: string | null;
  shippedAt: Date;
  firstCarrierEventAt: Date | null;
  deliveredAt: Date | null;
  /** The end of the window promised at the time (Shipment.estimatedDeliveryTo). */
  promisedBy: Date | null;
  /** A carrier exception (failure, attempted delivery, delayed) or a customs hold. */
  hadException: boolean;
  hadDelayNotice: boolean;
}

export interface PerformanceOptions {
  now: Date;
  /** Weeks of trend, ending with the current one. */
  weeks?: number;
  /** Delivered parcels a carrier needs before it is compared or named the least on time. */
  minDelivered?: number;
  /** Parcels a region needs before it gets its own table. */
  minRegionParcels?: number;
  /** A parcel not delivered this many days after shipping counts as never delivered. */
  giveUpDays?: number;
}

export const DEFAULT_WEEKS = 12;
export const MIN_DELIVERED = 20;
export const MIN_REGION_PARCELS = 40;
export const GIVE_UP_DAYS = 45;
/** The distribution's last bar holds this many business days or more. */
export const HISTOGRAM_DAYS_MAX = 40;

/** Shares are 0..1; null where nothing could be counted yet. */
export interface CarrierFigures {
  /** Registry code (or the name folded); with the origin when the destination is reached from several. */
  id: string;
  carrier: string;
  carrierName: string;
  origin: string | null;
  /** "Correios", or "Correios from China" when the destination is reached from several origins. */
  label: string;
  parcels: number;
  delivered: number;
  inTransit: number;
  /** Business days of the destination from shipping to delivery; parcels still out count as censored. */
  medianDays: number | null;
  p90Days: number | null;
  onTimeRate: number | null;
  /** Parcels with a promised date that were delivered or are past it: the on-time rate's base. */
  promisedParcels: number;
  exceptionShare: number;
  delayNoticeShare: number;
  /** Of the parcels shipped at least giveUpDays ago, the share not delivered within them. */
  undeliveredShare: number | null;
  /** Calendar days from shipping to the carrier's first scan (online for tracking). */
  handoverDays: number | null;
  /** Median business days of the parcels shipped each week (report.weeks); null while unknown. */
  weeklyMedianDays: Array<number | null>;
  /** Delivered parcels by business days 0..lane.histogramDays (the last bin: that many or more). */
  transitHistogram: number[];
}

export interface LanePerformance {
  destination: string;
  region: string | null;
  parcels: number;
  histogramDays: number;
  /** The last bin also holds every slower parcel (the lane's slowest took longer than HISTOGRAM_DAYS_MAX). */
  histogramCapped: boolean;
  /** Busiest first. */
  carriers: CarrierFigures[];
  recommendation: Recommendation | null;
  /** Regions of a destination with enough parcels of their own (empty on a region). */
  regions: LanePerformance[];
}

export interface WorstOnTime {
  destination: string;
  carrier: string;
  label: string;
  onTimeRate: number;
  promisedParcels: number;
}

export interface CarriersReport {
  /** ISO date of each week's Monday, oldest first. */
  weeks: string[];
  /** Busiest destination first. */
  lanes: LanePerformance[];
  /** The carrier and destination with the lowest on-time rate on enough parcels. */
  worstOnTime: WorstOnTime | null;
  minDelivered: number;
}

export function carriersReport(records: readonly ShipmentRecord[], options: PerformanceOptions): CarriersReport {
  const settings = {
    now: options.now,
    minDelivered: options.minDelivered ?? MIN_DELIVERED,
    minRegionParcels: options.minRegionParcels ?? MIN_REGION_PARCELS,
    giveUpDays: options.giveUpDays ?? GIVE_UP_DAYS,
    weekStarts: weekStarts(options.now, options.weeks ?? DEFAULT_WEEKS),
  };
  const lanes = [...groupBy(records, (r) => r.destinationCountry.toUpperCase())].map(([destination, shipments]) => {
    const regions = [...groupBy(shipments, (r) => (r.destinationRegion ?? "").toUpperCase())]
      .filter(([region, inRegion]) => region && inRegion.length >= settings.minRegionParcels)
      .map(([region, inRegion]) => lanePerformance(destination, region, inRegion, settings, []));
    return lanePerformance(destination, null, shipments, settings, byParcels(regions));
  });
  return {
    weeks: settings.weekStarts.map((ms) => new Date(ms).toISOString().slice(0, 10)),
    lanes: byParcels(lanes),
    worstOnTime: worstOnTime(lanes, settings.minDelivered),
    minDelivered: settings.minDelivered,
  };
}

interface Settings {
  now: Date;
  minDelivered: number;
  minRegionParcels: number;
  giveUpDays: number;
  weekStarts: number[];
}

function lanePerformance(destination: string, region: string | null, shipments: readonly ShipmentRecord[], settings: Settings, regions: LanePerformance[]): LanePerformance {
  const groups = groupBy(shipments, (r) => carrierKey(r.carrier));
  const origins = new Set(shipments.map(originOf));
  // A carrier from two origins is two different journeys: split it only when the destination has several.
  const rows = origins.size > 1 ? [...groups].flatMap(([carrier, own]) => [...groupBy(own, originOf)].map(([origin, part]) => ({ carrier, origin, part }))) : [...groups].map(([carrier, part]) => ({ carrier, origin: [...origins][0] ?? null, part }));
  const transits = rows.map(({ part }) => part.map((r) => transitOf(r, destination, settings.now)));
  const longest = Math.max(0, ...transits.flat().filter((t) => t.delivered).map((t) => t.days));
  const histogramDays = Math.min(HISTOGRAM_DAYS_MAX, longest);
  const carriers = rows.map(({ carrier, origin, part }, i) =>
    carrierFigures({ carrier, origin, split: origins.size > 1, shipments: part, transits: transits[i]!, histogramDays, settings }),
  );
  const lane = { destination, region, parcels: shipments.length, histogramDays, histogramCapped: longest > HISTOGRAM_DAYS_MAX, carriers: byParcels(carriers), regions };
  return { ...lane, recommendation: recommendCarrier(lane, settings.minDelivered) };
}

interface Transit {
  days: number;
  delivered: boolean;
}

// Counted from shipping, as the buyer waits and as the promise was made; the hand-over has its own column.
function transitOf(record: ShipmentRecord, destination: string, now: Date): Transit {
  const index = businessDayIndex(destination);
  const days = index((record.deliveredAt ?? now).getTime()) - index(record.shippedAt.getTime());
  // The lane model's bins: 0..TRANSIT_DAYS_MAX, and one more for anything slower.
  return { days: Math.min(TRANSIT_DAYS_MAX + 1, Math.max(0, days)), delivered: Boolean(record.deliveredAt) };
}

function carrierFigures(input: {
  carrier: string;
  origin: string | null;
  split: boolean;
  shipments: readonly ShipmentRecord[];
  transits: readonly Transit[];
  histogramDays: number;
  settings: Settings;
}): CarrierFigures {
  const { carrier, origin, shipments, transits, histogramDays, settings } = input;
  const nowMs = settings.now.getTime();
  const curve = kaplanMeier(transits);
  const promised = onTime(shipments, nowMs);
  const old = shipments.filter((r) => nowMs - r.shippedAt.getTime() >= settings.giveUpDays * DAY_MS);
  const lost = old.filter((r) => !r.deliveredAt || r.deliveredAt.getTime() - r.shippedAt.getTime() > settings.giveUpDays * DAY_MS);
  const handovers = shipments.filter((r) => r.firstCarrierEventAt).map((r) => Math.max(0, r.firstCarrierEventAt!.getTime() - r.shippedAt.getTime()) / DAY_MS);
  const histogram = new Array<number>(histogramDays + 1).fill(0);
  for (const t of transits) if (t.delivered) histogram[Math.min(t.days, histogramDays)]! += 1;
  const delivered = transits.filter((t) => t.delivered).length;
  const name = carrierName(carrier, shipments);
  return {
    id: input.split ? `${carrier}|${origin ?? ""}` : carrier,
    carrier,
    carrierName: name,
    origin,
    label: input.split && origin ? `${name} from ${countryLabel(origin)}` : name,
    parcels: shipments.length,
    delivered,
    inTransit: shipments.length - delivered,
    medianDays: quantile(curve, 0.5) ?? null,
    p90Days: quantile(curve, 0.9) ?? null,
    onTimeRate: promised.parcels ? promised.onTime / promised.parcels : null,
    promisedParcels: promised.parcels,
    exceptionShare: share(shipments, (r) => r.hadException),
    delayNoticeShare: share(shipments, (r) => r.hadDelayNotice),
    undeliveredShare: old.length ? lost.length / old.length : null,
    handoverDays: handovers.length ? Math.round(median(handovers) * 10) / 10 : null,
    weeklyMedianDays: settings.weekStarts.map((start) => {
      const week = transits.filter((_, i) => weekOf(shipments[i]!.shippedAt.getTime()) === start);
      return week.length ? (quantile(kaplanMeier(week), 0.5) ?? null) : null;
    }),
    transitHistogram: histogram,
  };
}

function kaplanMeier(transits: readonly Transit[]): Float64Array {
  const delivered = new Array<number>(TRANSIT_DAYS_MAX + 2).fill(0);
  const censored = new Array<number>(TRANSIT_DAYS_MAX + 2).fill(0);
  for (const t of transits) (t.delivered ? delivered : censored)[t.days]! += 1;
  return survivalCurve(delivered, censored);
}

const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/** On time: delivered by the end of the promised day. Parcels still out before that day are not judged yet. */
function onTime(shipments: readonly ShipmentRecord[], nowMs: number): { onTime: number; parcels: number } {
  let parcels = 0;
  let ontime = 0;
  for (const r of shipments) {
    if (!r.promisedBy) continue;
    const due = utcDay(r.promisedBy.getTime());
    if (r.deliveredAt) {
      parcels++;
      if (utcDay(r.deliveredAt.getTime()) <= due) ontime++;
    } else if (utcDay(nowMs) > due) parcels++;
  }
  return { onTime: ontime, parcels };
}

function carrierName(carrier: string, shipments: readonly ShipmentRecord[]): string {
  return carrierByCode(carrier)?.name ?? shipments.find((r) => r.carrier?.trim())?.carrier?.trim() ?? "Unknown carrier";
}

const originOf = (r: ShipmentRecord): string | null => r.originCountry?.toUpperCase() || null;

function share<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length ? items.filter(test).length / items.length : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Weeks start on Monday, UTC (1970-01-05 was a Monday).
const MONDAY_MS = 4 * DAY_MS;
const weekOf = (ms: number): number => Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;

function weekStarts(now: Date, weeks: number): number[] {
  const current = weekOf(now.getTime());
  return Array.from({ length: weeks }, (_, i) => current - (weeks - 1 - i) * WEEK_MS);
}


const byParcels = <T extends { parcels: number }>(items: T[]): T[] => items.sort((a, b) => b.parcels - a.parcels);

function worstOnTime(lanes: readonly LanePerformance[], minDelivered: number): WorstOnTime | null {
  let worst: WorstOnTime | null = null;
  for (const lane of lanes) {
    for (const c of lane.carriers) {
      if (c.onTimeRate === null || c.promisedParcels < minDelivered) continue;
      if (!worst || c.onTimeRate < worst.onTimeRate || (c.onTimeRate === worst.onTimeRate && c.promisedParcels > worst.promisedParcels)) {
        worst = { destination: lane.destination, carrier: c.id, label: c.label, onTimeRate: c.onTimeRate, promisedParcels: c.promisedParcels };
      }
    }
  }
  return worst;
}
