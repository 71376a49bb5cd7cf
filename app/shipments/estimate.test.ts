import { describe, it, expect } from "vitest";
import { carrierByCode } from "~/carriers/registry";
import { addBusinessDays, businessDaysBetween, estimateDelivery, isoDate } from "~/shipments/estimate";

const holidays =
  (...dates: string[]) =>
  (d: string): boolean =>
    dates.includes(d);

describe("isoDate", () => {
  it.each([
    ["2024-03-09T23:59:59.999Z", "2024-03-09"],
    ["2024-03-10T01:00:00+02:00", "2024-03-09"],
    ["2024-12-31T20:00:00-05:00", "2025-01-01"],
    ["2024-02-29T00:00:00Z", "2024-02-29"],
  ])("%s → %s", (input, expected) => {
    expect(isoDate(new Date(input))).toBe(expected);
  });
});

describe("addBusinessDays", () => {
  // 2024-01-05 is a Friday.
  it.each([
    ["Fri +1 skips the weekend", "2024-01-05T15:30:00Z", 1, "2024-01-08T15:30:00.000Z"],
    ["Fri +5", "2024-01-05T15:30:00Z", 5, "2024-01-12T15:30:00.000Z"],
    ["Fri +6 crosses two weekends", "2024-01-05T15:30:00Z", 6, "2024-01-15T15:30:00.000Z"],
    ["Sat +1", "2024-01-06T09:00:00Z", 1, "2024-01-08T09:00:00.000Z"],
    ["Sun +1", "2024-01-07T09:00:00Z", 1, "2024-01-08T09:00:00.000Z"],
    ["Mon +1: start day does not count", "2024-01-08T09:00:00Z", 1, "2024-01-09T09:00:00.000Z"],
    ["Wed +3", "2024-01-03T00:00:00Z", 3, "2024-01-08T00:00:00.000Z"],
    ["Mon +0 returns the start", "2024-01-08T09:00:00Z", 0, "2024-01-08T09:00:00.000Z"],
    ["Sat +0 returns the start", "2024-01-06T09:00:00Z", 0, "2024-01-06T09:00:00.000Z"],
    ["negative days return the start", "2024-01-08T09:00:00Z", -3, "2024-01-08T09:00:00.000Z"],
    ["fractions round up", "2024-01-08T09:00:00Z", 1.2, "2024-01-10T09:00:00.000Z"],
    ["leap day", "2024-02-28T12:00:00Z", 2, "2024-03-01T12:00:00.000Z"],
    // 23:30 in New York on Friday is Saturday in UTC.
    ["weekday judged in UTC", "2024-01-05T23:30:00-05:00", 1, "2024-01-08T04:30:00.000Z"],
  ])("%s", (_label, start, days, expected) => {
    expect(addBusinessDays(new Date(start), days).toISOString()).toBe(expected);
  });

  it.each([
    // Fri 22 Dec + 1, with 25 and 26 Dec closed → Wed 27 Dec.
    ["2023-12-22T10:00:00Z", 1, ["2023-12-25", "2023-12-26"], "2023-12-27T10:00:00.000Z"],
    // Fri 27 Dec + 3 across New Year → Mon 30, Tue 31, (Wed 1 closed) Thu 2 Jan.
    ["2024-12-27T08:00:00Z", 3, ["2025-01-01"], "2025-01-02T08:00:00.000Z"],
    // A holiday on a weekend changes nothing.
    ["2024-01-05T08:00:00Z", 1, ["2024-01-06"], "2024-01-08T08:00:00.000Z"],
    // A holiday on the start day changes nothing either.
    ["2024-01-08T08:00:00Z", 1, ["2024-01-08"], "2024-01-09T08:00:00.000Z"],
  ])("from %s +%i with holidays %j → %s", (start, days, closed, expected) => {
    expect(addBusinessDays(new Date(start), days, holidays(...closed)).toISOString()).toBe(expected);
  });

  it("asks isHoliday about weekdays only, as YYYY-MM-DD", () => {
    const asked: string[] = [];
    addBusinessDays(new Date("2024-01-05T12:00:00Z"), 2, (d) => {
      asked.push(d);
      return false;
    });
    expect(asked).toEqual(["2024-01-08", "2024-01-09"]);
  });

  it("does not modify the start date", () => {
    const start = new Date("2024-01-05T12:00:00Z");
    addBusinessDays(start, 3);
    expect(start.toISOString()).toBe("2024-01-05T12:00:00.000Z");
  });

  it("throws instead of looping forever when every day is a holiday", () => {
    expect(() => addBusinessDays(new Date("2024-01-05T12:00:00Z"), 1, () => true)).toThrow(RangeError);
  });

  it("rejects invalid input", () => {
    expect(() => addBusinessDays(new Date("nope"), 1)).toThrow(RangeError);
    expect(() => addBusinessDays(new Date("2024-01-05T12:00:00Z"), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessDays(new Date("2024-01-05T12:00:00Z"), Infinity)).toThrow(RangeError);
  });
});

describe("businessDaysBetween", () => {
  it("inverts addBusinessDays", () => {
    const isHoliday = holidays("2024-01-01", "2024-01-15", "2024-02-19");
    for (const start of ["2023-12-29T10:00:00Z", "2024-01-06T10:00:00Z", "2024-01-10T23:59:00Z"]) {
      for (let n = 0; n <= 30; n++) {
        const s = new Date(start);
        expect(businessDaysBetween(s, addBusinessDays(s, n, isHoliday), isHoliday), `${start} +${n}`).toBe(n);
      }
    }
  });

  it("is 0 when the end is not after the start", () => {
    expect(businessDaysBetween(new Date("2024-01-08T10:00:00Z"), new Date("2024-01-08T23:00:00Z"))).toBe(0);
    expect(businessDaysBetween(new Date("2024-01-08T10:00:00Z"), new Date("2024-01-01T10:00:00Z"))).toBe(0);
  });
});

describe("estimateDelivery", () => {
  const shippedAt = new Date("2024-06-03T10:00:00Z"); // Monday
  const chinaPost = carrierByCode("china_post");

  it("uses the carrier's own estimate when there is one", () => {
    const carrierEstimatedAt = new Date("2024-06-10T18:00:00Z"); // next Monday
    const e = estimateDelivery({
      shippedAt,
      carrier: chinaPost,
      destinationCountry: "US",
      originCountry: "CN",
      carrierEstimatedAt,
    });
    expect(e.source).toBe("carrier");
    expect(e.minBusinessDays).toBe(5);
    expect(e.maxBusinessDays).toBe(5);
    expect(e.from.toISOString()).toBe("2024-06-10T18:00:00.000Z");
    expect(e.to.toISOString()).toBe("2024-06-10T18:00:00.000Z");
    expect(e.from).not.toBe(carrierEstimatedAt);
  });

  it("counts holidays out of the carrier estimate's business days", () => {
    const e = estimateDelivery({
      shippedAt,
      carrier: undefined,
      destinationCountry: null,
      carrierEstimatedAt: new Date("2024-06-10T18:00:00Z"),
      isHoliday: holidays("2024-06-05"),
    });
    expect(e.source).toBe("carrier");
    expect(e.minBusinessDays).toBe(4);
  });

  it("accepts a carrier estimate for the ship date itself", () => {
    const e = estimateDelivery({
      shippedAt,
      carrier: chinaPost,
      destinationCountry: "CN",
      originCountry: "CN",
      carrierEstimatedAt: new Date("2024-06-03T20:00:00Z"),
    });
    expect(e.source).toBe("carrier");
    expect(e.minBusinessDays).toBe(0);
  });

  it("falls back to the registry window", () => {
    const e = estimateDelivery({ shippedAt, carrier: chinaPost, destinationCountry: "US", originCountry: "CN" });
    expect(e).toEqual({
      minBusinessDays: 10,
      maxBusinessDays: 25,
      from: new Date("2024-06-17T10:00:00Z"),
      to: new Date("2024-07-08T10:00:00Z"),
      source: "registry",
    });
  });

  it("applies holidays to the registry window", () => {
    const e = estimateDelivery({
      shippedAt,
      carrier: chinaPost,
      destinationCountry: "US",
      originCountry: "CN",
      carrierEstimatedAt: null,
      isHoliday: holidays("2024-07-04"),
    });
    expect(isoDate(e.from)).toBe("2024-06-17");
    expect(isoDate(e.to)).toBe("2024-07-09");
  });

  it.each([
    ["invalid", new Date("garbage")],
    ["before the ship date", new Date("2024-05-31T10:00:00Z")],
  ])("ignores a carrier estimate that is %s", (_label, carrierEstimatedAt) => {
    const e = estimateDelivery({
      shippedAt,
      carrier: carrierByCode("dhl_express"),
      destinationCountry: "DE",
      originCountry: "CN",
      carrierEstimatedAt,
    });
    expect(e.source).toBe("registry");
    expect([e.minBusinessDays, e.maxBusinessDays]).toEqual([2, 4]);
    expect(isoDate(e.from)).toBe("2024-06-05");
    expect(isoDate(e.to)).toBe("2024-06-07");
  });

  it("is conservative with neither carrier nor destination", () => {
    const e = estimateDelivery({ shippedAt, carrier: undefined, destinationCountry: undefined });
    expect([e.minBusinessDays, e.maxBusinessDays]).toEqual([7, 20]);
    expect(isoDate(e.from)).toBe("2024-06-12");
    expect(isoDate(e.to)).toBe("2024-07-01"); // exactly four weeks
  });
});
