// When a feedback request respects what the order went through: never after a refund of a line or with
// an open return, never twice to one buyer within the shop's days, never before the last parcel is in,
// and after a delay either thanked for the buyer's patience first or skipped, as the merchant chose.
// Pure: the planner asks it at plan time, the worker again just before sending; time is a parameter.
import { DAY_MS } from "~/time";

export const AFTER_DELAY_CHOICES = ["reword", "skip"] as const;
export type FeedbackAfterDelay = (typeof AFTER_DELAY_CHOICES)[number];

export const FEEDBACK_RULE_DEFAULTS = { feedbackAfterDelay: "reword" as FeedbackAfterDelay, feedbackBuyerGapDays: 30 };

/** The shop's choices (Shop columns); absent means the defaults. */
export interface FeedbackRuleSettings {
  feedbackAfterDelay?: string;
  feedbackBuyerGapDays?: number;
}

/** Another order's feedback request to the same buyer (same normalised email). */
export interface BuyerRequest {
  orderShopifyId: string;
  orderName: string;
  status: string;
  scheduledFor: Date;
  sentAt: Date | null;
}

/** What the rules need to know about one order, beyond the planner's own records. */
export interface FeedbackFacts {
  /** A delay notice for the order went to SendGrid. */
  delayNoticeSent: boolean;
  /** Each live parcel: when it arrived, and the last day of the window its shipping confirmation printed. */
  parcels: { deliveredAt: Date | null; promisedDeliveryTo: Date | null }[];
  refundedAt: Date | null;
  /** Shopify's Order.returnStatus (NO_RETURN, RETURN_REQUESTED, IN_PROGRESS, RETURNED, ...). */
  returnStatus: string | null;
  /** Units of shipped line items not fulfilled yet; null when unknown. */
  unfulfilledQuantity: number | null;
  /** Other orders' feedback requests to the same buyer, whatever their status. */
  buyerRequests: BuyerRequest[];
}

/** A return the buyer asked for or the merchant is handling: the order is not done. */
export const OPEN_RETURN_STATUSES = ["RETURN_REQUESTED", "IN_PROGRESS"];

/** Statuses in which the buyer got (or is getting) the mail; a bounce, a drop or a failure never reached them. */
const WENT_OUT = ["sending", "sent", "delivered", "spam"];

export function afterDelayChoice(settings: FeedbackRuleSettings): FeedbackAfterDelay {
  return settings.feedbackAfterDelay === "skip" ? "skip" : "reword";
}

export function buyerGapDays(settings: FeedbackRuleSettings): number {
  return settings.feedbackBuyerGapDays ?? FEEDBACK_RULE_DEFAULTS.feedbackBuyerGapDays;
}

/** The printed window's last day is a UTC calendar date: a parcel is late from the next day on. */
export function arrivedLate(parcel: FeedbackFacts["parcels"][number]): boolean {
  if (!parcel.deliveredAt || !parcel.promisedDeliveryTo) return false;
  const lastDay = Math.floor(parcel.promisedDeliveryTo.getTime() / DAY_MS) * DAY_MS;
  return parcel.deliveredAt.getTime() >= lastDay + DAY_MS;
}

/** The `feedback.after_delay` variable: a delay notice went out, or a parcel came after its printed window. */
export function wasDelayed(facts: FeedbackFacts | undefined): boolean {
  return !!facts && (facts.delayNoticeSent || facts.parcels.some(arrivedLate));
}

/** Why the order gets no feedback request at all (a refund, an open return), or null. */
export function refundOrReturn(facts: FeedbackFacts): string | null {
  if (facts.refundedAt) return "not sent: the order has a refund";
  if (facts.returnStatus && OPEN_RETURN_STATUSES.includes(facts.returnStatus)) return "not sent: the order has an open return";
  return null;
}

/** Whether `a` comes before `b` (time, then order id): of two requests due together, the earlier order's goes. */
function before(a: { at: number; order: string }, b: { at: number; order: string }): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/**
 * Another order's request that rules this one out at `at`: one that went out within the gap (either side),
 * or, with `waiting` (plan time), one still scheduled before it within the gap. At send time a waiting one
 * is not in the way (this one goes first; that one is stopped when its turn comes), but one being sent
 * right now (the same batch, or another worker's) is when it comes first.
 */
