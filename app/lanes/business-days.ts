// Business-day numbering of a destination country (weekends and its public holidays skipped), so the
// transit between two instants is a subtraction instead of a walk over the calendar.
import { publicHolidayChecker } from "~/shipments/holidays";
import { DAY_MS } from "~/time";


/**
 * Business days of `country` counted up to and including a UTC date. Only differences mean anything
 * (they equal businessDaysBetween): never store an index, the numbering is this process's own.
 */
export type BusinessDayIndex = (atMs: number) => number;

const indexes = new Map<string, BusinessDayIndex>();

export function businessDayIndex(country: string): BusinessDayIndex {
  let index = indexes.get(country);
  if (!index) {
    index = buildIndex(country);
    indexes.set(country, index);
  }
  return index;
}

function buildIndex(country: string): BusinessDayIndex {
  const isHoliday = publicHolidayChecker(country);
  const years = new Map<number, { before: number; counts: Int32Array }>();
  // Numbering starts at the first year asked for, so a calendar costs only the years in use.
  let firstYear: number | undefined;

  const ownCounts = (year: number): Int32Array => {
    const first = Date.UTC(year, 0, 1) / DAY_MS;
    const counts = new Int32Array(Date.UTC(year + 1, 0, 1) / DAY_MS - first);
    let count = 0;
    for (let i = 0; i < counts.length; i++) {
      const weekday = (first + i + 4) % 7; // 1970-01-01 was a Thursday
      const iso = new Date((first + i) * DAY_MS).toISOString().slice(0, 10);
      if (weekday !== 0 && weekday !== 6 && !(isHoliday?.(iso) ?? false)) count++;
      counts[i] = count;
    }
    return counts;
  };
  const total = (year: number): number => {
    const { counts } = yearOf(year);
    return counts[counts.length - 1]!;
  };
  // Business days before Jan 1 of the year, counted from Jan 1 of firstYear.
  const yearOf = (year: number): { before: number; counts: Int32Array } => {
    let entry = years.get(year);
    if (!entry) {
      firstYear ??= year;
      const counts = ownCounts(year);
      years.set(year, (entry = { before: 0, counts }));
      if (year > firstYear) entry.before = yearOf(year - 1).before + total(year - 1);
      else if (year < firstYear) entry.before = yearOf(year + 1).before - counts[counts.length - 1]!;
    }
    return entry;
  };

  return (atMs) => {
    const day = Math.floor(atMs / DAY_MS);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    const { before, counts } = yearOf(year);
    return before + counts[day - Date.UTC(year, 0, 1) / DAY_MS]!;
  };
}
