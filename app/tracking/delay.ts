// Why a shipment is late, in numbers a buyer can be told. Whether it is at risk at all is the
// planner's decision (isAtRisk), so the tracking page, the merchant's at-risk list and the delay
// notice always agree.
import { isAtRisk, type DelayReason, type PlanShipment } from "~/notifications/plan";
import { businessDaysBetween } from "~/shipments/estimate";
import { DAY_MS } from "~/time";

export interface DelayExplanation {
  reason: DelayReason;
  /** Business days past the end of the estimated window (0 when not past it). */
  daysOverdue: number;
  /** Whole days since the last carrier event, or since shipping when there is none. */
  daysSilent: number;
}

export function explainDelay(shipment: PlanShipment, now: Date): DelayExplanation | null {
  const reason = isAtRisk(shipment, now);
  if (!reason) return null;
  const lastSign = shipment.lastEventAt ?? shipment.shippedAt ?? shipment.createdAt;
  const windowEnd = shipment.estimatedDeliveryTo;
  return {
    reason,
    daysOverdue: windowEnd && windowEnd.getTime() < now.getTime() ? businessDaysBetween(windowEnd, now) : 0,
    daysSilent: Math.max(0, Math.floor((now.getTime() - lastSign.getTime()) / DAY_MS)),
  };
}