export function buyerConflict(
  facts: FeedbackFacts,
  settings: FeedbackRuleSettings,
  own: { orderShopifyId: string; at: Date; scheduledFor?: Date },
  waiting: boolean,
): BuyerRequest | null {
  const gap = buyerGapDays(settings) * DAY_MS;
  if (gap <= 0) return null;
  const mine = { at: own.at.getTime(), order: own.orderShopifyId };
  const myTurn = { at: (own.scheduledFor ?? own.at).getTime(), order: own.orderShopifyId };
  for (const other of facts.buyerRequests) {
    if (other.orderShopifyId === own.orderShopifyId) continue;
    if (WENT_OUT.includes(other.status)) {
      // Two being sent at once: the one due first goes.
      if (!waiting && other.status === "sending" && !before({ at: other.scheduledFor.getTime(), order: other.orderShopifyId }, myTurn)) continue;
      const theirs = { at: (other.sentAt ?? other.scheduledFor).getTime(), order: other.orderShopifyId };
      if (Math.abs(mine.at - theirs.at) < gap) return other;
    } else if (waiting && other.status === "scheduled") {
      const theirs = { at: other.scheduledFor.getTime(), order: other.orderShopifyId };
      if (before(theirs, mine) && mine.at - theirs.at < gap) return other;
    }
  }
  return null;
}

const sameBuyerReason = (other: BuyerRequest, settings: FeedbackRuleSettings) =>
  `not sent: the buyer had a feedback request for order ${other.orderName} within ${buyerGapDays(settings)} days`;

export type FeedbackVerdict = { send: true; afterDelay: boolean } | { send: false; reason: string };

/** Plan time: whether the request due at `due` is planned, and reworded. */
export function planVerdict(facts: FeedbackFacts | undefined, settings: FeedbackRuleSettings, own: { orderShopifyId: string; due: Date }): FeedbackVerdict {
  if (!facts) return { send: true, afterDelay: false };
  const stopped = refundOrReturn(facts);
  if (stopped) return { send: false, reason: stopped };
  // Never before the last parcel: line items still to ship mean another parcel is coming.
  if ((facts.unfulfilledQuantity ?? 0) > 0) return { send: false, reason: "waiting: items of the order are not fulfilled yet" };
  const afterDelay = wasDelayed(facts);
  if (afterDelay && afterDelayChoice(settings) === "skip") return { send: false, reason: "not sent: the parcel was late and the shop skips the feedback request after a delay" };
  const other = buyerConflict(facts, settings, { orderShopifyId: own.orderShopifyId, at: own.due }, true);
  if (other) return { send: false, reason: sameBuyerReason(other, settings) };
  return { send: true, afterDelay };
}

/** Why the order's request is withdrawn whenever it would be due (refund, open return, skipped after a delay), or null. */
export function withdrawnBecause(facts: FeedbackFacts, settings: FeedbackRuleSettings): string | null {
  const stopped = refundOrReturn(facts);
  if (stopped) return stopped;
  return wasDelayed(facts) && afterDelayChoice(settings) === "skip" ? "not sent: the parcel was late and the shop skips the feedback request after a delay" : null;
}

/** Send time: why a claimed feedback request must not go out now (the reason shows in Activity), or null. */
export function checkBeforeSending(facts: FeedbackFacts | undefined, settings: FeedbackRuleSettings, own: { orderShopifyId: string; now: Date; scheduledFor?: Date }): string | null {
  if (!facts) return null;
  const stopped = refundOrReturn(facts);
  if (stopped) return stopped;
  if (wasDelayed(facts) && afterDelayChoice(settings) === "skip") return "not sent: the parcel was late and the shop skips the feedback request after a delay";
  const other = buyerConflict(facts, settings, { orderShopifyId: own.orderShopifyId, at: own.now, scheduledFor: own.scheduledFor }, false);
  return other ? sameBuyerReason(other, settings) : null;
}
