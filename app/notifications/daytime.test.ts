import { describe, expect, it } from "vitest";
import { moveIntoDaytime, timeZoneForCountry, zonedTime } from "./daytime";
import { MINUTE_MS, HOUR_MS } from "~/time";

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall clock of an instant in a zone, computed independently of daytime.ts. */
function wall(date: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

const hourOf = (date: Date, timeZone: string) => Number(wall(date, timeZone).slice(11, 13));
const inWindow = (date: Date, timeZone: string, start = 9, end = 20) => {
  const hour = hourOf(date, timeZone);
  return hour >= start && hour < end;
};

/** The specification: the first instant at or after `date` whose local hour is in [start, end). */
function expectFirstDaytimeInstant(input: Date, result: Date, timeZone: string, start = 9, end = 20) {
  const context = `${input.toISOString()} in ${timeZone} → ${result.toISOString()} (${wall(result, timeZone)})`;
  expect(result.getTime(), `never earlier: ${context}`).toBeGreaterThanOrEqual(input.getTime());
  expect(inWindow(result, timeZone, start, end), `inside the window: ${context}`).toBe(true);
  if (inWindow(input, timeZone, start, end)) {
    expect(result.getTime(), `kept when already inside: ${context}`).toBe(input.getTime());
  } else {
    // Nothing between the input and the result is daytime: the result is the start of the next window.
    const justBefore = new Date(result.getTime() - MINUTE_MS);
    expect(justBefore.getTime() < input.getTime() || !inWindow(justBefore, timeZone, start, end), `first daytime instant: ${context}`).toBe(true);
    expect(wall(result, timeZone).slice(11), `starts on the hour: ${context}`).toBe(`${String(start).padStart(2, "0")}:00:00`);
  }
  // A day and a bit at most, even across a DST change.
  expect(result.getTime() - input.getTime(), `bounded: ${context}`).toBeLessThanOrEqual(26 * HOUR_MS);
}

describe("moveIntoDaytime: fixed cases", () => {
  const cases: Array<{ name: string; zone: string; input: string; expected: string }> = [
    { name: "inside the window is kept", zone: "Europe/Berlin", input: "2026-06-10T12:34:56.789Z", expected: "2026-06-10T12:34:56.789Z" },
    { name: "09:00 sharp is kept", zone: "Europe/Berlin", input: "2026-06-10T07:00:00.000Z", expected: "2026-06-10T07:00:00.000Z" },
    { name: "19:59 is kept", zone: "Europe/Berlin", input: "2026-06-10T17:59:00.000Z", expected: "2026-06-10T17:59:00.000Z" },
    { name: "20:00 sharp moves to the next morning", zone: "Europe/Berlin", input: "2026-06-10T18:00:00.000Z", expected: "2026-06-11T07:00:00.000Z" },
    { name: "early morning moves to 09:00 the same day", zone: "Europe/Berlin", input: "2026-06-10T01:00:00.000Z", expected: "2026-06-10T07:00:00.000Z" },
    { name: "just after midnight", zone: "Asia/Tokyo", input: "2026-06-09T15:00:30.000Z", expected: "2026-06-10T00:00:00.000Z" },
    // DST in the northern hemisphere (America/Chicago: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00).
    { name: "Chicago: night before spring-forward", zone: "America/Chicago", input: "2026-03-08T03:00:00.000Z", expected: "2026-03-08T14:00:00.000Z" },
    { name: "Chicago: inside the skipped hour's night", zone: "America/Chicago", input: "2026-03-08T07:30:00.000Z", expected: "2026-03-08T14:00:00.000Z" },
    { name: "Chicago: evening before spring-forward", zone: "America/Chicago", input: "2026-03-08T02:30:00.000Z", expected: "2026-03-08T14:00:00.000Z" },
    { name: "Chicago: the repeated hour at fall-back (first 01:30)", zone: "America/Chicago", input: "2026-11-01T06:30:00.000Z", expected: "2026-11-01T15:00:00.000Z" },
    { name: "Chicago: the repeated hour at fall-back (second 01:30)", zone: "America/Chicago", input: "2026-11-01T07:30:00.000Z", expected: "2026-11-01T15:00:00.000Z" },
    { name: "Chicago: evening before fall-back", zone: "America/Chicago", input: "2026-11-01T02:00:00.000Z", expected: "2026-11-01T15:00:00.000Z" },
    // Europe/London: 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT.
    { name: "London: 22:00 GMT the night before BST starts", zone: "Europe/London", input: "2026-03-28T22:00:00.000Z", expected: "2026-03-29T08:00:00.000Z" },
    { name: "London: 21:00 BST the night before GMT returns", zone: "Europe/London", input: "2026-10-24T20:00:00.000Z", expected: "2026-10-25T09:00:00.000Z" },
    // Southern hemisphere (Australia/Sydney: DST ends 2026-04-05 03:00 → 02:00, starts 2026-10-04 02:00 → 03:00).
    { name: "Sydney: night DST ends", zone: "Australia/Sydney", input: "2026-04-04T12:00:00.000Z", expected: "2026-04-04T23:00:00.000Z" },
    { name: "Sydney: night DST starts", zone: "Australia/Sydney", input: "2026-10-03T12:00:00.000Z", expected: "2026-10-03T22:00:00.000Z" },
    // Near the date line: the local day differs from the UTC day.
    { name: "Kiritimati (UTC+14): local 02:00 is tomorrow in UTC terms", zone: "Pacific/Kiritimati", input: "2026-01-15T12:00:00.000Z", expected: "2026-01-15T19:00:00.000Z" },
    { name: "Kiritimati (UTC+14): local 21:00", zone: "Pacific/Kiritimati", input: "2026-01-15T07:00:00.000Z", expected: "2026-01-15T19:00:00.000Z" },
    { name: "Pago Pago (UTC−11): local 21:00 of the previous UTC day", zone: "Pacific/Pago_Pago", input: "2026-01-15T08:00:00.000Z", expected: "2026-01-15T20:00:00.000Z" },
    { name: "Auckland (NZDT, UTC+13): local 23:00", zone: "Pacific/Auckland", input: "2026-01-15T10:00:00.000Z", expected: "2026-01-15T20:00:00.000Z" },
    { name: "Chatham (UTC+13:45 in summer)", zone: "Pacific/Chatham", input: "2026-01-15T10:00:00.000Z", expected: "2026-01-15T19:15:00.000Z" },
    { name: "Kathmandu (UTC+5:45)", zone: "Asia/Kathmandu", input: "2026-06-10T00:00:00.000Z", expected: "2026-06-10T03:15:00.000Z" },
    { name: "St John's (UTC−2:30 in summer)", zone: "America/St_Johns", input: "2026-07-01T23:00:00.000Z", expected: "2026-07-02T11:30:00.000Z" },
    // Calendar boundaries.
    { name: "New Year's Eve evening", zone: "Asia/Tokyo", input: "2026-12-31T12:00:00.000Z", expected: "2027-01-01T00:00:00.000Z" },
    { name: "into a leap day", zone: "America/Chicago", input: "2028-02-29T04:00:00.000Z", expected: "2028-02-29T15:00:00.000Z" },
    { name: "out of a leap day", zone: "Asia/Tokyo", input: "2028-02-29T12:00:00.000Z", expected: "2028-03-01T00:00:00.000Z" },
    // Samoa skipped 30 December 2011 when it moved across the date line (UTC−10 → UTC+14):
    // 22:00 on the 29th is followed by 09:00 on the 31st, never by a morning in the past.
    { name: "Apia: the day Samoa skipped", zone: "Pacific/Apia", input: "2011-12-30T08:00:00.000Z", expected: "2011-12-30T19:00:00.000Z" },
    { name: "Apia: the morning before the skip", zone: "Pacific/Apia", input: "2011-12-29T12:00:00.000Z", expected: "2011-12-29T19:00:00.000Z" },
  ];

  it.each(cases)("$name", ({ zone, input, expected }) => {
    const result = moveIntoDaytime(new Date(input), zone);
    expect(result.toISOString()).toBe(expected);
    expectFirstDaytimeInstant(new Date(input), result, zone);
  });

  it("keeps the very same instant (not a rounded one) when already inside", () => {
    const input = new Date("2026-06-10T10:00:00.123Z");
    expect(moveIntoDaytime(input, "UTC").getTime()).toBe(input.getTime());
  });

  it("answers every instant of a minute alike, asked first or again: each inside keeps itself, each outside moves to the same start", () => {
    for (const minute of [Date.UTC(2026, 5, 10, 10, 7), Date.UTC(2026, 5, 10, 22, 7), Date.UTC(2026, 2, 29, 0, 59)]) {
      for (const zone of ["UTC", "Europe/London", "Asia/Kathmandu"]) {
        for (const ms of [0, 30_500, 59_999, 0, 59_999]) {
          const input = new Date(minute + ms);
          const result = moveIntoDaytime(input, zone);
          expectFirstDaytimeInstant(input, result, zone);
        }
      }
    }
  });

  it("honours a custom window", () => {
    expect(moveIntoDaytime(new Date("2026-06-10T18:30:00Z"), "UTC", 8, 18).toISOString()).toBe("2026-06-11T08:00:00.000Z");
    expect(moveIntoDaytime(new Date("2026-06-10T07:59:00Z"), "UTC", 8, 18).toISOString()).toBe("2026-06-10T08:00:00.000Z");
    expect(moveIntoDaytime(new Date("2026-06-10T17:59:00Z"), "UTC", 8, 18).toISOString()).toBe("2026-06-10T17:59:00.000Z");
  });
});

describe("moveIntoDaytime: every hour of the day, across DST changes and date lines", () => {
  const zones = [
    "UTC",
    "America/Chicago",
    "America/Santiago", // DST changes at local midnight
    "America/St_Johns",
    "Europe/London",
    "Asia/Tokyo",
    "Asia/Kathmandu",
    "Australia/Lord_Howe", // 30-minute DST
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Pacific/Apia",
  ];

  it.each(zones)("%s", (zone) => {
    // Every 8 h 1 min through a whole year plus a bit: every local hour and minute offset, year end.
    const start = Date.UTC(2026, 0, 1) - 2 * HOUR_MS;
    const end = Date.UTC(2027, 0, 2);
    for (let t = start; t < end; t += 37 * MINUTE_MS * 13) {
      const input = new Date(t);
      expectFirstDaytimeInstant(input, moveIntoDaytime(input, zone), zone);
    }
    // Densely around each DST change of the year (found by the offset moving between two days).
    const offsets = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    const offsetAt = (t: number) => offsets.format(new Date(t)).split("GMT")[1];
    for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 24 * HOUR_MS) {
      if (offsetAt(day) === offsetAt(day + 24 * HOUR_MS)) continue;
      for (let t = day - 12 * HOUR_MS; t < day + 36 * HOUR_MS; t += 25 * MINUTE_MS) {
        const input = new Date(t);
        expectFirstDaytimeInstant(input, moveIntoDaytime(input, zone), zone);
      }
    }
  });
});

