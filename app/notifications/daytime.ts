// The buyer's local daytime, so a feedback request never lands at 3 a.m. Destination countries map to a
// representative time zone (the most populous one where a country has several).
import { TZDate } from "@date-fns/tz";
import { addDays } from "date-fns/addDays";

const COUNTRY_TIME_ZONES: Record<string, string> = {
  US: "America/Chicago", CA: "America/Toronto", MX: "America/Mexico_City", BR: "America/Sao_Paulo",
  AR: "America/Argentina/Buenos_Aires", CL: "America/Santiago", CO: "America/Bogota", PE: "America/Lima",
  GB: "Europe/London", IE: "Europe/Dublin", FR: "Europe/Paris", DE: "Europe/Berlin", ES: "Europe/Madrid",
  PT: "Europe/Lisbon", IT: "Europe/Rome", NL: "Europe/Amsterdam", BE: "Europe/Brussels", LU: "Europe/Luxembourg",
  CH: "Europe/Zurich", AT: "Europe/Vienna", DK: "Europe/Copenhagen", SE: "Europe/Stockholm", NO: "Europe/Oslo",
  FI: "Europe/Helsinki", PL: "Europe/Warsaw", CZ: "Europe/Prague", SK: "Europe/Bratislava", HU: "Europe/Budapest",
  RO: "Europe/Bucharest", BG: "Europe/Sofia", GR: "Europe/Athens", HR: "Europe/Zagreb", SI: "Europe/Ljubljana",
  EE: "Europe/Tallinn", LV: "Europe/Riga", LT: "Europe/Vilnius", UA: "Europe/Kyiv", TR: "Europe/Istanbul",
  RU: "Europe/Moscow", IL: "Asia/Jerusalem", AE: "Asia/Dubai", SA: "Asia/Riyadh", QA: "Asia/Qatar",
  IN: "Asia/Kolkata", PK: "Asia/Karachi", BD: "Asia/Dhaka", CN: "Asia/Shanghai", HK: "Asia/Hong_Kong",
  TW: "Asia/Taipei", JP: "Asia/Tokyo", KR: "Asia/Seoul", SG: "Asia/Singapore", MY: "Asia/Kuala_Lumpur",
  TH: "Asia/Bangkok", VN: "Asia/Ho_Chi_Minh", PH: "Asia/Manila", ID: "Asia/Jakarta", AU: "Australia/Sydney",
  NZ: "Pacific/Auckland", ZA: "Africa/Johannesburg", NG: "Africa/Lagos", EG: "Africa/Cairo", KE: "Africa/Nairobi",
  MA: "Africa/Casablanca",
};

export function timeZoneForCountry(country: string | null | undefined, fallback: string): string {
  return (country && COUNTRY_TIME_ZONES[country.toUpperCase()]) || fallback;
}

/** The instant at a local wall-clock time in a zone (DST-aware). */
export function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  return new Date(new TZDate(year, month - 1, day, hour, timeZone).getTime());
}

const MINUTE_MS = 60_000;
/** moveIntoDaytime per zone, window and minute: null when the minute is inside the window, else the instant it moves to. */
const movedByMinute = new Map<string, number | null>();
const MOVED_MAX = 20_000;

/**
 * Moves an instant forward into [startHour, endHour) local time; an instant already inside is kept.
 * Local hours (and zones' offset changes) turn on whole minutes, so the answer is the same for every
 * instant of a minute: it is kept per minute, because the zone's offset is costly to work out and a
 * batch of deliveries asks for the same few minutes again and again.
 */
export function moveIntoDaytime(date: Date, timeZone: string, startHour = 9, endHour = 20): Date {
  const key = `${timeZone}|${startHour}|${endHour}|${Math.floor(date.getTime() / MINUTE_MS)}`;
  let moved = movedByMinute.get(key);
  if (moved === undefined) {
    moved = movedFor(date, timeZone, startHour, endHour)?.getTime() ?? null;
    if (movedByMinute.size >= MOVED_MAX) movedByMinute.clear();
    movedByMinute.set(key, moved);
  }
  return moved === null ? date : new Date(moved);
}

function movedFor(date: Date, timeZone: string, startHour: number, endHour: number): Date | null {
  const local = new TZDate(date.getTime(), timeZone);
  const hour = local.getHours();
  if (hour >= startHour && hour < endHour) return null;
  // TZDate moves a wall-clock time a zone skipped (a DST gap, Samoa's 30 December 2011) forward, so
  // the window found is never in the past.
  const day = addDays(local, hour >= endHour ? 1 : 0);
  return zonedTime(day.getFullYear(), day.getMonth() + 1, day.getDate(), startHour, timeZone);
}
