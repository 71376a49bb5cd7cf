import { describe, expect, it } from "vitest";
import { publicHolidayChecker } from "./holidays";
import { addBusinessDays, estimateDelivery } from "./estimate";
import { findCarrier, parseTransitOverrides } from "~/carriers/registry";

describe("public holidays of the destination", () => {
  const table: { country: string; date: string; holiday: boolean }[] = [
    { country: "DE", date: "2026-12-25", holiday: true },
    { country: "DE", date: "2026-12-28", holiday: false },
    { country: "US", date: "2026-11-26", holiday: true }, // Thanksgiving
    { country: "JP", date: "2027-01-01", holiday: true },
    { country: "FR", date: "2026-07-14", holiday: true },
    { country: "GB", date: "2026-07-14", holiday: false },
  ];
  for (const row of table) {
    it(`${row.country} ${row.date} is ${row.holiday ? "" : "not "}a public holiday`, () => {
      expect(publicHolidayChecker(row.country)!(row.date)).toBe(row.holiday);
    });
  }

  it("unknown or missing countries fall back to weekends only", () => {
    expect(publicHolidayChecker(null)).toBeUndefined();
    expect(publicHolidayChecker("not a country")).toBeUndefined();
    expect(publicHolidayChecker("QQ")!("2026-12-25")).toBe(false);
  });

  it("a parcel shipped before Christmas to Germany skips the two holidays", () => {
    const shipped = new Date("2026-12-22T10:00:00Z"); // Tuesday
    // Wed 23, Thu 24 are business days; Fri 25 and Sat 26 are not; Sun 27 neither; Mon 28 is.
    expect(addBusinessDays(shipped, 3, publicHolidayChecker("DE")).toISOString().slice(0, 10)).toBe("2026-12-28");
    expect(addBusinessDays(shipped, 3).toISOString().slice(0, 10)).toBe("2026-12-25");
  });

  it("a merchant's transit override replaces the registry's days; malformed entries are ignored", () => {
    const carrier = findCarrier("DHL Express", null);
    const overrides = parseTransitOverrides(JSON.stringify({ [carrier!.code]: { europe: [9, 12], asia: [5, 2], x: "y" } }));
    expect(Object.keys(overrides[carrier!.code] ?? {})).toEqual(["europe"]);
    const shipped = new Date("2026-06-01T10:00:00Z");
    const own = estimateDelivery({ shippedAt: shipped, carrier, destinationCountry: "DE", originCountry: "JP", overrides });
    const registry = estimateDelivery({ shippedAt: shipped, carrier, destinationCountry: "DE", originCountry: "JP" });
    expect(own.minBusinessDays).toBe(9);
    expect(own.maxBusinessDays).toBe(12);
    expect(registry.maxBusinessDays).not.toBe(12);
    expect(parseTransitOverrides("not json")).toEqual({});
  });
});