describe("zonedTime and timeZoneForCountry", () => {
  it("finds the instant of a wall-clock time on both sides of a DST change", () => {
    expect(zonedTime(2026, 3, 7, 9, "America/Chicago").toISOString()).toBe("2026-03-07T15:00:00.000Z");
    expect(zonedTime(2026, 3, 8, 9, "America/Chicago").toISOString()).toBe("2026-03-08T14:00:00.000Z");
    expect(zonedTime(2026, 10, 31, 9, "America/Chicago").toISOString()).toBe("2026-10-31T14:00:00.000Z");
    expect(zonedTime(2026, 11, 1, 9, "America/Chicago").toISOString()).toBe("2026-11-01T15:00:00.000Z");
    expect(zonedTime(2026, 1, 1, 9, "Pacific/Kiritimati").toISOString()).toBe("2025-12-31T19:00:00.000Z");
  });

  it("moves a wall-clock time the zone skips forward, so a day starts at its first instant", () => {
    // America/Santiago springs forward at local midnight (2026-09-06 00:00 → 01:00): the day begins at 01:00 -03.
    expect(zonedTime(2026, 9, 6, 0, "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(zonedTime(2026, 9, 5, 0, "America/Santiago").toISOString()).toBe("2026-09-05T04:00:00.000Z");
    expect(zonedTime(2026, 9, 7, 0, "America/Santiago").toISOString()).toBe("2026-09-07T03:00:00.000Z");
    // Chicago's skipped 02:00 (2026-03-08) is 03:00 CDT.
    expect(zonedTime(2026, 3, 8, 2, "America/Chicago").toISOString()).toBe("2026-03-08T08:00:00.000Z");
  });

  it("maps destinations to a zone and falls back to the shop's", () => {
    expect(timeZoneForCountry("JP", "UTC")).toBe("Asia/Tokyo");
    expect(timeZoneForCountry("us", "UTC")).toBe("America/Chicago");
    expect(timeZoneForCountry("ZZ", "Europe/Paris")).toBe("Europe/Paris");
    expect(timeZoneForCountry(null, "Europe/Paris")).toBe("Europe/Paris");
  });
});
