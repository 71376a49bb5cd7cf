// The buyer's local daytime, so a feedback request never lands at 3 a.m. Destination countries map to a
// representative time zone (the most populous one where a country has several).
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

// Building a formatter costs far more than using one; keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(date: Date, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

function offsetMs(date: Date, timeZone: string): number {
  const p = localParts(date, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant at a local wall-clock time in a zone (DST-aware). */
export function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** Moves an instant forward into [startHour, endHour) local time; an instant already inside is kept. */
export function moveIntoDaytime(date: Date, timeZone: string, startHour = 9, endHour = 20): Date {
  const local = localParts(date, timeZone);
  if (local.hour >= startHour && local.hour < endHour) return date;
  // A local day a zone skipped (Samoa's 30 December 2011) resolves to a morning in the past: take the next day.
  for (let dayShift = local.hour >= endHour ? 1 : 0; ; dayShift++) {
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + dayShift));
    const start = zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), startHour, timeZone);
    if (start.getTime() > date.getTime() || dayShift >= 3) return start;
  }
}
