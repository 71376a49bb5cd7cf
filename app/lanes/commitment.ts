// The handling commitment's figures: what the shop's own orders taught (hours from payment to
// fulfillment; days from fulfillment to the carrier's first scan), unless the merchant pins them.
import { handlingHours, onlineForTrackingAnyCarrier, onlineForTrackingDays, type TimeFigures } from "./estimate-window";
import type { LaneModel } from "./lane-model";

/** Recency-weighted orders (or parcels) a learned figure needs before the mail prints it. */
export const MIN_COMMITMENT_EVIDENCE = 20;

/** A learned figure: 9 in 10 orders took at most `value`; `evidence` is the recency-weighted count behind it. */
export interface LearnedFigure {
  value: number;
  evidence: number;
}

export interface LearnedCommitment {
  /** Null until enough orders were fulfilled. */
  handlingHours: LearnedFigure | null;
  /** Null until enough parcels had a first carrier scan. */
  onlineTrackingDays: LearnedFigure | null;
}

export interface CommitmentSettings {
  handlingHours: number;
  handlingHoursPinned: boolean;
  onlineTrackingDays: number;
  onlineTrackingDaysPinned: boolean;
}

export interface Commitment {
  handlingHours: number;
  onlineTrackingDays: number;
}

function learned(figures: TimeFigures | null, min: number, max: number): LearnedFigure | null {
  if (!figures || figures.parcels < MIN_COMMITMENT_EVIDENCE) return null;
  // "0 days until tracking is online" reads as a mistake: a promise is at least one unit.
  return { value: Math.min(max, Math.max(min, Math.ceil(figures.p90))), evidence: Math.round(figures.parcels) };
}

/** What the shop's model says, as of `now`; with a carrier, its own online days when it has enough parcels. */
export function learnedCommitment(model: LaneModel, shop: string, now: Date, carrier?: string | null): LearnedCommitment {
  const own = carrier ? learned(onlineForTrackingDays(model, carrier, now), 1, 30) : null;
  return {
    handlingHours: learned(handlingHours(model, shop, now), 1, 720),
    onlineTrackingDays: own ?? learned(onlineForTrackingAnyCarrier(model, now), 1, 30),
  };
}

/** The figures the mail and the tracking page print: pinned or not yet learned, the setting; else the learned. */
export function commitmentOf(settings: CommitmentSettings, learnedFigures: LearnedCommitment): Commitment {
  return {
    handlingHours: settings.handlingHoursPinned ? settings.handlingHours : (learnedFigures.handlingHours?.value ?? settings.handlingHours),
    onlineTrackingDays: settings.onlineTrackingDaysPinned ? settings.onlineTrackingDays : (learnedFigures.onlineTrackingDays?.value ?? settings.onlineTrackingDays),
  };
}
