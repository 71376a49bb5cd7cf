// Timing & settings: what each timing rule means for the buyer, the engine's defaults, the regions of
// carrier transit times. Pure and free of server code: the settings page renders it as the merchant types.
import type { Region } from "~/carriers/registry";
import type { AtRiskRule } from "~/shipments/at-risk";
import type { LearnedFigure } from "~/lanes/commitment";
import type { FeedbackAfterDelay } from "~/feedback/rules";

/** The engine's defaults (the Shop model's column defaults). */
export const TIMING_DEFAULTS = {
  handlingEnabled: true,
  handlingDelayMinutes: 10,
  handlingHours: 48,
  handlingHoursPinned: false,
  onlineTrackingDays: 3,
  onlineTrackingDaysPinned: false,
  shippingEnabled: true,
  feedbackEnabled: true,
  feedbackDelayDays: 7,
  feedbackFallbackDays: 5,
  delayEnabled: true,
  delayGraceDays: 3,
  silenceDays: 7,
  /** Shop.estimateCoverage as a percent: 9 in 10 parcels of a lane arrive inside the printed window. */
  estimateCoveragePercent: 90,
  atRiskRule: "learned",
  /** After a delay notice or a late parcel: thank the buyer for their patience first, or skip the request. */
  feedbackAfterDelay: "reword",
  /** Never two feedback requests to one buyer within these days, across orders. */
  feedbackBuyerGapDays: 30,
} as const;

type Setting<K, T> = K extends "atRiskRule" ? AtRiskRule : K extends "feedbackAfterDelay" ? FeedbackAfterDelay : T extends boolean ? boolean : number;
export type TimingSettings = { -readonly [K in keyof typeof TIMING_DEFAULTS]: Setting<K, (typeof TIMING_DEFAULTS)[K]> };

/** The coverage a merchant may choose, in percent. */
export const COVERAGE_PERCENT = { min: 50, max: 99 };

/** The buyer's daytime window the engine sends delay notices and feedback requests in. */
export const DAYTIME_WINDOW = { from: "09:00", to: "20:00" };

export const REGIONS: readonly Region[] = ["domestic", "north_america", "europe", "asia", "oceania", "latin_america", "middle_east", "africa"];

export const REGION_LABELS: Record<Region, string> = {
  domestic: "Domestic (same country)",
  north_america: "North America",
  europe: "Europe",
  asia: "Asia",
  oceania: "Oceania",
  latin_america: "Latin America",
  middle_east: "Middle East",
  africa: "Africa (and unknown destinations)",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const daytime = `between ${DAYTIME_WINDOW.from} and ${DAYTIME_WINDOW.to} in the buyer's time`;

export interface TimingExplanation {
  kind: "handling_commitment" | "shipping_confirmation" | "delay_notice" | "feedback_request";
  title: string;
  enabled: boolean;
  /** What the buyer receives and when, in a sentence or two. */
  text: string;
}

/** 90 → "9 in 10", 85 → "85 in 100". */
export function coverageWords(percent: number): string {
  return percent % 10 === 0 ? `${percent / 10} in 10` : `${percent} in 100`;
}

function atRiskWords(settings: TimingSettings): string {
  const fixed = `${plural(settings.delayGraceDays, "day")} past the end of its estimated delivery window, or the carrier has reported nothing for ${plural(settings.silenceDays, "day")}`;
  if (settings.atRiskRule === "fixed") return `When a parcel is ${fixed}, or the carrier reports a problem`;
  return `When a parcel is past its lane's slow tail (slower than 97 in 100 of the lane's parcels), or the carrier has been silent for longer than twice the lane's usual gap between scans, or the carrier reports a problem (a lane without enough parcels of its own: ${fixed})`;
}

/** What a buyer will receive and when, for these settings. */
export function explainTiming(settings: TimingSettings): TimingExplanation[] {
  const handlingWait = settings.handlingDelayMinutes === 0 ? "As soon as the order is paid" : `${plural(settings.handlingDelayMinutes, "minute")} after the order is paid`;
  return [
    {
      kind: "handling_commitment",
      title: "Handling commitment",
      enabled: settings.handlingEnabled,
      text: settings.handlingEnabled
        ? `${handlingWait}, if nothing has shipped yet: the order will be prepared within ${plural(settings.handlingHours, "hour")}, and tracking works online ${plural(settings.onlineTrackingDays, "day")} after it ships. Skipped when the order ships first.`
        : "Not sent: buyers hear from you first when the order ships.",
    },
    {
      kind: "shipping_confirmation",
      title: "Shipping confirmation",
      enabled: settings.shippingEnabled,
      text: settings.shippingEnabled
        ? `As soon as a shipment has a tracking number: carrier, tracking link and the estimated delivery window, wide enough that ${coverageWords(settings.estimateCoveragePercent)} parcels of its lane arrive inside it. A changed tracking number sends one update, never a duplicate.`
        : "Not sent: buyers get no tracking details from Parcelwise.",
    },
    {
      kind: "delay_notice",
      title: "Delay notice",
      enabled: settings.delayEnabled,
      text: settings.delayEnabled
        ? `${atRiskWords(settings)}, ${daytime}. At most one per shipment; the shipment also shows as at risk.`
        : "Not sent: buyers are not told when a parcel is late. A late shipment still shows as at risk in Shipments.",
    },
    {
      kind: "feedback_request",
      title: "Feedback request",
      enabled: settings.feedbackEnabled,
      text: settings.feedbackEnabled
        ? `${plural(settings.feedbackDelayDays, "day")} after the carrier reports delivery, ${daytime}. Without a delivery event: ${plural(settings.feedbackFallbackDays, "day")} after the end of the estimated delivery window. Once per order, after the order's last parcel; never for cancelled orders, orders with a refund or an open return, or buyers who unsubscribed; at most one per buyer in ${plural(settings.feedbackBuyerGapDays, "day")}. ${settings.feedbackAfterDelay === "skip" ? "Not sent after a delay notice or a parcel later than its window." : "After a delay notice or a parcel later than its window, it thanks the buyer for their patience first."}`
        : "Not sent: buyers are not asked for a review.",
    },
  ];
}

/** The figure the handling commitment prints: the pinned setting, else the learned one when there is one. */
export function effectiveFigure(setting: number, pinned: boolean, learned: LearnedFigure | null): number {
  return pinned || !learned ? setting : learned.value;
}

/**
 * What was learned for one commitment figure, in the merchant's words: "Learned: 31 h from 412 orders",
 * or "Not enough orders yet: using 48 h".
 */
export function describeLearned(figure: "handling" | "online", setting: number, pinned: boolean, learned: LearnedFigure | null): string {
  const [unit, evidence] = figure === "handling" ? ["h", "orders"] : [" days", "parcels"];
  const value = (n: number) => (figure === "online" && n === 1 ? "1 day" : `${n}${unit}`);
  const seen = learned ? `learned: ${value(learned.value)} from ${learned.evidence.toLocaleString("en-US")} ${evidence} (9 in 10 took at most that)` : null;
  if (pinned) return `Pinned: buyers are told ${value(setting)}${seen ? `; ${seen}` : ""}.`;
  if (!seen) return `Not enough ${evidence} yet: using ${value(setting)}.`;
  return `${seen[0]!.toUpperCase()}${seen.slice(1)}.`;
}
