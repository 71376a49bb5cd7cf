// Public holidays of a destination country, from date-holidays (offline data, no network). Business-day
// estimates skip them, so a parcel shipped before Christmas is not promised for the 25th.
import Holidays from "date-holidays";

const cache = new Map<string, Set<string>>();

function holidaysOf(country: string, year: number): Set<string> {
  const key = `${country}:${year}`;
  let days = cache.get(key);
  if (!days) {
    days = new Set<string>();
    try {
      const calendar = new Holidays(country);
      for (const holiday of calendar.getHolidays(year) || []) {
        // Nationwide public holidays only: regional and optional ones do not close the carrier network.
        if (holiday.type === "public") days.add(holiday.date.slice(0, 10));
      }
    } catch {
      // Unknown country code: weekends only.
    }
    if (cache.size > 2000) cache.clear();
    cache.set(key, days);
  }
  return days;
}

/** `isHoliday(isoDate)` for the country, or undefined (weekends only) when the country is unknown. */
export function publicHolidayChecker(country: string | null | undefined): ((isoDate: string) => boolean) | undefined {
  if (!country || !/^[A-Za-z]{2}$/.test(country)) return undefined;
  const code = country.toUpperCase();
  return (isoDate) => holidaysOf(code, Number(isoDate.slice(0, 4))).has(isoDate);
}
