// When a shipment becomes "at risk", and why: the one rule behind the delay notice, the merchant's
// at-risk list and the buyer's tracking page. It is computed when the shipment changes and stored on it.
import { addBusinessDays } from "./estimate";
import { publicHolidayChecker } from "./holidays";
import { DAY_MS } from "~/time";

/** Carrier statuses that mean something went wrong on the way: a delay notice need not wait. */
export const EXCEPTION_STATUSES = ["failure", "attempted_delivery", "delayed"];

export type DelayReason = "overdue" | "silent" | "exception";

/** "learned": from the lane's own slow tail and scan gaps; "fixed": window end + grace, silence days. */
export type AtRiskRule = "learned" | "fixed";

export interface AtRiskSettings {
  atRiskRule: string;
  delayGraceDays: number;
  silenceDays: number;
}

/** The Shop row's defaults. */
export const DEFAULT_AT_RISK: AtRiskSettings = { atRiskRule: "learned", delayGraceDays: 3, silenceDays: 7 };

/** What the lane model knows of the shipment's lane; null when it has no evidence of its own. */
export interface LaneFigures {
  tailBusinessDays: number;
  scanGapDays: number | null;
}

export interface AtRiskShipment {
  status: string;
  shipmentStatus: string | null;
  trackingNumbers: readonly string[];
  destinationCountry?: string | null;
  shippedAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  estimatedDeliveryTo: Date | null;
  lastEventAt: Date | null;
  /** The first carrier event: the hand-over, when known. */
  firstEventAt?: Date | null;
}

export interface AtRisk {
  at: Date;
  reason: DelayReason;
}

// A lane that scans daily must still not alarm a buyer after one quiet weekend.
const MIN_LEARNED_SILENCE_DAYS = 3;

/** Cancelled or failed fulfillments never get a delay notice. */
export const isLiveShipment = (shipment: { status: string }) =>
  shipment.status !== "cancelled" && shipment.status !== "error" && shipment.status !== "failure";

/** Null for delivered, cancelled or untracked shipments; else the earliest of the reasons that apply. */
export function atRiskFrom(shipment: AtRiskShipment, lane: LaneFigures | null, settings: AtRiskSettings): AtRisk | null {
  if (!isLiveShipment(shipment) || shipment.deliveredAt || shipment.trackingNumbers.length === 0) return null;
  const candidates: AtRisk[] = [];
  if (shipment.lastEventAt && shipment.shipmentStatus && EXCEPTION_STATUSES.includes(shipment.shipmentStatus)) {
    candidates.push({ at: shipment.lastEventAt, reason: "exception" });
  }
  const lastSign = shipment.lastEventAt ?? shipment.shippedAt ?? shipment.createdAt;
  const learned = settings.atRiskRule !== "fixed" && lane !== null;
  if (learned) {
    const handedOver = shipment.firstEventAt ?? shipment.shippedAt ?? shipment.createdAt;
    candidates.push({ at: addBusinessDays(handedOver, lane.tailBusinessDays, publicHolidayChecker(shipment.destinationCountry)), reason: "overdue" });
  } else if (shipment.estimatedDeliveryTo) {
    candidates.push({ at: new Date(shipment.estimatedDeliveryTo.getTime() + settings.delayGraceDays * DAY_MS), reason: "overdue" });
  }
  const silenceDays = learned && lane.scanGapDays !== null ? Math.max(lane.scanGapDays * 2, MIN_LEARNED_SILENCE_DAYS) : settings.silenceDays;
  candidates.push({ at: new Date(lastSign.getTime() + silenceDays * DAY_MS), reason: "silent" });
  return candidates.reduce((first, c) => (c.at.getTime() < first.at.getTime() ? c : first));
}

/** The stored columns: when the shipment is (or becomes) at risk, and why. */
export function atRiskColumns(shipment: AtRiskShipment, lane: LaneFigures | null, settings: AtRiskSettings): { atRiskAt: Date | null; atRiskReason: DelayReason | null } {
  const risk = atRiskFrom(shipment, lane, settings);
  return { atRiskAt: risk?.at ?? null, atRiskReason: risk?.reason ?? null };
}

/** The lane's own figures for the learned rule; none when the window is only the registry's. */
export function laneFiguresOf(window: { source: string; tailBusinessDays: number; scanGapDays: number | null }): LaneFigures | null {
  return window.source === "registry" ? null : { tailBusinessDays: window.tailBusinessDays, scanGapDays: window.scanGapDays };
}
