import { describe, expect, it } from "vitest";
import { businessDayIndex } from "~/lanes/business-days";
import { seededRandom } from "~/lanes/synthetic-shipments";
import { businessDaysBetween } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";

describe("businessDayIndex", () => {
  it.each(["BR", "US", "DE", "XX"])("differences equal businessDaysBetween in %s, across years before and after the first one asked for", (country) => {
    const random = seededRandom(country.charCodeAt(0) * 31 + country.charCodeAt(1));
    const index = businessDayIndex(country);
    const isHoliday = publicHolidayChecker(country);
    const start = Date.UTC(2014, 0, 1);
    const span = Date.UTC(2028, 0, 1) - start;
    for (let i = 0; i < 200; i++) {
      const from = start + random() * span;
      const to = from + random() * 200 * 86_400_000;
      expect(index(to) - index(from)).toBe(businessDaysBetween(new Date(from), new Date(to), isHoliday));
    }
  });

  it("skips the destination's public holidays", () => {
    const brazil = businessDayIndex("BR");
    // 2024-11-15 (Friday) is Proclamation of the Republic in Brazil.
    expect(brazil(Date.parse("2024-11-18T10:00:00Z")) - brazil(Date.parse("2024-11-14T10:00:00Z"))).toBe(1);
    const us = businessDayIndex("US");
    expect(us(Date.parse("2024-11-18T10:00:00Z")) - us(Date.parse("2024-11-14T10:00:00Z"))).toBe(2);
  });
});
