import { transitBusinessDays, type Carrier, type TransitOverrides } from "~/carriers/registry";
import { DAY_MS } from "~/time";

// An isHoliday that rejects every day would otherwise loop forever.
const MAX_CONSECUTIVE_CLOSED_DAYS = 366;

export interface DeliveryEstimate {
  minBusinessDays: number;
  maxBusinessDays: number;
  from: Date;
  to: Date;
  source: "carrier" | "registry";
}

/** YYYY-MM-DD of the UTC calendar date. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function isBusinessDay(d: Date, isHoliday?: (isoDate: string) => boolean): boolean {
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !(isHoliday?.(isoDate(d)) ?? false);
}

function assertValidDate(d: Date, what: string): void {
  if (Number.isNaN(d.getTime())) throw new RangeError(`${what} is an invalid Date`);
}

/**
 * Moves forward `days` business days (Mon–Fri in UTC, minus holidays). The start
 * day never counts; time of day is kept. Fractions round up (a late promise beats
 * an early one); `days <= 0` returns a copy of `start`.
 */
export function addBusinessDays(
  start: Date,
  days: number,
  isHoliday?: (isoDate: string) => boolean,
): Date {
  assertValidDate(start, "start");
  if (!Number.isFinite(days)) throw new RangeError(`days must be finite, got ${days}`);
  let remaining = Math.ceil(days);
  const d = new Date(start.getTime());
  let closedRun = 0;
  while (remaining > 0) {
    // UTC has no DST, so adding 24h keeps the time of day.
    d.setTime(d.getTime() + DAY_MS);
    if (isBusinessDay(d, isHoliday)) {
      remaining--;
      closedRun = 0;
    } else if (++closedRun > MAX_CONSECUTIVE_CLOSED_DAYS) {
      throw new RangeError("isHoliday leaves no business day within a year");
    }
  }
  return d;
}

/** Business days in (from, to] by UTC calendar date; 0 when `to` is not after `from`. */
export function businessDaysBetween(
  from: Date,
  to: Date,
  isHoliday?: (isoDate: string) => boolean,
): number {
  assertValidDate(from, "from");
  assertValidDate(to, "to");
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) + DAY_MS;
  const last = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  let count = 0;
  for (let t = first; t <= last; t += DAY_MS) {
    if (isBusinessDay(new Date(t), isHoliday)) count++;
  }
  return count;
}

export function estimateDelivery(input: {
  shippedAt: Date;
  carrier: Carrier | undefined;
  destinationCountry: string | null | undefined;
  originCountry?: string | null;
  carrierEstimatedAt?: Date | null;
  isHoliday?: (isoDate: string) => boolean;
  overrides?: TransitOverrides;
}): DeliveryEstimate {
  const { shippedAt, carrier, destinationCountry, originCountry, carrierEstimatedAt, isHoliday, overrides } = input;
  assertValidDate(shippedAt, "shippedAt");

  // A carrier date that is invalid or before the ship date is bad data, not a promise.
  if (
    carrierEstimatedAt &&
    !Number.isNaN(carrierEstimatedAt.getTime()) &&
    isoDate(carrierEstimatedAt) >= isoDate(shippedAt)
  ) {
    const days = businessDaysBetween(shippedAt, carrierEstimatedAt, isHoliday);
    return {
      minBusinessDays: days,
      maxBusinessDays: days,
      from: new Date(carrierEstimatedAt.getTime()),
      to: new Date(carrierEstimatedAt.getTime()),
      source: "carrier",
    };
  }

  const { min, max } = transitBusinessDays(carrier, destinationCountry, originCountry, overrides);
  return {
    minBusinessDays: min,
    maxBusinessDays: max,
    from: addBusinessDays(shippedAt, min, isHoliday),
    to: addBusinessDays(shippedAt, max, isHoliday),
    source: "registry",
  };
}
