// What a shipment's change teaches its lane: comparing its state before and after a re-derive, so each
// transition (handed over, first scan, delivered, cancelled) counts exactly once however often events repeat.
import { EXCEPTION_STATUSES } from "~/shipments/at-risk";
import type { LaneInput } from "./lane-key";
import { recordDelivery, recordHandling, recordInTransit, recordOnlineForTracking, removeDelivery, removeInTransit, removeOnlineForTracking, type LaneModel } from "./lane-model";
import { DAY_MS } from "~/time";


export interface LaneShipment {
  shipmentStatus: string | null;
  /** Set once the shipment has an estimate, i.e. once it is tracked. */
  estimateSource: string | null;
  deliveredAt: Date | null;
  lastEventAt: Date | null;
  shippedAt: Date | null;
  createdAt: Date;
  carrierCode: string | null;
  carrierName: string | null;
  originCountry: string | null;
  destinationCountry: string | null;
  destinationRegion: string | null;
}

export interface LaneEvent {
  status: string;
  happenedAt: Date;
}

export interface LaneChange {
  parcel: LaneInput;
  /** Whether it teaches the shop's handling time (the handling level must then be loaded too). */
  handling: boolean;
  apply: (model: LaneModel) => void;
}

/** The order's payment, for the shop's handling time (payment to fulfillment). */
export interface HandlingFacts {
  shop: string;
  paidAt: Date | null;
}

/** A shipment seen tracked for the first time teaches its shop's handling time once. */
export const firstTracked = (before: LaneShipment, after: LaneShipment): boolean => before.estimateSource === null && counted(after);

const counted = (s: LaneShipment) => s.estimateSource !== null && s.shipmentStatus !== "cancelled";
const inTransit = (s: LaneShipment) => counted(s) && !s.deliveredAt;
const fulfilledAt = (s: LaneShipment) => s.shippedAt ?? s.createdAt;

const earliest = (events: readonly LaneEvent[]): Date | null =>
  events.reduce<Date | null>((first, e) => (first && first <= e.happenedAt ? first : e.happenedAt), null);

const parcelOf = (s: LaneShipment): LaneInput => ({
  carrier: s.carrierCode ?? s.carrierName,
  originCountry: s.originCountry,
  destinationCountry: s.destinationCountry,
  destinationRegion: s.destinationRegion,
});

/**
 * Null when the change teaches nothing (the usual case for a repeated or routine event). `eventsBefore`
 * are the events `before` was derived from (default: the same as `events`): a scan that arrives late
 * but happened before the first one moves the hand-over, and the in-transit record made with the old one
 * must be the one taken back.
 */
export function laneChange(
  before: LaneShipment,
  after: LaneShipment,
  events: readonly LaneEvent[],
  eventsBefore: readonly LaneEvent[] = events,
  handling?: HandlingFacts,
): LaneChange | null {
  const ordered = [...events].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime());
  const firstEventAt = ordered[0]?.happenedAt ?? null;
  const parcel = parcelOf(after);
  // The hand-over the in-transit record was made with: the first event only if there was one then.
  const handedOverBefore = (before.lastEventAt && earliest(eventsBefore)) || fulfilledAt(before);
  const handedOverAt = firstEventAt ?? fulfilledAt(after);
  const steps: ((model: LaneModel) => void)[] = [];

  const wasOut = inTransit(before);
  const isOut = inTransit(after);
  const moved = wasOut && (!isOut || handedOverBefore.getTime() !== handedOverAt.getTime());
  if (moved) steps.push((model) => removeInTransit(model, { ...parcel, handedOverAt: handedOverBefore }));
  if (isOut && (!wasOut || moved)) steps.push((model) => recordInTransit(model, { ...parcel, handedOverAt }));
  const outcomeOf = (scans: readonly LaneEvent[]) => ({
    scanTimes: scans.map((e) => e.happenedAt),
    hadException: scans.some((e) => EXCEPTION_STATUSES.includes(e.status)),
  });
  if (counted(after) && after.deliveredAt && !before.deliveredAt) {
    const deliveredAt = after.deliveredAt;
    steps.push((model) => recordDelivery(model, { ...parcel, handedOverAt, deliveredAt, ...outcomeOf(ordered) }));
  }
  // A scan that arrives after the delivery (an earlier pick-up scan, a missed one): the delivery is
  // counted again from every scan, as a relearn would count it.
  if (counted(before) && counted(after) && before.deliveredAt && after.deliveredAt && eventsBefore.length !== events.length) {
    const earlier = { ...parcelOf(before), handedOverAt: earliest(eventsBefore) ?? fulfilledAt(before), deliveredAt: before.deliveredAt, ...outcomeOf(eventsBefore) };
    const recounted = { ...parcel, handedOverAt, deliveredAt: after.deliveredAt, ...outcomeOf(ordered) };
    steps.push((model) => {
      if (removeDelivery(model, earlier)) recordDelivery(model, recounted);
    });
  }
  if (counted(after) && firstEventAt && !before.lastEventAt) {
    steps.push((model) => recordOnlineForTracking(model, parcel.carrier, fulfilledAt(after), firstEventAt));
  }
  // The first scan moved earlier: its online-for-tracking time moves with it.
  const firstBefore = earliest(eventsBefore);
  const onlineDays = (scanAt: Date) => Math.ceil((scanAt.getTime() - fulfilledAt(after).getTime()) / DAY_MS);
  if (counted(before) && counted(after) && before.lastEventAt && firstBefore && firstEventAt && onlineDays(firstEventAt) !== onlineDays(firstBefore)) {
    steps.push((model) => {
      if (removeOnlineForTracking(model, parcel.carrier, fulfilledAt(after), firstBefore)) recordOnlineForTracking(model, parcel.carrier, fulfilledAt(after), firstEventAt);
    });
  }
  const paidAt = handling?.paidAt;
  const teachesHandling = Boolean(handling && paidAt && firstTracked(before, after) && fulfilledAt(after) >= paidAt);
  if (teachesHandling) steps.push((model) => recordHandling(model, handling!.shop, paidAt!, fulfilledAt(after)));
  if (steps.length === 0) return null;
  return { parcel, handling: teachesHandling, apply: (model) => steps.forEach((step) => step(model)) };
}
